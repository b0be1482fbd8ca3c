"""``pnpm-lock.yaml``: pnpm's lockfile, lockfileVersion 5.x, 6.x and 9.x.

Importers (the project and its workspace packages) give the direct dependencies and their kind; ``packages``
(and, from 9.0, ``snapshots``) give the graph. Keys are ``/name/1.0.0`` (5.x), ``/name@1.0.0`` (6.x) or
``name@1.0.0`` (9.x), each possibly followed by a peer-dependency suffix.
"""

from __future__ import annotations

import re

from bastion.scanners.sca.digests import digests_from_sri, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.graph import place
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.fields import mapping_at
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_pnpm_lock"]

_PEERS = re.compile(r"\(.*\)$")
_PEERS_V5 = re.compile(r"_.*$")
_GROUPS = (("dependencies", "runtime"), ("optionalDependencies", "runtime"), ("devDependencies", "dev"))


def parse_pnpm_lock(source: LockfileSource) -> list[Package]:
    """Every registry package in a ``pnpm-lock.yaml``."""
    document = _load_yaml(source)
    document = mapping_at(source, document, "$", optional=False)
    version = str(document.get("lockfileVersion", ""))
    major = version.split(".")[0]
    if major not in {"5", "6", "7", "9"}:
        raise source.error("$.lockfileVersion", f"unsupported lockfileVersion {version!r}")
    packages = mapping_at(source, document.get("packages"), "$.packages")
    snapshots = mapping_at(source, document.get("snapshots"), "$.snapshots") if major == "9" else packages
    edges: dict[str, list[str]] = {}
    for key, raw in snapshots.items():
        entry = mapping_at(source, raw, f"$.snapshots['{key}']")
        node = _base(str(key), major)
        targets = edges.setdefault(node, [])
        for group in ("dependencies", "optionalDependencies"):
            for name, ref in mapping_at(source, entry.get(group), f"$.snapshots['{key}'].{group}").items():
                targets.append(_node(str(name), str(ref), major))
    roots: dict[str, list[str]] = {"runtime": [], "dev": []}
    importers = mapping_at(source, document.get("importers"), "$.importers") or {".": document}
    for path, raw in importers.items():
        importer = mapping_at(source, raw, f"$.importers['{path}']")
        for group, kind in _GROUPS:
            for name, ref in mapping_at(source, importer.get(group), f"$.importers['{path}'].{group}").items():
                reference = ref.get("version") if isinstance(ref, dict) else ref
                roots[kind].append(_node(str(name), str(reference), major))
    placed = place(roots["runtime"], roots["dev"], edges)
    found = []
    lines = _key_lines(source)
    for key, raw in packages.items():
        entry = mapping_at(source, raw, f"$.packages['{key}']")
        node = _base(str(key), major)
        name, version = _split_node(node)
        if not name or not version or version.startswith(("link:", "file:")):
            continue
        spot = placed.get(node)
        scope = spot.scope if spot else (Scope.DEV if entry.get("dev") else Scope.RUNTIME)
        found.append(
            Package(
                Ecosystem.NPM,
                name,
                version,
                source.path,
                lines.get(str(key)),
                scope,
                direct=spot.direct if spot else False,
                path=tuple(_split_node(p)[0] for p in spot.path) if spot else (),
                digests=unique_digests(digests_from_sri(_integrity(entry))),
            )
        )
    return found


def _integrity(entry: dict[str, object]) -> object:
    resolution = entry.get("resolution")
    return resolution.get("integrity") if isinstance(resolution, dict) else None


def _base(key: str, major: str) -> str:
    """``name@version`` without the leading slash or peer suffix, for every lockfile version."""
    key = key.lstrip("/")
    if major == "5":
        head, _, version = key.rpartition("/")
        return f"{head}@{_PEERS_V5.sub('', version)}"
    return _PEERS.sub("", key)


def _node(name: str, reference: str, major: str) -> str:
    """The node a dependency reference points at: a bare version, or an aliased ``/other/1.0.0`` path."""
    if reference.startswith("/") or ("@" in reference[1:] and not reference[0].isdigit()):
        return _base(reference, major)
    suffix = _PEERS_V5 if major == "5" else _PEERS
    return f"{name}@{suffix.sub('', reference)}"


def _split_node(node: str) -> tuple[str, str]:
    at = node.find("@", 1)
    return (node[:at], node[at + 1 :]) if at != -1 else ("", "")


def _key_lines(source: LockfileSource) -> dict[str, int]:
    """The line of every key directly under ``packages:``, found in one pass over the text."""
    lines: dict[str, int] = {}
    inside = False
    for number, raw in enumerate(source.text.splitlines(), start=1):
        if raw and not raw[0].isspace():
            inside = raw.rstrip() == "packages:"
        elif inside and raw.startswith("  ") and not raw.startswith("   ") and raw.rstrip().endswith(":"):
            lines[raw.strip()[:-1].strip("'\"")] = number
    return lines


def _load_yaml(source: LockfileSource) -> object:
    """The document, with libyaml when PyYAML is installed (twenty times faster) and ruamel.yaml otherwise."""
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return yaml.load(source.text, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            raise source.error(
                mark.line + 1 if mark else None, f"invalid YAML: {getattr(err, 'problem', err)}"
            ) from err
    except ImportError:
        pass
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe", pure=True).load(source.text)
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise source.error(mark.line + 1 if mark else None, f"invalid YAML: {getattr(err, 'problem', err)}") from err
