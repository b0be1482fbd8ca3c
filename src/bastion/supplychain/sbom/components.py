"""The SBOM's contents: the SCA inventory of a tree, one component per package URL, with the dependency graph.

This is the adapter over ``bastion.scanners.sca``: a package found in several lockfiles is one component (runtime
wins over development scope, the files are all kept), and the graph's edges come from each package's dependency
path (the shortest chain from a direct dependency), which is the part of the lock graph the inventory records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bastion import __version__
from bastion.scanners.sca import Inventory, Package, Scope, files_under, read_inventory
from bastion.scanners.sca.digests import Digest, unique_digests
from bastion.supplychain.errors import SupplyChainError

__all__ = ["Component", "SbomSubject", "collect", "collect_inventory"]


@dataclass(frozen=True, slots=True)
class Component:
    """One package in the SBOM."""

    purl: str
    """The package URL with version: the component's identity and reference."""
    name: str
    version: str
    ecosystem: str
    scope: Scope
    direct: bool | None
    licence: str | None
    """SPDX licence expression, when the lockfile or installed metadata declares one."""
    sources: tuple[str, ...]
    """The lockfiles, manifests or installed metadata it was found in."""
    depends_on: tuple[str, ...]
    """Purls of the components it depends on (from the recorded dependency paths)."""
    digests: tuple[Digest, ...] = ()
    """Digests of its distribution files, as the lockfiles record them (all of them, for every file)."""


@dataclass(frozen=True, slots=True)
class SbomSubject:
    """What an SBOM describes: the product, its components, and the tool and commit that made it."""

    name: str
    version: str | None
    commit: str | None
    components: tuple[Component, ...]
    direct: tuple[str, ...]
    """Purls the product depends on directly (all components when the formats record no directness)."""
    manifests: tuple[str, ...]
    warnings: tuple[str, ...]
    """Files that could not be read."""
    tool_version: str = __version__


def collect(
    path: Path, *, name: str | None = None, version: str | None = None, commit: str | None = None
) -> SbomSubject:
    """Inventory ``path`` (a folder, a lockfile or a ``site-packages``) into SBOM components."""
    if not path.exists():
        raise SupplyChainError(f"{path}: no such file or folder")
    root, files = files_under(path.resolve())
    inventory = read_inventory(root, files)
    return collect_inventory(inventory, name=name or path.resolve().name, version=version, commit=commit)


def collect_inventory(
    inventory: Inventory, *, name: str, version: str | None = None, commit: str | None = None
) -> SbomSubject:
    """SBOM components from an inventory already read."""
    components = _components(inventory.packages)
    direct = tuple(c.purl for c in components if c.direct is not False)
    return SbomSubject(
        name=name,
        version=version,
        commit=commit,
        components=components,
        direct=direct,
        manifests=inventory.manifests,
        warnings=tuple(str(error) for error in inventory.errors),
    )


def _components(packages: Iterable[Package]) -> tuple[Component, ...]:
    by_purl: dict[str, list[Package]] = {}
    for package in packages:
        by_purl.setdefault(package.purl, []).append(package)
    # A dependency path names packages; resolve each name to the purls found for it in the same file.
    by_source_key: dict[tuple[str, str], list[str]] = {}
    for purl, found in by_purl.items():
        for package in found:
            by_source_key.setdefault((package.source, package.key), []).append(purl)
    edges: dict[str, set[str]] = {}
    for purl, found in by_purl.items():
        for package in found:
            if len(package.path) >= 2:
                parent_key = _key_like(package, package.path[-2])
                for parent in by_source_key.get((package.source, parent_key), ()):
                    edges.setdefault(parent, set()).add(purl)
    components = []
    for purl, found in sorted(by_purl.items()):
        first = found[0]
        runtime = any(p.scope is Scope.RUNTIME for p in found)
        directness = [p.direct for p in found if p.direct is not None]
        components.append(
            Component(
                purl=purl,
                name=first.name,
                version=first.version,
                ecosystem=first.ecosystem.value,
                scope=Scope.RUNTIME if runtime else found[0].scope,
                direct=any(directness) if directness else None,
                licence=next((p.licence for p in found if p.licence), None),
                sources=tuple(sorted({p.source for p in found})),
                depends_on=tuple(sorted(edges.get(purl, set()) - {purl})),
                digests=unique_digests(digest for p in found for digest in p.digests),
            )
        )
    return tuple(components)


def _key_like(package: Package, name: str) -> str:
    from bastion.scanners.sca import normalise_name

    return normalise_name(package.ecosystem, name)
