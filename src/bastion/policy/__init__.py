"""Policy: the gate that decides pass / warn / block, with every decision explained.

``DefaultGate`` is configured by ``bastion.yml``; ``RegoGate`` runs a Rego policy (the shipped
``rego/default_gate.rego`` or the user's) over the gate document, with time-boxed ``PolicyException``s.
"""

from __future__ import annotations

from bastion.policy.errors import PolicyError
from bastion.policy.exception import DEFAULT_MAX_DAYS, ExceptionScope, PolicyException, new_exception
from bastion.policy.exception_file import EXCEPTIONS_FILE, read_exceptions, write_exceptions
from bastion.policy.gate import DefaultGate, Gate, GateInput
from bastion.policy.gate_document import gate_document
from bastion.policy.rego_gate import RegoGate, default_gate_source
from bastion.policy.testing import PolicyTestResult, run_policy_tests

__all__ = [
    "DEFAULT_MAX_DAYS",
    "EXCEPTIONS_FILE",
    "DefaultGate",
    "ExceptionScope",
    "Gate",
    "GateInput",
    "PolicyError",
    "PolicyException",
    "PolicyTestResult",
    "RegoGate",
    "default_gate_source",
    "gate_document",
    "new_exception",
    "read_exceptions",
    "run_policy_tests",
    "write_exceptions",
]
