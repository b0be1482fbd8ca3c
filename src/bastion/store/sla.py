"""SLAs: how long a finding may stay open, by its risk (severity raised by exploit signals), and its due date.

Risk starts at the finding's severity. A CVE on CISA's Known Exploited Vulnerabilities list makes it
``critical`` and caps the deadline at ``kev_days`` (CISA's BOD 22-01 gives agencies two weeks); an EPSS score at
or above ``epss_threshold`` raises it one level. The clock starts when the finding was first seen and stops when
a run fixes it or triage closes it (false positive, accepted risk, mitigated, fixed); an expired accepted risk
restarts it from the original date, so the finding is usually breached at once, which is the point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from bastion.model import Severity
from bastion.model.triage import SlaStatus

__all__ = ["ExploitSignal", "Risk", "SlaPolicy", "risk_of", "sla_status"]

_RAISE = {
    Severity.INFO: Severity.LOW,
    Severity.LOW: Severity.MEDIUM,
    Severity.MEDIUM: Severity.HIGH,
    Severity.HIGH: Severity.CRITICAL,
    Severity.CRITICAL: Severity.CRITICAL,
}


class SlaPolicy(BaseModel):
    """Days to remediate per risk level (``null``: no deadline), and the exploit-signal rules; ``sla:`` in
    ``bastion.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: int | None = Field(7, ge=1, le=3650)
    high: int | None = Field(30, ge=1, le=3650)
    medium: int | None = Field(90, ge=1, le=3650)
    low: int | None = Field(180, ge=1, le=3650)
    info: int | None = Field(None, ge=1, le=3650)
    kev_days: int = Field(14, ge=1, le=3650, description="Deadline cap for a CVE on the CISA KEV list.")
    epss_threshold: float = Field(0.1, ge=0.0, le=1.0, description="EPSS score that raises the risk one level.")

    def days_for(self, level: Severity) -> int | None:
        """The deadline in days for a risk level."""
        return {
            Severity.CRITICAL: self.critical,
            Severity.HIGH: self.high,
            Severity.MEDIUM: self.medium,
            Severity.LOW: self.low,
            Severity.INFO: self.info,
        }[level]


@dataclass(frozen=True, slots=True)
class ExploitSignal:
    """What is known about exploitation of one CVE."""

    kev: bool = False
    """On CISA's Known Exploited Vulnerabilities catalogue."""
    epss: float | None = None
    """FIRST's EPSS probability of exploitation in the next 30 days."""


@dataclass(frozen=True, slots=True)
class Risk:
    """A finding's risk level, the signals behind it and its deadline in days."""

    level: Severity
    days: int | None
    kev: bool = False
    epss: float | None = None
    reasons: tuple[str, ...] = field(default=())


def risk_of(severity: Severity, signals: list[tuple[str, ExploitSignal]], policy: SlaPolicy) -> Risk:
    """The risk of a finding of ``severity`` whose CVEs have these signals."""
    level, reasons = severity, [f"severity {severity.value}"]
    kev = [cve for cve, signal in signals if signal.kev]
    scores = [signal.epss for _, signal in signals if signal.epss is not None]
    epss = max(scores) if scores else None
    if epss is not None and epss >= policy.epss_threshold:
        level = _RAISE[level]
        reasons.append(f"EPSS {epss:.3f} >= {policy.epss_threshold}")
    if kev:
        level = Severity.CRITICAL
        reasons.append(f"{', '.join(sorted(kev))} known exploited (CISA KEV)")
    days = policy.days_for(level)
    if kev:
        days = min(days, policy.kev_days) if days is not None else policy.kev_days
    return Risk(level=level, days=days, kev=bool(kev), epss=epss, reasons=tuple(reasons))


def sla_status(first_seen: datetime, risk: Risk, closed: bool, now: datetime) -> tuple[datetime | None, SlaStatus]:
    """The due date and SLA status of a finding first seen at ``first_seen``."""
    due = first_seen + timedelta(days=risk.days) if risk.days is not None else None
    if closed:
        return due, SlaStatus.CLOSED
    if due is None:
        return None, SlaStatus.NONE
    return due, SlaStatus.BREACHED if now >= due else SlaStatus.ON_TRACK
