"""Affected ranges: OSV's ``ECOSYSTEM`` and ``SEMVER`` event lists and explicit ``versions``, evaluated.

Events are sorted by version (``introduced: "0"`` first) and walked in order: ``introduced`` opens an affected
interval, ``fixed`` closes it before that version, ``last_affected`` closes it after, ``limit`` bounds the
whole range. ``GIT`` ranges name commits, not versions, and are ignored.
See https://ossf.github.io/osv-schema/#evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cmp_to_key

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.versions import Comparable, parse_version, same_version

__all__ = ["AffectedRange", "Event", "EventKind", "fixed_after", "is_affected"]


class EventKind(StrEnum):
    """The four OSV event kinds."""

    INTRODUCED = "introduced"
    FIXED = "fixed"
    LAST_AFFECTED = "last_affected"
    LIMIT = "limit"


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a range."""

    kind: EventKind
    """What happens at ``version``."""
    version: str
    """The version, as the advisory writes it (``0`` for "from the start")."""


@dataclass(frozen=True, slots=True)
class AffectedRange:
    """The ranges and explicit versions one advisory marks as affected for one package."""

    events: tuple[tuple[Event, ...], ...]
    """One event list per ``ECOSYSTEM``/``SEMVER`` range."""
    versions: tuple[str, ...] = ()
    """Versions listed explicitly."""


_ORDER = {EventKind.INTRODUCED: 0, EventKind.LAST_AFFECTED: 1, EventKind.FIXED: 1, EventKind.LIMIT: 2}


def _sorted(ecosystem: Ecosystem, events: Sequence[Event]) -> list[tuple[Event, Comparable | None]]:
    parsed = [(e, None if e.version == "0" else parse_version(ecosystem, e.version)) for e in events]
    usable = [(e, v) for e, v in parsed if v is not None or e.version == "0"]

    def compare(a: tuple[Event, Comparable | None], b: tuple[Event, Comparable | None]) -> int:
        if a[1] is None or b[1] is None:
            return (a[1] is not None) - (b[1] is not None)
        if a[1] < b[1]:
            return -1
        if b[1] < a[1]:
            return 1
        return _ORDER[a[0].kind] - _ORDER[b[0].kind]

    return sorted(usable, key=cmp_to_key(compare))


def _in_events(ecosystem: Ecosystem, version: Comparable, events: Sequence[Event]) -> bool:
    affected = False
    ordered = _sorted(ecosystem, events)
    for event, bound in ordered:
        if event.kind is EventKind.LIMIT and bound is not None and version >= bound:
            return False
    for event, bound in ordered:
        if event.kind is EventKind.INTRODUCED:
            if bound is None or version >= bound:
                affected = True
        elif bound is None:
            continue
        elif (event.kind is EventKind.FIXED and version >= bound) or (
            event.kind is EventKind.LAST_AFFECTED and version > bound
        ):
            affected = False
    return affected


def is_affected(ecosystem: Ecosystem, version: str, affected: AffectedRange) -> bool:
    """True when ``version`` is inside any range or equal to any listed version."""
    if any(same_version(ecosystem, version, listed) for listed in affected.versions):
        return True
    parsed = parse_version(ecosystem, version)
    if parsed is None:
        return False
    return any(_in_events(ecosystem, parsed, events) for events in affected.events)


def fixed_after(ecosystem: Ecosystem, version: str, affected: AffectedRange) -> list[str]:
    """The ``fixed`` versions above ``version`` in the ranges of ``affected``: candidates for an upgrade."""
    parsed = parse_version(ecosystem, version)
    found: list[str] = []
    for events in affected.events:
        for event in events:
            if event.kind is not EventKind.FIXED:
                continue
            bound = parse_version(ecosystem, event.version)
            if bound is not None and (parsed is None or bound > parsed) and event.version not in found:
                found.append(event.version)
    return found
