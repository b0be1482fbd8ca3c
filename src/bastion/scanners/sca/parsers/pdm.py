"""``pdm.lock``: PDM's lockfile (lock_version 4.x); ``groups`` other than ``default`` are development.

Dependencies are PEP 508 strings; their names give the graph, and the sibling pyproject.toml the roots.
"""

from __future__ import annotations

import re

from bastion.scanners.sca.digests import Digest, file_digests
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import list_at, mapping_at, string_at
from bastion.scanners.sca.parsers.pyproject import direct_dependencies
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_pdm_lock"]

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def parse_pdm_lock(source: LockfileSource) -> list[Package]:
    """Every package pinned in a ``pdm.lock``."""
    document = source.toml()
    metadata = mapping_at(source, document.get("metadata"), "metadata")
    lock_version = str(metadata.get("lock_version", ""))
    if lock_version.split(".")[0] != "4":
        raise source.error("metadata.lock_version", f"unsupported lock_version {lock_version!r}")
    edges: dict[str, list[str]] = {}
    pinned: list[tuple[str, str, list[str], tuple[Digest, ...]]] = []
    for index, raw in enumerate(list_at(source, document.get("package"), "package")):
        where = f"package[{index}]"
        entry = mapping_at(source, raw, where, optional=False)
        name = string_at(source, entry.get("name"), f"{where}.name")
        key = normalise_name(Ecosystem.PYPI, name)
        for dependency in list_at(source, entry.get("dependencies"), f"{where}.dependencies"):
            match = _NAME.match(str(dependency))
            if match:
                edges.setdefault(key, []).append(normalise_name(Ecosystem.PYPI, match[1]))
        if "version" in entry and not {"path", "url", "git", "editable"} & set(entry):
            groups = [g for g in list_at(source, entry.get("groups"), f"{where}.groups") if isinstance(g, str)]
            version = string_at(source, entry.get("version"), f"{where}.version")
            pinned.append((name, version, groups, file_digests(entry.get("files"))))
    roots = direct_dependencies(source)
    placed = place(roots[0], roots[1], edges) if roots else {}
    packages = []
    cursor = 1
    for name, version, groups, digests in pinned:
        line = source.lines.find(f'name = "{name}"', cursor)
        cursor = line or cursor
        spot = placed.get(normalise_name(Ecosystem.PYPI, name))
        scope = Scope.RUNTIME if not groups or "default" in groups else Scope.DEV
        packages.append(
            Package(
                Ecosystem.PYPI,
                name,
                version,
                source.path,
                line,
                scope,
                direct=spot.direct if spot else None,
                path=spot.path if spot else (),
                digests=digests,
            )
        )
    return packages
