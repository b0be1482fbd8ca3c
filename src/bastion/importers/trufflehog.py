"""The trufflehog importer: trufflehog3's JSON array, or Go trufflehog v3's JSON lines (``--json``).

trufflehog3 (the PyPI tool) writes one array of issues: ``rule`` (``id``, ``message``, ``severity``),
``path``, ``line`` (a string), the raw ``secret`` and ``commit`` for history hits. Go trufflehog writes one
object per line: ``DetectorName``, ``Raw``, ``Verified`` and ``SourceMetadata.Data`` with a ``Git`` or
``Filesystem`` location. The secret is hashed and masked at once (``secret.py``); a verified (live) secret is
``critical``. The fingerprint is ``tool, rule, path, secret hash``, so the same secret found in the working
tree and in a commit of the same file is one finding.
"""

from __future__ import annotations

import json
from typing import Any

from bastion.errors import ImporterError
from bastion.importers.report import ToolReport, load_json, validate, validate_items
from bastion.importers.secret import masked
from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of

__all__ = ["TrufflehogImporter"]


class _Rule(ToolReport):
    id: str
    message: str = ""
    severity: str = "MEDIUM"


class _Issue(ToolReport):
    rule: _Rule
    path: str
    line: str | int | None = None
    secret: str
    commit: str | None = None


class _GitSource(ToolReport):
    file: str | None = None
    line: int | None = None
    commit: str | None = None


class _SourceData(ToolReport):
    Git: _GitSource | None = None
    Filesystem: _GitSource | None = None


class _SourceMetadata(ToolReport):
    Data: _SourceData


class _Result(ToolReport):
    DetectorName: str
    Raw: str
    Verified: bool = False
    SourceMetadata: _SourceMetadata


class TrufflehogImporter:
    """Imports trufflehog3 and Go trufflehog JSON; registered as the ``trufflehog`` importer."""

    name = "trufflehog"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per issue; ``ImporterError`` naming ``source`` and the JSON path (or line)."""
        if data.lstrip().startswith(b"["):
            issues = validate_items(_Issue, load_json(data, source), source)
            return [_trufflehog3(issue, control) for issue in issues]
        findings = []
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw: Any = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                raise ImporterError(f"{source}:{number}: not a JSON object: {err}") from err
            findings.append(_go(validate(_Result, raw, f"{source}:{number}"), control))
        return findings


def _line(value: str | int | None) -> int | None:
    if isinstance(value, int):
        return value or None
    return int(value) if value and value.isdigit() and int(value) > 0 else None


def _finding(control: str, rule: str, title: str, severity: Severity, secret: str, location: Location) -> Finding:
    hidden = masked(secret)
    path = location.path or ""
    return Finding(
        control=control,
        tool="trufflehog",
        rule_id=rule,
        title=title,
        severity=severity,
        location=location,
        message=hidden.describe(title),
        confidence=Confidence.HIGH if severity is Severity.CRITICAL else Confidence.MEDIUM,
        cwe=(798,),
        evidence=hidden.preview,
        remediation="Revoke the secret, then remove it from the code and from git history.",
        fingerprint=fingerprint_of("import", "trufflehog", rule, path, hidden.sha256),
        tags=("secret",),
    )


def _trufflehog3(issue: _Issue, control: str) -> Finding:
    line = _line(issue.line)
    location = Location(path=issue.path.removeprefix("./"), start_line=line, end_line=line, commit=issue.commit)
    severity = Severity.parse(issue.rule.severity) if issue.rule.severity else Severity.MEDIUM
    return _finding(control, issue.rule.id, issue.rule.message or issue.rule.id, severity, issue.secret, location)


def _go(result: _Result, control: str) -> Finding:
    where = result.SourceMetadata.Data.Git or result.SourceMetadata.Data.Filesystem or _GitSource()
    location = Location(path=where.file, start_line=where.line, end_line=where.line, commit=where.commit)
    severity = Severity.CRITICAL if result.Verified else Severity.HIGH
    title = f"{result.DetectorName} secret" + (" (verified live)" if result.Verified else "")
    return _finding(control, result.DetectorName, title, severity, result.Raw, location)
