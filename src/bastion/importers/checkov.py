"""The checkov importer: the JSON report of ``checkov -o json`` (one framework's object, or an array of them).

Each of ``results.failed_checks`` becomes a finding: ``check_id`` (``CKV_DOCKER_4``) as rule, ``check_name`` as
title, ``file_path`` (made relative: checkov writes ``/Dockerfile`` for the scanned directory's root),
``file_line_range``, ``resource`` in the message, ``guideline`` as help. Open-source checkov reports no
severity (``null``): those findings are ``medium``. Passed and skipped checks are not imported.
"""

from __future__ import annotations

from bastion.importers.report import ToolReport, load_json, validate, validate_items
from bastion.model import Finding, Location, Severity

__all__ = ["CheckovImporter"]


class _Check(ToolReport):
    check_id: str
    check_name: str = ""
    file_path: str
    file_line_range: list[int] | None = None
    resource: str = ""
    severity: str | None = None
    guideline: str | None = None


class _Results(ToolReport):
    failed_checks: list[_Check] = []


class _Framework(ToolReport):
    check_type: str = ""
    results: _Results


class CheckovImporter:
    """Imports checkov JSON reports; registered as the ``checkov`` importer."""

    name = "checkov"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per failed check; ``ImporterError`` naming ``source`` and the JSON path."""
        raw = load_json(data, source)
        if isinstance(raw, list):
            frameworks = validate_items(_Framework, raw, source)
        else:
            frameworks = [validate(_Framework, raw, source)]
        return [
            _finding(check, framework.check_type, control)
            for framework in frameworks
            for check in framework.results.failed_checks
        ]


def _finding(check: _Check, framework: str, control: str) -> Finding:
    lines = [line for line in check.file_line_range or [] if line > 0]
    start, end = (min(lines), max(lines)) if lines else (None, None)
    return Finding(
        control=control,
        tool="checkov",
        rule_id=check.check_id,
        title=check.check_name or check.check_id,
        severity=Severity.parse(check.severity) if check.severity else Severity.MEDIUM,
        location=Location(path=check.file_path.replace("\\", "/").lstrip("/"), start_line=start, end_line=end),
        message=f"{check.check_name} ({check.resource})" if check.resource else check.check_name,
        help_uri=check.guideline or "",
        tags=(framework,) if framework else (),
    )
