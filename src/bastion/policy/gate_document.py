"""The gate's input document: what a Rego gate policy sees as ``input``.

``findings`` carry their lifecycle state, control mode, severity (and its rank), location, tags, and the
optional risk fields ``cvss``, ``epss``, ``sla_due`` and ``licence`` (``null`` until findings carry them);
``controls`` carry their mode and status; ``exceptions`` carry ``active`` and the ids of the findings they
cover; ``policy`` is the ``policy:`` block of ``bastion.yml``; ``today`` is the date exceptions are judged on.
Documented field by field in ``docs/policy.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bastion.model import ControlResult, TrackedFinding
from bastion.policy.exception import PolicyException

if TYPE_CHECKING:
    from bastion.config import PolicySpec

__all__ = ["gate_document"]


def _finding(tracked: TrackedFinding) -> dict[str, Any]:
    finding = tracked.finding
    return {
        "id": finding.id,
        "fingerprint": finding.fingerprint,
        "rule": finding.rule_id,
        "title": finding.title,
        "control": finding.control,
        "tool": finding.tool,
        "severity": finding.severity.value,
        "severity_rank": finding.severity.rank,
        "state": tracked.state.value,
        "mode": tracked.mode.value,
        "open": tracked.is_open,
        "carried": tracked.carried,
        "path": finding.location.path,
        "line": finding.location.start_line,
        "package": finding.location.package,
        "first_seen": tracked.first_seen.isoformat(),
        "last_seen": tracked.last_seen.isoformat(),
        "tags": list(finding.tags),
        "suppressed": "suppressed" in finding.tags,
        "aliases": list(finding.aliases),
        "cwe": list(finding.cwe),
        # Risk fields findings do not carry yet; policies test them with `object.get(f, "cvss", null)`.
        "cvss": None,
        "epss": None,
        "sla_due": None,
        "licence": _licence(tracked),
    }


def _licence(tracked: TrackedFinding) -> str | None:
    tag = next((t for t in tracked.finding.tags if t.startswith("licence:")), None)
    return tag.partition(":")[2] if tag else None


def _control(result: ControlResult) -> dict[str, Any]:
    return {
        "control": result.control,
        "stage": result.stage.value,
        "uses": result.uses,
        "mode": result.mode.value,
        "status": result.status.value,
        "reason": result.reason,
        "unanalysed": [{"path": u.path, "reason": u.reason} for u in result.unanalysed],
    }


def _exception(exception: PolicyException, findings: Sequence[TrackedFinding], today: date) -> dict[str, Any]:
    return {
        "id": exception.id,
        "scope": exception.scope.value,
        "target": exception.target,
        "reason": exception.reason,
        "approver": exception.approver,
        "expires": exception.expires.isoformat(),
        "active": exception.is_active(today),
        "covers": sorted({t.finding.id for t in findings if exception.covers(t)}),
    }


def gate_document(
    findings: Sequence[TrackedFinding],
    controls: Sequence[ControlResult],
    exceptions: Sequence[PolicyException],
    spec: PolicySpec,
    today: date,
) -> dict[str, Any]:
    """The whole input document."""
    return {
        "today": today.isoformat(),
        "policy": spec.model_dump(mode="json"),
        "findings": [_finding(t) for t in findings],
        "controls": [_control(c) for c in controls],
        "exceptions": [_exception(e, findings, today) for e in exceptions],
    }
