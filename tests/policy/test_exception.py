"""Exceptions: never without an expiry, never too long, and what they cover."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bastion.model import LifecycleState, Severity
from bastion.policy import ExceptionScope, PolicyError, new_exception
from tests.policy.gate_factory import tracked

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        (None, "an expiry date is required"),
        (date(2026, 11, 22), "is in the past"),
        (date(2028, 1, 1), "more than 365 days away"),
    ],
)
def test_exception_without_a_valid_expiry_is_refused(expires: date | None, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        new_exception("B602", reason="r", approver="a", expires=expires, today=TODAY)


def test_max_days_is_configurable() -> None:
    exception = new_exception("B602", reason="r", approver="a", expires=date(2028, 1, 1), today=TODAY, max_days=800)
    assert exception.expires == date(2028, 1, 1)


def test_rule_exception_covers_every_finding_of_the_rule_and_expires_after_its_day() -> None:
    finding = tracked("B602", Severity.HIGH, LifecycleState.NEW)
    exception = new_exception("B602", reason="r", approver="a", expires=TODAY, today=TODAY)
    assert exception.scope is ExceptionScope.RULE and exception.covers(finding)
    assert exception.is_active(TODAY) and not exception.is_active(date(2026, 11, 24))


def test_finding_exception_is_recognised_by_its_hex_id() -> None:
    finding = tracked("B602", Severity.HIGH, LifecycleState.NEW)
    exception = new_exception(finding.finding.id, reason="r", approver="a", expires=TODAY, today=TODAY)
    assert exception.scope is ExceptionScope.FINDING and exception.covers(finding)
    assert not exception.covers(tracked("B602", Severity.HIGH, LifecycleState.NEW, n=1))


def test_two_exceptions_for_one_target_at_once_get_distinct_ids() -> None:
    first, second = (
        new_exception(
            "B105", reason="test fixture", approver="sec-lead", expires=TODAY + timedelta(days=30), today=TODAY
        )
        for _ in range(2)
    )
    assert re.fullmatch(r"EXC-\d{14}-[0-9a-f]{6}", first.id)
    assert first.id != second.id
