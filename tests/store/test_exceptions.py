"""Policy exceptions in the store: audited in the same transaction, and kept in step with accepted-risk triage so
that the gate honours what triage decided."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bastion.errors import StoreError
from bastion.model import LifecycleState, Outcome, Severity, TrackedFinding
from bastion.model.triage import TriageDecision, TriageState
from bastion.policy import GateInput
from bastion.policy.exception import ExceptionScope, new_exception
from bastion.policy.rego_gate import RegoGate
from bastion.store import Store
from bastion.store.audit import AuditKind, AuditLog
from bastion.store.exceptions import TRIAGE_PREFIX, ExceptionRegister, last_day_before
from bastion.store.triage import TriageError, TriageLedger
from tests.store.conftest import RunFactory

TODAY = datetime.now(UTC).date()


def _record(store: Store, runs: RunFactory) -> tuple[list[TrackedFinding], list[object]]:
    sqli = runs.finding("sqli", path="src/db.py", severity=Severity.CRITICAL)
    xss = runs.finding("xss", path="web/app.py", severity=Severity.HIGH)
    record = runs.record(runs.control("sast", sqli, xss))
    _, tracked = store.record_run(record)
    return tracked, list(record.controls)


def _gate(store: Store, tracked: list[TrackedFinding], controls: list[object]) -> tuple[Outcome, set[str]]:
    decision = RegoGate(exceptions=ExceptionRegister(store).list("demo")).decide(GateInput(tracked, controls))  # type: ignore[arg-type]
    blocked = {fid for r in decision.reasons if r.outcome is Outcome.BLOCK for fid in r.finding_ids}
    return decision.outcome, blocked


def test_add_and_remove_are_audited_in_the_same_transaction(store: Store) -> None:
    register = ExceptionRegister(store)
    exception = new_exception("B602", reason="sandboxed", approver="@ciso", expires=TODAY + timedelta(days=30))
    register.add("demo", exception, "@sec")
    with pytest.raises(StoreError, match="already exists"):
        register.add("demo", exception, "@sec")  # refused: and its audit entry rolled back with it
    removed = register.remove(exception.id, "@sec2")
    assert removed.project == "demo" and removed.exception.target == "B602"
    with pytest.raises(StoreError, match="no exception"):
        register.remove(exception.id, "@sec2")
    entries = AuditLog(store).entries(kind=AuditKind.EXCEPTION)
    assert [(e.event.action, e.event.actor, e.event.subject, e.event.project) for e in entries] == [
        ("exception.remove", "@sec2", exception.id, "demo"),
        ("exception.add", "@sec", exception.id, "demo"),
    ]
    assert entries[1].event.detail["approver"] == "@ciso" and entries[1].event.detail["target"] == "B602"
    verification = AuditLog(store).verify()
    assert verification.ok and verification.entries == 2
    assert register.list("demo") == []


def test_accepted_risk_keeps_a_finding_exception_the_gate_honours(store: Store, runs: RunFactory) -> None:
    tracked, controls = _record(store, runs)
    sqli = next(t.finding for t in tracked if t.finding.rule_id == "sqli")
    outcome, blocked = _gate(store, tracked, controls)
    assert outcome is Outcome.BLOCK and sqli.id in blocked

    ledger = TriageLedger(store)
    expires = datetime.combine(TODAY + timedelta(days=20), datetime.min.time(), UTC) + timedelta(hours=9)
    accepted = TriageDecision(TriageState.ACCEPTED_RISK, "behind the WAF", "@sec", datetime.now(UTC), expires, "@ciso")
    change = ledger.set(sqli.id, accepted)
    assert change.exception is not None and change.exception.startswith(TRIAGE_PREFIX)
    (exception,) = ExceptionRegister(store).list("demo")
    assert exception.id == change.exception and exception.scope is ExceptionScope.FINDING
    assert exception.target == sqli.fingerprint and exception.approver == "@ciso"
    assert exception.reason == "behind the WAF" and exception.expires == TODAY + timedelta(days=19)
    outcome, blocked = _gate(store, tracked, controls)
    assert sqli.id not in blocked  # the accepted risk no longer blocks; the other finding still does
    assert outcome is Outcome.BLOCK and blocked

    # Accepting again replaces the exception; any other decision removes it.
    again = ledger.set(sqli.id[:8], accepted)
    assert again.exception != change.exception
    assert [e.id for e in ExceptionRegister(store).list("demo")] == [again.exception]
    ledger.set(sqli.id, TriageDecision(TriageState.CONFIRMED, "the WAF rule was dropped", "@sec", datetime.now(UTC)))
    assert ExceptionRegister(store).list("demo") == []
    assert sqli.id in _gate(store, tracked, controls)[1]

    entries = AuditLog(store).entries(kind=AuditKind.EXCEPTION)
    assert [(e.event.action, e.event.subject) for e in reversed(entries)] == [
        ("exception.add", change.exception),
        ("exception.remove", change.exception),
        ("exception.add", again.exception),
        ("exception.remove", again.exception),
    ]
    triage = AuditLog(store).entries(kind=AuditKind.FINDING)
    assert triage[-1].event.detail["exception"] == change.exception
    assert AuditLog(store).verify().ok


def test_exception_expiry_ends_no_later_than_the_accepted_risk() -> None:
    assert last_day_before(datetime(2026, 12, 31, 0, 0, tzinfo=UTC)) == date(2026, 12, 30)
    assert last_day_before(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == date(2026, 12, 30)


def test_an_acceptance_ending_today_keeps_no_exception_and_long_ones_are_refused(
    store: Store, runs: RunFactory
) -> None:
    tracked, _ = _record(store, runs)
    finding = tracked[0].finding
    ledger = TriageLedger(store)
    now = datetime.now(UTC)
    soon = TriageDecision(TriageState.ACCEPTED_RISK, "r", "@sec", now, now + timedelta(minutes=1), "@ciso")
    if last_day_before(soon.expires_at or now) < now.date():  # not when the test runs a minute before midnight
        assert ledger.set(finding.id, soon).exception is None
        assert ExceptionRegister(store).list("demo") == []
    too_long = TriageDecision(TriageState.ACCEPTED_RISK, "r", "@sec", now, now + timedelta(days=400), "@ciso")
    with pytest.raises(TriageError, match="at most 365 days"):
        ledger.set(finding.id, too_long)
    assert tracked[0].state is LifecycleState.NEW
