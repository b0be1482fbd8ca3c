"""Audit documents: entries of the chain and the result of verifying it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from bastion.store.audit import AuditEntry, AuditKind, AuditVerification

__all__ = ["AuditEntryPublic", "AuditVerificationPublic"]


class AuditEntryPublic(BaseModel):
    """One audit entry."""

    seq: int
    at: datetime
    actor: str
    action: str
    kind: AuditKind
    subject: str
    project: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryPublic:
        """The document for an entry."""
        e = entry.event
        return cls(
            seq=entry.seq,
            at=entry.at,
            actor=e.actor,
            action=e.action,
            kind=e.kind,
            subject=e.subject,
            project=e.project,
            detail=e.detail,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


class AuditVerificationPublic(BaseModel):
    """Whether the chain is intact."""

    ok: bool
    entries: int
    head: str
    problems: list[str]

    @classmethod
    def of(cls, result: AuditVerification) -> AuditVerificationPublic:
        """The document for a verification."""
        return cls(ok=result.ok, entries=result.entries, head=result.head, problems=list(result.problems))
