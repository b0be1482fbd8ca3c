"""Predicates bastion attests: the gate decision and the scan results of a run (and the types of the others).

The SLSA provenance predicate lives in ``provenance.py``; SBOM predicates are the SBOM documents themselves, as
the CycloneDX and SPDX predicate types specify.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from bastion import __version__
from bastion.supplychain.run_report import ReportDocument

__all__ = ["GatePredicate", "PredicateType", "gate_predicate", "scan_predicate"]


class PredicateType(StrEnum):
    """The predicate types bastion writes and reads."""

    SLSA_PROVENANCE = "https://slsa.dev/provenance/v1"
    SCAN_RESULTS = "https://bastion.dev/attestation/scan-results/v1"
    GATE_DECISION = "https://bastion.dev/attestation/gate-decision/v1"
    CYCLONEDX = "https://cyclonedx.org/bom"
    SPDX = "https://spdx.dev/Document"


class GateRun(BaseModel):
    """The run a gate decision was taken on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = None
    project: str
    branch: str
    commit: str | None = None


class GateReason(BaseModel):
    """One rule of the policy that fired."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    outcome: str
    message: str


class GatePredicate(BaseModel):
    """The gate's decision on a run: what ``verify`` requires to be passing and recent."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    outcome: str
    """``pass``, ``warn`` or ``block``."""
    policy: str
    decided_at: AwareDatetime = Field(alias="decidedAt")
    """When the run finished (UTC); the attestation's age is counted from it."""
    run: GateRun
    reasons: tuple[GateReason, ...] = ()

    def document(self) -> dict[str, Any]:
        """The predicate as JSON data with wire names."""
        data = self.model_dump(mode="json", by_alias=True)
        data["decidedAt"] = self.decided_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return data


def gate_predicate(report: ReportDocument) -> GatePredicate:
    """The gate predicate of a run report."""
    run = report.run
    return GatePredicate(
        outcome=report.decision.outcome,
        policy=report.decision.policy,
        decided_at=datetime.fromisoformat(run.finished_at.replace("Z", "+00:00")),
        run=GateRun(id=run.id, project=run.project, branch=run.branch, commit=run.commit),
        reasons=tuple(GateReason(rule=r.rule, outcome=r.outcome, message=r.message) for r in report.decision.reasons),
    )


def scan_predicate(report: ReportDocument) -> dict[str, Any]:
    """The scan-results predicate: the run, its controls and its open findings, without evidence excerpts."""
    run = report.run
    return {
        "scanner": {"uri": "https://github.com/bastion-dev/bastion", "version": __version__},
        "run": {
            "id": run.id,
            "project": run.project,
            "branch": run.branch,
            "commit": run.commit,
            "finishedOn": run.finished_at,
        },
        "summary": report.summary,
        "controls": [
            {key: control.get(key) for key in ("id", "stage", "uses", "mode", "status", "findings")}
            for control in report.controls
        ],
        "findings": [
            {key: finding.get(key) for key in ("id", "state", "control", "tool", "rule_id", "severity", "location")}
            for finding in report.findings
            if finding.get("state") != "fixed"
        ],
    }
