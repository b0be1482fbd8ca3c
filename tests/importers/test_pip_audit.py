"""The pip-audit importer: pip-audit 2.10.1's JSON (its own formatter; see the sample names)."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.pip_audit import PipAuditImporter


def test_pip_audit_vulnerabilities_become_package_findings(sample: Callable[[str], bytes]) -> None:
    data = sample("pip-audit/requirements.vulns.formatter-with-hand-entered-advisories.json")
    findings = PipAuditImporter().parse(data, source="p.json", control="pa")
    assert {f.location.package for f in findings} == {
        "pkg:pypi/requests@2.19.1",
        "pkg:pypi/pyyaml@5.3",
        "pkg:pypi/jinja2@2.10",
    }
    requests = next(f for f in findings if f.rule_id == "PYSEC-2018-28")
    assert set(requests.aliases) == {"CVE-2018-18074", "GHSA-x84v-xcm2-53pg"}
    assert requests.remediation == "upgrade requests to 2.20.0"


def test_pip_audit_skipped_dependencies_are_not_findings(sample: Callable[[str], bytes]) -> None:
    data = sample("pip-audit/requirements.service-unreachable.json")
    assert PipAuditImporter().parse(data, source="p.json", control="pa") == []
