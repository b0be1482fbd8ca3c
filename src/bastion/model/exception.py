"""Exceptions as data: a time-boxed, approved acceptance of one finding or of one rule.

An exception always has an expiry, a reason and an approver. It covers a finding when its target is the finding's
id (or a prefix of at least 6 hex digits) or the finding's rule id. Once expired it stops applying. Creating one
(with its limits) is policy's business: ``bastion.policy.new_exception``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bastion.model.tracked import TrackedFinding

__all__ = ["DEFAULT_MAX_DAYS", "ExceptionScope", "PolicyException", "scope_of"]

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
