"""``bastion run`` end to end through the real console entry point: lifecycle, gate, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_process import bastion

PIPELINE = "version: 1\nproject: demo\nstages:\n  code:\n    - uses: sast\n"

SHELL = "import subprocess\n\ndef ping(host):\n    return subprocess.call('ping ' + host, shell=True)\n"
MD5 = "import hashlib\n\ndef digest(p):\n    return hashlib.md5(p).hexdigest()\n"
EVAL = "def calc(expr):\n    return eval(expr)\n"


def _states(repo: Path) -> dict[tuple[str, str], str]:
    done = bastion("run", str(repo), "--quiet", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return {(f["rule_id"], f["location"]["path"]): f["state"] for f in report["findings"]}


def test_lifecycle_over_three_runs_of_a_changing_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "bastion.yml").write_text(PIPELINE)
    (repo / "net.py").write_text(SHELL)
    (repo / "hash.py").write_text(MD5)

    assert _states(repo) == {("B404", "net.py"): "new", ("B602", "net.py"): "new", ("B324", "hash.py"): "new"}

    # Run 2: the shell call is removed, lines are inserted above the md5 call, eval appears.
    (repo / "net.py").write_text("def ping(host):\n    return host\n")
    (repo / "hash.py").write_text("# header\n\n\n" + MD5)
    (repo / "calc.py").write_text(EVAL)
    assert _states(repo) == {
        ("B404", "net.py"): "fixed",
        ("B602", "net.py"): "fixed",
        ("B324", "hash.py"): "existing",
        ("B307", "calc.py"): "new",
    }

    # Run 3: the shell call comes back, eval is fixed.
    (repo / "net.py").write_text(SHELL)
    (repo / "calc.py").unlink()
    assert _states(repo) == {
        ("B404", "net.py"): "reopened",
        ("B602", "net.py"): "reopened",
        ("B324", "hash.py"): "existing",
        ("B307", "calc.py"): "fixed",
    }


def test_gate_blocks_new_high_then_passes_when_it_is_no_longer_new(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "net.py").write_text(SHELL)
    first = bastion("run", str(tmp_path), "--quiet", "--format", "json")
    assert first.returncode == 1
    decision = json.loads(first.stdout)["decision"]
    assert decision["outcome"] == "block"
    assert decision["reasons"][0]["rule"] == "blocking-findings"
    second = bastion("run", str(tmp_path), "--quiet")
    assert second.returncode == 0, "existing findings do not block under the default policy"


def test_errored_mandatory_control_blocks_and_keeps_findings_open(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "net.py").write_text(SHELL)
    assert bastion("run", str(tmp_path), "--quiet").returncode == 1
    (tmp_path / "bastion.yml").write_text(PIPELINE + "      with: {tests: [B999]}\n")
    done = bastion("run", str(tmp_path), "--quiet", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["controls"][0]["status"] == "errored"
    assert {f["state"] for f in report["findings"]} == {"existing"}, "an errored control fixes nothing"
    assert all(f["carried"] for f in report["findings"])


def test_example_shop_is_blocked_with_findings_and_reasons(example_shop: Path, tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    done = bastion("run", str(example_shop), "--db", f"sqlite:///{db}")
    assert done.returncode == 1, done.stderr
    assert "Gate: BLOCK" in done.stdout
    assert "B602" in done.stdout and "B608" in done.stdout
    listed = bastion("findings", "list", "--db", f"sqlite:///{db}", "--severity", "high", "--json")
    assert listed.returncode == 0, listed.stderr
    rules = {f["finding"]["rule_id"] for f in json.loads(listed.stdout)}
    assert {"B602", "B324", "B201"} <= rules
    some_id = json.loads(listed.stdout)[0]["id"]
    shown = bastion("findings", "show", some_id[:8], "--db", f"sqlite:///{db}")
    assert shown.returncode == 0 and some_id in shown.stdout
    runs = bastion("runs", "list", "--db", f"sqlite:///{db}")
    assert runs.returncode == 0 and "shop" in runs.stdout


@pytest.mark.parametrize("fmt", ["sarif", "junit", "json"])
def test_report_formats_are_written_to_the_output_file(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "net.py").write_text(SHELL)
    out = tmp_path / "out" / f"report.{fmt}"
    done = bastion("run", str(tmp_path), "--format", fmt, "--output", str(out))
    assert done.returncode == 1
    assert out.is_file() and out.stat().st_size > 0
    assert "Gate: BLOCK" in done.stdout, "the console summary still shows when the report goes to a file"


@pytest.mark.postgres
def test_run_records_into_the_real_postgresql_server(tmp_path: Path, postgres_url: str) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "net.py").write_text(SHELL)
    env = {"BASTION_DATABASE_URL": postgres_url}
    first = bastion("run", str(tmp_path), "--quiet", "--format", "json", env=env)
    assert first.returncode == 1, first.stderr
    assert not (tmp_path / ".bastion" / "bastion.db").exists(), "the URL from the environment is used"
    second = bastion("run", str(tmp_path), "--quiet", "--format", "json", env=env)
    assert {f["state"] for f in json.loads(second.stdout)["findings"]} == {"existing"}
    listed = bastion("runs", "list", "--json", env=env)
    assert [r["id"] for r in json.loads(listed.stdout)] == [2, 1]


def test_owner_rules_and_sla_in_the_pipeline_file_reach_the_findings(tmp_path: Path) -> None:
    owners = 'owners:\n  - owner: "@alice"\n    paths: ["*.py"]\nsla:\n  high: 3\n'
    (tmp_path / "bastion.yml").write_text(PIPELINE + owners)
    (tmp_path / "net.py").write_text(SHELL)
    assert bastion("run", str(tmp_path), "--quiet").returncode == 1
    listed = bastion("findings", "list", "--repo", str(tmp_path), "--severity", "high", "--json")
    (item,) = json.loads(listed.stdout)
    assert "@alice" in json.dumps(item)
    (tmp_path / "bastion.yml").write_text(PIPELINE + "owners:\n  - paths: ['*.py']\n")
    bad = bastion("run", str(tmp_path), "--quiet")
    assert bad.returncode == 2 and "owners.0.owner" in bad.stderr and "Traceback" not in bad.stderr
