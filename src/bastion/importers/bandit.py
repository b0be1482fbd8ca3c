"""The bandit importer: the JSON report of ``bandit -r PATH -f json``.

Each of ``results`` becomes a finding: ``test_id`` (``B608``) as rule, ``test_name`` as title,
``issue_severity``/``issue_confidence``, ``filename`` (leading ``./`` stripped), ``line_range``,
``col_offset`` (0-based, made 1-based), ``issue_cwe.id`` and ``more_info``. ``code`` is not imported:
fingerprints come from the repository when it is at hand, else from the location (see ``identity.py``).
"""

from __future__ import annotations

from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["BanditImporter"]


class _Cwe(ToolReport):
    id: int


class _Result(ToolReport):
    test_id: str
    test_name: str = ""
    filename: str
    line_number: int
    line_range: list[int] | None = None
    col_offset: int = 0
    issue_severity: str
    issue_confidence: str = "MEDIUM"
    issue_text: str = ""
    issue_cwe: _Cwe | None = None
    more_info: str = ""


class _Report(ToolReport):
    results: list[_Result]


class BanditImporter:
    """Imports bandit JSON reports; registered as the ``bandit`` importer."""

    name = "bandit"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per result; ``ImporterError`` naming ``source`` and the JSON path."""
        report = validate(_Report, load_json(data, source), source)
        return [_finding(result, control) for result in report.results]


def _finding(result: _Result, control: str) -> Finding:
    lines = result.line_range or [result.line_number]
    return Finding(
        control=control,
        tool="bandit",
        rule_id=result.test_id,
        title=result.test_name or result.test_id,
        severity=Severity.parse(result.issue_severity),
        location=Location(
            path=result.filename.replace("\\", "/").removeprefix("./"),
            start_line=result.line_number,
            end_line=max(max(lines), result.line_number),
            start_column=result.col_offset + 1,
        ),
        message=result.issue_text,
        confidence=Confidence.parse(result.issue_confidence),
        cwe=(result.issue_cwe.id,) if result.issue_cwe and result.issue_cwe.id > 0 else (),
        help_uri=result.more_info,
    )
