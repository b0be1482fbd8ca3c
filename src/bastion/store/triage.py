"""Triage records: the current decision on each finding and the full history of changes, each audited.

``finding_triage`` holds the current decision (one row per finding, none while a finding was never triaged,
which reads as ``open``); ``triage_events`` keeps every change with who, when and why. Both are written in the
same transaction as the audit entry. Whether the caller may make the change is the server's business (roles);
this module checks only that the decision is complete: a reason always, and for an accepted risk an expiry in the
future (at most ``DEFAULT_MAX_DAYS`` ahead, like a policy exception) and an approver.

An accepted risk also keeps a finding-scoped policy exception (``EXC-TRIAGE-<event id>``, same reason and
approver, lasting until the last whole day before the expiry) so that the gate honours it; the next triage change
of the finding removes it. Both are written, and audited, in the same transaction as the decision. The history
names each change's exception and what became of it (active, expired, removed), read from the exception's row,
which a removal keeps, so an auditor sees whether the gate still honours an acceptance without a schema change.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.model.exception import DEFAULT_MAX_DAYS
from bastion.model.triage import TriageDecision, TriageExceptionStatus, TriageState
from bastion.store.audit import AuditEvent, AuditKind, lock_chain, record_event
from bastion.store.exceptions import (
    PolicyExceptionRow,
    link_triage_exception,
    triage_exception_id,
    triage_exceptions,
)
from bastion.store.lookup import resolve_finding
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = ["TriageChange", "TriageError", "TriageLedger", "check_decision", "decision_of"]

_MAX_REASON = 4000


class TriageError(StoreError):
    """A triage decision is incomplete or contradictory."""


class _DecisionColumns:
    state: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    approver: Mapped[str | None] = mapped_column(String(200))


class FindingTriageRow(_DecisionColumns, Base):
    """The current triage decision on a finding."""

    __tablename__ = "finding_triage"

    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)


class TriageEventRow(_DecisionColumns, Base):
    """One change of a finding's triage state."""

    __tablename__ = "triage_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    previous_state: Mapped[str] = mapped_column(String(32))


@dataclass(frozen=True, slots=True)
class TriageChange:
    """A recorded change: the decision and the state it replaced."""

    finding: str
    """The finding's fingerprint."""
    project: str
    previous: TriageState
    decision: TriageDecision
    exception: str | None = None
    """The policy exception an accepted risk created (``None`` otherwise, and for an acceptance ending within the
    day it was made, which gets none)."""
    exception_status: TriageExceptionStatus | None = None
    """What became of that exception, as of when the change was read; ``None`` when there is none."""
    exception_removed_at: datetime | None = None
    """When that exception was removed (``exception_status`` is ``removed``); ``None`` otherwise."""


def decision_of(row: _DecisionColumns) -> TriageDecision:
    """The decision a row records."""
    return TriageDecision(
        state=TriageState(row.state),
        reason=row.reason,
        actor=row.actor,
        decided_at=row.decided_at,
        expires_at=row.expires_at,
        approver=row.approver,
    )


_NO_EXCEPTION: tuple[None, None, None] = (None, None, None)


def _exception_link(
    row: PolicyExceptionRow | None, today: date
) -> tuple[str | None, TriageExceptionStatus | None, datetime | None]:
    """A change's exception as ``TriageChange`` holds it: id, status as of ``today`` (UTC) and removal time."""
    if row is None:
        return _NO_EXCEPTION
    if row.removed_at is not None:
        status = TriageExceptionStatus.REMOVED
    else:  # the expiry day is inclusive, as in PolicyException.is_active
        status = TriageExceptionStatus.ACTIVE if today <= row.expires else TriageExceptionStatus.EXPIRED
    return row.id, status, row.removed_at


def check_decision(decision: TriageDecision, now: datetime) -> None:
    """``TriageError`` unless the decision is complete: a reason; expiry and approver exactly for accepted risks."""
    if not decision.reason.strip():
        raise TriageError("a triage change needs a reason")
    if len(decision.reason) > _MAX_REASON:
        raise TriageError(f"the reason is longer than {_MAX_REASON} characters")
    if decision.state is TriageState.ACCEPTED_RISK:
        if decision.expires_at is None or not (decision.approver or "").strip():
            raise TriageError("accepting a risk needs an expiry date and an approver")
        if decision.expires_at <= now:
            raise TriageError(f"the expiry {decision.expires_at.isoformat()} is not in the future")
        if decision.expires_at > now + timedelta(days=DEFAULT_MAX_DAYS):
            raise TriageError(f"an accepted risk lasts at most {DEFAULT_MAX_DAYS} days, like a policy exception")
    elif decision.expires_at is not None or decision.approver is not None:
        raise TriageError(f"an expiry and an approver apply only to accepted_risk, not {decision.state.value}")


class TriageLedger:
    """Sets and reads triage decisions in a store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def set(self, finding_id: str, decision: TriageDecision, projects: Collection[str] | None = None) -> TriageChange:
        """Record ``decision`` on the finding ``finding_id`` names (among ``projects``), with its audit entry."""
        check_decision(decision, datetime.now(UTC))

        def write(session: Session) -> TriageChange:
            lock_chain(session)
            finding, project = resolve_finding(session, finding_id, projects)
            current = session.get(FindingTriageRow, finding.id)
            previous = TriageState(current.state) if current is not None else TriageState.OPEN
            if current is None:
                current = FindingTriageRow(finding_id=finding.id)
                session.add(current)
            event_row = TriageEventRow(finding_id=finding.id, previous_state=previous.value)
            for target in (current, event_row):
                target.state, target.reason, target.actor = decision.state.value, decision.reason, decision.actor
                target.decided_at, target.expires_at, target.approver = (
                    decision.decided_at,
                    decision.expires_at,
                    decision.approver,
                )
                session.add(target)
            session.flush()  # the event's id names the exception an accepted risk keeps
            accepted = (
                (decision.reason, decision.approver or "", decision.expires_at)
                if decision.state is TriageState.ACCEPTED_RISK and decision.expires_at is not None
                else None
            )
            exception = link_triage_exception(
                session,
                project=project,
                fingerprint=finding.fingerprint,
                actor=decision.actor,
                decision_id=event_row.id,
                accepted=accepted,
            )
            detail = {
                "from": previous.value,
                "to": decision.state.value,
                "reason": decision.reason,
                "expires_at": decision.expires_at.isoformat() if decision.expires_at else None,
                "approver": decision.approver,
            }
            if exception is not None:
                detail["exception"] = exception
            event = AuditEvent(decision.actor, "triage.set", AuditKind.FINDING, finding.fingerprint, project, detail)
            record_event(session, event, at=decision.decided_at)
            status = TriageExceptionStatus.ACTIVE if exception is not None else None
            return TriageChange(finding.fingerprint, project, previous, decision, exception, status)

        return self._store.write(write)

    def history(
        self, finding_id: str, projects: Collection[str] | None = None, today: date | None = None
    ) -> list[TriageChange]:
        """Every triage change of the finding, oldest first, each with the exception it created (if any) and that
        exception's status as of ``today`` (default: the current UTC date, the day the gate judges by)."""
        day = today or datetime.now(UTC).date()

        def read(session: Session) -> list[TriageChange]:
            finding, project = resolve_finding(session, finding_id, projects)
            rows = list(
                session.scalars(
                    select(TriageEventRow).where(TriageEventRow.finding_id == finding.id).order_by(TriageEventRow.id)
                )
            )
            accepted = [row.id for row in rows if row.state == TriageState.ACCEPTED_RISK.value]
            linked = triage_exceptions(session, project=project, fingerprint=finding.fingerprint, decision_ids=accepted)
            return [
                TriageChange(
                    finding.fingerprint,
                    project,
                    TriageState(row.previous_state),
                    decision_of(row),
                    *_exception_link(linked.get(triage_exception_id(row.id)), day),
                )
                for row in rows
            ]

        return self._store.read(read)
