"""The gate's verdict on a run: pass, warn or block, with a reason for each part of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Decision", "Outcome", "Reason"]


class Outcome(StrEnum):
    """The verdict, ordered ``pass`` < ``warn`` < ``block``."""

    PASS = "pass"  # noqa: S105 - an outcome, not a password
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """Order for taking the worst of several outcomes."""
        return {"pass": 0, "warn": 1, "block": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule of the policy that fired, with what it fired on."""

    rule: str
    """The policy rule's id (``new-high-in-mandatory``, ``mandatory-control-errored``...)."""
    outcome: Outcome
    message: str
    control: str | None = None
    finding_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """The gate's verdict with every reason behind it; ``pass`` with no reasons means nothing fired."""

    outcome: Outcome
    reasons: tuple[Reason, ...] = ()
    policy: str = "default"
    """Which policy decided (``default``, or the file of a Rego policy)."""

    @property
    def blocked(self) -> bool:
        """True when the run must not proceed."""
        return self.outcome is Outcome.BLOCK

    def as_document(self) -> dict[str, Any]:
        """The decision as a JSON-ready mapping: outcome, policy and every reason (reports and the store)."""
        return {
            "outcome": self.outcome.value,
            "blocked": self.blocked,
            "policy": self.policy,
            "reasons": [
                {
                    "rule": reason.rule,
                    "outcome": reason.outcome.value,
                    "message": reason.message,
                    "control": reason.control,
                    "finding_ids": list(reason.finding_ids),
                }
                for reason in self.reasons
            ],
        }
