"""Triage documents: a decision to record, and decisions and changes as recorded."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from bastion.model.triage import TriageDecision, TriageExceptionStatus, TriageState
from bastion.server.schemas.common import Strict
from bastion.store.triage import TriageChange

__all__ = ["TriageChangePublic", "TriageCreate", "TriageDecisionPublic"]


class TriageCreate(Strict):
    """A triage change to make; the actor is the caller's token."""

    state: TriageState
    reason: str = Field(min_length=1, max_length=4000, description="Why; kept in the history and audit log.")
    expires_at: AwareDatetime | None = Field(None, description="Required for accepted_risk: when it lapses.")
    approver: str | None = Field(None, min_length=1, max_length=200, description="Required for accepted_risk.")


class TriageDecisionPublic(BaseModel):
    """A recorded decision."""

    state: TriageState
    reason: str
    actor: str
    decided_at: datetime
    expires_at: datetime | None
    approver: str | None

    @classmethod
    def of(cls, decision: TriageDecision) -> TriageDecisionPublic:
        """The document for a decision."""
        return cls(
            state=decision.state,
            reason=decision.reason,
            actor=decision.actor,
            decided_at=decision.decided_at,
            expires_at=decision.expires_at,
            approver=decision.approver,
        )


class TriageChangePublic(BaseModel):
    """A change of a finding's triage state, with the policy exception it created (if any) and what became of it,
    so whoever audits an accepted risk sees whether the gate still honours it."""

    finding: str = Field(description="The finding's fingerprint.")
    project: str
    previous: TriageState
    decision: TriageDecisionPublic
    exception_id: str | None = Field(
        None,
        description="The finding-scoped policy exception (EXC-TRIAGE-<n>) this change created so the gate honours "
        "an accepted risk; null for other states, and for an acceptance ending within the day it was made.",
    )
    exception_status: TriageExceptionStatus | None = Field(
        None,
        description="That exception's status when read: active (the gate honours it; its last day is the whole "
        "UTC day before the acceptance ends), expired (past its last day), removed (by the finding's next triage "
        "change, or by hand); null when there is no exception.",
    )
    exception_removed_at: datetime | None = Field(
        None, description="When that exception was removed; null unless exception_status is removed."
    )
    exception: str | None = Field(
        None, deprecated=True, description="The same as exception_id, kept for existing clients."
    )

    @classmethod
    def of(cls, change: TriageChange) -> TriageChangePublic:
        """The document for a change."""
        return cls(
            finding=change.finding,
            project=change.project,
            previous=change.previous,
            decision=TriageDecisionPublic.of(change.decision),
            exception_id=change.exception,
            exception_status=change.exception_status,
            exception_removed_at=change.exception_removed_at,
            exception=change.exception,
        )
