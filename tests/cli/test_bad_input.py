"""Every kind of bad input gets one clear line on stderr and exit code 2 (or fails closed), never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.cli.test_run_cli import PIPELINE, bastion


def _one_line_error(done: object, *needles: str) -> str:
    stderr = done.stderr  # type: ignore[attr-defined]
    assert done.returncode == 2, (done.returncode, stderr)  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    first = stderr.splitlines()[0]
    assert first.startswith("error: ")
    for needle in needles:
        assert needle in first, (needle, first)
    return first


def test_missing_pipeline_file_hints_init(tmp_path: Path) -> None:
    done = bastion("run", str(tmp_path))
    _one_line_error(done, "bastion.yml", "no pipeline file found")
    assert "bastion init" in done.stderr


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text("version: 1\nstages:\n  code: [\n")
    _one_line_error(bastion("run", str(tmp_path)), "bastion.yml:", "YAML syntax error")


def test_unknown_control_and_option(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text("version: 1\nstages:\n  code:\n    - uses: sastt\n")
    _one_line_error(
        bastion("run", str(tmp_path)),
        "bastion.yml:4: stages.code[0].uses: unknown control 'sastt'",
        "did you mean 'sast'?",
    )
    (tmp_path / "bastion.yml").write_text("version: 1\nstages:\n  code:\n    - uses: sast\n      with: {sevrity: x}\n")
    _one_line_error(bastion("run", str(tmp_path)), "bastion.yml:5: stages.code[0].with.sevrity: unknown option")


def test_missing_target_path(tmp_path: Path) -> None:
    _one_line_error(bastion("run", str(tmp_path / "nowhere")), "nowhere", "does not exist")


def test_unreachable_database_masks_the_password(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    done = bastion("run", str(tmp_path), "--db", "postgresql://bob:hunter2@127.0.0.1:1/nothing")
    line = _one_line_error(done, "127.0.0.1:1")
    assert "hunter2" not in done.stderr and "***" in line


def test_unknown_format_and_stage(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    _one_line_error(bastion("run", str(tmp_path), "--format", "pdf"), "--format: unknown format 'pdf'")
    _one_line_error(bastion("run", str(tmp_path), "--stage", "ship"), "--stage: unknown stage 'ship'")


def test_run_command_not_found_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(
        "version: 1\nstages:\n  test:\n    - run: no-such-scanner-x .\n      format: sarif\n"
    )
    done = bastion("run", str(tmp_path), "--quiet", "--format", "json")
    assert done.returncode == 1
    control = json.loads(done.stdout)["controls"][0]
    assert control["status"] == "errored"
    assert control["reason"].startswith("command not found: no-such-scanner-x")


def test_invalid_sarif_from_a_command_names_the_json_path(tmp_path: Path) -> None:
    (tmp_path / "emit.py").write_text('print(\'{"version": "2.1.0", "runs": {"results": 1}}\')\n')
    (tmp_path / "bastion.yml").write_text(
        f"version: 1\nstages:\n  test:\n    - id: tool\n      run: {sys.executable} emit.py\n      format: sarif\n"
    )
    done = bastion("run", str(tmp_path), "--quiet", "--format", "json")
    assert done.returncode == 1
    control = json.loads(done.stdout)["controls"][0]
    assert control["status"] == "errored"
    assert "runs" in control["reason"] and "\n" not in control["reason"]


def test_findings_show_unknown_id(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert bastion("run", str(tmp_path), "--quiet").returncode == 0
    _one_line_error(bastion("findings", "show", "ffffffffffff", "--repo", str(tmp_path)), "ffffffffffff")


def test_store_commands_without_a_store(tmp_path: Path) -> None:
    _one_line_error(bastion("runs", "list", "--repo", str(tmp_path)), "no store")
