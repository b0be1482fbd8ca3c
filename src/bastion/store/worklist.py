"""The work list: findings as the service lists them, most severe and oldest first, one page at a time.

Filters on project, severity, control, lifecycle and text run in SQL, and then so does paging: only the page's
findings are assessed (``assessment.py``). The owner, SLA-status and triage-state filters depend on rules,
signals and the clock, so with one of them every matching finding is assessed in Python before paging.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Subquery, case, func, select
from sqlalchemy.orm import Session

from bastion.model import LifecycleState, Severity
from bastion.model.triage import TriageState
from bastion.store.assessment import Assessment, assess, complete, finding_query
from bastion.store.inventory import OPEN_STATES
from bastion.store.lookup import resolve_finding
from bastion.store.project_rules import load_rules
from bastion.store.rows import finding_of
from bastion.store.sla import risk_of, sla_status
from bastion.store.store import Store
from bastion.store.tables import FindingRow, ProjectRow
from bastion.store.triage import FindingTriageRow, decision_of
from bastion.store.workitem import FindingFilter, FindingPage, WorkItem, owner_matches

__all__ = ["FindingFilter", "FindingPage", "WorkItem", "Worklist", "owner_matches"]


def _keep(light: Assessment, wanted: FindingFilter) -> bool:
    return (
        light.lifecycle in wanted.lifecycle
        and (wanted.states is None or light.state in wanted.states)
        and (wanted.sla is None or light.sla in wanted.sla)
        and (wanted.owner is None or owner_matches(wanted.owner, light.owners))
    )


def _order(light: Assessment) -> tuple[object, ...]:
    return (-light.severity.rank, light.first_seen, light.project, light.path or "", light.line or 0, light.fingerprint)


_SEVERITY_RANK = case({severity.value: severity.rank for severity in Severity}, value=FindingRow.severity)


@lru_cache(maxsize=512)
def _matching(wanted: FindingFilter) -> Subquery:
    """The ids of the findings matching the SQL-able filters; built once per filter (statements are immutable)."""
    return finding_query(wanted, None, (FindingRow.id,)).distinct().subquery()


def _sql_page(session: Session, wanted: FindingFilter, now: datetime) -> FindingPage | None:
    """The page when every filter runs in SQL (no owner, SLA or triage-state filter): paged by the database, so
    only the page's findings are assessed in Python. ``None`` when a filter needs the Python path."""
    if wanted.owner is not None or wanted.sla is not None or wanted.states is not None:
        return None
    if wanted.lifecycle != OPEN_STATES:
        return None
    matching = _matching(replace(wanted, limit=0, offset=0))
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    if total <= wanted.offset:
        return FindingPage((), total)
    # Whole rows, no window count: with LIMIT the database keeps only the page's rows while ordering.
    ordered = (
        select(FindingRow)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        .where(FindingRow.id.in_(select(matching.c.id)))
        .order_by(
            _SEVERITY_RANK.desc(),
            FindingRow.first_seen_at,
            ProjectRow.name,
            FindingRow.path,
            FindingRow.start_line,
            FindingRow.fingerprint,
        )
        .limit(wanted.limit)
        .offset(wanted.offset)
    )
    rows = {row.id: row for row in session.scalars(ordered)}
    lights = sorted(assess(session, wanted, now, None, list(rows)), key=_order)
    return FindingPage(tuple(complete(session, lights, rows)), total)


class Worklist:
    """Lists and shows findings with triage, owners and SLAs."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def page(self, wanted: FindingFilter, now: datetime | None = None) -> FindingPage:
        """The findings matching ``wanted``, worst severity first and oldest first within it; one page."""
        at = now or datetime.now(UTC)

        def read(session: Session) -> FindingPage:
            paged = _sql_page(session, wanted, at)
            if paged is not None:
                return paged
            matching = sorted(
                (light for light in assess(session, wanted, at, None) if _keep(light, wanted)), key=_order
            )
            page = matching[wanted.offset : wanted.offset + wanted.limit]
            return FindingPage(tuple(complete(session, page)), len(matching))

        return self._store.read(read)

    def get(self, finding_id: str, visible: Collection[str] | None = None, now: datetime | None = None) -> WorkItem:
        """One finding by id (or unique prefix) among the ``visible`` projects; ``FindingNotFoundError`` if none."""
        at = now or datetime.now(UTC)

        def read(session: Session) -> WorkItem:
            row, project = resolve_finding(session, finding_id, visible)
            everything = FindingFilter(project=project, lifecycle=frozenset(LifecycleState))
            found = assess(session, everything, at, row.fingerprint)
            if found:
                return complete(session, found, {row.id: row})[0]
            # Fixed in a run that is no longer the latest of its branch: it appears in no latest run.
            rules = load_rules(session, {project})[project]
            finding = finding_of(row)
            risk = risk_of(finding.severity, [], rules.sla)
            due, sla = sla_status(row.first_seen_at, risk, True, at)
            triage = session.get(FindingTriageRow, row.id)
            decision = decision_of(triage) if triage else None
            return WorkItem(
                project,
                finding,
                LifecycleState.FIXED,
                (),
                row.first_seen_at,
                row.last_seen_at,
                decision.effective_state(at) if decision else TriageState.OPEN,
                decision,
                rules.resolver().owners_of(finding),
                risk,
                due,
                sla,
            )

        return self._store.read(read)
