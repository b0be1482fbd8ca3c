"""``bastion import``, ``bastion vex`` and ``bastion webhook`` through the real console entry point."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_process import bastion

SAMPLES = Path(__file__).resolve().parents[1] / "assets" / "imports"


def test_import_then_reimport_reports_counts(tmp_path: Path) -> None:
    report = str(SAMPLES / "bandit" / "shop.json")
    first = bastion("import", report, "--format", "bandit", "--project", "shop", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["findings"] == {"new": 15, "updated": 0, "unchanged": 0}
    again = bastion("import", report, "-f", "bandit", "--project", "shop", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 updated, 15 unchanged" in again.stdout and "same report as the last import" in again.stdout
    forced = bastion("import", report, "-f", "bandit", "--project", "shop", "--force", "--json", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    summary = json.loads(forced.stdout)
    assert not summary["repeated"] and summary["findings"] == {"new": 0, "updated": 0, "unchanged": 15}


def test_import_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    mismatched = bastion("import", str(SAMPLES / "gitleaks" / "dir.two-leaks.json"), "-f", "trivy", cwd=tmp_path)
    assert mismatched.returncode == 2
    assert mismatched.stderr.startswith("error: ") and "$: expected an object, got an array" in mismatched.stderr
    unknown = bastion("import", str(SAMPLES / "bandit" / "shop.json"), "-f", "nessus", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown import format 'nessus'" in unknown.stderr
    big = bastion("import", str(SAMPLES / "bandit" / "shop.json"), "-f", "bandit", "--max-bytes", "10", cwd=tmp_path)
    assert big.returncode == 2 and "over the import limit of 10 bytes" in big.stderr
    assert "hint: raise the limit" in big.stderr


def test_vex_import_and_export(tmp_path: Path) -> None:
    report = str(SAMPLES / "pip-audit" / "requirements.vulns.formatter-with-hand-entered-advisories.json")
    assert bastion("import", report, "-f", "pip-audit", "--project", "shop", cwd=tmp_path).returncode == 0
    applied = bastion(
        "vex", "import", str(SAMPLES / "vex" / "shop.not-affected.openvex.json"), "--project", "shop", cwd=tmp_path
    )
    assert applied.returncode == 0, applied.stderr
    assert "applied to 2 finding(s)" in applied.stdout
    exported = bastion("vex", "export", "--project", "shop", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    statuses = {s["vulnerability"]["name"]: s["status"] for s in json.loads(exported.stdout)["statements"]}
    assert statuses == {
        "CVE-2018-18074": "not_affected",
        "GHSA-8q59-q68h-6hv4": "affected",
        "PYSEC-2019-217": "under_investigation",
    }


def test_webhook_add_list_remove(tmp_path: Path) -> None:
    added = bastion("webhook", "add", "https://hooks.example.com/x", "--secret-env", "HOOK", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = bastion("webhook", "list", cwd=tmp_path)
    assert "https://hooks.example.com/x\t$HOOK" in listed.stdout
    bad = bastion("webhook", "add", "file:///etc/passwd", "--secret-env", "HOOK", cwd=tmp_path)
    assert bad.returncode == 2 and "must start with http" in bad.stderr
    assert bastion("webhook", "remove", "1", cwd=tmp_path).returncode == 0
