"""``RegoGate``: the gate as a Rego policy, evaluated by regopy, implementing the ``Gate`` protocol.

The policy reads the gate document (``gate_document``) as ``input`` and produces ``data.bastion.gate.reasons``
(and optionally ``outcome``). Without files it runs the shipped ``rego/default_gate.rego``. It fails closed: a
policy that does not compile or cannot be evaluated blocks the run with a ``policy-error`` reason naming
``file:line`` and OPA's message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bastion.model import Decision, Outcome, Reason
from bastion.policy.exception import PolicyException
from bastion.policy.gate_document import gate_document

if TYPE_CHECKING:
    from bastion.config import PolicySpec
    from bastion.policy.gate import GateInput
    from bastion.scanners.iac.bundle import RegoSource

__all__ = ["RegoGate", "default_gate_source"]


def default_gate_source() -> str:
    """The text of the shipped default gate policy."""
    return (resources.files("bastion.policy") / "rego" / "default_gate.rego").read_text(encoding="utf-8")


class RegoGate:
    """A gate whose rules are a Rego policy (the shipped default, or the user's files)."""

    name = "rego"

    def __init__(
        self,
        sources: Sequence[RegoSource] | None = None,
        *,
        spec: PolicySpec | None = None,
        exceptions: Sequence[PolicyException] = (),
        today: date | None = None,
    ) -> None:
        from bastion.config import PolicySpec
        from bastion.scanners.iac.bundle import RegoSource

        self._sources = list(sources) if sources else [RegoSource("default_gate.rego", default_gate_source())]
        self._spec = spec or PolicySpec()
        self._exceptions = tuple(exceptions)
        self._today = today
        self.policy = ", ".join(s.name for s in self._sources)
        self.error: str | None = None
        self._rego: Any = None
        self._compile()

    @classmethod
    def from_paths(cls, paths: Sequence[Path], **kwargs: Any) -> RegoGate:
        """A gate from Rego files or directories, leaving out ``*_test.rego`` files (``bastion policy test``'s)."""
        from bastion.scanners.iac.bundle import user_sources

        return cls([s for s in user_sources(paths) if not s.name.endswith("_test.rego")], **kwargs)

    def _compile(self) -> None:
        from regopy import Interpreter

        from bastion.scanners.iac.bundle import rego_error

        try:
            rego = Interpreter()
            for source in self._sources:
                rego.add_module(source.name, source.text)
            self._rego = rego
        except Exception as err:  # regopy's RegoError
            self.error = rego_error(err, self._sources)

    def evaluate(self, document: dict[str, Any]) -> dict[str, Any]:
        """The policy's output (``reasons``, maybe ``outcome``) for a gate document; raises on failure."""
        from bastion.policy.errors import PolicyError
        from bastion.scanners.iac.bundle import rego_error

        if self._rego is None:
            raise PolicyError(self.error or "policy did not compile")
        # Two queries, not one on data.bastion.gate: evaluating a whole package also runs its test_ rules,
        # and regopy 1.5 can crash on their `with input as` in that case.
        result: dict[str, Any] = {}
        try:
            self._rego.set_input_term(json.dumps(document))
            for name in ("reasons", "outcome"):
                text = str(self._rego.query(f"x := data.bastion.gate.{name}"))
                output = json.loads(text) if text.strip() not in {"", "undefined"} else {}
                if isinstance(output, dict) and "x" in output.get("bindings", {}):
                    result[name] = output["bindings"]["x"]
        except Exception as err:
            raise PolicyError(rego_error(err, self._sources)) from err
        if "reasons" not in result:
            raise PolicyError(f"{self.policy}: the policy defines no data.bastion.gate.reasons")
        return result

    def decide(self, gate_input: GateInput) -> Decision:
        """The policy's decision; ``block`` with a ``policy-error`` reason when the policy cannot decide."""
        from bastion.policy.errors import PolicyError

        today = self._today or datetime.now(UTC).date()
        document = gate_document(gate_input.findings, gate_input.controls, self._exceptions, self._spec, today)
        try:
            result = self.evaluate(document)
            reasons = [_reason(r) for r in result["reasons"]]
        except (PolicyError, KeyError, ValueError, TypeError) as err:
            message = f"gate policy failed, so the run is blocked (fail closed): {err}"
            return Decision(Outcome.BLOCK, (Reason("policy-error", Outcome.BLOCK, message),), policy=self.policy)
        reasons.sort(key=lambda r: (-r.outcome.rank, r.rule, r.control or ""))
        worst = max((r.outcome for r in reasons), key=lambda o: o.rank, default=Outcome.PASS)
        outcome = Outcome(result["outcome"]) if result.get("outcome") in {"pass", "warn", "block"} else worst
        return Decision(outcome=outcome, reasons=tuple(reasons), policy=self.policy)


def _reason(value: Any) -> Reason:
    if isinstance(value, str):
        return Reason(rule="policy", outcome=Outcome.BLOCK, message=value)
    return Reason(
        rule=str(value.get("rule", "policy")),
        outcome=Outcome(value.get("outcome", "block")),
        message=str(value.get("message", "")),
        control=value.get("control") or None,
        finding_ids=tuple(str(i) for i in value.get("finding_ids", [])),
    )
