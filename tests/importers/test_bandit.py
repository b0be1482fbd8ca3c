"""The bandit importer on the report bandit 1.9.4 writes for the shop example."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.bandit import BanditImporter
from bastion.model import Confidence, Severity


def test_bandit_results_become_findings(sample: Callable[[str], bytes]) -> None:
    findings = BanditImporter().parse(sample("bandit/shop.json"), source="b.json", control="bandit")
    assert len(findings) == 15
    sqli = next(f for f in findings if f.rule_id == "B608")
    assert sqli.location.path == "db.py" and sqli.cwe == (89,)
    assert sqli.severity is Severity.MEDIUM and sqli.confidence in set(Confidence)
    assert sqli.help_uri.startswith("https://bandit.readthedocs.io/")
    assert all(f.location.start_column and f.location.start_column >= 1 for f in findings)
