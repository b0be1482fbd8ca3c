"""Policy exceptions in the store: time-boxed, approved acceptances of a finding or a rule, per project.

- ``policy_exceptions``: one row per exception (its ``EXC-…`` id, project, scope, target, reason, approver, expiry
  date, creation time); a removed exception keeps its row with ``removed_at`` set, for the audit trail.

``ExceptionRegister`` maps rows to ``bastion.policy.PolicyException`` at the store's edge.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.policy.exception import ExceptionScope, PolicyException
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = ["ExceptionRegister", "PolicyExceptionRow"]


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


def _model(row: PolicyExceptionRow) -> PolicyException:
    return PolicyException(id=row.id, scope=ExceptionScope(row.scope), target=row.target, reason=row.reason,
                           approver=row.approver, expires=row.expires, created=row.created_at)


class ExceptionRegister:
    """Add, list and remove a project's exceptions."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, project: str, exception: PolicyException) -> None:
        """Record a new exception (``StoreError`` if its id exists)."""

        def write(session: Session) -> None:
            if session.get(PolicyExceptionRow, exception.id) is not None:
                raise StoreError(f"exception {exception.id} already exists")
            session.add(PolicyExceptionRow(
                id=exception.id, project=project, scope=exception.scope.value, target=exception.target,
                reason=exception.reason, approver=exception.approver, expires=exception.expires,
                created_at=exception.created, removed_at=None,
            ))

        self._store._write(write)

    def list(self, project: str | None = None) -> list[PolicyException]:
        """The exceptions not removed, of one project or all, soonest expiry first (expired ones included)."""

        def read(session: Session) -> list[PolicyException]:
            query = select(PolicyExceptionRow).where(PolicyExceptionRow.removed_at.is_(None))
            if project is not None:
                query = query.where(PolicyExceptionRow.project == project)
            rows = session.scalars(query.order_by(PolicyExceptionRow.expires, PolicyExceptionRow.id))
            return [_model(row) for row in rows]

        return self._store._read(read)

    def remove(self, exception_id: str) -> None:
        """Mark an exception removed; ``StoreError`` when there is no such (live) exception."""

        def write(session: Session) -> None:
            row = session.get(PolicyExceptionRow, exception_id)
            if row is None or row.removed_at is not None:
                raise StoreError(f"no exception {exception_id}")
            row.removed_at = datetime.now(UTC)

        self._store._write(write)
