"""The work list: findings as the service shows them, each with triage state, owners, risk, due date and SLA status.

A finding (one per project and fingerprint) is taken as it stands in the latest run of every branch that tracks
it: open if any branch still has it open. Filters on project, severity, control, lifecycle and text run in SQL;
those on triage state, owner and SLA status, which depend on rules and signals, run on the result before paging.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select
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


@dataclass(slots=True)
class _Light:
    """What filtering and ordering need, read without loading whole findings."""

    id: int
    project: str
    fingerprint: str
    severity: Severity
    first_seen: datetime
    aliases: list[str]
    path: str | None
    line: int | None
    control: str
    package: str | None
    triage_state: str | None
    triage_expires: datetime | None
    states: list[tuple[str, LifecycleState]]
    lifecycle: LifecycleState = LifecycleState.EXISTING
    state: TriageState = TriageState.OPEN
    owners: tuple[str, ...] = ()
    risk: Risk | None = None
    due: datetime | None = None
    sla: SlaStatus = SlaStatus.NONE


def _query(wanted: FindingFilter, fingerprint: str | None, columns: tuple[Any, ...] | None = None) -> Select[Any]:
    latest = select(
        RunRow.id.label("run_id"),
        RunRow.branch,
        func.row_number()
        .over(partition_by=(RunRow.project_id, RunRow.branch), order_by=(RunRow.started_at.desc(), RunRow.id.desc()))
        .label("rank"),
    ).subquery()
    f = FindingRow
    query = (
        select(*columns)
        if columns is not None
        else select(
            f.id,
            ProjectRow.name,
            f.fingerprint,
            f.severity,
            f.first_seen_at,
            f.aliases,
            f.path,
            f.start_line,
            f.control,
            f.package,
            FindingTriageRow.state,
            FindingTriageRow.expires_at,
            RunFindingRow.state,
            latest.c.branch,
        )
    )
    query = (
        query.select_from(FindingRow)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .join(latest, latest.c.run_id == RunFindingRow.run_id)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        .outerjoin(FindingTriageRow, FindingTriageRow.finding_id == FindingRow.id)
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


def _assess(
    session: Session, wanted: FindingFilter, now: datetime, fingerprint: str | None, ids: list[int] | None = None
) -> list[_Light]:
    """Every matching finding with its lifecycle, triage state, owners, risk and SLA; cheap columns only."""
    grouped: dict[int, _Light] = {}
    query = _query(wanted, fingerprint)
    if ids is not None:
        query = query.where(FindingRow.id.in_(ids))
    for row in session.execute(query):
        (
            id_,
            project,
            fp,
            severity,
            first_seen,
            aliases,
            path,
            line,
            control,
            package,
            t_state,
            t_expires,
            state,
            branch,
        ) = row
        light = grouped.get(id_)
        if light is None:
            light = grouped[id_] = _Light(
                id_,
                project,
                fp,
                Severity(severity),
                first_seen,
                aliases,
                path,
                line,
                control,
                package,
                t_state,
                t_expires,
                [],
            )
        light.states.append((branch, LifecycleState(state)))
    if not grouped:
        return []
    rules = load_rules(session, {light.project for light in grouped.values()})
    resolvers = {project: rule_set.resolver() for project, rule_set in rules.items()}
    signals = signals_for(session, (alias for light in grouped.values() for alias in light.aliases))
    risks: dict[tuple[str, Severity, tuple[str, ...]], Risk] = {}
    for light in grouped.values():
        light.lifecycle = next(s for s in _URGENCY if any(state is s for _, state in light.states))
        expired = (
            light.triage_state == TriageState.ACCEPTED_RISK
            and light.triage_expires is not None
            and (light.triage_expires <= now)
        )
        light.state = TriageState.OPEN if light.triage_state is None or expired else TriageState(light.triage_state)
        light.owners = resolvers[light.project].owners_at(light.path, light.control, light.package)
        cves = tuple(sorted({a.upper() for a in light.aliases if a.upper() in signals}))
        key = (light.project, light.severity, cves)
        if key not in risks:
            risks[key] = risk_of(light.severity, [(cve, signals[cve]) for cve in cves], rules[light.project].sla)
        light.risk = risks[key]
        closed = light.lifecycle is LifecycleState.FIXED or light.state in CLOSED_STATES
        light.due, light.sla = sla_status(light.first_seen, light.risk, closed, now)
    return list(grouped.values())


def _complete(session: Session, lights: list[_Light]) -> list[WorkItem]:
    """Whole work items for these (a page of) findings, in the same order."""
    ids = [light.id for light in lights]
    rows = {row.id: row for row in session.scalars(select(FindingRow).where(FindingRow.id.in_(ids)))}
    triage = {
        row.finding_id: decision_of(row)
        for row in session.scalars(select(FindingTriageRow).where(FindingTriageRow.finding_id.in_(ids)))
    }
    items = []
    for light in lights:
        row = rows[light.id]
        assert light.risk is not None
        items.append(
            WorkItem(
                project=light.project,
                finding=finding_of(row),
                lifecycle=light.lifecycle,
                branches=tuple(sorted(branch for branch, _ in light.states)),
                first_seen=row.first_seen_at,
                last_seen=row.last_seen_at,
                state=light.state,
                triage=triage.get(light.id),
                owners=light.owners,
                risk=light.risk,
                due_at=light.due,
                sla=light.sla,
            )
        )
    return items


def _keep(light: _Light, wanted: FindingFilter) -> bool:
    return (
        light.lifecycle in wanted.lifecycle
        and (wanted.states is None or light.state in wanted.states)
        and (wanted.sla is None or light.sla in wanted.sla)
        and (wanted.owner is None or owner_matches(wanted.owner, light.owners))
    )


def _order(light: _Light) -> tuple[object, ...]:
    return (-light.severity.rank, light.first_seen, light.project, light.path or "", light.line or 0, light.fingerprint)


_SEVERITY_RANK = case({severity.value: severity.rank for severity in Severity}, value=FindingRow.severity)


def _sql_page(session: Session, wanted: FindingFilter, now: datetime) -> FindingPage | None:
    """The page when every filter runs in SQL (no owner, SLA or triage-state filter): paged by the database, so
    only the page's findings are assessed in Python. ``None`` when a filter needs the Python path."""
    if wanted.owner is not None or wanted.sla is not None or wanted.states is not None:
        return None
    if wanted.lifecycle != OPEN_STATES:
        return None
    matching = _query(wanted, None, (FindingRow.id,)).distinct().subquery()
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    ordered = (
        select(FindingRow.id)
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
    ids = list(session.scalars(ordered))
    lights = sorted(_assess(session, wanted, now, None, ids), key=_order)
    return FindingPage(tuple(_complete(session, lights)), total)


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
                (light for light in _assess(session, wanted, at, None) if _keep(light, wanted)), key=_order
            )
            page = matching[wanted.offset : wanted.offset + wanted.limit]
            return FindingPage(tuple(_complete(session, page)), len(matching))

        return self._store._read(read)

    def get(self, finding_id: str, visible: Collection[str] | None = None, now: datetime | None = None) -> WorkItem:
        """One finding by id (or unique prefix) among the ``visible`` projects; ``FindingNotFoundError`` if none."""
        at = now or datetime.now(UTC)

        def read(session: Session) -> WorkItem:
            row, project = resolve_finding(session, finding_id, visible)
            everything = FindingFilter(project=project, lifecycle=frozenset(LifecycleState))
            found = _assess(session, everything, at, row.fingerprint)
            if found:
                return _complete(session, found)[0]
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
