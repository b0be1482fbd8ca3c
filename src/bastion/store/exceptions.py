"""Policy exceptions in the store: time-boxed, approved acceptances of a finding or a rule, per project.

- ``policy_exceptions``: one row per exception (its ``EXC-…`` id, project, scope, target, reason, approver, expiry
  date, creation time); a removed exception keeps its row with ``removed_at`` set, for the audit trail.

Adding and removing write their audit entry (``exception.add``, ``exception.remove``) in the same transaction as
the change. An ``accepted_risk`` triage decision keeps one finding-scoped exception of its own (id
``EXC-TRIAGE-…``, see ``link_triage_exception``), so the gate honours what triage decided.

``ExceptionRegister`` maps rows to ``bastion.model.exception.PolicyException`` at the store's edge.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, Index, Select, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.model.exception import ExceptionScope, PolicyException
from bastion.store.audit import AuditEvent, AuditKind, record_event
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = [
    "TRIAGE_PREFIX",
    "ExceptionRegister",
    "PolicyExceptionRow",
    "ProjectException",
    "link_triage_exception",
    "live_exceptions",
    "triage_exception_id",
    "triage_exceptions",
]

TRIAGE_PREFIX = "EXC-TRIAGE-"
"""The id prefix of exceptions kept by accepted-risk triage decisions."""


class PolicyExceptionRow(Base):
    """An exception to the policy, for one project."""

    __tablename__ = "policy_exceptions"
    __table_args__ = (Index(None, "project", "removed_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    approver: Mapped[str] = mapped_column(String(200))
    expires: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]


@dataclass(frozen=True, slots=True)
class ProjectException:
    """A live exception and the project it belongs to."""

    project: str
    exception: PolicyException


def _model(row: PolicyExceptionRow) -> PolicyException:
    return PolicyException(
        id=row.id,
        scope=ExceptionScope(row.scope),
        target=row.target,
        reason=row.reason,
        approver=row.approver,
        expires=row.expires,
        created=row.created_at,
    )


def _detail(exception: PolicyException) -> dict[str, object]:
    return {
        "scope": exception.scope.value,
        "target": exception.target,
        "approver": exception.approver,
        "expires": exception.expires.isoformat(),
        "reason": exception.reason,
    }


def _add(session: Session, project: str, exception: PolicyException, actor: str, **detail: object) -> None:
    if session.get(PolicyExceptionRow, exception.id) is not None:
        raise StoreError(f"exception {exception.id} already exists")
    session.add(
        PolicyExceptionRow(
            id=exception.id,
            project=project,
            scope=exception.scope.value,
            target=exception.target,
            reason=exception.reason,
            approver=exception.approver,
            expires=exception.expires,
            created_at=exception.created,
            removed_at=None,
        )
    )
    event = AuditEvent(
        actor, "exception.add", AuditKind.EXCEPTION, exception.id, project, {**_detail(exception), **detail}
    )
    record_event(session, event)


def _remove(session: Session, row: PolicyExceptionRow, actor: str, **detail: object) -> None:
    row.removed_at = datetime.now(UTC)
    record_event(session, AuditEvent(actor, "exception.remove", AuditKind.EXCEPTION, row.id, row.project, detail))


def live_exceptions(session: Session, project: str | None = None) -> list[ProjectException]:
    """The exceptions not removed, of one project or all, soonest expiry first (expired ones included)."""
    query = select(PolicyExceptionRow).where(PolicyExceptionRow.removed_at.is_(None))
    if project is not None:
        query = query.where(PolicyExceptionRow.project == project)
    rows = session.scalars(query.order_by(PolicyExceptionRow.expires, PolicyExceptionRow.id))
    return [ProjectException(row.project, _model(row)) for row in rows]


def last_day_before(expires_at: datetime) -> date:
    """The last whole day an accepted risk lasting until ``expires_at`` covers (UTC): an exception's expiry is
    inclusive, so the gate stops honouring it no later than triage does."""
    return expires_at.astimezone(UTC).date() - timedelta(days=1)


def triage_exception_id(decision_id: int) -> str:
    """The id of the exception the triage change ``decision_id`` keeps for an accepted risk: one place for the
    format, since the triage history finds each change's exception by it."""
    return f"{TRIAGE_PREFIX}{decision_id}"


def _triage_query(project: str, fingerprint: str) -> Select[PolicyExceptionRow]:
    return select(PolicyExceptionRow).where(
        PolicyExceptionRow.project == project,
        PolicyExceptionRow.scope == ExceptionScope.FINDING.value,
        PolicyExceptionRow.target == fingerprint,
        PolicyExceptionRow.id.startswith(TRIAGE_PREFIX, autoescape=True),
    )


def triage_exceptions(
    session: Session, *, project: str, fingerprint: str, decision_ids: Collection[int]
) -> dict[str, PolicyExceptionRow]:
    """The exceptions the triage changes ``decision_ids`` of the finding kept, removed ones included (their rows
    stay), by id: the triage history reads back what became of each acceptance's exception in one query by
    primary key, and none when no change accepted a risk."""
    if not decision_ids:
        return {}
    wanted = [triage_exception_id(decision_id) for decision_id in decision_ids]
    query = _triage_query(project, fingerprint).where(PolicyExceptionRow.id.in_(wanted))
    return {row.id: row for row in session.scalars(query)}


def link_triage_exception(
    session: Session,
    *,
    project: str,
    fingerprint: str,
    actor: str,
    decision_id: int,
    accepted: tuple[str, str, datetime] | None,
) -> str | None:
    """Keep the finding's triage exception in step with a triage change, in the caller's transaction.

    Any live exception an earlier accepted risk created for the finding is removed; when ``accepted`` (reason,
    approver, expiry) is given, a new finding-scoped one is added that lasts until the last whole day before the
    expiry. Returns the new exception's id, or ``None`` (nothing accepted, or an expiry within today: the gate
    then keeps blocking, failing closed). Each change is audited.
    """
    linked = session.scalars(_triage_query(project, fingerprint).where(PolicyExceptionRow.removed_at.is_(None)))
    for row in linked:
        _remove(session, row, actor, triage=decision_id)
    if accepted is None:
        return None
    reason, approver, expires_at = accepted
    last_day = last_day_before(expires_at)
    if last_day < datetime.now(UTC).date():
        return None
    exception = PolicyException(
        id=triage_exception_id(decision_id),
        scope=ExceptionScope.FINDING,
        target=fingerprint,
        reason=reason,
        approver=approver,
        expires=last_day,
        created=datetime.now(UTC).replace(microsecond=0),
    )
    _add(session, project, exception, actor, triage=decision_id)
    return exception.id


class ExceptionRegister:
    """Add, list and remove a project's exceptions; each change audited in its own transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, project: str, exception: PolicyException, actor: str) -> None:
        """Record a new exception and its audit entry (``StoreError`` if its id exists)."""
        self._store.write(lambda session: _add(session, project, exception, actor))

    def list(self, project: str | None = None) -> list[PolicyException]:
        """The exceptions not removed, of one project or all, soonest expiry first (expired ones included)."""
        return [found.exception for found in self._store.read(lambda session: live_exceptions(session, project))]

    def find(self, exception_id: str) -> ProjectException | None:
        """The live exception with this id, with its project; ``None`` when there is none."""

        def read(session: Session) -> ProjectException | None:
            row = session.get(PolicyExceptionRow, exception_id)
            return ProjectException(row.project, _model(row)) if row and row.removed_at is None else None

        return self._store.read(read)

    def remove(self, exception_id: str, actor: str) -> ProjectException:
        """Mark an exception removed, with its audit entry; ``StoreError`` when there is no such (live) one."""

        def write(session: Session) -> ProjectException:
            row = session.get(PolicyExceptionRow, exception_id)
            if row is None or row.removed_at is not None:
                raise StoreError(f"no exception {exception_id}")
            _remove(session, row, actor)
            return ProjectException(row.project, _model(row))

        return self._store.write(write)
