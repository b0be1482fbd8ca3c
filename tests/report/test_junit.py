"""The JUnit renderer: well-formed XML, a suite per control, failures exactly where the gate blocked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from bastion.report import render_junit

from .factory import AWS_KEY, MD5, PASSWORD, SQLI, clean_report, sample_report


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def _suites(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.get("name", ""): suite for suite in root.iter("testsuite")}


def test_junit_has_one_suite_per_control_then_the_gate() -> None:
    root = _parse(render_junit(sample_report()))
    assert root.tag == "testsuites"
    assert list(_suites(root)) == ["sast", "secrets", "sca", "semgrep", "iac", "gate"]


def test_junit_fails_exactly_the_findings_the_gate_blocked_on() -> None:
    root = _parse(render_junit(sample_report()))
    failed = [case.get("name", "") for case in root.iter("testcase") if case.find("failure") is not None]
    assert sorted(failed) == sorted(
        [
            f"B608 src/shop/db.py:6 [{SQLI.id}]",
            f"aws-access-key-id config/settings.py:3 [{AWS_KEY.id}]",
            "new-high-in-mandatory",
        ]
    )
    assert root.get("failures") == "3"
    md5 = next(case for case in root.iter("testcase") if MD5.id in case.get("name", ""))
    assert md5.find("failure") is None and "Use of weak MD5 hash" in (md5.findtext("system-out") or "")


def test_junit_errored_control_is_an_error_and_skipped_control_is_skipped() -> None:
    suites = _suites(_parse(render_junit(sample_report())))
    error = suites["semgrep"].find("testcase[@name='execution']/error")
    assert error is not None and error.get("message") == "semgrep: command not found (exit 127)"
    assert suites["semgrep"].get("errors") == "1"
    assert suites["iac"].find("testcase/skipped") is not None and suites["iac"].get("skipped") == "1"


def test_junit_counts_add_up() -> None:
    root = _parse(render_junit(sample_report()))
    for suite in root.iter("testsuite"):
        assert suite.get("tests") == str(len(suite.findall("testcase")))
    assert root.get("tests") == str(len(list(root.iter("testcase"))))
    assert root.get("errors") == "1"


def test_junit_control_without_findings_passes_so_ci_shows_it_ran() -> None:
    suites = _suites(_parse(render_junit(clean_report())))
    (case,) = suites["sast"].findall("testcase")
    assert case.get("name") == "execution" and len(case) == 0
    (gate,) = suites["gate"].findall("testcase")
    assert gate.get("name") == "decision: pass"


def test_junit_leaves_fixed_findings_out() -> None:
    assert PASSWORD.id not in render_junit(sample_report())


def test_junit_stays_well_formed_with_control_characters_from_tools() -> None:
    report = sample_report()
    noisy = replace(MD5, message="colour \x1b[31mred\x1b[0m and a NUL \x00 <tag> & more")
    report = replace(
        report, findings=tuple(replace(t, finding=noisy) if t.finding is MD5 else t for t in report.findings)
    )
    root = _parse(render_junit(report))
    md5 = next(case for case in root.iter("testcase") if MD5.id in case.get("name", ""))
    assert "<tag> & more" in (md5.findtext("system-out") or "")


def test_junit_gives_a_suite_to_findings_of_a_control_missing_from_the_run() -> None:
    report = sample_report()
    report = replace(report, record=replace(report.record, controls=report.record.controls[1:]))
    suites = _suites(_parse(render_junit(report)))
    assert list(suites)[-2:] == ["sast", "gate"]
    assert suites["sast"].find("testcase[@name='execution']") is None
    assert suites["sast"].get("failures") == "1"
