"""The gate: decides pass / warn / block for a run, with a reason for every rule that fired.

``Gate`` is the role; ``DefaultGate`` is the built-in policy configured by the ``policy:`` block of
``bastion.yml``. A Rego-backed gate implements the same protocol.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bastion.config import PolicySpec
from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Decision,
    Outcome,
    Reason,
    TrackedFinding,
)

__all__ = ["SUPPRESSED_TAG", "DefaultGate", "Gate", "GateInput"]

SUPPRESSED_TAG = "suppressed"
"""Tag of a finding an inline ``bastion:allow`` comment suppressed: recorded, never gated."""


@dataclass(frozen=True, slots=True)
class GateInput:
    """What a gate decides on: the run's tracked findings and its controls' results."""

    findings: Sequence[TrackedFinding]
    controls: Sequence[ControlResult]


class Gate(Protocol):
    """Decides a run's outcome."""

    name: str

    def decide(self, gate_input: GateInput) -> Decision:
        """The decision, with a reason per rule that fired."""
        ...


class DefaultGate:
    """Blocks new/reopened findings at or above a severity from mandatory controls, and errored mandatory
    controls (fail closed); advisory controls only warn."""

    name = "default"

    def __init__(self, policy: PolicySpec | None = None) -> None:
        self._policy = policy or PolicySpec()

    def decide(self, gate_input: GateInput) -> Decision:
        """Apply each rule; the outcome is the worst of the reasons (``pass`` when none fired)."""
        reasons = [*self._control_reasons(gate_input.controls), *self._finding_reasons(gate_input.findings)]
        reasons.sort(key=lambda r: -r.outcome.rank)
        outcome = max((r.outcome for r in reasons), key=lambda o: o.rank, default=Outcome.PASS)
        return Decision(outcome=outcome, reasons=tuple(reasons), policy=self.name)

    def _control_reasons(self, controls: Sequence[ControlResult]) -> list[Reason]:
        reasons = []
        for control in controls:
            mandatory = control.mode is ControlMode.MANDATORY
            if control.status is ControlStatus.ERRORED:
                block = mandatory and self._policy.fail_closed
                reasons.append(
                    Reason(
                        rule="mandatory-control-errored" if mandatory else "advisory-control-errored",
                        outcome=Outcome.BLOCK if block else Outcome.WARN,
                        message=f"{control.mode.value} control '{control.control}' could not run: {control.reason}",
                        control=control.control,
                    )
                )
            elif control.status is ControlStatus.PARTIAL:
                reasons.append(
                    Reason(
                        rule="control-partially-errored",
                        outcome=Outcome.WARN,
                        message=f"control '{control.control}' could not analyse {len(control.unanalysed)} file(s): "
                        + ", ".join(u.path for u in control.unanalysed[:5])
                        + (" …" if len(control.unanalysed) > 5 else ""),
                        control=control.control,
                    )
                )
        return reasons

    def _finding_reasons(self, findings: Sequence[TrackedFinding]) -> list[Reason]:
        block = self._policy.block
        warn = self._policy.warn
        blocking: dict[str, list[str]] = defaultdict(list)
        advisory: dict[str, list[str]] = defaultdict(list)
        warning: dict[str, list[str]] = defaultdict(list)
        for tracked in findings:
            if not tracked.is_open or SUPPRESSED_TAG in tracked.finding.tags:
                continue
            finding = tracked.finding
            severe = finding.severity.at_least(block.severity)
            if severe and tracked.state in block.states:
                target = blocking if tracked.mode is ControlMode.MANDATORY else advisory
                target[finding.control].append(finding.id)
            elif finding.severity.at_least(warn.severity):
                warning[finding.control].append(finding.id)
        states = "/".join(s.value for s in block.states)
        reasons = [
            Reason(
                rule="blocking-findings",
                outcome=Outcome.BLOCK,
                control=control,
                finding_ids=tuple(ids),
                message=f"{len(ids)} {states} finding(s) of severity {block.severity.value} or worse "
                f"from mandatory control '{control}'",
            )
            for control, ids in sorted(blocking.items())
        ]
        reasons += [
            Reason(
                rule="advisory-findings",
                outcome=Outcome.WARN,
                control=control,
                finding_ids=tuple(ids),
                message=f"{len(ids)} {states} finding(s) of severity {block.severity.value} or worse "
                f"from advisory control '{control}' (advisory controls never block)",
            )
            for control, ids in sorted(advisory.items())
        ]
        reasons += [
            Reason(
                rule="open-findings",
                outcome=Outcome.WARN,
                control=control,
                finding_ids=tuple(ids),
                message=f"{len(ids)} open finding(s) of severity {warn.severity.value} or worse "
                f"from '{control}' below the blocking bar",
            )
            for control, ids in sorted(warning.items())
        ]
        return reasons
