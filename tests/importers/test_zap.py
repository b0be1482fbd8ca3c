"""The ZAP importer on a traditional-json report written from ZAP's published report schema (no ZAP here)."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.zap import ZapImporter
from bastion.model import Severity


def test_zap_alert_instances_become_findings_and_false_positives_drop(sample: Callable[[str], bytes]) -> None:
    findings = ZapImporter().parse(sample("zap/shop.traditional-json.from-schema.json"), source="z", control="dast")
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("40018", Severity.HIGH),
        ("10038", Severity.MEDIUM),
        ("10038", Severity.MEDIUM),
    ]
    sqli = findings[0]
    assert sqli.cwe == (89,) and sqli.location.path == "http://127.0.0.1:5000/orders/alice?sort=id%27"
    assert "<p>" not in sqli.remediation and "sqlite3" not in repr(sqli)
