"""What the webhooks have already been told: one row per notified SLA breach and per expiring exception.

``sla.breached`` and ``exception.expiring`` are found by sweeping the store (after a run, after an import, on a
schedule), so a sweep must not announce again what an earlier one did. Before publishing, a sweep *claims* each
event by inserting its row; the unique ``(event, key)`` pair makes the insert a no-op for a key already claimed,
also when two sweeps race (two server workers, a cron job and the server), so each event is published once.

Keys: a breach is ``<project>/<fingerprint>``, and its row is released when the finding is no longer breached
(fixed, closed by triage, or a deadline moved), so a later breach of the same finding is announced again. An
expiring exception is ``<exception id>@<expiry date>``: once per exception and expiry.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from sqlalchemy import Integer, String, UniqueConstraint, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.store.tables import Base

__all__ = ["NoticeRow", "claim_notices", "release_notices"]


class NoticeRow(Base):
    """An event the webhooks were sent (or that a sweep claimed to send)."""

    __tablename__ = "webhook_notices"
    __table_args__ = (UniqueConstraint("event", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    project: Mapped[str | None] = mapped_column(String(200), index=True)
    notified_at: Mapped[datetime]


def claim_notices(session: Session, event: str, keys: Iterable[tuple[str, str | None]]) -> set[str]:
    """Insert a row for each ``(key, project)`` not yet notified for ``event``; return the keys this call claimed.

    Runs in the caller's writing transaction; a key another transaction claimed first is left out (on
    PostgreSQL the insert waits for that transaction and then does nothing).
    """
    wanted = dict(keys)
    if not wanted:
        return set()
    now = datetime.now(UTC)
    rows = [{"event": event, "key": key, "project": project, "notified_at": now} for key, project in wanted.items()]
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        claimed: set[str] = set()
        for row in rows:  # one statement per key: few keys per sweep, and RETURNING is then portable
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(NoticeRow)
            statement = insert.values(row).on_conflict_do_nothing(index_elements=["event", "key"])
            claimed.update(session.scalars(statement.returning(NoticeRow.key)))
        return claimed
    known = set(session.scalars(select(NoticeRow.key).where(NoticeRow.event == event)))
    fresh = [row for row in rows if row["key"] not in known]
    session.add_all(NoticeRow(**row) for row in fresh)
    return {str(row["key"]) for row in fresh}


def release_notices(session: Session, event: str, projects: Collection[str] | None, keep: Collection[str]) -> int:
    """Forget the notices of ``event`` (in ``projects``, or all) whose key is not in ``keep``; return how many."""
    query = select(NoticeRow.id, NoticeRow.key).where(NoticeRow.event == event)
    if projects is not None:
        query = query.where(NoticeRow.project.in_(list(projects)))
    stale = [row_id for row_id, key in session.execute(query) if key not in keep]
    for start in range(0, len(stale), 500):
        session.execute(delete(NoticeRow).where(NoticeRow.id.in_(stale[start : start + 500])))
    return len(stale)
