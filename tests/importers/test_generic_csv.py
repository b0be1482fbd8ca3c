"""The generic CSV importer: its columns, and one-line errors naming the row and column."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.errors import ImporterError
from bastion.importers.generic_csv import CsvImporter
from bastion.model import Severity


def test_csv_rows_become_findings(sample: Callable[[str], bytes]) -> None:
    findings = CsvImporter().parse(sample("csv/generic.three-findings.csv"), source="f.csv", control="csv")
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.MEDIUM, Severity.CRITICAL]
    assert findings[0].cwe == (89,) and findings[0].location.start_line == 38
    assert findings[1].aliases == ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg")
    assert findings[2].location.path is None and findings[2].tool == "pentest-2026-q4"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("csv/generic.bad-severity.csv", "f.csv:3: severity: unknown severity 'urgent'"),
        ("csv/generic.bad-line.csv", "f.csv:2: line: expected a line number, got 'zero'"),
        ("csv/generic.missing-columns.csv", "f.csv:1: header: missing column 'title', 'severity'"),
    ],
)
def test_csv_errors_name_the_line_and_column(sample: Callable[[str], bytes], name: str, expected: str) -> None:
    with pytest.raises(ImporterError) as caught:
        CsvImporter().parse(sample(name), source="f.csv", control="csv")
    assert str(caught.value) == expected
