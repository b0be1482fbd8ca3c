"""Assessment: each finding's lifecycle across branches, effective triage state, owners, risk and SLA.

A finding (one per project and fingerprint) is taken as it stands in the latest run of every branch that tracks
it: open if any branch still has it open. ``assess`` reads only the columns these need, for every matching
finding; ``complete`` then loads whole findings for the few that are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bastion.model import LifecycleState, Severity
from bastion.model.triage import CLOSED_STATES, SlaStatus, TriageState
from bastion.store.inventory import OPEN_STATES
from bastion.store.project_rules import load_rules
from bastion.store.rows import finding_of
from bastion.store.signals import signals_for
from bastion.store.sla import Risk, risk_of, sla_status
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow
from bastion.store.triage import FindingTriageRow, decision_of
from bastion.store.workitem import FindingFilter, WorkItem

__all__ = ["Assessment", "assess", "complete", "finding_query"]

_URGENCY = (LifecycleState.REOPENED, LifecycleState.NEW, LifecycleState.EXISTING, LifecycleState.FIXED)
_RANK = {state: rank for rank, state in enumerate(_URGENCY)}
_SEVERITIES = {severity.value: severity for severity in Severity}
_LIFECYCLES = {state.value: state for state in LifecycleState}
_TRIAGE_STATES = {state.value: state for state in TriageState}


@dataclass(slots=True)
class Assessment:
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


def finding_query(
    wanted: FindingFilter, fingerprint: str | None, columns: tuple[Any, ...] | None = None
) -> Select[Any]:
    """Findings in the latest run of each project and branch matching the SQL-able filters, one row per branch;
    ``columns`` replaces the default selection (``assess`` reads the default one)."""
    if columns is not None:
        return _finding_query(wanted, fingerprint, columns)
    # Statements are immutable: the default one is built once per SQL-able filter (building costs ~1 ms).
    sql_part = replace(wanted, states=None, owner=None, sla=None, limit=0, offset=0)
    return _default_finding_query(sql_part, fingerprint)


@lru_cache(maxsize=512)
def _default_finding_query(wanted: FindingFilter, fingerprint: str | None) -> Select[Any]:
    return _finding_query(wanted, fingerprint, None)


def _finding_query(wanted: FindingFilter, fingerprint: str | None, columns: tuple[Any, ...] | None) -> Select[Any]:
    latest = select(
        RunRow.id.label("run_id"),
        RunRow.branch,
        func.row_number()
        .over(partition_by=(RunRow.project_id, RunRow.branch), order_by=(RunRow.started_at.desc(), RunRow.id.desc()))
        .label("rank"),
    )
    # Ranking only the runs of the projects asked for (the window is per project, so the ranks are the same) lets
    # the database start from those runs' findings instead of every project's.
    if wanted.project is not None:
        latest = latest.where(RunRow.project_id.in_(select(ProjectRow.id).where(ProjectRow.name == wanted.project)))
    elif wanted.visible is not None:
        latest = latest.where(
            RunRow.project_id.in_(select(ProjectRow.id).where(ProjectRow.name.in_(sorted(wanted.visible))))
        )
    latest_runs = latest.subquery()
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
            latest_runs.c.branch,
        )
    )
    query = (
        query.select_from(FindingRow)
        .join(RunFindingRow, RunFindingRow.finding_id == FindingRow.id)
        .join(latest_runs, latest_runs.c.run_id == RunFindingRow.run_id)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        .outerjoin(FindingTriageRow, FindingTriageRow.finding_id == FindingRow.id)
        .where(latest_runs.c.rank == 1)
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


def assess(
    session: Session, wanted: FindingFilter, now: datetime, fingerprint: str | None, ids: list[int] | None = None
) -> list[Assessment]:
    """Every matching finding with its lifecycle, triage state, owners, risk and SLA; cheap columns only."""
    grouped: dict[int, Assessment] = {}
    query = finding_query(wanted, fingerprint)
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
            light = grouped[id_] = Assessment(
                id_,
                project,
                fp,
                _SEVERITIES[severity],
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
        light.states.append((branch, _LIFECYCLES[state]))
    if not grouped:
        return []
    rules = load_rules(session, {light.project for light in grouped.values()})
    resolvers = {project: rule_set.resolver() for project, rule_set in rules.items()}
    signals = signals_for(session, (alias for light in grouped.values() for alias in light.aliases))
    risks: dict[tuple[str, Severity, tuple[str, ...]], Risk] = {}
    owners: dict[tuple[str, str | None, str, str | None], tuple[str, ...]] = {}
    for light in grouped.values():
        states = light.states
        light.lifecycle = states[0][1] if len(states) == 1 else min((s for _, s in states), key=_RANK.__getitem__)
        t_state = light.triage_state
        expired = (
            t_state == TriageState.ACCEPTED_RISK and light.triage_expires is not None and light.triage_expires <= now
        )
        light.state = TriageState.OPEN if t_state is None or expired else _TRIAGE_STATES[t_state]
        where = (light.project, light.path, light.control, light.package)
        found = owners.get(where)
        if found is None:  # many findings share a file: resolve each place once
            found = owners[where] = resolvers[light.project].owners_at(light.path, light.control, light.package)
        light.owners = found
        cves = tuple(sorted({a.upper() for a in light.aliases if a.upper() in signals})) if signals else ()
        key = (light.project, light.severity, cves)
        risk = risks.get(key)
        if risk is None:
            risk = risks[key] = risk_of(light.severity, [(cve, signals[cve]) for cve in cves], rules[light.project].sla)
        light.risk = risk
        closed = light.lifecycle is LifecycleState.FIXED or light.state in CLOSED_STATES
        light.due, light.sla = sla_status(light.first_seen, risk, closed, now)
    return list(grouped.values())


def complete(
    session: Session, lights: list[Assessment], rows: Mapping[int, FindingRow] | None = None
) -> list[WorkItem]:
    """Whole work items for these (a page of) findings, in the same order; ``rows`` are their rows if loaded."""
    ids = [light.id for light in lights]
    if rows is None:
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
