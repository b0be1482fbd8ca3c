"""Run summaries: list_runs and latest_run, with counts and the recorded decision."""

from __future__ import annotations

from bastion.model import ControlStatus, Decision, Outcome, Reason, Severity
from bastion.store import Store

from .conftest import RunFactory


def test_list_runs_counts_controls_and_open_findings(store: Store, runs: RunFactory) -> None:
    high, low = runs.finding("H", severity=Severity.HIGH), runs.finding("L", severity=Severity.LOW)
    store.record_run(runs.record(runs.control("sast", high, low), runs.control("secrets")))
    record = runs.record(
        runs.control("sast", high),
        runs.control("secrets", status=ControlStatus.ERRORED),
        runs.control("iac", status=ControlStatus.SKIPPED),
        commit="abc123",
    )
    run_id, _ = store.record_run(record)

    newest = store.list_runs()[0]
    assert newest.id == run_id
    assert (newest.project, newest.branch, newest.commit) == ("demo", "main", "abc123")
    assert (newest.started_at, newest.finished_at) == (record.started_at, record.finished_at)
    assert newest.status is ControlStatus.ERRORED
    assert newest.controls == {
        ControlStatus.SUCCEEDED: 1,
        ControlStatus.PARTIAL: 0,
        ControlStatus.ERRORED: 1,
        ControlStatus.SKIPPED: 1,
    }
    assert newest.open_findings[Severity.HIGH] == 1
    assert newest.open_findings[Severity.LOW] == 0
    assert (newest.open_total, newest.new_findings, newest.fixed_findings) == (1, 0, 1)
    assert newest.outcome is None


def test_list_runs_is_newest_first_filtered_and_limited(store: Store, runs: RunFactory) -> None:
    ids = [store.record_run(runs.record(runs.control("sast"), project=p))[0] for p in ("a", "b", "a", "a")]
    assert [run.id for run in store.list_runs()] == ids[::-1]
    assert [run.id for run in store.list_runs(project="a")] == [ids[3], ids[2], ids[0]]
    assert [run.id for run in store.list_runs(project="a", limit=2)] == [ids[3], ids[2]]
    assert store.list_runs(project="nobody") == []


def test_latest_run_is_per_project_and_branch(store: Store, runs: RunFactory) -> None:
    main_id, _ = store.record_run(runs.record(runs.control("sast"), branch="main"))
    store.record_run(runs.record(runs.control("sast"), branch="feature"))
    store.record_run(runs.record(runs.control("sast"), branch="main", project="other"))
    latest = store.latest_run("demo", "main")
    assert latest is not None
    assert latest.id == main_id
    assert store.latest_run("demo", "release") is None
    assert store.latest_run("nobody", "main") is None


def test_recorded_decision_shows_in_summaries(store: Store, runs: RunFactory) -> None:
    run_id, _ = store.record_run(runs.record(runs.control("sast", runs.finding("A"))))
    reason = Reason("new-high-in-mandatory", Outcome.BLOCK, "1 new high finding", "sast", ("abc",))
    store.record_decision(run_id, Decision(Outcome.BLOCK, (reason,)))
    assert store.list_runs()[0].outcome is Outcome.BLOCK

    store.record_decision(run_id, Decision(Outcome.WARN))
    assert store.list_runs()[0].outcome is Outcome.WARN, "a later decision replaces the earlier one"
