"""Run summaries: one line per run for ``bastion runs``, with control and finding counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.model import ControlStatus, LifecycleState, Outcome, RunId, Severity
from bastion.store.tables import ControlRunRow, ProjectRow, RunFindingRow, RunRow

__all__ = ["RunSummary", "latest_run", "list_runs"]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A recorded run with its counts. Finding counts use each finding's severity at that run."""

    id: RunId
    project: str
    branch: str
    commit: str | None
    started_at: datetime
    finished_at: datetime
    status: ControlStatus
    """The worst control status of the run (``errored``, ``partial`` or ``succeeded``)."""
    outcome: Outcome | None
    """The gate's verdict, or ``None`` when no decision was recorded."""
    controls: dict[ControlStatus, int] = field(default_factory=dict)
    """How many controls ended in each status (every status present, zero when none)."""
    open_findings: dict[Severity, int] = field(default_factory=dict)
    """Open findings after the run (new, existing, reopened, carried), by severity, every severity present."""
    new_findings: int = 0
    fixed_findings: int = 0

    @property
    def open_total(self) -> int:
        """All open findings after the run."""
        return sum(self.open_findings.values())


def _summaries(session: Session, query: Select[RunRow, str]) -> list[RunSummary]:
    runs = list(session.execute(query))
    ids = [run.id for run, _ in runs]
    if not ids:
        return []
    controls: dict[int, dict[ControlStatus, int]] = {i: dict.fromkeys(ControlStatus, 0) for i in ids}
    control_counts = (
        select(ControlRunRow.run_id, ControlRunRow.status, func.count())
        .where(ControlRunRow.run_id.in_(ids))
        .group_by(ControlRunRow.run_id, ControlRunRow.status)
    )
    for run_id, status, count in session.execute(control_counts):
        controls[run_id][ControlStatus(status)] = count
    open_counts: dict[int, dict[Severity, int]] = {i: dict.fromkeys(Severity, 0) for i in ids}
    new_counts = dict.fromkeys(ids, 0)
    fixed_counts = dict.fromkeys(ids, 0)
    finding_counts = (
        select(RunFindingRow.run_id, RunFindingRow.state, RunFindingRow.severity, func.count())
        .where(RunFindingRow.run_id.in_(ids))
        .group_by(RunFindingRow.run_id, RunFindingRow.state, RunFindingRow.severity)
    )
    for run_id, state, severity, count in session.execute(finding_counts):
        if state == LifecycleState.FIXED:
            fixed_counts[run_id] += count
            continue
        open_counts[run_id][Severity(severity)] += count
        if state == LifecycleState.NEW:
            new_counts[run_id] += count
    return [
        RunSummary(
            id=RunId(run.id),
            project=project,
            branch=run.branch,
            commit=run.commit,
            started_at=run.started_at,
            finished_at=run.finished_at,
            status=ControlStatus(run.status),
            outcome=Outcome(run.decision_outcome) if run.decision_outcome else None,
            controls=controls[run.id],
            open_findings=open_counts[run.id],
            new_findings=new_counts[run.id],
            fixed_findings=fixed_counts[run.id],
        )
        for run, project in runs
    ]


def _runs(project: str | None, branch: str | None = None) -> Select[RunRow, str]:
    query = select(RunRow, ProjectRow.name).join(ProjectRow, ProjectRow.id == RunRow.project_id)
    if project is not None:
        query = query.where(ProjectRow.name == project)
    if branch is not None:
        query = query.where(RunRow.branch == branch)
    return query.order_by(RunRow.started_at.desc(), RunRow.id.desc())


def list_runs(session: Session, project: str | None = None, limit: int = 20) -> list[RunSummary]:
    """The latest ``limit`` runs, newest first, of one project or all."""
    return _summaries(session, _runs(project).limit(limit))


def latest_run(session: Session, project: str, branch: str) -> RunSummary | None:
    """The newest run of a project and branch, or ``None`` if it never ran."""
    summaries: Sequence[RunSummary] = _summaries(session, _runs(project, branch).limit(1))
    return summaries[0] if summaries else None
