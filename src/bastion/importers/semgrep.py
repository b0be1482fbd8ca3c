"""The semgrep importer: the JSON report of ``semgrep scan --json``.

Each of ``results`` becomes a finding: ``check_id`` as rule, ``extra.message``, ``extra.severity`` (``ERROR`` →
high, ``WARNING`` → medium, ``INFO`` → low; newer ``CRITICAL``/``HIGH``/... as they are), the ``start``/``end``
positions, CWE numbers from ``extra.metadata.cwe`` (``"CWE-89: ..."``), ``metadata.confidence`` and the first of
``metadata.references``. ``extra.lines`` is not imported (it can hold a secret, or ``requires login``).
"""

from __future__ import annotations

import re

from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["SemgrepImporter"]

_CWE = re.compile(r"\bcwe[-_: ]*(\d+)", re.IGNORECASE)
_SEVERITY = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "info": Severity.LOW, "inventory": Severity.INFO}


class _Position(ToolReport):
    line: int
    col: int | None = None


class _Metadata(ToolReport):
    cwe: list[str] | str | None = None
    confidence: str | None = None
    references: list[str] | str | None = None
    shortlink: str | None = None


class _Extra(ToolReport):
    message: str = ""
    severity: str = "WARNING"
    metadata: _Metadata | None = None


class _Result(ToolReport):
    check_id: str
    path: str
    start: _Position
    end: _Position | None = None
    extra: _Extra


class _Report(ToolReport):
    results: list[_Result]


class SemgrepImporter:
    """Imports semgrep JSON reports; registered as the ``semgrep`` importer."""

    name = "semgrep"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per result; ``ImporterError`` naming ``source`` and the JSON path."""
        report = validate(_Report, load_json(data, source), source)
        return [_finding(result, control) for result in report.results]


def _listed(value: list[str] | str | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _finding(result: _Result, control: str) -> Finding:
    extra, metadata = result.extra, result.extra.metadata or _Metadata()
    word = extra.severity.strip().lower()
    severity = _SEVERITY.get(word) or Severity.parse(word)
    end = result.end.line if result.end and result.end.line >= result.start.line else result.start.line
    title = result.check_id.rsplit(".", 1)[-1].replace("-", " ")
    references = _listed(metadata.references)
    return Finding(
        control=control,
        tool="semgrep",
        rule_id=result.check_id,
        title=title,
        severity=severity,
        location=Location(
            path=result.path.replace("\\", "/").removeprefix("./"),
            start_line=result.start.line,
            end_line=end,
            start_column=result.start.col,
        ),
        message=extra.message,
        confidence=Confidence.parse(metadata.confidence or "medium"),
        cwe=tuple(sorted({int(m[1]) for text in _listed(metadata.cwe) for m in _CWE.finditer(text)})),
        help_uri=metadata.shortlink or (references[0] if references else ""),
    )
