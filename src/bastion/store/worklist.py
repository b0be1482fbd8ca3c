"""The work list: findings as the service shows them, each with triage state, owners, risk, due date and SLA status.

A finding (one per project and fingerprint) is taken as it stands in the latest run of every branch that tracks
it: open if any branch still has it open. Filters on project, severity, control, lifecycle and text run in SQL;
those on triage state, owner and SLA status, which depend on rules and signals, run on the result before paging.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bastion.model import Finding, LifecycleState, Severity
from bastion.model.triage import CLOSED_STATES, SlaStatus, TriageDecision, TriageState
from bastion.store.inventory import OPEN_STATES
from bastion.store.lookup import resolve_finding
from bastion.store.project_rules import load_rules
from bastion.store.rows import finding_of
from bastion.store.signals import signals_for
from bastion.store.sla import Risk, risk_of, sla_status
from bastion.store.store import Store
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow
from bastion.store.triage import FindingTriageRow, decision_of

__all__ = ["FindingFilter", "FindingPage", "WorkItem", "Worklist", "owner_matches"]

_URGENCY = (LifecycleState.REOPENED, LifecycleState.NEW, LifecycleState.EXISTING, LifecycleState.FIXED)


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A finding with everything a security team acts on."""

    project: str
    finding: Finding
    lifecycle: LifecycleState
    """Open (reopened, new, existing) if any branch's latest run has it open, else fixed."""
    branches: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    state: TriageState
    """The effective triage state (an expired accepted risk reads as open)."""
    triage: TriageDecision | None
    """The latest triage decision, if any."""
    owners: tuple[str, ...]
    risk: Risk
    due_at: datetime | None
    sla: SlaStatus


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """Which findings to list; ``None`` means no restriction."""

    visible: frozenset[str] | None = None
    """The projects the caller may see."""
    project: str | None = None
    states: frozenset[TriageState] | None = None
    lifecycle: frozenset[LifecycleState] = OPEN_STATES
    severities: frozenset[Severity] | None = None
    control: str | None = None
    owner: str | None = None
    sla: frozenset[SlaStatus] | None = None
    text: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FindingPage:
    """One page of findings and how many match in all."""

    items: tuple[WorkItem, ...]
    total: int


def owner_matches(wanted: str, owners: tuple[str, ...]) -> bool:
    """True when ``wanted`` is one of ``owners``, ignoring case and a leading ``@``."""
    key = wanted.strip().lstrip("@").lower()
    return any(owner.lstrip("@").lower() == key for owner in owners)


def _query(wanted: FindingFilter, fingerprint: str | None) -> Select[FindingRow, str, str, str]:
    latest = select(
        RunRow.id.label("run_id"),
        RunRow.branch,
        func.row_number()
        .over(partition_by=(RunRow.project_id, RunRow.branch), order_by=(RunRow.started_at.desc(), RunRow.id.desc()))
        .label("rank"),
    ).subquery()
    query = (
        select(FindingRow, RunFindingRow.state, latest.c.branch, ProjectRow.name)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .join(latest, latest.c.run_id == RunFindingRow.run_id)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        .where(latest.c.rank == 1)
    )
    if wanted.visible is not None:
        query = query.where(ProjectRow.name.in_(sorted(wanted.visible)))
    if wanted.project is not None:
        query = query.where(ProjectRow.name == wanted.project)
    if fingerprint is not None:
        query = query.where(FindingRow.fingerprint == fingerprint)
    if wanted.lifecycle <= OPEN_STATES:
        query = query.where(RunFindingRow.state.in_(sorted(s.value for s in OPEN_STATES)))
    if wanted.severities is not None:
        query = query.where(FindingRow.severity.in_(sorted(s.value for s in wanted.severities)))
    if wanted.control is not None:
        query = query.where(FindingRow.control == wanted.control)
    if wanted.text:
        text = wanted.text.lower()
        columns = (FindingRow.title, FindingRow.message, FindingRow.rule_id, FindingRow.path, FindingRow.package)
        query = query.where(or_(*(func.lower(column).contains(text, autoescape=True) for column in columns)))
    return query


def _items(session: Session, wanted: FindingFilter, now: datetime, fingerprint: str | None = None) -> list[WorkItem]:
    grouped: dict[int, tuple[FindingRow, str, list[tuple[str, LifecycleState]]]] = {}
    for row, state, branch, project in session.execute(_query(wanted, fingerprint)):
        grouped.setdefault(row.id, (row, project, []))[2].append((branch, LifecycleState(state)))
    if not grouped:
        return []
    ids = sorted(grouped)
    triage: dict[int, TriageDecision] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for decision_row in session.scalars(select(FindingTriageRow).where(FindingTriageRow.finding_id.in_(chunk))):
            triage[decision_row.finding_id] = decision_of(decision_row)
    rules = load_rules(session, {project for _, project, _ in grouped.values()})
    resolvers = {project: rule_set.resolver() for project, rule_set in rules.items()}
    signals = signals_for(session, (alias for row, _, _ in grouped.values() for alias in row.aliases))
    items = []
    for finding_id, (row, project, states) in grouped.items():
        finding = finding_of(row)
        lifecycle = next(s for s in _URGENCY if any(state is s for _, state in states))
        decision = triage.get(finding_id)
        state = decision.effective_state(now) if decision else TriageState.OPEN
        policy = rules[project].sla
        found = [(alias.upper(), signals[alias.upper()]) for alias in finding.aliases if alias.upper() in signals]
        risk = risk_of(finding.severity, found, policy)
        closed = lifecycle is LifecycleState.FIXED or state in CLOSED_STATES
        due, sla = sla_status(row.first_seen_at, risk, closed, now)
        items.append(
            WorkItem(
                project=project,
                finding=finding,
                lifecycle=lifecycle,
                branches=tuple(sorted(branch for branch, _ in states)),
                first_seen=row.first_seen_at,
                last_seen=row.last_seen_at,
                state=state,
                triage=decision,
                owners=resolvers[project].owners_of(finding),
                risk=risk,
                due_at=due,
                sla=sla,
            )
        )
    return items


def _keep(item: WorkItem, wanted: FindingFilter) -> bool:
    return (
        item.lifecycle in wanted.lifecycle
        and (wanted.states is None or item.state in wanted.states)
        and (wanted.sla is None or item.sla in wanted.sla)
        and (wanted.owner is None or owner_matches(wanted.owner, item.owners))
    )


def _order(item: WorkItem) -> tuple[object, ...]:
    due = item.due_at.timestamp() if item.due_at else float("inf")
    location = item.finding.location
    return (
        -item.risk.level.rank,
        due,
        item.project,
        location.path or "",
        location.start_line or 0,
        item.finding.fingerprint,
    )


class Worklist:
    """Lists and shows findings with triage, owners and SLAs."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def page(self, wanted: FindingFilter, now: datetime | None = None) -> FindingPage:
        """The findings matching ``wanted``, most urgent first, one page of them."""
        at = now or datetime.now(UTC)

        def read(session: Session) -> FindingPage:
            matching = sorted((item for item in _items(session, wanted, at) if _keep(item, wanted)), key=_order)
            return FindingPage(tuple(matching[wanted.offset : wanted.offset + wanted.limit]), len(matching))

        return self._store._read(read)

    def get(self, finding_id: str, visible: Collection[str] | None = None, now: datetime | None = None) -> WorkItem:
        """One finding by id (or unique prefix) among the ``visible`` projects; ``FindingNotFoundError`` if none."""
        at = now or datetime.now(UTC)

        def read(session: Session) -> WorkItem:
            row, project = resolve_finding(session, finding_id, visible)
            everything = FindingFilter(project=project, lifecycle=frozenset(LifecycleState))
            found = _items(session, everything, at, row.fingerprint)
            if found:
                return found[0]
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

        return self._store._read(read)
