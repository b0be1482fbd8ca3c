"""``bastion secrets`` and ``bastion hook`` through the real console entry point: exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bastion.cli.secrets_scan import ScanRequest, parse_scan_args
from bastion.scanners.secrets.detectors import builtin_detectors
from tests.cli_process import bastion as run_bastion

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "a@example.test",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "a@example.test",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
LEAK = next(d for d in builtin_detectors() if d.id == "gitlab-pat").true_examples[0] + "\n"


def bastion(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_bastion(*args, cwd=cwd, env=GIT_ENV, timeout=120)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def test_scan_exits_1_with_findings_and_0_when_clean(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("x = 1\n")
    clean = bastion("secrets", "scan", str(tmp_path))
    assert (clean.returncode, clean.stdout) == (0, "")
    assert "0 secrets" in clean.stderr
    (tmp_path / "leak.py").write_text(LEAK)
    found = bastion("secrets", "scan", str(tmp_path), "--format", "json")
    assert found.returncode == 1
    [finding] = json.loads(found.stdout)["findings"]
    assert (finding["detector"], finding["path"], finding["line"]) == ("gitlab-pat", "leak.py", 1)


def test_history_or_staged_outside_git_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for flag in ("--history", "--staged"):
        done = bastion("secrets", "scan", str(tmp_path), flag)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.splitlines() == [f"error: {tmp_path}: not a git repository ({flag} needs one)"]


def test_bad_arguments_are_exit_2(tmp_path: Path) -> None:
    assert bastion("secrets", "scan", str(tmp_path), "--history", "--staged").returncode == 2
    assert bastion("secrets", "scan", str(tmp_path), "--format", "xml").returncode == 2
    assert bastion("secrets", "scan", str(tmp_path / "missing")).returncode == 2
    done = bastion("secrets", "scan", str(tmp_path), "--enable", "no-such-detector")
    assert done.returncode == 2 and "unknown secrets detector 'no-such-detector'" in done.stderr


def test_baseline_command_then_scan_blocks_only_new_secrets(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text(LEAK)
    made = bastion("secrets", "baseline", str(tmp_path), "-o", str(tmp_path / ".bastion/secrets-baseline.json"))
    assert made.returncode == 0 and "1 accepted secret written" in made.stderr
    assert bastion("secrets", "scan", str(tmp_path)).returncode == 0  # the default baseline is honoured
    (tmp_path / "new.py").write_text(
        next(d for d in builtin_detectors() if d.id == "npm-access-token").true_examples[0] + "\n"
    )
    again = bastion("secrets", "scan", str(tmp_path))
    assert again.returncode == 1 and "new.py" in again.stdout and "old.py" not in again.stdout


def test_hook_install_refuses_a_foreign_hook_without_force_and_blocks_a_staged_secret(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n")
    refused = bastion("hook", "install", str(tmp_path))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert bastion("hook", "install", str(tmp_path), "--force").returncode == 0
    assert bastion("hook", "install", str(tmp_path)).returncode == 0  # ours: reinstall is fine
    assert os.access(hook, os.X_OK) and "bastion.cli.hook" in hook.read_text()

    (tmp_path / "ok.py").write_text("x = 1\n")
    git(tmp_path, "add", "ok.py")
    git(tmp_path, "commit", "-q", "-m", "fine")
    (tmp_path / "leak.py").write_text(LEAK)
    git(tmp_path, "add", "leak.py")
    blocked = subprocess.run(
        ["git", "-C", str(tmp_path), "commit", "-q", "-m", "leak"],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    assert blocked.returncode != 0
    assert "leak.py:1:" in blocked.stderr and "gitlab-pat" in blocked.stderr and "commit blocked" in blocked.stderr


def test_detectors_command_lists_the_catalogue() -> None:
    done = bastion("secrets", "detectors", "--json")
    assert done.returncode == 0 and len(json.loads(done.stdout)) >= 200


def test_cli_default_size_limit_is_the_engine_default() -> None:
    from bastion.cli.secrets import DEFAULT_MAX_FILE_BYTES
    from bastion.scanners.secrets.settings import DEFAULT_MAX_FILE_BYTES as ENGINE_DEFAULT

    assert DEFAULT_MAX_FILE_BYTES == ENGINE_DEFAULT


PLAIN_COMMAND_LINES = [
    [],
    ["."],
    ["src", "-f", "json", "-o", "report.json"],
    ["--format=sarif", "--history", "repo"],
    ["--staged", "--engine", "python", "repo", "--baseline", "b.json"],
    ["--allow-path", "tests/**", "--allow-path=vendor/", "--enable", "github-pat", "--disable", "x", "--disable=y"],
    ["-j", "2", "--max-file-bytes", "0", "--jobs=3", "--max-file-bytes=1024"],
    ["--format", "json", "--format", "TEXT", "--output", "a", "-o", "b"],
]
UNUSUAL_COMMAND_LINES = [
    ["--help"],
    ["--bogus"],
    ["a", "b"],
    ["-j", "-1"],
    ["--jobs", "x"],
    ["--max-file-bytes", "1e6"],
    ["-fjson"],
    ["--", "-dir"],
    ["--history=1"],
    ["-o"],
    [""],
    ["-"],
    ["-f=json"],
    ["--output", "-o"],
    ["--engine", ""],
]


def _typer_request(args: list[str]) -> ScanRequest:
    """What Typer makes of ``bastion secrets scan ARGS``, as a ScanRequest."""
    import typer.main

    from bastion.cli.secrets import app

    command = typer.main.get_command(app).commands["scan"]  # type: ignore[attr-defined]
    params = command.make_context("scan", list(args)).params
    return ScanRequest(
        params["path"],
        params["history"],
        params["staged"],
        params["fmt"],
        params["output"],
        params["baseline"],
        params["max_file_bytes"],
        tuple(params["allow_path"]),
        tuple(params["enable"]),
        tuple(params["disable"]),
        params["engine"],
        params["jobs"],
    )


def test_the_plain_parser_reads_a_command_line_as_typer_does() -> None:
    for args in PLAIN_COMMAND_LINES:
        assert parse_scan_args(args) == _typer_request(args), args


def test_the_plain_parser_leaves_anything_unusual_to_typer() -> None:
    for args in UNUSUAL_COMMAND_LINES:
        assert parse_scan_args(args) is None, args


def test_unusual_command_lines_get_typers_messages(tmp_path: Path) -> None:
    bad = bastion("secrets", "scan", str(tmp_path), "--max-file-bytes", "x")
    assert bad.returncode == 2 and "Invalid value for '--max-file-bytes'" in bad.stderr
    unknown = bastion("secrets", "scan", str(tmp_path), "--bogus")
    assert unknown.returncode == 2 and "No such option: --bogus" in unknown.stderr
    done = bastion("secrets", "scan", "--help")
    assert done.returncode == 0 and "--allow-path" in done.stdout
