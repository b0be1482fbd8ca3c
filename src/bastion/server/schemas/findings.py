"""Finding documents: a finding as the service shows it, with triage, owners, risk and SLA."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bastion.model import Confidence, LifecycleState, Severity
from bastion.model.triage import SlaStatus, TriageState
from bastion.server.schemas.triage import TriageDecisionPublic
from bastion.store.worklist import FindingPage, WorkItem

__all__ = ["FindingPagePublic", "FindingPublic", "RiskPublic"]


class RiskPublic(BaseModel):
    """Why the finding has its deadline."""

    level: Severity
    days: int | None = Field(description="Days allowed from first seen; null: no deadline.")
    kev: bool = Field(description="A CVE of the finding is on CISA's KEV list.")
    epss: float | None = Field(description="The highest EPSS score of its CVEs.")
    reasons: list[str]


class FindingPublic(BaseModel):
    """A finding with everything needed to act on it."""

    id: str = Field(description="Short id: the first 12 hex digits of the fingerprint.")
    fingerprint: str
    project: str
    control: str
    tool: str
    rule_id: str
    title: str
    severity: Severity
    confidence: Confidence
    path: str | None
    start_line: int | None
    package: str | None
    cwe: list[int]
    aliases: list[str]
    message: str
    remediation: str
    help_uri: str
    lifecycle: LifecycleState
    branches: list[str]
    first_seen: datetime
    last_seen: datetime
    state: TriageState = Field(description="Effective triage state (an expired acceptance reads as open).")
    triage: TriageDecisionPublic | None
    owners: list[str]
    risk: RiskPublic
    due_at: datetime | None
    sla: SlaStatus

    @classmethod
    def of(cls, item: WorkItem) -> FindingPublic:
        """The document for a work-list item."""
        f = item.finding
        return cls(
            id=f.id,
            fingerprint=f.fingerprint,
            project=item.project,
            control=f.control,
            tool=f.tool,
            rule_id=f.rule_id,
            title=f.title,
            severity=f.severity,
            confidence=f.confidence,
            path=f.location.path,
            start_line=f.location.start_line,
            package=f.location.package,
            cwe=list(f.cwe),
            aliases=list(f.aliases),
            message=f.message,
            remediation=f.remediation,
            help_uri=f.help_uri,
            lifecycle=item.lifecycle,
            branches=list(item.branches),
            first_seen=item.first_seen,
            last_seen=item.last_seen,
            state=item.state,
            triage=TriageDecisionPublic.of(item.triage) if item.triage else None,
            owners=list(item.owners),
            risk=RiskPublic(
                level=item.risk.level,
                days=item.risk.days,
                kev=item.risk.kev,
                epss=item.risk.epss,
                reasons=list(item.risk.reasons),
            ),
            due_at=item.due_at,
            sla=item.sla,
        )


class FindingPagePublic(BaseModel):
    """A page of findings."""

    total: int = Field(description="How many findings match the filters in all.")
    limit: int
    offset: int
    items: list[FindingPublic]

    @classmethod
    def of(cls, page: FindingPage, limit: int, offset: int) -> FindingPagePublic:
        """The document for a page."""
        return cls(total=page.total, limit=limit, offset=offset, items=[FindingPublic.of(i) for i in page.items])
