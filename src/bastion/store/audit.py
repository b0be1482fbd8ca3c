"""The audit log: an append-only, hash-chained record of every change to findings, exceptions, tokens and policy.

Each entry's hash is SHA-256 over its content and the previous entry's hash, and entries are numbered without
gaps, so editing an entry breaks its hash, deleting one leaves a gap, and reordering breaks the chain. A one-row
``audit_head`` table holds the newest sequence number and hash; it is updated in the same transaction as the
append and locked while appending (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so
concurrent writers cannot fork the chain, and deleting the newest entries is caught too. Someone who can rewrite
the whole table and the head (after dropping the triggers that make the database refuse UPDATE and DELETE on
the log, see the migration) can forge a consistent chain: publish ``audit verify``'s head hash elsewhere to
anchor it (``--expect-head``).

Other store modules append with ``record_event(session, event)`` inside their own transaction, so a change and
its audit entry commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.store import Store
from bastion.store.tables import Base

if TYPE_CHECKING:
    from bastion.store.imports import ImportOutcome

__all__ = [
    "GENESIS",
    "AuditEntry",
    "AuditEvent",
    "AuditKind",
    "AuditLog",
    "AuditVerification",
    "import_audit",
    "lock_chain",
    "record_event",
]

GENESIS = "0" * 64
"""The previous hash of the first entry."""


class AuditKind(StrEnum):
    """What an audit entry is about."""

    FINDING = "finding"
    EXCEPTION = "exception"
    TOKEN = "token"  # noqa: S105 - a kind of audited thing, not a secret
    POLICY = "policy"
    OWNERS = "owners"
    SIGNALS = "signals"


class AuditEntryRow(Base):
    """One entry of the chain; never updated or deleted by bastion."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    project: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The newest entry's number and hash; one row (id 1), created by the migration."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """A change to record: who did what to which thing."""

    actor: str
    action: str
    """A verb phrase (``triage.set``, ``token.create``, ``token.revoke``...)."""
    kind: AuditKind
    subject: str
    """The id of the thing changed (a finding's fingerprint, a token's id...)."""
    project: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    """JSON-native values only (str, int, bool, None, lists, dicts): they are hashed in canonical JSON."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A recorded event with its place in the chain."""

    seq: int
    at: datetime
    event: AuditEvent
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """The result of walking the chain: how many entries were checked and every break found."""

    entries: int
    head: str
    """The hash of the newest entry (``GENESIS`` for an empty log)."""
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the chain is intact."""
        return not self.problems


def _hash_of(seq: int, at: datetime, event: AuditEvent, prev_hash: str) -> str:
    content = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "kind": event.kind.value,
        "subject": event.subject,
        "project": event.project,
        "detail": event.detail,
        "prev": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _entry_of(row: AuditEntryRow) -> AuditEntry:
    event = AuditEvent(row.actor, row.action, AuditKind(row.kind), row.subject, row.project, dict(row.detail))
    return AuditEntry(seq=row.seq, at=row.at, event=event, prev_hash=row.prev_hash, hash=row.hash)


def lock_chain(session: Session) -> AuditHeadRow:
    """Take the chain's lock (its head row) in the caller's writing transaction, and return the head.

    Call it first in a transaction that reads, then writes, then audits (triage): writers then run one after the
    other, so the second sees the first's committed change instead of colliding with it (on PostgreSQL, whose
    READ COMMITTED would otherwise let both read "no decision yet" and both insert one).
    """
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        raise StoreError("the audit log has no head row: the store's migration did not complete")
    return head


def record_event(session: Session, event: AuditEvent, at: datetime | None = None) -> AuditEntry:
    """Append ``event`` to the chain in the caller's transaction (which must be a writing one)."""
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        raise StoreError("the audit log has no head row: the store's migration did not complete")
    # Microseconds survive every backend, so the hash computed now equals the one recomputed on reading.
    when = (at or datetime.now(UTC)).astimezone(UTC)
    seq, prev = head.seq + 1, head.hash
    digest = _hash_of(seq, when, event, prev)
    session.add(
        AuditEntryRow(
            seq=seq,
            at=when,
            actor=event.actor,
            action=event.action,
            kind=event.kind.value,
            subject=event.subject,
            project=event.project,
            detail=event.detail,
            prev_hash=prev,
            hash=digest,
        )
    )
    head.seq, head.hash = seq, digest
    return AuditEntry(seq=seq, at=when, event=event, prev_hash=prev, hash=digest)


def import_audit(
    actor: str, project: str, fmt: str, source: str, **extra: Any
) -> Callable[[Session, ImportOutcome], None]:
    """The ``audit`` callback of ``import_report``: an ``import.record`` entry written in the import's transaction."""

    def audit(session: Session, outcome: ImportOutcome) -> None:
        findings = {
            "new": outcome.findings_new,
            "updated": outcome.findings_updated,
            "unchanged": outcome.findings_unchanged,
        }
        detail = {"format": fmt, "source": source, "findings": findings, "run_id": outcome.run_id, **extra}
        record_event(
            session,
            AuditEvent(actor, "import.record", AuditKind.FINDING, f"import:{outcome.import_id}", project, detail),
        )

    return audit


def _verify(session: Session) -> AuditVerification:
    problems: list[str] = []
    expected_seq, prev, count = 1, GENESIS, 0
    rows = session.execute(select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=1000))
    for row in rows.scalars():
        count += 1
        if row.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{row.seq - 1} are missing (deleted)")
        if row.prev_hash != prev:
            problems.append(f"entry {row.seq}: does not follow the entry before it (previous hash differs)")
        if _hash_of(row.seq, row.at, _entry_of(row).event, row.prev_hash) != row.hash:
            problems.append(f"entry {row.seq}: content does not match its hash (edited)")
        expected_seq, prev = row.seq + 1, row.hash
    head = session.get(AuditHeadRow, 1)
    if head is None:
        problems.append("the audit head is missing")
    elif head.seq != expected_seq - 1 or head.hash != prev:
        problems.append(f"the log ends at entry {expected_seq - 1} but its head says {head.seq} (entries deleted)")
    return AuditVerification(entries=count, head=prev, problems=tuple(problems))


class AuditLog:
    """Reads, appends to and verifies the audit log of a store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def append(self, event: AuditEvent) -> AuditEntry:
        """Record one event in its own transaction."""
        return self._store.write(lambda session: record_event(session, event))

    def entries(
        self,
        *,
        kind: AuditKind | None = None,
        subject: str | None = None,
        project: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Entries newest first, optionally of one kind, subject (prefix) or project."""

        def read(session: Session) -> list[AuditEntry]:
            query = select(AuditEntryRow).order_by(AuditEntryRow.seq.desc())
            if kind is not None:
                query = query.where(AuditEntryRow.kind == kind.value)
            if subject is not None:
                query = query.where(AuditEntryRow.subject.startswith(subject, autoescape=True))
            if project is not None:
                query = query.where(AuditEntryRow.project == project)
            return [_entry_of(row) for row in session.scalars(query.limit(limit).offset(offset))]

        return self._store.read(read)

    def verify(self) -> AuditVerification:
        """Walk the whole chain and report every edited, deleted or reordered entry."""
        return self._store.read(_verify)
