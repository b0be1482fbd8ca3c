"""Triage documents: a decision to record, and decisions and changes as recorded."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from bastion.model.triage import TriageDecision, TriageState
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
    """A change of a finding's triage state."""

    finding: str = Field(description="The finding's fingerprint.")
    project: str
    previous: TriageState
    decision: TriageDecisionPublic
    exception: str | None = Field(
        None, description="The policy exception an accepted risk created, so the gate honours it (on the change)."
    )

    @classmethod
    def of(cls, change: TriageChange) -> TriageChangePublic:
        """The document for a change."""
        return cls(
            finding=change.finding,
            project=change.project,
            previous=change.previous,
            decision=TriageDecisionPublic.of(change.decision),
            exception=change.exception,
        )
