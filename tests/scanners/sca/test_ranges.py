"""OSV range evaluation: a table of events and versions that should and should not be affected."""

from __future__ import annotations

import pytest

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.ranges import AffectedRange, Event, EventKind, fixed_after, is_affected

INTRO, F, L, LIM = EventKind.INTRODUCED, EventKind.FIXED, EventKind.LAST_AFFECTED, EventKind.LIMIT


def affected(*events: tuple[EventKind, str], versions: tuple[str, ...] = ()) -> AffectedRange:
    return AffectedRange((tuple(Event(kind, v) for kind, v in events),), versions)


@pytest.mark.parametrize(
    ("ecosystem", "ranges", "version", "expected"),
    [
        (Ecosystem.PYPI, affected((INTRO, "0"), (F, "2.0")), "1.9", True),
        (Ecosystem.PYPI, affected((INTRO, "0"), (F, "2.0")), "2.0", False),
        (Ecosystem.PYPI, affected((INTRO, "0"), (F, "2.0")), "2.0rc1", True),
        (Ecosystem.PYPI, affected((INTRO, "0"), (F, "2.0")), "2.0.post1", False),
        (Ecosystem.PYPI, affected((INTRO, "0"), (F, "2.0")), "1!1.0", False),
        (Ecosystem.PYPI, affected((INTRO, "1.0"), (L, "1.5")), "1.5", True),
        (Ecosystem.PYPI, affected((INTRO, "1.0"), (L, "1.5")), "1.5.1", False),
        (Ecosystem.PYPI, affected((INTRO, "1.0"), (F, "1.2"), (INTRO, "2.0"), (F, "2.3")), "1.9", False),
        (Ecosystem.PYPI, affected((INTRO, "1.0"), (F, "1.2"), (INTRO, "2.0"), (F, "2.3")), "2.1", True),
        (Ecosystem.PYPI, affected((INTRO, "0"), versions=("1.0",)), "not-a-version", False),
        (Ecosystem.PYPI, affected(versions=("1.0",)), "1.0.0", True),
        (Ecosystem.PYPI, affected((INTRO, "0"), (LIM, "3.0")), "3.1", False),
        (Ecosystem.NPM, affected((INTRO, "0"), (F, "4.5.0-0")), "4.4.9", True),
        (Ecosystem.NPM, affected((INTRO, "0"), (F, "4.5.0-0")), "4.5.0-beta", False),  # "0" sorts before "beta"
        (Ecosystem.NPM, affected((INTRO, "0"), (F, "4.5.0")), "4.5.0-beta", True),
        (Ecosystem.NPM, affected((INTRO, "0"), (F, "4.5.0-0")), "4.5.0", False),
        (Ecosystem.GO, affected((INTRO, "0"), (F, "1.2.0")), "v1.1.9+incompatible", True),
        (Ecosystem.MAVEN, affected((INTRO, "2.0"), (F, "2.15.0")), "2.15.0-rc1", True),
        (Ecosystem.MAVEN, affected((INTRO, "2.0"), (F, "2.15.0")), "2.9.1", True),
        (Ecosystem.RUBYGEMS, affected((INTRO, "5.0"), (F, "5.2.4.3")), "5.2.4.10", False),
        (Ecosystem.RUBYGEMS, affected((INTRO, "5.0"), (F, "5.2.4.3")), "5.2.4.3.rc1", True),
        (Ecosystem.PACKAGIST, affected((INTRO, "2.0.0"), (F, "2.0.22")), "v2.0.21", True),
        (Ecosystem.DEBIAN, affected((INTRO, "0"), (F, "1.1.1k-1+deb11u1")), "1.1.1k-1", True),
        (Ecosystem.ALPINE, affected((INTRO, "0"), (F, "1.1.1d-r1")), "1.1.1d-r3", False),
    ],
)
def test_range_evaluation(ecosystem: Ecosystem, ranges: AffectedRange, version: str, expected: bool) -> None:
    assert is_affected(ecosystem, version, ranges) is expected


def test_fixed_after_lists_only_fixes_above_the_installed_version() -> None:
    ranges = affected((INTRO, "1.0"), (F, "1.2"), (INTRO, "2.0"), (F, "2.3"))
    assert fixed_after(Ecosystem.PYPI, "2.1", ranges) == ["2.3"]
    assert fixed_after(Ecosystem.PYPI, "1.1", ranges) == ["1.2", "2.3"]
