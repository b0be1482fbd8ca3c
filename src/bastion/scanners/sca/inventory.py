"""The inventory: every package found in a tree's manifests, lockfiles and installed environments.

Each file is parsed on its own; a file that cannot be parsed is reported (file and line or JSON path) and the
others still count. npm packages without a licence in their lockfile get the one in
``node_modules/<name>/package.json`` when the tree has it installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.errors import LockfileError
from bastion.scanners.sca.licences import normalise_licence
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers import LockfileSource, parser_for

__all__ = ["Inventory", "files_under", "read_inventory"]

_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", "target"}


@dataclass(frozen=True, slots=True)
class Inventory:
    """Packages found and files that could not be read."""

    packages: tuple[Package, ...]
    """Every package, once per (file, name, version)."""
    errors: tuple[LockfileError, ...]
    """Files that could not be parsed."""
    manifests: tuple[str, ...]
    """Files that were parsed."""


def files_under(path: Path) -> tuple[Path, list[str]]:
    """The root and the relative paths of candidate files under ``path`` (a file or a folder).

    Virtual environments are entered only when ``path`` is inside one or is a ``site-packages`` folder, so a
    repository scan reads its lockfiles, not the environment built from them.
    """
    if path.is_file():
        return path.parent, [path.name]
    in_env = "site-packages" in path.parts or (path / "pyvenv.cfg").exists() or path.name == "site-packages"
    found = []
    for directory, dirs, names in os.walk(path):
        dirs[:] = sorted(
            d for d in dirs if d not in _SKIPPED_DIRS and (in_env or not (Path(directory, d) / "pyvenv.cfg").exists())
        )
        relative = Path(directory).relative_to(path)
        for name in sorted(names):
            candidate = (relative / name).as_posix()
            if parser_for(candidate) is not None:
                found.append(candidate)
    return path, found


def read_inventory(root: Path, files: Sequence[str]) -> Inventory:
    """Parse every recognised file among ``files`` (relative to ``root``)."""
    packages: dict[tuple[str, str, str, str], Package] = {}
    errors: list[LockfileError] = []
    parsed: list[str] = []
    for path in files:
        parser = parser_for(path)
        if parser is None:
            continue
        try:
            found = parser(LockfileSource.read(root, path))
        except LockfileError as err:
            errors.append(err)
            continue
        except RecursionError as err:
            errors.append(LockfileError(path, None, f"nested too deeply to read: {err}"))
            continue
        parsed.append(path)
        for package in _with_installed_licences(root, path, found):
            packages.setdefault((package.source, package.ecosystem.value, package.key, package.version), package)
    return Inventory(tuple(packages.values()), tuple(errors), tuple(parsed))


def _with_installed_licences(root: Path, lockfile: str, packages: Iterable[Package]) -> Iterable[Package]:
    modules = (root / lockfile).parent / "node_modules"
    if not modules.is_dir():
        yield from packages
        return
    for package in packages:
        if package.ecosystem is Ecosystem.NPM and package.licence is None:
            licence = _installed_licence(modules / package.name / "package.json")
            if licence:
                package = replace(package, licence=licence)
        yield package


def _installed_licence(manifest: Path) -> str | None:
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = document.get("license") if isinstance(document, dict) else None
    if isinstance(value, dict):
        value = value.get("type")
    return normalise_licence(value) if isinstance(value, str) else None
