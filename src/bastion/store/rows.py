"""Rows ↔ model: the store's edge, where table rows become ``bastion.model`` values and back."""

from __future__ import annotations

from datetime import datetime

from bastion.model import (
    Confidence,
    ControlMode,
    ControlResult,
    Finding,
    LifecycleState,
    Location,
    Severity,
    TrackedFinding,
)
from bastion.store.tables import ControlRunRow, FindingRow, RunFindingRow

__all__ = [
    "control_run_row",
    "finding_of",
    "new_finding_row",
    "tracked_of",
    "write_finding",
]


def finding_of(row: FindingRow) -> Finding:
    """The finding as last observed."""
    return Finding(
        control=row.control,
        tool=row.tool,
        rule_id=row.rule_id,
        title=row.title,
        severity=Severity(row.severity),
        location=Location(
            path=row.path,
            start_line=row.start_line,
            end_line=row.end_line,
            start_column=row.start_column,
            commit=row.commit,
            package=row.package,
        ),
        message=row.message,
        confidence=Confidence(row.confidence),
        cwe=tuple(int(number) for number in row.cwe),
        aliases=tuple(str(alias) for alias in row.aliases),
        remediation=row.remediation,
        evidence=row.evidence,
        help_uri=row.help_uri,
        fingerprint=row.fingerprint,
        tags=tuple(str(tag) for tag in row.tags),
    )


def write_finding(row: FindingRow, finding: Finding) -> None:
    """Overwrite the row's data (not its identity or timestamps) with ``finding``."""
    location = finding.location
    row.control = finding.control
    row.tool = finding.tool
    row.rule_id = finding.rule_id
    row.title = finding.title
    row.severity = finding.severity.value
    row.confidence = finding.confidence.value
    row.cwe = list(finding.cwe)
    row.aliases = list(finding.aliases)
    row.path = location.path
    row.start_line = location.start_line
    row.end_line = location.end_line
    row.start_column = location.start_column
    row.commit = location.commit
    row.package = location.package
    row.message = finding.message
    row.remediation = finding.remediation
    row.evidence = finding.evidence
    row.help_uri = finding.help_uri
    row.tags = list(finding.tags)


def new_finding_row(project_id: int, finding: Finding, seen_at: datetime) -> FindingRow:
    """A row for a finding the project has never had, first and last seen at ``seen_at``."""
    row = FindingRow(
        project_id=project_id, fingerprint=finding.fingerprint, first_seen_at=seen_at, last_seen_at=seen_at
    )
    write_finding(row, finding)
    return row


def tracked_of(row: FindingRow, state: RunFindingRow) -> TrackedFinding:
    """The finding with its state in one run."""
    return TrackedFinding(
        finding=finding_of(row),
        state=LifecycleState(state.state),
        first_seen=row.first_seen_at,
        last_seen=row.last_seen_at,
        mode=ControlMode(state.mode),
        carried=state.carried,
    )


def control_run_row(run_id: int, result: ControlResult) -> ControlRunRow:
    """The row recording what one control did in run ``run_id``."""
    return ControlRunRow(
        run_id=run_id,
        control=result.control,
        stage=result.stage.value,
        uses=result.uses,
        mode=result.mode.value,
        status=result.status.value,
        reason=result.reason,
        started_at=result.started_at,
        duration_s=result.duration_s,
        files_scanned=result.files_scanned,
        unanalysed=[{"path": item.path, "reason": item.reason} for item in result.unanalysed],
    )
