"""The default gate: blocks only where risk is real, fails closed, explains every decision."""

from __future__ import annotations

from datetime import UTC, datetime

from bastion.config import BlockRule, PolicySpec
from bastion.model import (
    ControlMode,
    ControlStatus,
    Finding,
    LifecycleState,
    Location,
    Outcome,
    Severity,
    TrackedFinding,
    UnanalysedFile,
)
from bastion.policy import DefaultGate, GateInput
from tests.policy.gate_factory import control

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _tracked(
    rule: str,
    severity: Severity,
    state: LifecycleState,
    *,
    control: str = "sast",
    mode: ControlMode = ControlMode.MANDATORY,
) -> TrackedFinding:
    finding = Finding(
        control=control,
        tool="bandit",
        rule_id=rule,
        title=rule,
        severity=severity,
        location=Location(path="a.py", start_line=1),
        fingerprint=(rule * 64)[:64],
    )
    return TrackedFinding(finding=finding, state=state, first_seen=NOW, last_seen=NOW, mode=mode)


def test_new_high_from_mandatory_control_blocks_with_ids() -> None:
    finding = _tracked("a1", Severity.HIGH, LifecycleState.NEW)
    decision = DefaultGate().decide(GateInput([finding], [control("sast", ControlStatus.SUCCEEDED)]))
    assert decision.outcome is Outcome.BLOCK
    (reason,) = decision.reasons
    assert reason.rule == "blocking-findings" and reason.control == "sast"
    assert reason.finding_ids == (finding.finding.id,)


def test_existing_and_fixed_findings_do_not_block() -> None:
    findings = [
        _tracked("a1", Severity.CRITICAL, LifecycleState.EXISTING),
        _tracked("b2", Severity.CRITICAL, LifecycleState.FIXED),
    ]
    decision = DefaultGate().decide(GateInput(findings, [control("sast", ControlStatus.SUCCEEDED)]))
    assert decision.outcome is Outcome.WARN
    assert [r.rule for r in decision.reasons] == ["open-findings"]
    assert decision.reasons[0].finding_ids == (findings[0].finding.id,)


def test_advisory_controls_never_block() -> None:
    finding = _tracked("a1", Severity.CRITICAL, LifecycleState.NEW, mode=ControlMode.ADVISORY)
    decision = DefaultGate().decide(
        GateInput([finding], [control("sast", ControlStatus.SUCCEEDED, ControlMode.ADVISORY)])
    )
    assert decision.outcome is Outcome.WARN
    assert decision.reasons[0].rule == "advisory-findings"


def test_errored_mandatory_control_fails_closed_and_advisory_only_warns() -> None:
    controls = [
        control("sast", ControlStatus.ERRORED, reason="bandit missing"),
        control("lint", ControlStatus.ERRORED, ControlMode.ADVISORY, reason="timed out after 1s"),
    ]
    decision = DefaultGate().decide(GateInput([], controls))
    assert decision.outcome is Outcome.BLOCK
    rules = {r.rule: r for r in decision.reasons}
    assert rules["mandatory-control-errored"].outcome is Outcome.BLOCK
    assert "bandit missing" in rules["mandatory-control-errored"].message
    assert rules["advisory-control-errored"].outcome is Outcome.WARN


def test_partial_control_warns_naming_files() -> None:
    partial = control("sast", ControlStatus.PARTIAL, unanalysed=(UnanalysedFile("new.py", "syntax error"),))
    decision = DefaultGate().decide(GateInput([], [partial]))
    assert decision.outcome is Outcome.WARN
    assert "new.py" in decision.reasons[0].message


def test_policy_overrides_threshold_and_states() -> None:
    policy = PolicySpec(
        block=BlockRule(severity=Severity.CRITICAL, states=[LifecycleState.NEW, LifecycleState.EXISTING])
    )
    high_new = _tracked("a1", Severity.HIGH, LifecycleState.NEW)
    critical_existing = _tracked("b2", Severity.CRITICAL, LifecycleState.EXISTING)
    decision = DefaultGate(policy).decide(GateInput([high_new, critical_existing], []))
    assert decision.outcome is Outcome.BLOCK
    blocking = next(r for r in decision.reasons if r.rule == "blocking-findings")
    assert blocking.finding_ids == (critical_existing.finding.id,)


def test_nothing_found_passes_without_reasons() -> None:
    decision = DefaultGate().decide(
        GateInput([_tracked("a", Severity.LOW, LifecycleState.NEW)], [control("sast", ControlStatus.SUCCEEDED)])
    )
    assert decision.outcome is Outcome.PASS and decision.reasons == ()


def test_findings_suppressed_inline_are_recorded_but_never_gated() -> None:
    import dataclasses

    tracked = _tracked("a1", Severity.CRITICAL, LifecycleState.NEW)
    suppressed = dataclasses.replace(tracked, finding=dataclasses.replace(tracked.finding, tags=("suppressed",)))
    decision = DefaultGate().decide(GateInput([suppressed], [control("sast", ControlStatus.SUCCEEDED)]))
    assert decision.outcome is Outcome.PASS
