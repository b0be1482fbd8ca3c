"""pyproject.toml as a manifest: the names of a Python project's direct runtime and development dependencies.

Read beside ``poetry.lock``, ``uv.lock`` and ``pdm.lock`` to tell direct from transitive packages; covers PEP 621
``[project]``, PEP 735 ``[dependency-groups]`` and the Poetry, PDM and uv tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bastion.scanners.sca.ecosystem import Ecosystem, normalise_name
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["direct_dependencies"]

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def direct_dependencies(lockfile: LockfileSource) -> tuple[set[str], set[str]] | None:
    """Normalised (runtime, development) direct dependency names from the sibling pyproject.toml, if any."""
    manifest = lockfile.sibling("pyproject.toml")
    if manifest is None:
        return None
    document = manifest.toml()
    project = _table(document.get("project"))
    runtime = _names(project.get("dependencies"))
    for extra in _table(project.get("optional-dependencies")).values():
        runtime |= _names(extra)
    dev: set[str] = set()
    for group in _table(document.get("dependency-groups")).values():
        dev |= _names(group)
    tool = _table(document.get("tool"))
    poetry = _table(tool.get("poetry"))
    runtime |= set(map(_key, _table(poetry.get("dependencies")))) - {"python"}
    dev |= set(map(_key, _table(poetry.get("dev-dependencies"))))
    for group in _table(poetry.get("group")).values():
        dev |= set(map(_key, _table(_table(group).get("dependencies"))))
    for group in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
        dev |= _names(group)
    dev |= _names(_table(tool.get("uv")).get("dev-dependencies"))
    return runtime, dev - runtime


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _key(name: str) -> str:
    return normalise_name(Ecosystem.PYPI, name)


def _names(requirements: Any) -> set[str]:
    if not isinstance(requirements, list):
        return set()
    found = set()
    for item in _strings(requirements):
        match = _NAME.match(item)
        if match:
            found.add(_key(match[1]))
    return found


def _strings(items: Iterable[Any]) -> Iterable[str]:
    return (item for item in items if isinstance(item, str))
