"""``package-lock.json`` and ``npm-shrinkwrap.json``: npm's lockfile, lockfileVersion 1, 2 and 3.

Versions 2 and 3 key packages by install path (``node_modules/a/node_modules/b``); dependencies are resolved the
way Node does, from the nearest ``node_modules`` upwards, which gives the exact path to every package. Version 1
nests ``dependencies`` objects; its graph is followed by name through ``requires``.
"""

from __future__ import annotations

from typing import Any

from bastion.scanners.sca.digests import digests_from_sri, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import paths_from
from bastion.scanners.sca.licences import normalise_licence
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import mapping_at, string_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_package_lock"]

_MODULES = "node_modules/"


def parse_package_lock(source: LockfileSource) -> list[Package]:
    """Every installed package recorded in an npm lockfile."""
    document = mapping_at(source, source.json(), "$", optional=False)
    version = document.get("lockfileVersion", 1)
    if version in (2, 3) and "packages" in document:
        return _packages_section(source, mapping_at(source, document["packages"], "$.packages"))
    if version in (1, 2):
        return _dependencies_section(source, mapping_at(source, document.get("dependencies"), "$.dependencies"))
    raise source.error("$.lockfileVersion", f"unsupported lockfileVersion {version!r}")


def _scope(entry: dict[str, Any]) -> Scope:
    if entry.get("dev") or entry.get("devOptional"):
        return Scope.DEV
    return Scope.OPTIONAL if entry.get("optional") else Scope.RUNTIME


def _name_of(install_path: str, entry: dict[str, Any]) -> str:
    name = entry.get("name")
    if isinstance(name, str) and name:
        return name
    return install_path.rsplit(_MODULES, 1)[-1]


def _resolve(install_path: str, dependency: str, known: dict[str, Any]) -> str | None:
    base = install_path
    while True:
        candidate = f"{base}/{_MODULES}{dependency}" if base else f"{_MODULES}{dependency}"
        if candidate in known:
            return candidate
        if not base:
            return None
        cut = base.rfind("/" + _MODULES)
        base = base[:cut] if cut != -1 else ""


def _packages_section(source: LockfileSource, packages: dict[str, Any]) -> list[Package]:
    root = mapping_at(source, packages.get(""), "$.packages['']")
    direct_names: set[str] = set()
    for group in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        direct_names |= set(mapping_at(source, root.get(group), f"$.packages[''].{group}"))
    edges: dict[str, list[str]] = {}
    roots: list[str] = []
    for install_path, raw in packages.items():
        entry = mapping_at(source, raw, f"$.packages['{install_path}']", optional=False)
        wanted = [
            *mapping_at(source, entry.get("dependencies"), f"$.packages['{install_path}'].dependencies"),
            *mapping_at(
                source, entry.get("optionalDependencies"), f"$.packages['{install_path}'].optionalDependencies"
            ),
        ]
        edges[install_path] = [p for p in (_resolve(install_path, d, packages) for d in wanted) if p]
        top_level = install_path.startswith(_MODULES) and install_path.count(_MODULES) == 1
        if top_level and _name_of(install_path, entry) in direct_names:
            roots.append(install_path)
    paths = paths_from(roots, edges)
    found = []
    cursor = 1  # entries are in file order: each search starts where the last one matched
    for install_path, entry in packages.items():
        if not install_path.startswith(_MODULES) and _MODULES not in install_path:
            continue  # the root project and workspace folders
        if entry.get("link") or "version" not in entry:
            continue
        version = string_at(source, entry["version"], f"$.packages['{install_path}'].version")
        name = _name_of(install_path, entry)
        trail = paths.get(install_path, ())
        licence = entry.get("license")
        line = source.lines.find(f'"{install_path}": {{', cursor)
        cursor = line or cursor
        found.append(
            Package(
                Ecosystem.NPM,
                name,
                version,
                source.path,
                line,
                _scope(entry),
                direct=install_path in roots,
                path=tuple(_name_of(p, packages[p]) for p in trail) if len(trail) > 1 else (),
                licence=normalise_licence(licence) if isinstance(licence, str) else None,
                digests=unique_digests(digests_from_sri(entry.get("integrity"))),
            )
        )
    return found


def _dependencies_section(source: LockfileSource, dependencies: dict[str, Any]) -> list[Package]:
    found: list[tuple[str, dict[str, Any], str]] = []
    edges: dict[str, list[str]] = {}

    def walk(level: dict[str, Any], where: str) -> None:
        for name, raw in level.items():
            here = f"{where}['{name}']"
            entry = mapping_at(source, raw, here, optional=False)
            found.append((name, entry, here))
            edges.setdefault(name, []).extend(mapping_at(source, entry.get("requires"), f"{here}.requires"))
            walk(mapping_at(source, entry.get("dependencies"), f"{here}.dependencies"), f"{here}.dependencies")

    walk(dependencies, "$.dependencies")
    manifest = source.sibling("package.json")
    direct: set[str] | None = None
    if manifest is not None:
        document = mapping_at(manifest, manifest.json(), "$", optional=False)
        direct = set()
        for group in ("dependencies", "devDependencies", "optionalDependencies"):
            direct |= set(mapping_at(manifest, document.get(group), f"$.{group}"))
    paths = paths_from(sorted(direct or ()), edges)
    packages = []
    cursor = 1
    for name, entry, here in found:
        if "version" not in entry or str(entry["version"]).startswith(("file:", "git", "http")):
            continue
        line = source.lines.find(f'"{name}": {{', cursor)
        cursor = line or cursor
        is_direct = None if direct is None else (name in direct and here.count(".dependencies") == 1)
        packages.append(
            Package(
                Ecosystem.NPM,
                name,
                string_at(source, entry["version"], f"{here}.version"),
                source.path,
                line,
                _scope(entry),
                direct=is_direct,
                path=paths.get(name, ()) if is_direct is False else (),
                digests=unique_digests(digests_from_sri(entry.get("integrity"))),
            )
        )
    return packages
