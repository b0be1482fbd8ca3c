"""Work items: a finding as the service shows it (triage state, owners, risk, due date, SLA), the filters that
select them, and a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bastion.model import Finding, LifecycleState, Severity
from bastion.model.triage import SlaStatus, TriageDecision, TriageState
from bastion.store.inventory import OPEN_STATES
from bastion.store.sla import Risk

__all__ = ["FindingFilter", "FindingPage", "WorkItem", "owner_matches"]


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A finding with everything a security team acts on."""

    project: str
    finding: Finding
    lifecycle: LifecycleState
    """Open (reopened, new, existing) if any branch's latest run has it open, else fixed."""
    branches: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    state: TriageState
    """The effective triage state (an expired accepted risk reads as open)."""
    triage: TriageDecision | None
    """The latest triage decision, if any."""
    owners: tuple[str, ...]
    risk: Risk
    due_at: datetime | None
    sla: SlaStatus


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """Which findings to list; ``None`` means no restriction."""

    visible: frozenset[str] | None = None
    """The projects the caller may see."""
    project: str | None = None
    states: frozenset[TriageState] | None = None
    lifecycle: frozenset[LifecycleState] = OPEN_STATES
    severities: frozenset[Severity] | None = None
    control: str | None = None
    owner: str | None = None
    sla: frozenset[SlaStatus] | None = None
    text: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FindingPage:
    """One page of findings and how many match in all."""

    items: tuple[WorkItem, ...]
    total: int


def owner_matches(wanted: str, owners: tuple[str, ...]) -> bool:
    """True when ``wanted`` is one of ``owners``, ignoring case and a leading ``@``."""
    key = wanted.strip().lstrip("@").lower()
    return any(owner.lstrip("@").lower() == key for owner in owners)
