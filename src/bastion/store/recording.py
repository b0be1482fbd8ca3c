"""Recording a run: the run, its controls, and every finding's lifecycle state, written in one transaction.

The previous run of a project and branch is the latest one (by start time, then id) that started no later
than the run being recorded; the runs before it are the branch's history for ``reopened``. A finding is seen
at its run's start time: ``first_seen`` is the earliest run that observed it in the project, ``last_seen`` the
latest, and its data is that of the latest observation. Carried findings are not observations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bastion.errors import StoreError
from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    LifecycleState,
    RunId,
    RunRecord,
    TrackedFinding,
)
from bastion.store.lifecycle import PreviousFinding, Transition, observe, transitions
from bastion.store.rows import control_run_row, finding_of, new_finding_row, write_finding
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow

__all__ = ["record_run", "run_status"]

# Keeps ``IN (...)`` lists under every backend's bound-parameter limit.
_CHUNK = 500
_T = TypeVar("_T")


def run_status(controls: Sequence[ControlResult]) -> ControlStatus:
    """The worst control status: ``errored``, then ``partial``, else ``succeeded``."""
    statuses = {control.status for control in controls}
    for status in (ControlStatus.ERRORED, ControlStatus.PARTIAL):
        if status in statuses:
            return status
    return ControlStatus.SUCCEEDED


def _chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _check_times(record: RunRecord) -> None:
    times = [("started_at", record.started_at), ("finished_at", record.finished_at)]
    times += [(f"control '{c.control}' started_at", c.started_at) for c in record.controls]
    for name, value in times:
        if value.tzinfo is None:
            raise StoreError(f"run of '{record.project}': {name} {value.isoformat()} has no time zone")


def _locked_project(session: Session, name: str) -> ProjectRow:
    """The project, created if new, locked (PostgreSQL) so one run per project is recorded at a time."""
    query = select(ProjectRow).where(ProjectRow.name == name).with_for_update()
    project = session.scalars(query).one_or_none()
    if project is not None:
        return project
    try:
        with session.begin_nested():
            session.add(ProjectRow(name=name, created_at=datetime.now(UTC)))
    except IntegrityError:
        pass  # Another writer created it first: read theirs.
    return session.scalars(query).one()


def _previous_run(session: Session, project: ProjectRow, record: RunRecord) -> RunRow | None:
    query = (
        select(RunRow)
        .where(RunRow.project_id == project.id, RunRow.branch == record.branch)
        .where(RunRow.started_at <= record.started_at)
        .order_by(RunRow.started_at.desc(), RunRow.id.desc())
        .limit(1)
    )
    return session.scalars(query).one_or_none()


def _previous_open(session: Session, run: RunRow | None) -> list[PreviousFinding]:
    if run is None:
        return []
    query = (
        select(FindingRow.fingerprint, FindingRow.control, FindingRow.path, RunFindingRow.mode)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .where(RunFindingRow.run_id == run.id, RunFindingRow.state != LifecycleState.FIXED.value)
        .order_by(FindingRow.id)
    )
    return [PreviousFinding(fp, control, path, ControlMode(mode)) for fp, control, path, mode in session.execute(query)]


def _finding_rows(session: Session, project: ProjectRow, fingerprints: Iterable[str]) -> dict[str, FindingRow]:
    rows: dict[str, FindingRow] = {}
    for chunk in _chunks(sorted(set(fingerprints))):
        query = select(FindingRow).where(FindingRow.project_id == project.id, FindingRow.fingerprint.in_(chunk))
        rows.update((row.fingerprint, row) for row in session.scalars(query))
    return rows


def _seen_on_branch(session: Session, project: ProjectRow, record: RunRecord, rows: Iterable[FindingRow]) -> set[str]:
    """Fingerprints of ``rows`` in any run of the branch that started no later than ``record``."""
    by_id = {row.id: row.fingerprint for row in rows}
    seen: set[str] = set()
    for chunk in _chunks(sorted(by_id)):
        query = (
            select(RunFindingRow.finding_id)
            .join(RunRow, RunRow.id == RunFindingRow.run_id)
            .where(RunRow.project_id == project.id, RunRow.branch == record.branch)
            .where(RunRow.started_at <= record.started_at, RunFindingRow.finding_id.in_(chunk))
            .distinct()
        )
        seen.update(by_id[finding_id] for finding_id in session.scalars(query))
    return seen


def record_run(session: Session, record: RunRecord) -> tuple[RunId, list[TrackedFinding]]:
    """Write ``record`` and the lifecycle of its findings; the caller commits."""
    _check_times(record)
    observed = observe(record.controls)
    project = _locked_project(session, record.project)
    previous_open = _previous_open(session, _previous_run(session, project, record))
    rows = _finding_rows(session, project, [*observed, *(p.fingerprint for p in previous_open)])
    seen_before = _seen_on_branch(session, project, record, (rows[fp] for fp in observed if fp in rows))
    changes = transitions(observed, previous_open, seen_before, record.controls)

    run = RunRow(
        project_id=project.id,
        branch=record.branch,
        commit=record.commit,
        root=record.root,
        started_at=record.started_at,
        finished_at=record.finished_at,
        status=run_status(record.controls).value,
    )
    session.add(run)
    session.flush()
    session.add_all(control_run_row(run.id, control) for control in record.controls)

    seen_at = record.started_at.astimezone(UTC)
    for fingerprint, observation in observed.items():
        row = rows.get(fingerprint)
        if row is None:
            rows[fingerprint] = row = new_finding_row(project.id, observation.finding, seen_at)
            session.add(row)
            continue
        if seen_at >= row.last_seen_at:
            write_finding(row, observation.finding)
            row.last_seen_at = seen_at
        row.first_seen_at = min(row.first_seen_at, seen_at)
    session.flush()

    if changes:
        states = [_run_finding(run.id, rows[change.fingerprint], change) for change in changes]
        session.execute(insert(RunFindingRow), states)
    tracked = [_tracked(rows[change.fingerprint], change) for change in changes]
    tracked.sort(key=lambda item: not item.is_open)
    return RunId(run.id), tracked


def _run_finding(run_id: int, row: FindingRow, change: Transition) -> dict[str, object]:
    return {
        "run_id": run_id,
        "finding_id": row.id,
        "state": change.state.value,
        "carried": change.carried,
        "mode": change.mode.value,
        "severity": row.severity,
    }


def _tracked(row: FindingRow, change: Transition) -> TrackedFinding:
    return TrackedFinding(
        finding=finding_of(row),
        state=change.state,
        first_seen=row.first_seen_at,
        last_seen=row.last_seen_at,
        mode=change.mode,
        carried=change.carried,
    )
