"""Recording a run: the run, its controls, and every finding's lifecycle state, written in one transaction.

The previous run of a project and branch is the latest one (by start time, then id) that started no later
than the run being recorded; the runs before it are the branch's history for ``reopened``. A finding is seen
at its run's start time: ``first_seen`` is the earliest run that observed it in the project, ``last_seen`` the
latest, and its data is that of the latest observation. Carried findings are not observations.

The steps are public so that an import, which can hold a hundred thousand findings, is recorded by the same rules
with set-based writes (``import_run.py``): ``check_times``, ``locked_project``, ``previous_open``, ``lifecycle``
(``lifecycle.transitions`` fed from the store), ``add_run`` and ``state_rows``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
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
from bastion.store.lifecycle import Observation, PreviousFinding, Transition, observe, transitions
from bastion.store.rows import control_run_row, finding_of, new_finding_row, write_finding
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow

__all__ = [
    "add_run",
    "check_times",
    "lifecycle",
    "locked_project",
    "previous_open",
    "previous_run",
    "record_run",
    "run_status",
    "seen_on_branch",
    "state_rows",
]

# Keeps ``IN (...)`` lists under every backend's bound-parameter limit (SQLite's is 32,766).
_CHUNK = 30_000
_T = TypeVar("_T")
_MODES = {mode.value: mode for mode in ControlMode}


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


def check_times(record: RunRecord) -> None:
    """``StoreError`` when a time of the run or of one of its controls has no time zone."""
    times = [("started_at", record.started_at), ("finished_at", record.finished_at)]
    times += [(f"control '{c.control}' started_at", c.started_at) for c in record.controls]
    for name, value in times:
        if value.tzinfo is None:
            raise StoreError(f"run of '{record.project}': {name} {value.isoformat()} has no time zone")


def locked_project(session: Session, name: str) -> ProjectRow:
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


def previous_run(session: Session, project_id: int, branch: str, started_at: datetime) -> int | None:
    """The id of the previous run of the project and branch: the latest that started no later than ``started_at``."""
    latest = (
        select(RunRow.id)
        .where(RunRow.project_id == project_id, RunRow.branch == branch)
        .where(RunRow.started_at <= started_at)
        .order_by(RunRow.started_at.desc(), RunRow.id.desc())
        .limit(1)
    )
    run_id: int | None = session.connection().execute(latest).scalar_one_or_none()
    return run_id


def previous_open(session: Session, project_id: int, record: RunRecord) -> list[PreviousFinding]:
    """The findings open in the previous run of the project and branch (none for the branch's first run)."""
    run_id = previous_run(session, project_id, record.branch, record.started_at)
    if run_id is None:
        return []
    query = (
        select(FindingRow.fingerprint, FindingRow.control, FindingRow.path, RunFindingRow.mode)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .where(RunFindingRow.run_id == run_id, RunFindingRow.state != LifecycleState.FIXED.value)
        .order_by(FindingRow.id)
    )
    rows = session.connection().execute(query).all()  # one fetchall: a big project has many open findings
    return [PreviousFinding(fp, control, path, _MODES[mode]) for fp, control, path, mode in rows]


def seen_on_branch(session: Session, project_id: int, record: RunRecord, finding_ids: Iterable[int]) -> set[int]:
    """Those of ``finding_ids`` in any run of the branch that started no later than ``record``."""
    seen: set[int] = set()
    for chunk in _chunks(sorted(set(finding_ids))):
        query = (
            select(RunFindingRow.finding_id)
            .join(RunRow, RunRow.id == RunFindingRow.run_id)
            .where(RunRow.project_id == project_id, RunRow.branch == record.branch)
            .where(RunRow.started_at <= record.started_at, RunFindingRow.finding_id.in_(chunk))
            .distinct()
        )
        seen.update(session.connection().execute(query).scalars().all())
    return seen


def lifecycle(
    session: Session,
    project_id: int,
    record: RunRecord,
    observed: Mapping[str, Observation],
    before: Sequence[PreviousFinding],
    ids: Mapping[str, int],
) -> list[Transition]:
    """Every finding's state in ``record``: the rules of ``lifecycle.transitions`` fed from the store.

    ``observed`` is ``observe(record.controls)``, ``before`` is ``previous_open``, ``ids`` the row ids of the
    observed findings the project already has. The branch's history is only asked about observed findings
    that were not open before, the only ones it can change (``reopened`` rather than ``new``).
    """
    open_before = {previous.fingerprint for previous in before}
    candidates = {ids[fp]: fp for fp in observed if fp in ids and fp not in open_before}
    seen = seen_on_branch(session, project_id, record, candidates) if candidates else set()
    return transitions(observed, before, {candidates[row_id] for row_id in seen}, record.controls)


def add_run(session: Session, project_id: int, record: RunRecord) -> RunId:
    """Insert the run and its control runs; the run's id."""
    run = RunRow(
        project_id=project_id,
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
    session.flush()
    return RunId(run.id)


def state_rows(
    run_id: int, changes: Iterable[Transition], ids: Mapping[str, int], severities: Mapping[str, str]
) -> list[dict[str, object]]:
    """The ``run_findings`` rows of ``changes``: each finding's state, with its row id and current severity."""
    return [
        {
            "run_id": run_id,
            "finding_id": ids[change.fingerprint],
            "state": change.state.value,
            "carried": change.carried,
            "mode": change.mode.value,
            "severity": severities[change.fingerprint],
        }
        for change in changes
    ]


def _finding_rows(session: Session, project: ProjectRow, fingerprints: Iterable[str]) -> dict[str, FindingRow]:
    rows: dict[str, FindingRow] = {}
    for chunk in _chunks(sorted(set(fingerprints))):
        query = select(FindingRow).where(FindingRow.project_id == project.id, FindingRow.fingerprint.in_(chunk))
        rows.update((row.fingerprint, row) for row in session.scalars(query))
    return rows


def record_run(session: Session, record: RunRecord) -> tuple[RunId, list[TrackedFinding]]:
    """Write ``record`` and the lifecycle of its findings; the caller commits."""
    check_times(record)
    observed = observe(record.controls)
    project = locked_project(session, record.project)
    before = previous_open(session, project.id, record)
    rows = _finding_rows(session, project, [*observed, *(p.fingerprint for p in before)])
    changes = lifecycle(session, project.id, record, observed, before, {fp: row.id for fp, row in rows.items()})
    run_id = add_run(session, project.id, record)

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
        ids = {fp: row.id for fp, row in rows.items()}
        severities = {fp: row.severity for fp, row in rows.items()}
        session.execute(insert(RunFindingRow), state_rows(run_id, changes, ids, severities))
    tracked = [_tracked(rows[change.fingerprint], change) for change in changes]
    tracked.sort(key=lambda item: not item.is_open)
    return run_id, tracked


def _tracked(row: FindingRow, change: Transition) -> TrackedFinding:
    return TrackedFinding(
        finding=finding_of(row),
        state=change.state,
        first_seen=row.first_seen_at,
        last_seen=row.last_seen_at,
        mode=change.mode,
        carried=change.carried,
    )
