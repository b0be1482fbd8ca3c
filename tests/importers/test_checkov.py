"""The checkov importer on checkov 3.3.30's JSON: one framework (an object) and several (an array)."""

from __future__ import annotations

from collections.abc import Callable

from bastion.importers.checkov import CheckovImporter


def test_checkov_single_framework_report(sample: Callable[[str], bytes]) -> None:
    data = sample("checkov/dockerfile.single-framework.json")
    findings = CheckovImporter().parse(data, source="c.json", control="ck")
    assert {f.rule_id for f in findings} == {"CKV_DOCKER_2", "CKV_DOCKER_3", "CKV_DOCKER_4"}
    add = next(f for f in findings if f.rule_id == "CKV_DOCKER_4")
    assert (add.location.path, add.location.start_line) == ("Dockerfile", 5)


def test_checkov_multi_framework_report_tags_the_framework(sample: Callable[[str], bytes]) -> None:
    data = sample("checkov/terraform-and-dockerfile.multi-framework.json")
    findings = CheckovImporter().parse(data, source="c.json", control="ck")
    assert len(findings) == 14
    assert {f.location.path for f in findings} == {"Dockerfile", "main.tf"}
    assert {f.tags for f in findings} == {("dockerfile",), ("terraform",)}
