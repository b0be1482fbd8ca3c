"""``bastion import`` without Typer (``bastion.cli.import_run``) reads a command line as Typer does, and runs the
same import: the same output, errors and exit codes through either path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.cli.import_run import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, ImportRequest, parse_import_args
from bastion.store import open_store
from tests.receiver import SECRET, SECRET_ENV, receiver

SARIF = Path(__file__).resolve().parents[1] / "assets" / "imports" / "sarif" / "semgrep.shop.sarif"

PLAIN_COMMAND_LINES = [
    ["r.sarif", "--format", "sarif"],
    ["-f", "sarif", "-"],
    ["--format=sarif", "r.sarif", "--json", "--force"],
    ["r.sarif", "-f", "bandit", "--db", "sqlite:////tmp/x.db", "--repo", "/tmp", "--project", "shop"],
    ["--db=postgresql://u@h/db", "--repo=repo", "r.json", "-f", "trivy", "--branch", "dev", "--control", "c1"],
    ["r.json", "-f", "csv", "-C", "repo", "--max-bytes", "1024", "--actor", "ci:bot"],
    ["r.json", "-f", "csv", "--max-bytes=007", "--actor=a b", "--branch=release/1.2", "--control=x=y"],
    ["r.json", "-f", "csv", "--format", "zap", "--project", "a", "--project", "b", "--max-bytes", "9", "--max-bytes=3"],
    ["r.json", "--json", "--json", "-f", "gitleaks", "--force", "--force"],
    ["a=b.json", "-f", "pip-audit", "--repo", "-"],
]
UNUSUAL_COMMAND_LINES = [
    [],
    ["--help"],
    ["r.sarif"],
    ["--format", "sarif"],
    ["r.sarif", "-f", "sarif", "--help"],
    ["r.sarif", "-f", "sarif", "--bogus"],
    ["r.sarif", "-f", "sarif", "--debug"],
    ["a", "b", "-f", "sarif"],
    ["", "-f", "sarif"],
    ["r.sarif", "-fsarif"],
    ["r.sarif", "-f=sarif"],
    ["r.sarif", "-f"],
    ["r.sarif", "-f", ""],
    ["r.sarif", "--format="],
    ["r.sarif", "-f", "--json"],
    ["r.sarif", "-f", "sarif", "--max-bytes", "0"],
    ["r.sarif", "-f", "sarif", "--max-bytes", "-1"],
    ["r.sarif", "-f", "sarif", "--max-bytes", "1e6"],
    ["r.sarif", "-f", "sarif", "--max-bytes", " 12"],
    ["r.sarif", "-f", "sarif", "--max-bytes", "١٢"],
    ["r.sarif", "-f", "sarif", "--json=1"],
    ["r.sarif", "-f", "sarif", "--force=true"],
    ["-f", "sarif", "--", "-r.sarif"],
    ["-r.sarif", "-f", "sarif"],
    ["r.sarif", "-f", "sarif", "--repo", "-C"],
    ["r.sarif", "-f", "sarif", "-Crepo"],
    ["r.sarif", "-f", "sarif", "--for", "x"],
]


def _typer_request(args: list[str]) -> ImportRequest:
    """What Typer makes of ``bastion import ARGS``, as an ImportRequest (the environment is the test's)."""
    import typer
    import typer.main

    from bastion.cli.imports import register

    app = typer.Typer()
    register(app)
    app.command("other")(lambda: None)  # two commands: ``import`` stays a sub-command, as in ``bastion``
    command = typer.main.get_command(app).commands["import"]  # type: ignore[attr-defined]
    params = command.make_context("import", list(args)).params
    return ImportRequest(
        file=params["file"],
        fmt=params["fmt"],
        db=params["db"],
        repo=params["repo"],
        project=params["project"],
        branch=params["branch"],
        control=params["control"],
        max_bytes=params["max_bytes"],
        as_json=params["as_json"],
        force=params["force"],
        actor=params["actor"],
    )


@pytest.mark.parametrize("environment", [None, "", "4096"])
def test_the_plain_parser_reads_a_command_line_as_typer_does(
    environment: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if environment is None:
        monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    else:
        monkeypatch.setenv(MAX_BYTES_ENV, environment)
    for args in PLAIN_COMMAND_LINES:
        assert parse_import_args(args) == _typer_request(args), args


def test_the_size_limit_comes_from_the_environment_only_without_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, "not a number")  # ignored by click: the option is on the command line
    args = ["r.sarif", "-f", "sarif", "--max-bytes", "10"]
    assert parse_import_args(args) == _typer_request(args) == ImportRequest(Path("r.sarif"), "sarif", max_bytes=10)
    monkeypatch.setenv(MAX_BYTES_ENV, "2048")
    assert parse_import_args(["r.sarif", "-f", "sarif"]) == ImportRequest(Path("r.sarif"), "sarif", max_bytes=2048)
    monkeypatch.delenv(MAX_BYTES_ENV)
    assert parse_import_args(["r.sarif", "-f", "sarif"]) == ImportRequest(Path("r.sarif"), "sarif")
    assert ImportRequest(Path("r"), "sarif").max_bytes == DEFAULT_MAX_BYTES


def test_the_plain_parser_leaves_anything_unusual_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    for args in UNUSUAL_COMMAND_LINES:
        assert parse_import_args(args) is None, args
    for value in ("0", "x", "-5", "1.5"):  # a variable click would refuse: Typer's message
        assert parse_import_args(["r.sarif", "-f", "sarif"], {MAX_BYTES_ENV: value}) is None, value


def test_the_typer_command_declares_the_same_defaults_as_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert _typer_request(["r.sarif", "-f", "sarif"]) == ImportRequest(Path("r.sarif"), "sarif")


_CHILD = """\
import json, sys
from bastion.cli.errors import run_app
from bastion.cli.main import build_app, main
path, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["bastion", *args]
try:
    if path == "typer":
        sys.exit(run_app(build_app(args)))  # what main() does for a command line its plain parser leaves
    main()
finally:
    sys.stderr.write("\\nTYPER " + str("typer" in sys.modules))
"""


def _bastion(
    path: str, args: list[str], cwd: Path, stdin: bytes | None = None, *, typer_expected: bool | None = None
) -> tuple[int, str, str]:
    """Run ``bastion ARGS`` in a child process through ``main`` ("plain") or through Typer: (code, out, err).

    Typer must be loaded exactly when expected: by default, only on the Typer path."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, path, json.dumps(args)],
        capture_output=True,
        cwd=cwd,
        input=stdin,
        env={**os.environ, "BASTION_ACTOR": "ci:test", SECRET_ENV: SECRET},
        timeout=300,
        check=False,
    )
    err, _, typer_loaded = done.stderr.decode().rpartition("\nTYPER ")
    expected = path == "typer" if typer_expected is None else typer_expected
    assert typer_loaded == str(expected), (path, args, err)
    return done.returncode, done.stdout.decode(), err


def _import_both_ways(tmp_path: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the same import into two fresh SQLite stores, through each path; they must agree. The outcome."""
    outcomes = []
    for path in ("plain", "typer"):
        work = tmp_path / path
        work.mkdir(exist_ok=True)
        command = ["import", *args, "--db", f"sqlite:///{work}/bastion.db", "--repo", str(tmp_path)]
        outcomes.append(_bastion(path, command, work, stdin))
    assert outcomes[0] == outcomes[1]
    return outcomes[0]


def test_a_real_import_prints_the_same_through_either_path(tmp_path: Path) -> None:
    first = _import_both_ways(tmp_path, str(SARIF), "--format", "sarif", "--project", "shop")
    assert first[0] == 0 and "5 finding(s) from sarif into shop@main (run 1): 5 new" in first[1], first
    again = _import_both_ways(tmp_path, str(SARIF), "-f", "sarif", "--project", "shop")
    assert again[0] == 0 and "(same report as the last import)" in again[1], again
    forced = _import_both_ways(tmp_path, str(SARIF), "-f", "sarif", "--project=shop", "--force", "--json")
    assert forced[0] == 0 and json.loads(forced[1])["findings"] == {"new": 0, "updated": 0, "unchanged": 5}
    piped = _import_both_ways(tmp_path, "-", "-f", "sarif", "--branch", "dev", stdin=SARIF.read_bytes())
    assert piped[0] == 0 and piped[1].startswith(f"<stdin>: 5 finding(s) from sarif into {tmp_path.name}@dev")


def test_import_errors_are_the_same_one_line_through_either_path(tmp_path: Path) -> None:
    missing = _import_both_ways(tmp_path, str(tmp_path / "missing.sarif"), "-f", "sarif")
    assert missing[0] == 2 and missing[2].splitlines() == [
        f"error: {tmp_path / 'missing.sarif'}: cannot read: No such file or directory"
    ]
    unknown = _import_both_ways(tmp_path, str(SARIF), "-f", "nessus")
    assert unknown[0] == 2 and unknown[2].startswith("error: unknown import format 'nessus'")
    big = _import_both_ways(tmp_path, str(SARIF), "-f", "sarif", "--max-bytes", "10")
    assert big[0] == 2 and "over the import limit of 10 bytes" in big[2]
    assert "hint: raise the limit with --max-bytes (or BASTION_IMPORT_MAX_BYTES)" in big[2]


def test_unusual_import_command_lines_get_typers_messages(tmp_path: Path) -> None:
    def through_main(*args: str) -> tuple[int, str, str]:
        return _bastion("plain", ["import", *args], tmp_path, typer_expected=True)

    bad = through_main(str(SARIF), "-f", "sarif", "--max-bytes", "0")
    assert bad[0] == 2 and "Invalid value for '--max-bytes'" in bad[2]
    unknown = through_main(str(SARIF), "-f", "sarif", "--bogus")
    assert unknown[0] == 2 and "No such option: --bogus" in unknown[2]
    missing = through_main(str(SARIF))
    assert missing[0] == 2 and "Missing option '--format'" in missing[2]
    shown = through_main("--help")
    assert shown[0] == 0 and "--max-bytes" in shown[1]


def test_an_import_without_typer_notifies_the_stores_webhooks(tmp_path: Path) -> None:
    open_store(None, tmp_path).close()
    with receiver() as hook:
        added = subprocess.run(
            [sys.executable, "-m", "bastion", "webhook", "add", hook.url, "--secret-env", SECRET_ENV],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        code, out, err = _bastion("plain", ["import", str(SARIF), "-f", "sarif", "--project", "shop"], tmp_path)
        assert code == 0 and "5 new" in out, err
        (blocking,) = hook.wait_for("finding.new_blocking")
    assert blocking.body["project"] == "shop"
    shell = "rules.python.lang.security.audit.subprocess-shell-true"
    assert shell in {f["rule_id"] for f in blocking.body["findings"]}


def test_the_fast_paths_default_size_limit_is_the_import_services() -> None:
    from bastion.importers import DEFAULT_MAX_BYTES as SERVICE_DEFAULT

    assert DEFAULT_MAX_BYTES == SERVICE_DEFAULT
