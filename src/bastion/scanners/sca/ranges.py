"""Affected ranges: OSV's ``ECOSYSTEM`` and ``SEMVER`` event lists and explicit ``versions``, evaluated.

Events are sorted by version (``introduced: "0"`` first) and walked in order: ``introduced`` opens an affected
interval, ``fixed`` closes it before that version, ``last_affected`` closes it after, ``limit`` bounds the
whole range. ``GIT`` ranges name commits, not versions, and are ignored.
See https://ossf.github.io/osv-schema/#evaluation.

A range is compiled once per ecosystem (events parsed and sorted, listed versions put in sets) and the result
kept on the range itself: the store hands out one object per distinct range, so every package checked against
it reuses the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cmp_to_key
from typing import Any

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.versions import Comparable, parse_version, same_version

__all__ = ["AffectedRange", "Event", "EventKind", "compile_range", "fixed_after", "is_affected"]


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


@dataclass(frozen=True, slots=True, eq=False)
class AffectedRange:
    """The ranges and explicit versions one advisory marks as affected for one package."""

    events: tuple[tuple[Event, ...], ...]
    """One event list per ``ECOSYSTEM``/``SEMVER`` range."""
    versions: tuple[str, ...] = ()
    """Versions listed explicitly."""
    compiled: dict[Ecosystem, _Compiled] = field(default_factory=dict, repr=False)
    """Per ecosystem, the parsed form (filled on first use)."""


# (kind, parsed bound or None for "0", the bound as written)
_Step = tuple[EventKind, "Comparable | None", str]
_ORDER = {EventKind.INTRODUCED: 0, EventKind.LAST_AFFECTED: 1, EventKind.FIXED: 1, EventKind.LIMIT: 2}


@dataclass(frozen=True, slots=True)
class _Compiled:
    ranges: tuple[tuple[_Step, ...], ...]
    spellings: frozenset[str]
    listed: frozenset[Any]


def _steps(ecosystem: Ecosystem, events: tuple[Event, ...]) -> tuple[_Step, ...]:
    parsed = [(e.kind, None if e.version == "0" else parse_version(ecosystem, e.version), e.version) for e in events]
    usable = [step for step in parsed if step[1] is not None or step[2] == "0"]

    def compare(a: _Step, b: _Step) -> int:
        if a[1] is None or b[1] is None:
            return (a[1] is not None) - (b[1] is not None)
        if a[1] < b[1]:
            return -1
        if b[1] < a[1]:
            return 1
        return _ORDER[a[0]] - _ORDER[b[0]]

    return tuple(sorted(usable, key=cmp_to_key(compare)))


def _compiled(ecosystem: Ecosystem, affected: AffectedRange) -> _Compiled:
    compiled = affected.compiled.get(ecosystem)
    if compiled is None:
        listed: set[Any] = set()
        for text in affected.versions:
            version = parse_version(ecosystem, text)
            try:
                if version is not None:
                    listed.add(version)
            except TypeError:  # an unhashable version class: the spelling still matches
                continue
        ranges = tuple(_steps(ecosystem, events) for events in affected.events)
        compiled = _Compiled(ranges, frozenset(affected.versions), frozenset(listed))
        affected.compiled[ecosystem] = compiled
    return compiled


def compile_range(ecosystem: Ecosystem, affected: AffectedRange) -> None:
    """Parse and sort ``affected`` for ``ecosystem`` now rather than on first use (for preloading)."""
    _compiled(ecosystem, affected)


def _in_steps(version: Comparable, steps: tuple[_Step, ...]) -> bool:
    affected = False
    for kind, bound, _ in steps:
        if kind is EventKind.INTRODUCED:
            if bound is None or version >= bound:
                affected = True
        elif bound is None:
            continue
        elif kind is EventKind.LIMIT and version >= bound:
            return False
        elif (kind is EventKind.FIXED and version >= bound) or (kind is EventKind.LAST_AFFECTED and version > bound):
            affected = False
    return affected


def is_affected(ecosystem: Ecosystem, version: str, affected: AffectedRange) -> bool:
    """True when ``version`` is inside any range or equal to any listed version."""
    compiled = _compiled(ecosystem, affected)
    parsed = parse_version(ecosystem, version)
    if compiled.spellings:
        if version in compiled.spellings:
            return True
        if parsed is not None:
            try:
                if parsed in compiled.listed:
                    return True
            except TypeError:
                pass
        elif any(same_version(ecosystem, version, listed) for listed in compiled.spellings):
            return True
    if parsed is None:
        return False
    return any(_in_steps(parsed, steps) for steps in compiled.ranges)


def fixed_after(ecosystem: Ecosystem, version: str, affected: AffectedRange) -> list[str]:
    """The ``fixed`` versions above ``version`` in the ranges of ``affected``: candidates for an upgrade."""
    parsed = parse_version(ecosystem, version)
    found: list[str] = []
    for steps in _compiled(ecosystem, affected).ranges:
        for kind, bound, text in steps:
            above = bound is not None and (parsed is None or bound > parsed)
            if kind is EventKind.FIXED and above and text not in found:
                found.append(text)
    return found
