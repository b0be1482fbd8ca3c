"""The generic CSV importer: findings from any tool as a CSV file with a header row.

Columns (header names are case-insensitive, order free, unknown columns ignored): ``title`` and ``severity``
are required; ``tool``, ``rule_id``, ``path``, ``line``, ``end_line``, ``package`` (a purl), ``cwe``
(``89`` or ``CWE-89``, several separated by ``;``), ``aliases`` (``CVE-...;GHSA-...``), ``message``,
``remediation``, ``url``. Errors name the file, the row's line and the column: ``f.csv:7: severity: unknown
severity 'urgent'``.
"""

from __future__ import annotations

import csv
import io
import re

from bastion.errors import ImporterError
from bastion.model import Finding, Location, Severity

__all__ = ["CsvImporter"]

_REQUIRED = ("title", "severity")
_NUMBER = re.compile(r"(\d+)")


class CsvImporter:
    """Imports the generic CSV format; registered as the ``csv`` importer."""

    name = "csv"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per row; ``ImporterError`` naming ``source``, the line and the column."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImporterError(f"{source}: not UTF-8 text: bad byte at offset {err.start}") from err
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in _REQUIRED if name not in header]
        if missing:
            raise ImporterError(f"{source}:1: header: missing column {', '.join(repr(m) for m in missing)}")
        reader.fieldnames = header
        findings = []
        try:
            for row in reader:
                findings.append(_finding({k: (v or "").strip() for k, v in row.items() if k}, reader, source, control))
        except csv.Error as err:
            raise ImporterError(f"{source}:{reader.line_num}: {err}") from err
        return findings


def _finding(row: dict[str, str], reader: csv.DictReader[str], source: str, control: str) -> Finding:
    where = f"{source}:{reader.line_num}"
    if not row.get("title"):
        raise ImporterError(f"{where}: title: must not be empty")
    try:
        severity = Severity.parse(row.get("severity", ""))
    except ValueError:
        raise ImporterError(f"{where}: severity: unknown severity {row.get('severity')!r}") from None
    start, end = _line(row, "line", where), _line(row, "end_line", where)
    return Finding(
        control=control,
        tool=row.get("tool") or "csv",
        rule_id=row.get("rule_id") or row["title"][:255],
        title=row["title"],
        severity=severity,
        location=Location(
            path=row.get("path") or None,
            start_line=start,
            end_line=max(end or 0, start or 0) or None,
            package=row.get("package") or None,
        ),
        message=row.get("message", ""),
        cwe=tuple(sorted({int(n) for n in _NUMBER.findall(row.get("cwe", ""))})),
        aliases=tuple(a.strip() for a in re.split(r"[;,\s]+", row.get("aliases", "")) if a.strip()),
        remediation=row.get("remediation", ""),
        help_uri=row.get("url", ""),
    )


def _line(row: dict[str, str], column: str, where: str) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImporterError(f"{where}: {column}: expected a line number, got {value!r}")
    return int(value)
