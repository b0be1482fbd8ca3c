"""The store object: lazy imports, closing, decisions, and concurrent writers."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from bastion.errors import StoreError
from bastion.model import Decision, LifecycleState, Outcome, RunId
from bastion.store import Store, open_store

from .conftest import RunFactory


def test_importing_the_store_does_not_import_alembic() -> None:
    code = "import sys, bastion.store; print(any(m.split('.')[0] == 'alembic' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_store_is_a_context_manager(sqlite_url: str, tmp_path: Path) -> None:
    with open_store(sqlite_url, tmp_path) as store:
        assert store.list_runs() == []
    assert store.url == sqlite_url


def test_decision_for_an_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match=r"^no run with id 42$"):
        store.record_decision(RunId(42), Decision(Outcome.PASS))


def expected_history(observed: list[bool]) -> list[LifecycleState | None]:
    """A's state in each run of a branch recorded one after another, ``None`` where it is not tracked."""
    states: list[LifecycleState | None] = []
    is_open = seen = False
    for present in observed:
        if present:
            states.append(
                LifecycleState.EXISTING if is_open else LifecycleState.REOPENED if seen else LifecycleState.NEW
            )
        else:
            states.append(LifecycleState.FIXED if is_open else None)
        is_open, seen = present, seen or present
    return states


def test_concurrent_writers_are_serialised(store_url: str, tmp_path: Path, runs: RunFactory) -> None:
    """Runs recorded at once from several connections each see the one committed before them."""
    a = runs.finding("A")
    # One start time for all, so that the run recorded (and numbered) last is the previous run of the next.
    present = runs.record(runs.control("sast", a))
    absent = runs.record(runs.control("sast"))
    records = [replace(present if n % 3 else absent, started_at=present.started_at) for n in range(24)]
    stores = [open_store(store_url, tmp_path) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=len(stores)) as pool:
            jobs = [pool.submit(stores[n % len(stores)].record_run, r) for n, r in enumerate(records)]
            run_ids = [job.result()[0] for job in jobs]
        history = {entry.run_id: entry.state for entry in stores[0].get_finding(a.id).runs}
    finally:
        for opened in stores:
            opened.close()
    in_order = sorted(zip(run_ids, records, strict=True))
    observed = [bool(record.controls[0].findings) for _, record in in_order]
    assert [history.get(run_id) for run_id, _ in in_order] == expected_history(observed)
