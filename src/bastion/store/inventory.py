"""The inventory: findings as they stand now, each in the latest run of its project and branch."""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bastion.model import LifecycleState, Severity, TrackedFinding
from bastion.store.rows import tracked_of
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow

__all__ = ["OPEN_STATES", "list_findings"]

OPEN_STATES: frozenset[LifecycleState] = frozenset(
    {LifecycleState.NEW, LifecycleState.EXISTING, LifecycleState.REOPENED}
)
"""The states listed when none are asked for: everything still open."""

_SEVERITY_ORDER = case({severity.value: severity.rank for severity in Severity}, value=FindingRow.severity)


def list_findings(
    session: Session,
    *,
    project: str | None = None,
    branch: str | None = None,
    states: Set[LifecycleState] | None = None,
    severities: Set[Severity] | None = None,
    control: str | None = None,
    limit: int | None = None,
) -> list[TrackedFinding]:
    """Findings in the latest run of each project and branch, worst first; fixed ones only if in ``states``.

    A finding present on two branches is listed once per branch.
    """
    latest = select(
        RunRow.id.label("run_id"),
        RunRow.project_id,
        RunRow.branch,
        func.row_number()
        .over(
            partition_by=(RunRow.project_id, RunRow.branch),
            order_by=(RunRow.started_at.desc(), RunRow.id.desc()),
        )
        .label("rank"),
    )
    if project is not None:
        latest = latest.join(ProjectRow, ProjectRow.id == RunRow.project_id).where(ProjectRow.name == project)
    if branch is not None:
        latest = latest.where(RunRow.branch == branch)
    runs = latest.subquery()

    wanted = OPEN_STATES if states is None else states
    query = (
        select(FindingRow, RunFindingRow)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .join(runs, runs.c.run_id == RunFindingRow.run_id)
        .where(runs.c.rank == 1, RunFindingRow.state.in_(sorted(state.value for state in wanted)))
        .order_by(
            _SEVERITY_ORDER.desc(),
            runs.c.project_id,
            runs.c.branch,
            FindingRow.path,
            FindingRow.start_line,
            FindingRow.fingerprint,
        )
    )
    if severities is not None:
        query = query.where(FindingRow.severity.in_(sorted(severity.value for severity in severities)))
    if control is not None:
        query = query.where(FindingRow.control == control)
    if limit is not None:
        query = query.limit(limit)
    return [tracked_of(row, state) for row, state in session.execute(query)]
