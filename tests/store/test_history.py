"""A finding's history: get_finding by id prefix, ambiguity, and the state in every run."""

from __future__ import annotations

import pytest

from bastion.errors import StoreError
from bastion.model import LifecycleState
from bastion.store import Store

from .conftest import RunFactory

AB1 = "ab1" + "0" * 61
AB2 = "ab2" + "0" * 61


def test_history_lists_every_run_with_its_state(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    first = runs.record(runs.control("sast", a), commit="c1")
    second = runs.record(runs.control("sast"), commit="c2")
    third = runs.record(runs.control("sast", a), commit="c3")
    ids = [store.record_run(record)[0] for record in (first, second, third)]

    history = store.get_finding(a.id)
    assert history.project == "demo"
    assert history.finding == a
    assert (history.first_seen, history.last_seen) == (first.started_at, third.started_at)
    assert [(entry.run_id, entry.commit, entry.state) for entry in history.runs] == [
        (ids[0], "c1", LifecycleState.NEW),
        (ids[1], "c2", LifecycleState.FIXED),
        (ids[2], "c3", LifecycleState.REOPENED),
    ]
    assert history.runs[0].started_at == first.started_at
    assert {entry.branch for entry in history.runs} == {"main"}


def test_any_unique_prefix_finds_the_finding(store: Store, runs: RunFactory) -> None:
    store.record_run(runs.record(runs.control("sast", runs.finding("A", fingerprint=AB1))))
    store.record_run(runs.record(runs.control("sast", runs.finding("B", fingerprint=AB2))))
    assert store.get_finding("ab1").finding.rule_id == "A"
    assert store.get_finding("AB2").finding.rule_id == "B", "ids are case-insensitive"
    assert store.get_finding(AB1).finding.rule_id == "A", "the full fingerprint works too"


def test_ambiguous_prefix_is_refused(store: Store, runs: RunFactory) -> None:
    store.record_run(
        runs.record(runs.control("sast", runs.finding("A", fingerprint=AB1), runs.finding("B", fingerprint=AB2)))
    )
    with pytest.raises(StoreError, match=r"^ambiguous id 'ab': matches 2 findings$"):
        store.get_finding("ab")


def test_same_fingerprint_in_two_projects_needs_the_project(store: Store, runs: RunFactory) -> None:
    a = runs.finding("A")
    store.record_run(runs.record(runs.control("sast", a), project="one"))
    store.record_run(runs.record(runs.control("sast", a), project="two"))
    with pytest.raises(StoreError, match="matches 2 findings"):
        store.get_finding(a.id)
    assert store.get_finding(a.id, project="two").project == "two"


@pytest.mark.parametrize("prefix", ["ffff", "", "zz", "ab%", "ab_"])
def test_unknown_or_malformed_id_is_not_found(prefix: str, store: Store, runs: RunFactory) -> None:
    store.record_run(runs.record(runs.control("sast", runs.finding("A", fingerprint=AB1))))
    with pytest.raises(StoreError, match=rf"^no finding with id '{prefix}'$"):
        store.get_finding(prefix)
