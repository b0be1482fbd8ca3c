"""Recording runs: the lifecycle of findings across runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bastion.errors import StoreError
from bastion.model import ControlMode, ControlStatus, LifecycleState, TrackedFinding
from bastion.store import Store

from .conftest import RunFactory

NEW, EXISTING, REOPENED, FIXED = (
    LifecycleState.NEW,
    LifecycleState.EXISTING,
    LifecycleState.REOPENED,
    LifecycleState.FIXED,
)


def states(tracked: list[TrackedFinding]) -> dict[str, LifecycleState]:
    """Rule id → state, for findings built by ``RunFactory.finding``."""
    by_rule = {item.finding.rule_id: item.state for item in tracked}
    assert len(by_rule) == len(tracked), "a finding is listed twice"
    return by_rule


def carried(tracked: list[TrackedFinding]) -> set[str]:
    """Rule ids of the carried findings."""
    return {item.finding.rule_id for item in tracked if item.carried}


def test_three_runs_track_new_existing_fixed_and_reopened(store: Store, runs: RunFactory) -> None:
    a, b, c = runs.finding("A"), runs.finding("B"), runs.finding("C")

    _, first = store.record_run(runs.record(runs.control("sast", a, b)))
    assert states(first) == {"A": NEW, "B": NEW}

    _, second = store.record_run(runs.record(runs.control("sast", b, c)))
    assert states(second) == {"A": FIXED, "B": EXISTING, "C": NEW}

    _, third = store.record_run(runs.record(runs.control("sast", a, c)))
    assert states(third) == {"A": REOPENED, "B": FIXED, "C": EXISTING}
    assert carried(third) == set()
    assert [item.is_open for item in third] == [True, True, False], "open findings come before fixed ones"

    _, fourth = store.record_run(runs.record(runs.control("sast", a, c)))
    assert states(fourth) == {"A": EXISTING, "C": EXISTING}, "fixed findings are reported once"


def test_errored_control_does_not_fix_its_previous_findings(store: Store, runs: RunFactory) -> None:
    a, s = runs.finding("A"), runs.finding("S", control="secrets")
    store.record_run(runs.record(runs.control("sast", a), runs.control("secrets", s)))

    _, errored = store.record_run(
        runs.record(runs.control("sast", status=ControlStatus.ERRORED), runs.control("secrets"))
    )
    assert states(errored) == {"A": EXISTING, "S": FIXED}
    assert carried(errored) == {"A"}

    _, again = store.record_run(runs.record(runs.control("sast", a), runs.control("secrets")))
    assert states(again) == {"A": EXISTING}, "a carried finding observed again is existing, not reopened"
    assert carried(again) == set()

    _, recovered = store.record_run(runs.record(runs.control("sast"), runs.control("secrets")))
    assert states(recovered) == {"A": FIXED}


def test_control_missing_from_the_run_does_not_fix_its_findings(store: Store, runs: RunFactory) -> None:
    store.record_run(runs.record(runs.control("sast", runs.finding("A"))))
    _, tracked = store.record_run(runs.record(runs.control("secrets")))
    assert states(tracked) == {"A": EXISTING}
    assert carried(tracked) == {"A"}


def test_unanalysed_file_does_not_fix_its_findings(store: Store, runs: RunFactory) -> None:
    a, b = runs.finding("A", path="broken.py"), runs.finding("B", path="fine.py")
    store.record_run(runs.record(runs.control("sast", a, b)))
    _, tracked = store.record_run(
        runs.record(runs.control("sast", status=ControlStatus.PARTIAL, unanalysed=("broken.py",)))
    )
    assert states(tracked) == {"A": EXISTING, "B": FIXED}
    assert carried(tracked) == {"A"}


def test_branches_have_independent_lifecycles(store: Store, runs: RunFactory) -> None:
    a, b = runs.finding("A"), runs.finding("B")
    store.record_run(runs.record(runs.control("sast", a), branch="main"))
    _, feature = store.record_run(runs.record(runs.control("sast", b), branch="feature"))
    assert states(feature) == {"B": NEW}, "main's A is not fixed by a run on another branch"

    _, main = store.record_run(runs.record(runs.control("sast", a, b), branch="main"))
    assert states(main) == {"A": EXISTING, "B": NEW}

    _, feature = store.record_run(runs.record(runs.control("sast"), branch="feature"))
    assert states(feature) == {"B": FIXED}
    _, feature = store.record_run(runs.record(runs.control("sast", a, b), branch="feature"))
    assert states(feature) == {"A": NEW, "B": REOPENED}


def test_projects_have_independent_lifecycles(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    store.record_run(runs.record(runs.control("sast", a), project="one"))
    _, other = store.record_run(runs.record(runs.control("sast", a), project="two"))
    assert states(other) == {"A": NEW}


def test_same_fingerprint_twice_in_a_run_counts_once(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    twin = runs.finding("A", line=40, fingerprint=a.fingerprint)
    _, tracked = store.record_run(
        runs.record(
            runs.control("sast", a, twin, mode=ControlMode.ADVISORY),
            runs.control("sast-strict", twin, mode=ControlMode.MANDATORY),
        )
    )
    assert states(tracked) == {"A": NEW}
    assert tracked[0].finding.location.start_line == 1, "the first report wins"
    assert tracked[0].mode is ControlMode.MANDATORY, "the strictest mode wins"


def test_first_and_last_seen_follow_observations(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    record1 = runs.record(runs.control("sast", a))
    record2 = runs.record(runs.control("sast", a))
    record3 = runs.record(runs.control("sast", status=ControlStatus.ERRORED))
    record4 = runs.record(runs.control("sast"))
    store.record_run(record1)
    _, second = store.record_run(record2)
    assert (second[0].first_seen, second[0].last_seen) == (record1.started_at, record2.started_at)
    _, third = store.record_run(record3)
    assert third[0].carried
    assert third[0].last_seen == record2.started_at, "carried is not observed"
    _, fourth = store.record_run(record4)
    assert (fourth[0].state, fourth[0].first_seen, fourth[0].last_seen) == (
        FIXED,
        record1.started_at,
        record2.started_at,
    )
    assert fourth[0].first_seen.tzinfo is UTC


def test_finding_keeps_latest_data(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    moved = runs.finding("A", line=99, fingerprint=a.fingerprint)
    store.record_run(runs.record(runs.control("sast", a)))
    _, tracked = store.record_run(runs.record(runs.control("sast", moved)))
    assert tracked[0].finding == moved


def test_recorded_finding_round_trips(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    _, tracked = store.record_run(runs.record(runs.control("sast", a)))
    history = store.get_finding(a.id)
    assert tracked[0].finding == a
    assert history.finding == a


def test_run_ids_increase(store: Store, runs: RunFactory) -> None:
    first, _ = store.record_run(runs.record(runs.control("sast")))
    second, _ = store.record_run(runs.record(runs.control("sast")))
    assert second > first


def test_naive_timestamps_are_refused(store: Store, runs: RunFactory) -> None:
    record = runs.record(runs.control("sast"))
    naive = type(record)(
        project=record.project,
        branch=record.branch,
        commit=None,
        started_at=datetime(2026, 1, 1, 12, 0),
        finished_at=record.finished_at,
        controls=record.controls,
    )
    with pytest.raises(StoreError, match="started_at 2026-01-01T12:00:00 has no time zone"):
        store.record_run(naive)
    assert store.list_runs() == []


def test_finding_without_fingerprint_is_refused(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A", fingerprint="")
    object.__setattr__(a, "fingerprint", "")
    with pytest.raises(StoreError, match="control 'sast': finding A has no fingerprint"):
        store.record_run(runs.record(runs.control("sast", a)))
