"""``poetry.lock``: Poetry's lockfile (lock-version 1.x and 2.x).

Scope comes from the package's ``category`` (lock 1.x) or, for 2.x, from the project's pyproject.toml groups
followed through ``[package.dependencies]``; directory, file and git packages are not from PyPI and are skipped.
"""

from __future__ import annotations

from bastion.scanners.sca.digests import Digest, file_digests
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import list_at, mapping_at, string_at
from bastion.scanners.sca.parsers.pyproject import direct_dependencies
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_poetry_lock"]

_SUPPORTED = ("1", "2")
_LOCAL_SOURCES = {"directory", "file", "git", "url"}


def parse_poetry_lock(source: LockfileSource) -> list[Package]:
    """Every package pinned in a ``poetry.lock``."""
    document = source.toml()
    lock_version = str(mapping_at(source, document.get("metadata"), "metadata").get("lock-version", "1.0"))
    if lock_version.split(".")[0] not in _SUPPORTED:
        raise source.error("metadata.lock-version", f"unsupported lock-version {lock_version}")
    entries = list_at(source, document.get("package"), "package")
    edges: dict[str, list[str]] = {}
    pinned: list[tuple[str, str, str | None, bool, tuple[Digest, ...]]] = []
    # Lock format 1 keeps the files' hashes in [metadata.files], keyed by name; 2 keeps them in each package.
    old_files = mapping_at(source, mapping_at(source, document.get("metadata"), "metadata").get("files"), "files")
    for index, raw in enumerate(entries):
        entry = mapping_at(source, raw, f"package[{index}]", optional=False)
        name = string_at(source, entry.get("name"), f"package[{index}].name")
        version = string_at(source, entry.get("version"), f"package[{index}].version")
        key = normalise_name(Ecosystem.PYPI, name)
        dependencies = mapping_at(source, entry.get("dependencies"), f"package[{index}].dependencies")
        edges[key] = [normalise_name(Ecosystem.PYPI, d) for d in dependencies]
        kind = mapping_at(source, entry.get("source"), f"package[{index}].source").get("type")
        if kind in _LOCAL_SOURCES:
            continue
        category = entry.get("category")
        digests = file_digests(entry.get("files", old_files.get(name)))
        optional = bool(entry.get("optional"))
        pinned.append((name, version, category if isinstance(category, str) else None, optional, digests))
    roots = direct_dependencies(source)
    placed = place(roots[0], roots[1], edges) if roots else {}
    packages = []
    cursor = 1
    for name, version, category, optional, digests in pinned:
        key = normalise_name(Ecosystem.PYPI, name)
        line = source.lines.find(f'name = "{name}"', cursor)
        cursor = line or cursor
        spot = placed.get(key)
        if category is not None:
            scope = Scope.DEV if category == "dev" else Scope.RUNTIME
        else:
            scope = spot.scope if spot else Scope.RUNTIME
        if optional and scope is Scope.RUNTIME and not (spot and spot.direct):
            scope = Scope.OPTIONAL
        packages.append(
            Package(
                Ecosystem.PYPI,
                name,
                version,
                source.path,
                line,
                scope,
                direct=spot.direct if spot else (False if roots else None),
                path=spot.path if spot else (),
                digests=digests,
            )
        )
    return packages
