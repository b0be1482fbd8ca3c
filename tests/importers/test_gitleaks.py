"""The gitleaks importer on reports written by gitleaks 8.30.1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.errors import ImporterError
from bastion.importers.gitleaks import GitleaksImporter

SECRETS = ("AKIA4QZ7HX2LWRTE5NBJ", "q7Lr2Vx9TfKp3Wm8Zb1Nc5Hy6Dg0Js4Ue2Ra7Qo+")


def test_gitleaks_history_report_becomes_findings_with_commit(sample: Callable[[str], bytes]) -> None:
    findings = GitleaksImporter().parse(sample("gitleaks/git-history.two-leaks.json"), source="g.json", control="gl")
    by_rule = {f.rule_id: f for f in findings}
    assert set(by_rule) == {"aws-access-token", "generic-api-key"}
    aws = by_rule["aws-access-token"]
    assert (aws.location.path, aws.location.start_line, aws.location.start_column) == ("app.py", 18, 23)
    assert aws.location.commit == "b7d1b0291f47060291dad9199ce276181a814b4a"
    assert aws.cwe == (798,) and aws.control == "gl" and aws.tool == "gitleaks"
    assert aws.evidence == "AKIA…" and aws.fingerprint


def test_gitleaks_secrets_are_hashed_and_never_kept(sample: Callable[[str], bytes]) -> None:
    findings = GitleaksImporter().parse(sample("gitleaks/dir.two-leaks.json"), source="g.json", control="gl")
    assert findings
    for finding in findings:
        text = repr(finding)
        assert not any(secret in text for secret in SECRETS)
        assert "sha256 " in finding.message


def test_gitleaks_fingerprint_ignores_the_line_and_commit(sample: Callable[[str], bytes]) -> None:
    history = GitleaksImporter().parse(sample("gitleaks/git-history.two-leaks.json"), source="a", control="gl")
    tree = GitleaksImporter().parse(sample("gitleaks/dir.two-leaks.json"), source="b", control="gl")
    assert {f.fingerprint for f in history} == {f.fingerprint for f in tree}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "gitleaks/malformed.start-line-is-a-string.json",
            'r.json: $[0].StartLine: expected an integer, got the string "eighteen"',
        ),
        ("gitleaks/malformed.truncated.json", "r.json: invalid JSON at line"),
        ("bandit/shop.json", "r.json: $: expected an array, got an object"),
    ],
)
def test_gitleaks_malformed_report_names_the_file_and_json_path(
    sample: Callable[[str], bytes], name: str, expected: str
) -> None:
    with pytest.raises(ImporterError) as caught:
        GitleaksImporter().parse(sample(name), source="r.json", control="gl")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)
