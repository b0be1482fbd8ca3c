"""Finds scanners and importers through their entry points, lazily and once."""

from __future__ import annotations

import difflib
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, TypeVar

from bastion.errors import ScannerError

if TYPE_CHECKING:  # the protocols module builds a pydantic model; ``bastion import`` never needs it
    from bastion.scanners.protocol import Importer, Scanner

__all__ = [
    "IMPORTER_GROUP",
    "SCANNER_GROUP",
    "importer_names",
    "load_importer",
    "load_scanner",
    "scanner_names",
    "suggest",
]

T = TypeVar("T")

SCANNER_GROUP = "bastion.scanners"
IMPORTER_GROUP = "bastion.importers"


@cache
def _entry_points(group: str) -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=group)}


def scanner_names() -> list[str]:
    """Names of every registered scanner, sorted."""
    return sorted(_entry_points(SCANNER_GROUP))


def importer_names() -> list[str]:
    """Names of every registered importer, sorted."""
    return sorted(_entry_points(IMPORTER_GROUP))


def suggest(name: str, known: list[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else an empty string."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@cache
def load_scanner(name: str) -> Scanner:
    """The scanner registered as ``name``; ``ScannerError`` when none is or it fails to load."""
    from bastion.scanners.protocol import Scanner

    return _load(SCANNER_GROUP, name, Scanner)  # type: ignore[type-abstract]


@cache
def load_importer(name: str) -> Importer:
    """The importer registered as ``name``; ``ScannerError`` when none is or it fails to load."""
    from bastion.scanners.protocol import Importer

    return _load(IMPORTER_GROUP, name, Importer)  # type: ignore[type-abstract]


def _load(group: str, name: str, protocol: type[T]) -> T:
    points = _entry_points(group)
    if name not in points:
        raise ScannerError(f"no {group} entry point named '{name}'{suggest(name, sorted(points))}")
    try:
        factory = points[name].load()
        instance = factory()
    except ImportError as err:
        raise ScannerError(f"'{name}' cannot be loaded: {err}", hint="install the extra that provides it") from err
    except Exception as err:  # a broken plugin must not take the run down with it
        raise ScannerError(f"'{name}' ({points[name].value}) failed to load: {type(err).__name__}: {err}") from err
    if not isinstance(instance, protocol):
        raise ScannerError(f"'{name}' ({points[name].value}) does not implement {protocol.__name__}")
    return instance
