"""``Pipfile.lock``: pipenv's JSON lockfile; ``default`` is runtime, ``develop`` is development.

The lock does not record the graph, so every package's directness is unknown unless the sibling ``Pipfile``
names it.
"""

from __future__ import annotations

import re

from bastion.scanners.sca.digests import Digest, digest_from_prefixed, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import mapping_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_pipfile_lock"]

_PIN = re.compile(r"^===?\s*(?P<version>[^\s,;]+)$")


def parse_pipfile_lock(source: LockfileSource) -> list[Package]:
    """Every ``==`` pinned package in the ``default`` and ``develop`` sections."""
    document = mapping_at(source, source.json(), "$", optional=False)
    spec = mapping_at(source, document.get("_meta"), "$._meta").get("pipfile-spec", 6)
    if not isinstance(spec, int) or spec > 6:
        raise source.error("$._meta.pipfile-spec", f"unsupported pipfile-spec {spec!r}")
    direct = _pipfile_names(source)
    packages = []
    for section, scope in (("default", Scope.RUNTIME), ("develop", Scope.DEV)):
        for name, raw in mapping_at(source, document.get(section), f"$.{section}").items():
            entry = mapping_at(source, raw, f"$.{section}['{name}']", optional=False)
            pin = _PIN.match(str(entry.get("version", "")))
            if pin is None:
                continue  # editable, path or VCS entries carry no version
            packages.append(
                Package(
                    Ecosystem.PYPI,
                    name,
                    pin["version"],
                    source.path,
                    source.lines.find(f'"{name}": {{'),
                    scope,
                    direct=None if direct is None else normalise_name(Ecosystem.PYPI, name) in direct,
                    digests=_hashes(entry.get("hashes")),
                )
            )
    return packages


def _hashes(hashes: object) -> tuple[Digest, ...]:
    return unique_digests(digest_from_prefixed(h) for h in hashes) if isinstance(hashes, list) else ()


def _pipfile_names(source: LockfileSource) -> set[str] | None:
    pipfile = source.sibling("Pipfile")
    if pipfile is None:
        return None
    names: set[str] = set()
    for section in ("packages", "dev-packages"):
        table = pipfile.toml().get(section)
        if isinstance(table, dict):
            names |= {normalise_name(Ecosystem.PYPI, name) for name in table}
    return names
