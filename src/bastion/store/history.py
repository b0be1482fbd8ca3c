"""A finding's history: the finding found by a short id, and its state in every run that tracked it."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.errors import StoreError
from bastion.model import Finding, LifecycleState, RunId
from bastion.store.rows import finding_of
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow

__all__ = ["FindingHistory", "HistoryEntry", "get_finding"]

_HEX = frozenset(string.hexdigits.lower())


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """The finding's state in one run."""

    run_id: RunId
    branch: str
    started_at: datetime
    commit: str | None
    state: LifecycleState
    carried: bool = False


@dataclass(frozen=True, slots=True)
class FindingHistory:
    """A finding with its latest data and every run that tracked it, oldest first."""

    project: str
    finding: Finding
    first_seen: datetime
    last_seen: datetime
    runs: tuple[HistoryEntry, ...]


def _matching(prefix: str, project: str | None) -> Select[FindingRow, str]:
    query = (
        select(FindingRow, ProjectRow.name)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        # The range lets every backend use the fingerprint index; ``startswith`` keeps it exact under any
        # collation. Fingerprints are lower-case hex, and "g" sorts after every hex digit.
        .where(FindingRow.fingerprint >= prefix, FindingRow.fingerprint < prefix + "g")
        .where(FindingRow.fingerprint.startswith(prefix, autoescape=True))
    )
    if project is not None:
        query = query.where(ProjectRow.name == project)
    return query


def get_finding(session: Session, finding_id_prefix: str, project: str | None = None) -> FindingHistory:
    """The one finding whose fingerprint starts with the prefix (any project unless ``project`` is given)."""
    prefix = finding_id_prefix.strip().lower()
    if not prefix or not set(prefix) <= _HEX:
        raise StoreError(f"no finding with id '{finding_id_prefix}'")
    matching = _matching(prefix, project)
    count = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    if count == 0:
        raise StoreError(f"no finding with id '{finding_id_prefix}'")
    if count > 1:
        raise StoreError(f"ambiguous id '{finding_id_prefix}': matches {count} findings")
    row, project_name = session.execute(matching).one()
    entries = (
        select(RunFindingRow, RunRow)
        .join(RunRow, RunRow.id == RunFindingRow.run_id)
        .where(RunFindingRow.finding_id == row.id)
        .order_by(RunRow.started_at, RunRow.id)
    )
    return FindingHistory(
        project=project_name,
        finding=finding_of(row),
        first_seen=row.first_seen_at,
        last_seen=row.last_seen_at,
        runs=tuple(
            HistoryEntry(
                run_id=RunId(run.id),
                branch=run.branch,
                started_at=run.started_at,
                commit=run.commit,
                state=LifecycleState(state.state),
                carried=state.carried,
            )
            for state, run in session.execute(entries)
        ),
    )
