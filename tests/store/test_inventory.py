"""The inventory: list_findings as of the latest run of each project and branch, with its filters."""

from __future__ import annotations

from bastion.model import LifecycleState, Severity
from bastion.store import Store

from .conftest import RunFactory


def rules(store: Store, **filters: object) -> list[str]:
    """Rule ids listed, in order."""
    return [item.finding.rule_id for item in store.list_findings(**filters)]  # type: ignore[arg-type]


def test_lists_open_findings_of_the_latest_run_worst_first(store: Store, runs: RunFactory) -> None:
    low, crit = runs.finding("low", severity=Severity.LOW), runs.finding("crit", severity=Severity.CRITICAL)
    gone = runs.finding("gone", severity=Severity.MEDIUM)
    store.record_run(runs.record(runs.control("sast", low, gone)))
    store.record_run(runs.record(runs.control("sast", low, crit)))
    assert rules(store) == ["crit", "low"]
    listed = store.list_findings()
    assert [item.state for item in listed] == [LifecycleState.NEW, LifecycleState.EXISTING]


def test_fixed_findings_only_when_asked(store: Store, runs: RunFactory) -> None:
    a, b = runs.finding("A"), runs.finding("B")
    store.record_run(runs.record(runs.control("sast", a, b)))
    store.record_run(runs.record(runs.control("sast", a)))
    assert rules(store) == ["A"]
    assert rules(store, states={LifecycleState.FIXED}) == ["B"]
    assert sorted(rules(store, states=set(LifecycleState))) == ["A", "B"]
    assert rules(store, states={LifecycleState.NEW}) == []


def test_filters_by_project_branch_severity_and_control(store: Store, runs: RunFactory) -> None:
    high = runs.finding("high", severity=Severity.HIGH)
    info = runs.finding("info", severity=Severity.INFO)
    key = runs.finding("key", control="secrets", severity=Severity.CRITICAL)
    store.record_run(runs.record(runs.control("sast", high, info), runs.control("secrets", key)))
    store.record_run(runs.record(runs.control("sast", info), branch="feature"))
    store.record_run(runs.record(runs.control("sast", high), project="other"))

    assert rules(store, project="demo", branch="main") == ["key", "high", "info"]
    assert rules(store, project="demo", branch="feature") == ["info"]
    assert rules(store, project="other") == ["high"]
    assert rules(store, project="demo", branch="main", severities={Severity.HIGH, Severity.INFO}) == [
        "high",
        "info",
    ]
    assert rules(store, project="demo", control="secrets") == ["key"]
    assert rules(store, project="demo", branch="main", limit=2) == ["key", "high"]
    assert len(store.list_findings()) == 5, "a finding open on two branches or projects is listed for each"


def test_carried_findings_are_listed_as_open(store: Store, runs: RunFactory) -> None:
    from bastion.model import ControlStatus

    store.record_run(runs.record(runs.control("sast", runs.finding("A"))))
    store.record_run(runs.record(runs.control("sast", status=ControlStatus.ERRORED)))
    listed = store.list_findings()
    assert [(item.finding.rule_id, item.state, item.carried) for item in listed] == [
        ("A", LifecycleState.EXISTING, True)
    ]


def test_empty_store_lists_nothing(store: Store) -> None:
    assert store.list_findings() == []
