"""VEX: an imported OpenVEX document marks matching findings; export writes triage and lifecycle as OpenVEX."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bastion.errors import ImporterError
from bastion.importers import import_report
from bastion.importers.vex import (
    Justification,
    VexStatus,
    collect_statements,
    export_document,
    parse_document,
)
from bastion.model import LifecycleState
from bastion.store import Store
from bastion.store.vex import apply_statements, vex_records

Sample = Callable[[str], bytes]


def _import_vulnerabilities(store: Store, sample: Sample) -> None:
    import_report(
        store,
        sample("pip-audit/requirements.vulns.formatter-with-hand-entered-advisories.json"),
        "pip-audit",
        project="shop",
        source="p",
    )
    import_report(store, sample("trivy/fs.vulnerabilities.from-schema.json"), "trivy", project="shop", source="t")


def test_imported_vex_marks_matching_findings_not_affected_with_justification(store: Store, sample: Sample) -> None:
    _import_vulnerabilities(store, sample)
    statements = parse_document(sample("vex/shop.not-affected.openvex.json"), "shop.vex.json")
    matched = store.write(lambda s: apply_statements(s, "shop", statements, document="shop.vex.json", author="x"))
    assert len(matched) == 2  # requests by CVE (version given), pyyaml by GHSA alias (any version)
    records = {r.vulnerability: r for r in store.read(lambda s: vex_records(s, "shop"))}
    assert records["CVE-2018-18074"].status == "not_affected"
    assert records["CVE-2018-18074"].justification == "vulnerable_code_not_in_execute_path"
    assert records["GHSA-8q59-q68h-6hv4"].status == "affected"
    assert records["CVE-2018-18074"].product == "pkg:pypi/requests@2.19.1"


def test_export_writes_one_statement_per_dependency_finding(store: Store, sample: Sample) -> None:
    _import_vulnerabilities(store, sample)
    findings = store.list_findings(project="shop", states=set(LifecycleState))
    requests = next(t.finding for t in findings if t.finding.location.package == "pkg:pypi/requests@2.19.1")
    decisions = {requests.fingerprint: ("false_positive", "vulnerable_code_not_present")}
    statements = collect_statements(findings, decisions=decisions)
    assert len(statements) == 4
    by_product = {s.products[0]: s for s in statements}
    assert by_product["pkg:pypi/requests@2.19.1"].status is VexStatus.NOT_AFFECTED
    assert by_product["pkg:pypi/requests@2.19.1"].justification is Justification.VULNERABLE_CODE_NOT_PRESENT
    assert by_product["pkg:pypi/urllib3@1.23"].status is VexStatus.UNDER_INVESTIGATION
    document = export_document(statements, author="bastion", timestamp=datetime(2026, 11, 24, tzinfo=UTC))
    assert document["@context"] == "https://openvex.dev/ns/v0.2.0" and len(document["statements"]) == 4
    again = export_document(statements, author="bastion", timestamp=datetime(2026, 11, 25, tzinfo=UTC))
    assert again["@id"] == document["@id"]
    # What we export, we can import.
    import json

    assert len(parse_document(json.dumps(document).encode(), "out.json")) == 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "vex/malformed.not-affected-without-justification.openvex.json",
            "v.json: $.statements[0]: not_affected needs a justification or an impact_statement",
        ),
        ("bandit/shop.json", "v.json: $.@context: expected an OpenVEX context"),
    ],
)
def test_bad_vex_documents_are_one_line_errors(sample: Sample, name: str, expected: str) -> None:
    with pytest.raises(ImporterError) as caught:
        parse_document(sample(name), "v.json")
    assert str(caught.value).startswith(expected)
