"""The JSON renderer: a stable, documented document with every part of the run."""

from __future__ import annotations

import json

from bastion.report import JSON_SCHEMA_VERSION, json_document, render_json

from .factory import AWS_KEY, PASSWORD, SECRET, SQLI, clean_report, sample_report


def test_json_parses_and_has_the_documented_top_level_keys() -> None:
    document = json.loads(render_json(sample_report()))
    assert list(document) == [
        "schema_version",
        "generator",
        "run",
        "summary",
        "controls",
        "findings",
        "decision",
    ]
    assert document["schema_version"] == JSON_SCHEMA_VERSION == 1
    assert document["generator"]["name"] == "bastion"


def test_json_run_and_summary() -> None:
    document = json_document(sample_report())
    run = document["run"]
    assert run["id"] == 42
    assert run["project"] == "acme/shop"
    assert run["started_at"] == "2026-11-23T09:30:00Z"
    assert run["duration_s"] == 4.5
    assert (run["files_scanned"], run["skipped_binary"], run["skipped_oversize"]) == (45, 2, 1)
    summary = document["summary"]
    assert (summary["open"], summary["new"], summary["reopened"], summary["existing"], summary["fixed"]) == (
        7,
        2,
        1,
        4,
        1,
    )
    assert summary["carried"] == 1
    assert summary["by_severity"] == {"critical": 1, "high": 2, "medium": 2, "low": 1, "info": 1}


def test_json_controls_list_status_and_unanalysed_files() -> None:
    controls = {c["id"]: c for c in json_document(sample_report())["controls"]}
    assert controls["semgrep"]["status"] == "errored"
    assert controls["semgrep"]["reason"] == "semgrep: command not found (exit 127)"
    assert controls["secrets"]["unanalysed"] == [{"path": "data/dump.sql", "reason": "not valid UTF-8"}]
    assert controls["sast"]["findings"] == 3


def test_json_findings_carry_state_dates_fingerprint_and_id_worst_first() -> None:
    findings = json_document(sample_report())["findings"]
    assert [f["severity"] for f in findings[:3]] == ["critical", "high", "high"]
    assert findings[-1]["id"] == PASSWORD.id and findings[-1]["state"] == "fixed"
    sqli = next(f for f in findings if f["id"] == SQLI.id)
    assert sqli["fingerprint"] == SQLI.fingerprint
    assert sqli["state"] == "new"
    assert sqli["first_seen"] == "2026-11-23T09:30:00Z"
    assert sqli["cwe"] == [89]
    assert sqli["location"]["path"] == "src/shop/db.py" and sqli["location"]["start_line"] == 6


def test_json_decision_lists_each_reason_with_its_findings() -> None:
    decision = json_document(sample_report())["decision"]
    assert decision["outcome"] == "block" and decision["blocked"] is True
    assert decision["reasons"][0]["finding_ids"] == [SQLI.id, AWS_KEY.id]
    assert decision["reasons"][1]["control"] == "semgrep"


def test_json_shows_only_the_masked_secret() -> None:
    text = render_json(sample_report())
    assert SECRET not in text
    assert "AKIA************MPLE" in text


def test_json_is_stable_and_handles_an_empty_run() -> None:
    assert render_json(sample_report()) == render_json(sample_report())
    document = json.loads(render_json(clean_report()))
    assert document["findings"] == []
    assert document["run"]["commit"] is None and document["run"]["id"] is None
    assert document["decision"] == {"outcome": "pass", "blocked": False, "policy": "default", "reasons": []}
