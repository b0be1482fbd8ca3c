"""The semgrep importer on semgrep 1.182.0's JSON for the shop with local rules."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.semgrep import SemgrepImporter
from bastion.model import Severity


def test_semgrep_results_carry_cwe_severity_and_ranges(sample: Callable[[str], bytes]) -> None:
    findings = SemgrepImporter().parse(sample("semgrep/shop.local-rules.json"), source="s.json", control="sg")
    assert len(findings) == 5
    sqli = [f for f in findings if f.cwe == (89,)]
    assert len(sqli) == 2 and all(f.severity is Severity.HIGH for f in sqli)
    assert any(
        f.location.end_line and f.location.start_line and f.location.end_line > f.location.start_line for f in sqli
    )
    assert all("requires login" not in f.message for f in findings)
