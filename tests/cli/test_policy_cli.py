"""``bastion policy`` and ``bastion exception`` through the real console entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_process import bastion

ASSETS = Path(__file__).parents[1] / "assets"


def test_policy_test_runs_the_cases_of_the_example_gate_policies() -> None:
    done = bastion("policy", "test", str(ASSETS / "policy"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "9 passed, 0 failed" in done.stderr


def test_policy_test_exits_1_when_a_case_fails(tmp_path: Path) -> None:
    (tmp_path / "gate.rego").write_text("package bastion.gate\nimport rego.v1\nreasons := set()\n")
    (tmp_path / "gate.cases.yml").write_text("cases:\n  - name: wrong\n    input: {}\n    expect: {outcome: block}\n")
    done = bastion("policy", "test", str(tmp_path))
    assert done.returncode == 1
    assert "FAIL" in done.stdout


def test_policy_that_does_not_compile_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "gate.rego").write_text("package bastion.gate\nimport rego.v1\nreasons contains x if {\n")
    done = bastion("policy", "test", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {tmp_path / 'gate.rego'}:")


def test_policy_eval_prints_the_terraform_document_with_lines() -> None:
    done = bastion("policy", "eval", str(ASSETS / "iac" / "shop" / "terraform" / "main.tf"))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["kind"] == "terraform"
    (db,) = document["resources"]["aws_db_instance"]
    assert (db["file"], db["line"], db["config"]["__lines__"]["publicly_accessible"]) == ("main.tf", 59, 62)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from bastion.store import open_store

    open_store(None, tmp_path).close()
    return tmp_path


def test_exception_lifecycle_add_list_export_remove(repo: Path) -> None:
    from typer.testing import CliRunner

    from bastion.cli.exception import app
    from bastion.policy import read_exceptions

    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "add",
            "AWS-009",
            "--reason",
            "VPN only",
            "--expires",
            "2099-01-31",
            "--approver",
            "alice",
            "--max-days",
            "40000",
            "-C",
            str(repo),
        ],
    )
    assert added.exit_code == 0, added.output
    exception_id = added.output.strip()
    listed = json.loads(runner.invoke(app, ["list", "--json", "-C", str(repo)]).output)
    assert [(e["id"], e["target"], e["active"]) for e in listed] == [(exception_id, "AWS-009", True)]
    assert runner.invoke(app, ["export", "-C", str(repo)]).exit_code == 0
    (exported,) = read_exceptions(repo / ".bastion" / "exceptions.yml")
    assert (exported.id, exported.approver) == (exception_id, "alice")
    assert runner.invoke(app, ["remove", exception_id, "-C", str(repo)]).exit_code == 0
    assert json.loads(runner.invoke(app, ["list", "--json", "-C", str(repo)]).output) == []


def test_exception_without_expiry_is_refused_in_one_line_with_exit_2(repo: Path) -> None:
    done = bastion("exception", "add", "AWS-009", "--reason", "r", "--approver", "a", "-C", str(repo))
    assert done.returncode == 2
    assert done.stderr.strip() == "error: exception for AWS-009: an expiry date is required (--expires YYYY-MM-DD)"
