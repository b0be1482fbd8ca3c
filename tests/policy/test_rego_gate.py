"""The gate in Rego: the shipped default decides as DefaultGate does; exceptions and fail-closed behaviour."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bastion.config import BlockRule, PolicySpec, WarnRule
from bastion.model import ControlMode, ControlStatus, LifecycleState, Outcome, Severity, UnanalysedFile
from bastion.policy import DefaultGate, GateInput
from bastion.policy.exception import new_exception
from bastion.policy.rego_gate import RegoGate
from tests.policy.gate_factory import control, tracked

TODAY = date(2026, 11, 23)


def _comparable(decision):  # type: ignore[no-untyped-def]
    return decision.outcome, sorted(
        (r.rule, r.outcome.value, r.control or "", r.finding_ids, r.message) for r in decision.reasons
    )


def _random_input(rng: random.Random) -> GateInput:
    findings = [
        tracked(
            f"R{rng.randint(1, 5)}",
            rng.choice(list(Severity)),
            rng.choice(list(LifecycleState)),
            control=rng.choice(["sast", "sca", "iac"]),
            mode=rng.choice(list(ControlMode)),
            n=i,
        )
        for i in range(rng.randint(0, 12))
    ]
    controls = [
        control(
            name,
            rng.choice(list(ControlStatus)),
            rng.choice(list(ControlMode)),
            reason="boom",
            unanalysed=tuple(UnanalysedFile(f"f{i}.tf", "bad") for i in range(rng.randint(0, 7))),
        )
        for name in ("sast", "sca", "iac")
    ]
    return GateInput(findings, controls)


@pytest.mark.parametrize("seed", range(25))
def test_default_rego_policy_decides_exactly_as_default_gate(seed: int) -> None:
    rng = random.Random(seed)
    spec = PolicySpec(
        block=BlockRule(severity=rng.choice(list(Severity))),
        warn=WarnRule(severity=Severity.MEDIUM),
        fail_closed=rng.random() < 0.8,
    )
    gate_input = _random_input(rng)
    assert _comparable(RegoGate(spec=spec, today=TODAY).decide(gate_input)) == _comparable(
        DefaultGate(spec).decide(gate_input)
    )


def test_active_exception_lets_the_finding_pass_and_says_which_exception() -> None:
    finding = tracked("B602", Severity.HIGH, LifecycleState.NEW)
    exception = new_exception("B602", reason="sandboxed", approver="alice", expires=date(2027, 1, 31), today=TODAY)
    decision = RegoGate(exceptions=[exception], today=TODAY).decide(GateInput([finding], [control("sast")]))
    assert decision.outcome is Outcome.PASS
    (reason,) = decision.reasons
    assert reason.rule == "exception-applied" and reason.finding_ids == (finding.finding.id,)
    assert exception.id in reason.message and "alice" in reason.message


def test_expired_exception_stops_applying_and_is_reported() -> None:
    finding = tracked("B602", Severity.HIGH, LifecycleState.NEW)
    exception = new_exception(finding.finding.id, reason="r", approver="bob", expires=date(2026, 12, 1), today=TODAY)
    decision = RegoGate(exceptions=[exception], today=date(2026, 12, 2)).decide(GateInput([finding], [control("sast")]))
    assert decision.outcome is Outcome.BLOCK
    assert {r.rule for r in decision.reasons} == {"blocking-findings", "exception-expired"}


def test_inline_suppression_does_not_block() -> None:
    finding = tracked("AWS-009", Severity.CRITICAL, LifecycleState.NEW, control="iac", tags=("iac", "suppressed"))
    decision = RegoGate(today=TODAY).decide(GateInput([finding], [control("iac")]))
    assert decision.outcome is Outcome.PASS
    assert [r.rule for r in decision.reasons] == ["suppressed-inline"]


def test_policy_that_does_not_compile_fails_closed_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "gate.rego"
    bad.write_text("package bastion.gate\nimport rego.v1\nreasons contains x if {\n  x := \n}\n")
    gate = RegoGate.from_paths([bad])
    decision = gate.decide(GateInput([], []))
    assert decision.outcome is Outcome.BLOCK
    assert decision.reasons[0].rule == "policy-error"
    assert f"{bad}:" in decision.reasons[0].message


POLICIES = Path(__file__).parents[1] / "assets" / "policy"


@pytest.mark.parametrize(
    ("policy", "findings", "controls", "expected"),
    [
        ("only_new_criticals.rego", [tracked("X", Severity.HIGH, LifecycleState.NEW)], [], Outcome.PASS),
        ("only_new_criticals.rego", [tracked("X", Severity.CRITICAL, LifecycleState.NEW)], [], Outcome.BLOCK),
        ("only_new_criticals.rego", [tracked("X", Severity.CRITICAL, LifecycleState.EXISTING)], [], Outcome.PASS),
        (
            "denied_licence.rego",
            [tracked("licence", Severity.LOW, LifecycleState.EXISTING, tags=("licence:GPL-3.0",))],
            [],
            Outcome.BLOCK,
        ),
        (
            "denied_licence.rego",
            [tracked("licence", Severity.LOW, LifecycleState.NEW, tags=("licence:MIT",))],
            [],
            Outcome.PASS,
        ),
        ("errored_mandatory.rego", [], [control("sca", ControlStatus.ERRORED)], Outcome.BLOCK),
        ("errored_mandatory.rego", [], [control("sca", ControlStatus.ERRORED, ControlMode.ADVISORY)], Outcome.PASS),
    ],
)
def test_typical_policies_decide_as_written(policy: str, findings: list, controls: list, expected: Outcome) -> None:
    gate = RegoGate.from_paths([POLICIES / policy], today=TODAY)
    assert gate.decide(GateInput(findings, controls)).outcome is expected
