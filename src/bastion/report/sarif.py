"""The SARIF report: a run as a SARIF 2.1.0 log, valid against the OASIS schema, ready for GitHub.

Shape and decisions:

* One ``run`` per tool (``Finding.tool``), sorted by name. The model carries no tool version, so
  ``tool.driver.version`` is left out; ``run.conversion`` names bastion, and its version, as the converter.
* Rules carry ``shortDescription`` (the finding title), ``helpUri``, ``help`` (remediation),
  ``defaultConfiguration.level`` and ``properties``: ``security-severity`` (a numeric string, as CodeQL
  writes it: critical 9.5, high 8.0, medium 5.5, low 2.0, info 0.0) and ``tags`` (``security``,
  ``external/cwe/cwe-89``). A rule seen at several severities gets the worst; each result also carries its
  own ``properties.security-severity`` so no severity is lost.
* ``partialFingerprints`` and ``fingerprints`` hold ``{"bastion/v1": <finding fingerprint>}``.
* ``baselineState`` follows the lifecycle: new → ``new``, existing → ``unchanged``, reopened → ``new``.
  Fixed findings are left out by default, because GitHub opens an alert for every result it is sent,
  whatever its baseline state; ``include_fixed=True`` emits them with ``baselineState: "absent"``.
* Paths are ``artifactLocation.uri`` relative to ``uriBaseId: "%SRCROOT%"``, percent-encoded. A package
  finding gets a ``logicalLocation`` of kind ``package`` holding its purl, beside the lockfile path if known;
  without a path its ``artifactLocation.uri`` is the purl itself, since GitHub rejects a log in which any
  result lacks a physical location. A finding with neither path nor package has no location.
* Each control is an ``invocation`` of its tool's run: ``executionSuccessful`` is false for an errored
  control, with its reason as an error ``toolExecutionNotification``; files a partial control could not
  analyse are warnings. A control with no finding is attached to a run named for its scanner (``uses``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from bastion import __version__
from bastion.model import (
    ControlResult,
    ControlStatus,
    Finding,
    LifecycleState,
    Location,
    RunReport,
    Severity,
    TrackedFinding,
    fingerprint_of,
)
from bastion.report.order import ordered
from bastion.report.timestamp import utc_timestamp

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA_URI", "render_sarif", "sarif_log", "security_severity"]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "bastion/v1"
"""The key of bastion's fingerprint in ``partialFingerprints`` and ``fingerprints``."""

_SCORES = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}
_LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_BASELINE = {
    LifecycleState.NEW: "new",
    LifecycleState.EXISTING: "unchanged",
    LifecycleState.REOPENED: "new",
    LifecycleState.FIXED: "absent",
}


def security_severity(severity: Severity) -> str:
    """GitHub's ``security-severity`` score for a severity, as the numeric string GitHub reads."""
    return _SCORES[severity]


def render_sarif(report: RunReport, *, include_fixed: bool = False) -> str:
    """The SARIF 2.1.0 log as indented JSON text ending with a newline."""
    return json.dumps(sarif_log(report, include_fixed=include_fixed), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: RunReport, *, include_fixed: bool = False) -> dict[str, Any]:
    """The SARIF 2.1.0 log as plain Python data."""
    findings = [t for t in ordered(report.findings) if include_fixed or t.is_open]
    by_tool: dict[str, list[TrackedFinding]] = defaultdict(list)
    for tracked in findings:
        by_tool[tracked.finding.tool].append(tracked)
    controls_by_tool: dict[str, list[ControlResult]] = defaultdict(list)
    for control in report.record.controls:
        tools = {f.tool for f in control.findings} | {
            t.finding.tool for t in report.findings if t.finding.control == control.control
        }
        for tool in sorted(tools or {control.uses}):
            controls_by_tool[tool].append(control)
    # A tool whose findings were all fixed still gets a run, with no result, so GitHub closes its alerts.
    tools = {t.finding.tool for t in report.findings} | set(controls_by_tool)
    runs = [_run(report, tool, by_tool.get(tool, []), controls_by_tool.get(tool, [])) for tool in sorted(tools)]
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": runs}


def _run(report: RunReport, tool: str, findings: list[TrackedFinding], controls: list[ControlResult]) -> dict[str, Any]:
    rule_ids = sorted({t.finding.rule_id for t in findings})
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    rules = [_rule([t.finding for t in findings if t.finding.rule_id == rule_id]) for rule_id in rule_ids]
    record = report.record
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool, "rules": rules}},
        "conversion": {"tool": {"driver": {"name": "bastion", "version": __version__}}},
        "invocations": [_invocation(control) for control in controls],
        "columnKind": "unicodeCodePoints",
        "results": [_result(t, rule_index[t.finding.rule_id]) for t in findings],
        "properties": {
            "project": record.project,
            "branch": record.branch,
            "commit": record.commit,
            "runId": report.run_id,
        },
    }
    if record.root and PurePath(record.root).is_absolute():
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": PurePath(record.root).as_uri().rstrip("/") + "/"}}
    return run


def _rule(findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    worst = max((f.severity for f in findings), key=lambda severity: severity.rank)
    cwes = sorted({cwe for f in findings for cwe in f.cwe})
    rule: dict[str, Any] = {
        "id": first.rule_id,
        "shortDescription": {"text": first.title or first.rule_id},
        "defaultConfiguration": {"level": _LEVELS[worst]},
        "properties": {
            "security-severity": _SCORES[worst],
            "tags": ["security", *(f"external/cwe/cwe-{cwe}" for cwe in cwes)],
        },
    }
    if first.help_uri:
        rule["helpUri"] = first.help_uri
    if first.remediation:
        rule["help"] = {"text": first.remediation}
    return rule


def _result(tracked: TrackedFinding, rule_index: int) -> dict[str, Any]:
    finding = tracked.finding
    fingerprint = finding.fingerprint or fingerprint_of(
        finding.tool,
        finding.rule_id,
        finding.location.path,
        finding.location.package,
        finding.location.start_line,
    )
    properties: dict[str, Any] = {
        "severity": finding.severity.value,
        "security-severity": _SCORES[finding.severity],
        "confidence": finding.confidence.value,
        "control": finding.control,
        "lifecycle": tracked.state.value,
        "findingId": fingerprint[:12],
        "firstSeen": utc_timestamp(tracked.first_seen),
        "carried": tracked.carried,
    }
    if finding.location.commit:
        properties["commit"] = finding.location.commit
    if finding.aliases:
        properties["aliases"] = list(finding.aliases)
    if finding.tags:
        properties["tags"] = list(dict.fromkeys(finding.tags))
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message or finding.title or finding.rule_id},
        "locations": _locations(finding.location),
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "fingerprints": {FINGERPRINT_KEY: fingerprint},
        "baselineState": _BASELINE[tracked.state],
        "properties": properties,
    }
    return result


def _locations(location: Location) -> list[dict[str, Any]]:
    where: dict[str, Any] = {}
    if location.path:
        where["physicalLocation"] = _physical(location.path, location)
    elif location.package:
        # GitHub rejects a whole log if one result has no physical location; a purl is an absolute URI.
        where["physicalLocation"] = {"artifactLocation": {"uri": location.package}}
    if location.package:
        where["logicalLocations"] = [{"fullyQualifiedName": location.package, "kind": "package"}]
    return [where] if where else []


def _physical(path: str, location: Location | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}}
    if location is not None and location.start_line and location.start_line >= 1:
        region: dict[str, Any] = {"startLine": location.start_line}
        if location.end_line and location.end_line >= location.start_line:
            region["endLine"] = location.end_line
        if location.start_column and location.start_column >= 1:
            region["startColumn"] = location.start_column
        physical["region"] = region
    return physical


def _invocation(control: ControlResult) -> dict[str, Any]:
    notifications: list[dict[str, Any]] = []
    if control.status is ControlStatus.ERRORED:
        text = f"control '{control.control}' errored: {control.reason or 'no reason given'}"
        notifications.append({"level": "error", "message": {"text": text}, "descriptor": {"id": "control-errored"}})
    for item in control.unanalysed:
        notifications.append(
            {
                "level": "warning",
                "message": {"text": f"not analysed: {item.reason}"},
                "locations": [{"physicalLocation": _physical(item.path)}],
                "descriptor": {"id": "file-not-analysed"},
            }
        )
    invocation: dict[str, Any] = {
        "executionSuccessful": control.status is not ControlStatus.ERRORED,
        "startTimeUtc": utc_timestamp(control.started_at),
        "endTimeUtc": utc_timestamp(control.started_at, plus_seconds=control.duration_s),
        "properties": {
            "control": control.control,
            "stage": control.stage.value,
            "uses": control.uses,
            "mode": control.mode.value,
            "status": control.status.value,
            "filesScanned": control.files_scanned,
            "reason": control.reason,
        },
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
