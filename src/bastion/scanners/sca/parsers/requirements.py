"""pip requirements files: ``==`` pins, hashes, ``-r`` includes and pip-compile ``# via`` annotations.

Only exact pins (``==``/``===``) name a version that can be matched; ranges and unpinned names are skipped, as
are editable and URL requirements. A file whose name mentions dev, test, doc, lint or ci is a development
scope. pip-compile's ``# via`` comments tell direct (``via -r ...``) from transitive requirements and give the
path by which each came in.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

from bastion.scanners.sca.digests import Digest, digest_from_prefixed, unique_digests
from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.graph import paths_from
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_requirements"]

_DEV_WORDS = re.compile(r"(dev|test|doc|lint|ci|typing|mypy)", re.IGNORECASE)
_INCLUDE = re.compile(r"^(-r|--requirement)(\s+|=)(?P<file>\S+)")
_OPTION = re.compile(r"^-{1,2}[a-zA-Z]")
_MAX_DEPTH = 10
_HASH = re.compile(r"\s--hash[= ](\S+)")
_Pin = tuple[str, str, int, tuple[Digest, ...]]  # name, version, line, --hash digests


def parse_requirements(source: LockfileSource) -> list[Package]:
    """Every exactly pinned requirement in ``source`` and in the files it includes with ``-r``."""
    return _parse(source, depth=0, seen=set())


def _scope_of(path: str) -> Scope:
    return Scope.DEV if _DEV_WORDS.search(path) else Scope.RUNTIME


def _parse(source: LockfileSource, *, depth: int, seen: set[str]) -> list[Package]:
    if depth > _MAX_DEPTH:
        raise source.error(None, f"-r includes nested deeper than {_MAX_DEPTH}")
    seen.add(source.path)
    scope = _scope_of(source.path)
    found: list[_Pin] = []
    via: dict[str, list[str]] = {}
    included: list[Package] = []
    current: str | None = None
    in_via = False
    for number, line in _logical_lines(source.text):
        stripped = line.strip()
        if stripped.startswith("#"):
            body = stripped[1:].strip()
            if body.startswith("via"):
                in_via, body = True, body[3:].strip()
            if current is not None and in_via and body:
                via.setdefault(current, []).append("-" if body.startswith("-") else body.split()[0])
            continue
        in_via = False
        line = re.sub(r"\s+#.*$", "", stripped)
        if not line:
            continue
        include = _INCLUDE.match(line)
        if include:
            included += _include(source, include["file"], number, depth=depth, seen=seen)
            current = None
            continue
        if _OPTION.match(line) or "://" in line or line.startswith((".", "/")):
            current = None
            continue
        requirement = _requirement(source, line, number)
        pins = [spec for spec in requirement.specifier if spec.operator in ("==", "===")]
        current = normalise_name(Ecosystem.PYPI, requirement.name)
        if pins and "*" not in pins[0].version:
            hashes = unique_digests(digest_from_prefixed(h) for h in _HASH.findall(line))
            found.append((requirement.name, pins[0].version, number, hashes))
    return _packages(source, found, via, scope) + included


def _packages(source: LockfileSource, found: list[_Pin], via: dict[str, list[str]], scope: Scope) -> list[Package]:
    if not via:
        return [
            Package(Ecosystem.PYPI, n, v, source.path, line, scope, direct=None, digests=digests)
            for n, v, line, digests in found
        ]
    direct = [key for key, parents in via.items() if any(p.startswith("-") for p in parents)]
    direct += [normalise_name(Ecosystem.PYPI, n) for n, *_ in found if normalise_name(Ecosystem.PYPI, n) not in via]
    edges: dict[str, list[str]] = {}
    for child, parents in via.items():
        for parent in parents:
            if not parent.startswith("-"):
                edges.setdefault(normalise_name(Ecosystem.PYPI, parent), []).append(child)
    paths = paths_from(direct, edges)
    direct_set = set(direct)
    packages = []
    for name, version, line, digests in found:
        key = normalise_name(Ecosystem.PYPI, name)
        is_direct = key in direct_set
        path = () if is_direct else paths.get(key, ())
        packages.append(
            Package(Ecosystem.PYPI, name, version, source.path, line, scope, is_direct, path, digests=digests)
        )
    return packages


def _include(source: LockfileSource, name: str, line: int, *, depth: int, seen: set[str]) -> list[Package]:
    target = str(PurePosixPath(source.sibling_path(name)))
    if ".." in PurePosixPath(target).parts or target in seen:
        return []
    if not (source.root / target).is_file():
        raise source.error(line, f"-r {name}: no such file")
    return _parse(LockfileSource.read(source.root, target), depth=depth + 1, seen=seen)


def _requirement(source: LockfileSource, line: str, number: int) -> Requirement:
    text = _HASH.sub("", line).strip()
    try:
        return Requirement(text)
    except InvalidRequirement as err:
        raise source.error(number, f"invalid requirement: {str(err).splitlines()[0]}") from err


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with ``\\`` continuations joined, each with the number of its first physical line."""
    result: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.rstrip().endswith("\\") and not raw.lstrip().startswith("#"):
            pending += raw.rstrip()[:-1] + " "
            continue
        result.append((start, pending + raw))
        pending = ""
    if pending:
        result.append((start, pending))
    return result
