"""Small factories of tracked findings and control results for gate tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    LifecycleState,
    Location,
    Severity,
    Stage,
    TrackedFinding,
    UnanalysedFile,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def tracked(
    rule: str,
    severity: Severity,
    state: LifecycleState,
    *,
    control: str = "sast",
    mode: ControlMode = ControlMode.MANDATORY,
    tags: tuple[str, ...] = (),
    n: int = 0,
) -> TrackedFinding:
    """A tracked finding whose id is derived from rule and n."""
    fingerprint = hashlib.sha256(f"{rule}/{n}/{control}".encode()).hexdigest()
    finding = Finding(
        control=control,
        tool="t",
        rule_id=rule,
        title=rule,
        severity=severity,
        location=Location(path="a.py", start_line=n + 1),
        fingerprint=fingerprint,
        tags=tags,
    )
    return TrackedFinding(finding=finding, state=state, first_seen=NOW, last_seen=NOW, mode=mode)


def control(
    name: str,
    status: ControlStatus = ControlStatus.SUCCEEDED,
    mode: ControlMode = ControlMode.MANDATORY,
    reason: str = "",
    unanalysed: tuple[UnanalysedFile, ...] = (),
) -> ControlResult:
    """A control result."""
    return ControlResult(
        control=name,
        stage=Stage.CODE,
        uses=name,
        mode=mode,
        status=status,
        started_at=NOW,
        duration_s=0.1,
        reason=reason,
        unanalysed=unanalysed,
    )
