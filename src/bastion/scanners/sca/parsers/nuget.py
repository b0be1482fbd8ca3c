"""``packages.lock.json``: NuGet's lockfile (version 1 and 2), one section per target framework.

``type`` says ``Direct``, ``Transitive`` or ``CentralTransitive``; ``Project`` entries are the solution's own
projects and are skipped. The same package in several frameworks is reported once.
"""

from __future__ import annotations

from bastion.scanners.sca.digests import digests_from_sri, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import paths_from
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers.fields import mapping_at, string_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_packages_lock"]


def parse_packages_lock(source: LockfileSource) -> list[Package]:
    """Every resolved NuGet package in a ``packages.lock.json``."""
    document = mapping_at(source, source.json(), "$", optional=False)
    version = document.get("version")
    if version not in (1, 2):
        raise source.error("$.version", f"unsupported packages.lock.json version {version!r}")
    found: dict[tuple[str, str], Package] = {}
    for framework, raw in mapping_at(source, document.get("dependencies"), "$.dependencies").items():
        section = mapping_at(source, raw, f"$.dependencies['{framework}']")
        edges: dict[str, list[str]] = {}
        direct: list[str] = []
        for name, entry_raw in section.items():
            entry = mapping_at(source, entry_raw, f"$.dependencies['{framework}']['{name}']", optional=False)
            edges[name.lower()] = [d.lower() for d in mapping_at(source, entry.get("dependencies"), "dependencies")]
            if entry.get("type") == "Direct":
                direct.append(name.lower())
        paths = paths_from(direct, edges)
        cursor = source.lines.find(f'"{framework}": {{') or 1
        for name, entry in section.items():
            where = f"$.dependencies['{framework}']['{name}']"
            if entry.get("type") == "Project" or "resolved" not in entry:
                continue  # the solution's own projects; central pins that resolved to nothing
            resolved = string_at(source, entry.get("resolved"), f"{where}.resolved")
            if (name.lower(), resolved) in found:
                continue
            is_direct = entry.get("type") == "Direct"
            line = source.lines.find(f'"{name}": {{', cursor)
            found[(name.lower(), resolved)] = Package(
                Ecosystem.NUGET,
                name,
                resolved,
                source.path,
                line,
                direct=is_direct,
                path=() if is_direct else paths.get(name.lower(), ()),
                # contentHash is the base64 SHA-512 of the .nupkg, as in Subresource Integrity.
                digests=unique_digests(digests_from_sri(f"sha512-{entry.get('contentHash', '')}")),
            )
    return list(found.values())
