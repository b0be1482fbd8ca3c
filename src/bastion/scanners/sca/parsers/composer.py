"""``composer.lock``: Composer's lockfile; ``packages`` are runtime, ``packages-dev`` development.

``require`` maps give the graph (platform requirements such as ``php`` and ``ext-*`` are not packages), the
sibling ``composer.json`` the direct dependencies, and each package its ``license`` list.
"""

from __future__ import annotations

from bastion.scanners.sca.digests import digest_from_hex, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.licences import normalise_licence
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import list_at, mapping_at, string_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_composer_lock"]


def parse_composer_lock(source: LockfileSource) -> list[Package]:
    """Every package in a ``composer.lock``."""
    document = mapping_at(source, source.json(), "$", optional=False)
    entries = []
    edges: dict[str, list[str]] = {}
    for section, scope in (("packages", Scope.RUNTIME), ("packages-dev", Scope.DEV)):
        for index, raw in enumerate(list_at(source, document.get(section), f"$.{section}")):
            where = f"$.{section}[{index}]"
            entry = mapping_at(source, raw, where, optional=False)
            name = string_at(source, entry.get("name"), f"{where}.name")
            version = string_at(source, entry.get("version"), f"{where}.version")
            requires = mapping_at(source, entry.get("require"), f"{where}.require")
            edges[name.lower()] = [r.lower() for r in requires if "/" in r]
            licences = [str(item) for item in list_at(source, entry.get("license"), f"{where}.license")]
            dist = mapping_at(source, entry.get("dist"), f"{where}.dist")
            entries.append((name, version, scope, licences, digest_from_hex("sha1", dist.get("shasum"))))
    roots = _manifest_roots(source)
    placed = place(roots[0], roots[1], edges) if roots else {}
    packages = []
    cursor = 1
    for name, version, scope, licences, digest in entries:
        line = source.lines.find(f'"name": "{name}"', cursor)
        cursor = line or cursor
        spot = placed.get(name.lower())
        licence = " OR ".join(filter(None, (normalise_licence(text) for text in licences))) or None
        packages.append(
            Package(
                Ecosystem.PACKAGIST,
                name,
                version,
                source.path,
                line,
                scope,
                direct=spot.direct if spot else (False if roots else None),
                path=spot.path if spot else (),
                licence=licence,
                digests=unique_digests([digest]),
            )
        )
    return packages


def _manifest_roots(source: LockfileSource) -> tuple[list[str], list[str]] | None:
    manifest = source.sibling("composer.json")
    if manifest is None:
        return None
    document = mapping_at(manifest, manifest.json(), "$", optional=False)
    runtime = [n.lower() for n in mapping_at(manifest, document.get("require"), "$.require") if "/" in n]
    dev = [n.lower() for n in mapping_at(manifest, document.get("require-dev"), "$.require-dev") if "/" in n]
    return runtime, dev
