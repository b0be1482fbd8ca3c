"""Exceptions: a time-boxed, approved acceptance of one finding or of one rule.

An exception always has an expiry (at most ``max_days`` ahead, 365 by default), a reason and an approver. It
covers a finding when its target is the finding's id (or a prefix of at least 6 hex digits) or the finding's
rule id. Once expired it stops applying, and the gate reports the findings it used to cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bastion.model import TrackedFinding
from bastion.policy.errors import PolicyError

__all__ = ["DEFAULT_MAX_DAYS", "ExceptionScope", "PolicyException", "new_exception"]

DEFAULT_MAX_DAYS = 365
_FINDING_ID = re.compile(r"^[0-9a-f]{6,64}$")


class ExceptionScope(StrEnum):
    """What an exception covers: one finding (by id) or every finding of a rule."""

    FINDING = "finding"
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class PolicyException:
    """An accepted risk: which finding or rule, why, who approved it, and until when."""

    id: str
    """A short id (``EXC-…``) for reasons and ``bastion exception remove``."""
    scope: ExceptionScope
    target: str
    """A finding id (or prefix) or a rule id."""
    reason: str
    approver: str
    expires: date
    """The last day it applies (inclusive)."""
    created: datetime

    def is_active(self, today: date) -> bool:
        """True until the end of its expiry day."""
        return today <= self.expires

    def covers(self, tracked: TrackedFinding) -> bool:
        """True when it names this finding or this finding's rule (whether active or not)."""
        finding = tracked.finding
        if self.scope is ExceptionScope.FINDING:
            return finding.fingerprint.startswith(self.target) or finding.id == self.target
        return finding.rule_id == self.target


def scope_of(target: str) -> ExceptionScope:
    """A finding id looks like hex digits; anything else is a rule id."""
    return ExceptionScope.FINDING if _FINDING_ID.match(target) else ExceptionScope.RULE


def new_exception(target: str, *, reason: str, approver: str, expires: date | None, today: date | None = None,
                  max_days: int = DEFAULT_MAX_DAYS, exception_id: str | None = None) -> PolicyException:
    """A new exception, or ``PolicyError`` with a one-line reason when it must be refused."""
    today = today or datetime.now(UTC).date()
    if not target.strip():
        raise PolicyError("an exception needs a finding id or a rule id")
    if expires is None:
        raise PolicyError(f"exception for {target}: an expiry date is required (--expires YYYY-MM-DD)")
    if expires < today:
        raise PolicyError(f"exception for {target}: expiry {expires.isoformat()} is in the past")
    if expires > today + timedelta(days=max_days):
        raise PolicyError(f"exception for {target}: expiry {expires.isoformat()} is more than {max_days} days away")
    if not reason.strip():
        raise PolicyError(f"exception for {target}: a reason is required")
    if not approver.strip():
        raise PolicyError(f"exception for {target}: an approver is required")
    created = datetime.now(UTC).replace(microsecond=0)
    return PolicyException(
        id=exception_id or f"EXC-{created.strftime('%Y%m%d%H%M%S')}-{abs(hash(target)) % 10000:04d}",
        scope=scope_of(target.strip()), target=target.strip(), reason=reason.strip(), approver=approver.strip(),
        expires=expires, created=created,
    )
