"""``Cargo.lock``: Cargo's lockfile (format 1 to 4).

Packages without a ``source`` are the workspace's own crates; what they depend on is direct. Dependencies are
``name``, ``name version`` or ``name version (source)``; Cargo.lock does not separate dev-dependencies.
"""

from __future__ import annotations

from bastion.scanners.sca.digests import digest_from_hex, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import list_at, mapping_at, string_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_cargo_lock"]


def parse_cargo_lock(source: LockfileSource) -> list[Package]:
    """Every crates.io package in a ``Cargo.lock``."""
    document = source.toml()
    version = document.get("version", 1)
    if version not in (1, 2, 3, 4):
        raise source.error("version", f"unsupported Cargo.lock version {version!r}")
    entries = []
    by_name: dict[str, list[str]] = {}
    for index, raw in enumerate(list_at(source, document.get("package"), "package")):
        where = f"package[{index}]"
        entry = mapping_at(source, raw, where, optional=False)
        name = string_at(source, entry.get("name"), f"{where}.name")
        pinned = string_at(source, entry.get("version"), f"{where}.version")
        entries.append((name, pinned, entry, where))
        by_name.setdefault(name, []).append(f"{name} {pinned}")
    edges: dict[str, list[str]] = {}
    workspace: list[str] = []
    direct: list[str] = []
    for name, pinned, entry, where in entries:
        node = f"{name} {pinned}"
        targets = []
        for dependency in list_at(source, entry.get("dependencies"), f"{where}.dependencies"):
            parts = str(dependency).split()
            if len(parts) >= 2:
                targets.append(f"{parts[0]} {parts[1]}")
            elif by_name.get(parts[0]):
                targets.append(by_name[parts[0]][0])
        edges[node] = targets
        if "source" not in entry:
            workspace.append(node)
            direct += targets
    placed = place(direct, [], edges)
    packages = []
    cursor = 1
    for name, pinned, entry, _ in entries:
        line = source.lines.find(f'name = "{name}"', cursor)
        cursor = line or cursor
        origin = str(entry.get("source", ""))
        if not origin.startswith(("registry+", "sparse+")):
            continue  # workspace members, git and path crates
        spot = placed.get(f"{name} {pinned}")
        packages.append(
            Package(
                Ecosystem.CRATES_IO,
                name,
                pinned,
                source.path,
                line,
                Scope.RUNTIME,
                direct=spot.direct if spot else (False if workspace else None),
                path=tuple(p.split()[0] for p in spot.path) if spot else (),
                digests=unique_digests([digest_from_hex("sha256", entry.get("checksum"))]),
            )
        )
    return packages
