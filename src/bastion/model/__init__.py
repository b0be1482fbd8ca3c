"""Bastion's domain values: findings, locations, severities, runs and decisions. Pure data, no I/O."""

from __future__ import annotations

from bastion.model.decision import Decision, Outcome, Reason
from bastion.model.finding import Finding, FindingId, Location
from bastion.model.fingerprint import fingerprint_of, normalise_code
from bastion.model.run import (
    ControlMode,
    ControlResult,
    ControlStatus,
    LifecycleState,
    RunId,
    Stage,
    UnanalysedFile,
)
from bastion.model.severity import Confidence, Severity
from bastion.model.tracked import RunRecord, RunReport, TrackedFinding

__all__ = [
    "Confidence",
    "ControlMode",
    "ControlResult",
    "ControlStatus",
    "Decision",
    "Finding",
    "FindingId",
    "LifecycleState",
    "Location",
    "Outcome",
    "Reason",
    "RunId",
    "RunRecord",
    "RunReport",
    "Severity",
    "Stage",
    "TrackedFinding",
    "UnanalysedFile",
    "fingerprint_of",
    "normalise_code",
]
