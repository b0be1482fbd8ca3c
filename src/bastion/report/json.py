"""The JSON report: one stable document per run, for scripts and dashboards.

The document (``schema_version`` 1) has these keys; new keys may be added within a version, none is removed or
changes meaning without raising ``schema_version``::

    schema_version  1
    generator       {"name": "bastion", "version": "0.1.0"}
    run             {"id", "project", "branch", "commit", "root", "started_at", "finished_at", "duration_s",
                     "files_scanned", "skipped_binary", "skipped_oversize"}
    summary         {"open", "new", "existing", "reopened", "fixed", "carried",
                     "by_severity": {"critical": n, "high": n, "medium": n, "low": n, "info": n}}  (open only)
    controls        [{"id", "stage", "uses", "mode", "status", "started_at", "duration_s", "files_scanned",
                      "findings", "reason", "unanalysed": [{"path", "reason"}]}]
    findings        [{"id", "fingerprint", "state", "first_seen", "last_seen", "mode", "carried", "control",
                      "tool", "rule_id", "title", "severity", "confidence", "message",
                      "location": {"path", "start_line", "end_line", "start_column", "commit", "package"},
                      "cwe", "aliases", "remediation", "evidence", "help_uri", "tags"}]
    decision        {"outcome", "blocked", "policy",
                     "reasons": [{"rule", "outcome", "message", "control", "finding_ids"}]}

Timestamps are UTC ``YYYY-MM-DDTHH:MM:SSZ``; absent values are ``null``; enum values are their wire strings.
Findings are listed open first, worst severity first (see ``bastion.report.order``). ``evidence`` is the
masked excerpt the scanner kept: the report adds no raw field, so a secret never appears in full.
"""

from __future__ import annotations

import json
from typing import Any

from bastion import __version__
from bastion.model import (
    ControlResult,
    LifecycleState,
    Location,
    RunReport,
    Severity,
    TrackedFinding,
)
from bastion.report.order import ordered
from bastion.report.timestamp import utc_timestamp

__all__ = ["JSON_SCHEMA_VERSION", "json_document", "render_json"]

JSON_SCHEMA_VERSION = 1
"""The version of the document's shape; raised when a key is removed or changes meaning."""


def render_json(report: RunReport) -> str:
    """The JSON report as text: indented, keys in a fixed order, ending with a newline."""
    return json.dumps(json_document(report), indent=2, ensure_ascii=False) + "\n"


def json_document(report: RunReport) -> dict[str, Any]:
    """The JSON report as plain Python data (dicts, lists, strings, numbers, booleans, ``None``)."""
    record = report.record
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "generator": {"name": "bastion", "version": __version__},
        "run": {
            "id": report.run_id,
            "project": record.project,
            "branch": record.branch,
            "commit": record.commit,
            "root": record.root,
            "started_at": utc_timestamp(record.started_at),
            "finished_at": utc_timestamp(record.finished_at),
            "duration_s": round((record.finished_at - record.started_at).total_seconds(), 3),
            "files_scanned": report.files_scanned,
            "skipped_binary": report.skipped_binary,
            "skipped_oversize": report.skipped_oversize,
        },
        "summary": _summary(report),
        "controls": [_control(result) for result in record.controls],
        "findings": [_finding(tracked) for tracked in ordered(report.findings)],
        "decision": report.decision.as_document(),
    }


def _summary(report: RunReport) -> dict[str, Any]:
    open_findings = report.open_findings
    counts = {state.value: 0 for state in LifecycleState}
    for tracked in report.findings:
        counts[tracked.state.value] += 1
    return {
        "open": len(open_findings),
        **counts,
        "carried": sum(1 for tracked in open_findings if tracked.carried),
        "by_severity": {
            severity.value: sum(1 for t in open_findings if t.finding.severity is severity) for severity in Severity
        },
    }


def _control(result: ControlResult) -> dict[str, Any]:
    return {
        "id": result.control,
        "stage": result.stage.value,
        "uses": result.uses,
        "mode": result.mode.value,
        "status": result.status.value,
        "started_at": utc_timestamp(result.started_at),
        "duration_s": round(result.duration_s, 3),
        "files_scanned": result.files_scanned,
        "findings": len(result.findings),
        "reason": result.reason,
        "unanalysed": [{"path": item.path, "reason": item.reason} for item in result.unanalysed],
    }


def _finding(tracked: TrackedFinding) -> dict[str, Any]:
    finding = tracked.finding
    return {
        "id": finding.id,
        "fingerprint": finding.fingerprint,
        "state": tracked.state.value,
        "first_seen": utc_timestamp(tracked.first_seen),
        "last_seen": utc_timestamp(tracked.last_seen),
        "mode": tracked.mode.value,
        "carried": tracked.carried,
        "control": finding.control,
        "tool": finding.tool,
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "location": _location(finding.location),
        "cwe": list(finding.cwe),
        "aliases": list(finding.aliases),
        "remediation": finding.remediation,
        "evidence": finding.evidence,
        "help_uri": finding.help_uri,
        "tags": list(finding.tags),
    }


def _location(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "start_line": location.start_line,
        "end_line": location.end_line,
        "start_column": location.start_column,
        "commit": location.commit,
        "package": location.package,
    }
