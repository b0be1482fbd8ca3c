"""``yarn.lock``: Yarn classic (v1, its own indented format) and Yarn berry (v2+, YAML with ``__metadata``).

Both are read by one indentation parser so every entry keeps its line. An entry's header lists the descriptors
(``name@range``) it satisfies; dependencies are followed from descriptor to entry. Direct dependencies come
from the sibling ``package.json`` (classic) or the ``@workspace:`` entries (berry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.scanners.sca.digests import digests_from_sri, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import mapping_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_yarn_lock"]

_DEPENDENCY_BLOCKS = {"dependencies", "optionalDependencies"}


@dataclass
class _Entry:
    line: int
    descriptors: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    dependencies: list[tuple[str, str]] = field(default_factory=list)


def parse_yarn_lock(source: LockfileSource) -> list[Package]:
    """Every resolved package in a ``yarn.lock``, classic or berry."""
    entries, berry = _entries(source)
    by_descriptor = {d: index for index, entry in enumerate(entries) for d in entry.descriptors}
    edges: dict[str, list[str]] = {}
    runtime: list[str] = []
    dev: list[str] = []
    for index, entry in enumerate(entries):
        node = str(index)
        edges[node] = []
        for wanted, spec in entry.dependencies:
            target = by_descriptor.get(f"{wanted}@{spec}")
            if target is None:
                target = by_descriptor.get(f"{wanted}@npm:{spec}")
            if target is not None:
                edges[node].append(str(target))
        if berry and "@workspace:" in entry.fields.get("resolution", ""):
            runtime += edges[node]
    from_manifest = _manifest_roots(source, by_descriptor)
    if from_manifest is not None:
        runtime, dev = from_manifest
    placed = place(runtime, dev, edges)
    packages = []
    for index, entry in enumerate(entries):
        name, version = _identity(entry, berry)
        if name is None or version is None:
            continue
        spot = placed.get(str(index))
        known = bool(runtime or dev)
        packages.append(
            Package(
                Ecosystem.NPM,
                name,
                version,
                source.path,
                entry.line,
                spot.scope if spot else Scope.RUNTIME,
                direct=spot.direct if spot else (False if known else None),
                path=tuple(_identity(entries[int(n)], berry)[0] or "?" for n in spot.path) if spot else (),
                # Berry's `checksum` is of Yarn's own cache zip, not the registry tarball: only classic's counts.
                digests=() if berry else unique_digests(digests_from_sri(entry.fields.get("integrity"))),
            )
        )
    return packages


def _identity(entry: _Entry, berry: bool) -> tuple[str | None, str | None]:
    version = entry.fields.get("version")
    descriptor = entry.descriptors[0] if entry.descriptors else ""
    name = descriptor[: descriptor.index("@", 1)] if "@" in descriptor[1:] else None
    if berry:
        resolution = entry.fields.get("resolution", "")
        if "@npm:" not in resolution:
            return None, None  # workspaces, patches, links and git sources are not registry packages
        name = resolution[: resolution.index("@npm:")]
    return name, version


def _manifest_roots(source: LockfileSource, by_descriptor: dict[str, int]) -> tuple[list[str], list[str]] | None:
    manifest = source.sibling("package.json")
    if manifest is None:
        return None
    document = mapping_at(manifest, manifest.json(), "$", optional=False)
    roots: dict[str, list[str]] = {"runtime": [], "dev": []}
    for group, kind in (("dependencies", "runtime"), ("optionalDependencies", "runtime"), ("devDependencies", "dev")):
        for name, spec in mapping_at(manifest, document.get(group), f"$.{group}").items():
            index = by_descriptor.get(f"{name}@{spec}")
            if index is None:
                index = by_descriptor.get(f"{name}@npm:{spec}")
            if index is not None:
                roots[kind].append(str(index))
    return roots["runtime"], roots["dev"]


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _split(text: str) -> tuple[str, str]:
    """``key value`` (classic) or ``key: value`` (berry) into its two halves, unquoted."""
    text = text.strip()
    if text.startswith('"'):
        end = text.index('"', 1)
        key, rest = text[1:end], text[end + 1 :]
    else:
        cut = min((i for i in (text.find(": "), text.find(" ")) if i != -1), default=len(text))
        key, rest = text[:cut], text[cut:]
    return key.rstrip(":"), _unquote(rest.lstrip(": ").strip())


def _entries(source: LockfileSource) -> tuple[list[_Entry], bool]:
    entries: list[_Entry] = []
    berry = False
    current: _Entry | None = None
    block: str | None = None
    for number, raw in enumerate(source.text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        text = raw.strip()
        if indent == 0:
            if not text.endswith(":"):
                raise source.error(number, f"expected an entry header ending in ':', found {text[:60]!r}")
            header = text[:-1]
            if header == "__metadata":
                berry, current = True, None
                continue
            descriptors = (
                [_unquote(part) for part in header.split(", ")]
                if header.startswith('"') or ", " in header
                else [_unquote(header)]
            )
            current = _Entry(number, [d for part in descriptors for d in part.split(", ")])
            entries.append(current)
            block = None
        elif current is None:
            continue
        elif indent == 2:
            key, value = _split(text)
            block = key if key in _DEPENDENCY_BLOCKS and not value else None
            if block is None and key not in _DEPENDENCY_BLOCKS:
                current.fields[key] = value
        elif indent >= 4 and block is not None:
            current.dependencies.append(_split(text))
    if not entries and source.text.strip() and "yarn lockfile v1" not in source.text and not berry:
        raise source.error(1, "not a yarn lockfile (no entries and no version marker)")
    return entries, berry
