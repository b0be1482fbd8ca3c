"""Triage: a person's decision about a finding (confirmed, false positive, risk accepted...), and its SLA status.

Triage is separate from the lifecycle (``new``/``existing``/``fixed``...), which scanners decide run by run; a
triage decision is made by a person, with a reason, and recorded with who and when. An accepted risk carries an
expiry and an approver; once it expires the finding counts as open again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["CLOSED_STATES", "SlaStatus", "TriageDecision", "TriageExceptionStatus", "TriageState"]


class TriageState(StrEnum):
    """Where a person's review of a finding stands."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"
    ACCEPTED_RISK = "accepted_risk"
    MITIGATED = "mitigated"
    FIXED = "fixed"


CLOSED_STATES: frozenset[TriageState] = frozenset(
    {TriageState.FALSE_POSITIVE, TriageState.ACCEPTED_RISK, TriageState.MITIGATED, TriageState.FIXED}
)
"""States that stop the SLA clock: nobody owes work on the finding while it is in one of them."""


class SlaStatus(StrEnum):
    """Whether an open finding is within its remediation deadline."""

    ON_TRACK = "on_track"
    """Open, due in the future."""
    BREACHED = "breached"
    """Open past its due date."""
    CLOSED = "closed"
    """Fixed by a run or closed by triage: no deadline applies."""
    NONE = "none"
    """Open, but its risk has no SLA (``info`` by default)."""


class TriageExceptionStatus(StrEnum):
    """Where the policy exception an accepted risk created stands now, so the triage history shows whether the
    gate still honours that acceptance."""

    ACTIVE = "active"
    """Not removed and within its expiry day (UTC): the gate lets the finding pass."""
    EXPIRED = "expired"
    """Not removed, but past its expiry day: the gate judges the finding again."""
    REMOVED = "removed"
    """Removed: by the finding's next triage change, or by hand (``bastion exception remove``)."""


@dataclass(frozen=True, slots=True)
class TriageDecision:
    """One triage change: the state a person set, why, and when."""

    state: TriageState
    reason: str
    """Why, in the person's words; never empty."""
    actor: str
    """Who made the change (the API token's subject, or the local user for the CLI)."""
    decided_at: datetime
    expires_at: datetime | None = None
    """When an accepted risk lapses; ``None`` for every other state."""
    approver: str | None = None
    """Who approved an accepted risk; ``None`` for every other state."""

    def effective_state(self, now: datetime) -> TriageState:
        """The state as of ``now``: an accepted risk past its expiry is open again."""
        if self.state is TriageState.ACCEPTED_RISK and self.expires_at is not None and self.expires_at <= now:
            return TriageState.OPEN
        return self.state
