"""The gitleaks importer: the JSON report of ``gitleaks detect|dir|git --report-format json``.

The report is an array of leaks: ``RuleID``, ``Description``, ``File``, ``StartLine``/``EndLine``,
``StartColumn``, ``Commit`` (empty outside git history) and the raw ``Secret`` and ``Match``. The secret is
hashed and masked at once (``secret.py``); ``Match``, which holds it too, is never read. Every leak is a
``high`` finding, CWE-798, with the fingerprint ``tool, rule, path, secret hash`` (no line: a leak that moves
keeps its identity).
"""

from __future__ import annotations

from bastion.importers.report import ToolReport, load_json, validate_items
from bastion.importers.secret import masked
from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of

__all__ = ["GitleaksImporter"]


class _Leak(ToolReport):
    RuleID: str
    Description: str = ""
    File: str
    StartLine: int = 0
    EndLine: int = 0
    StartColumn: int = 0
    Secret: str = ""
    Commit: str = ""
    Tags: list[str] | None = None


class GitleaksImporter:
    """Imports gitleaks JSON reports; registered as the ``gitleaks`` importer."""

    name = "gitleaks"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per leak; ``ImporterError`` naming ``source`` and the JSON path."""
        leaks = validate_items(_Leak, load_json(data, source), source)
        return [_finding(leak, control) for leak in leaks]


def _finding(leak: _Leak, control: str) -> Finding:
    secret = masked(leak.Secret)
    title = leak.Description.split(",")[0].strip() or leak.RuleID
    start = leak.StartLine or None
    path = leak.File.replace("\\", "/").removeprefix("./")
    return Finding(
        control=control,
        tool="gitleaks",
        rule_id=leak.RuleID,
        title=title,
        severity=Severity.HIGH,
        location=Location(
            path=path,
            start_line=start,
            end_line=max(leak.EndLine, leak.StartLine) or None,
            start_column=leak.StartColumn or None,
            commit=leak.Commit or None,
        ),
        message=secret.describe(title),
        confidence=Confidence.MEDIUM,
        cwe=(798,),
        evidence=secret.preview,
        remediation="Revoke the secret, then remove it from the code and from git history.",
        fingerprint=fingerprint_of("import", "gitleaks", leak.RuleID, path, secret.sha256),
        tags=("secret", *(leak.Tags or ())),
    )
