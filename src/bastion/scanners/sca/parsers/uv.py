"""``uv.lock``: uv's universal lockfile (version 1).

Workspace members (``source = { editable | virtual | directory }``) are the roots: their ``dependencies`` are
direct runtime dependencies and ``dev-dependencies`` / ``optional-dependencies`` are development or optional.
"""

from __future__ import annotations

from typing import Any

from bastion.scanners.sca.digests import Digest, file_digests
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import list_at, mapping_at, string_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_uv_lock"]

_LOCAL = {"editable", "virtual", "directory", "path", "git", "url"}


def parse_uv_lock(source: LockfileSource) -> list[Package]:
    """Every registry package in a ``uv.lock``, placed under the workspace members' dependencies."""
    document = source.toml()
    version = document.get("version")
    if version != 1:
        raise source.error("version", f"unsupported uv.lock version {version!r}")
    edges: dict[str, list[str]] = {}
    runtime: set[str] = set()
    dev: set[str] = set()
    pinned: list[tuple[str, str, tuple[Digest, ...]]] = []
    for index, raw in enumerate(list_at(source, document.get("package"), "package")):
        where = f"package[{index}]"
        entry = mapping_at(source, raw, where, optional=False)
        name = string_at(source, entry.get("name"), f"{where}.name")
        key = normalise_name(Ecosystem.PYPI, name)
        edges[key] = _names(entry.get("dependencies"))
        origin = mapping_at(source, entry.get("source"), f"{where}.source")
        if _LOCAL & set(origin) and not ({"git", "url"} & set(origin)):
            runtime |= set(edges[key])
            for group in ("dev-dependencies", "optional-dependencies"):
                for deps in mapping_at(source, entry.get(group), f"{where}.{group}").values():
                    dev |= set(_names(deps))
            continue
        if "registry" in origin or "version" in entry:
            version = string_at(source, entry.get("version"), f"{where}.version")
            sdist = entry.get("sdist")
            files = [sdist, *entry["wheels"]] if isinstance(entry.get("wheels"), list) else [sdist]
            pinned.append((name, version, file_digests(files)))
    placed = place(runtime, dev - runtime, edges)
    packages = []
    cursor = 1
    for name, version, digests in pinned:
        line = source.lines.find(f'name = "{name}"', cursor)
        cursor = line or cursor
        spot = placed.get(normalise_name(Ecosystem.PYPI, name))
        packages.append(
            Package(
                Ecosystem.PYPI,
                name,
                version,
                source.path,
                line,
                spot.scope if spot else Scope.RUNTIME,
                direct=spot.direct if spot else False,
                path=spot.path if spot else (),
                digests=digests,
            )
        )
    return packages


def _names(dependencies: Any) -> list[str]:
    if not isinstance(dependencies, list):
        return []
    return [
        normalise_name(Ecosystem.PYPI, item["name"])
        for item in dependencies
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]
