"""Policy: the gate that decides pass / warn / block, with every decision explained."""

from __future__ import annotations

from bastion.policy.gate import DefaultGate, Gate, GateInput

__all__ = ["DefaultGate", "Gate", "GateInput"]
