"""The engine runs stages in order and controls in parallel; failures are results, never passes."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bastion.config import load_pipeline
from bastion.engine import QuietProgress, run_pipeline, scanner_registry, walk_workspace
from bastion.model import ControlStatus, Severity
from bastion.scanners import registry

PLUGIN = '''
"""A third-party scanner package, registered through the bastion.scanners entry point."""
import time
from pydantic import BaseModel, ConfigDict
from bastion.model import Finding, Location, Severity


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    behaviour: str = "find"
    seconds: float = 0.0


class TodoScanner:
    name = "todo"
    description = "Flags TODO comments."
    options_model = Options

    def applies_to(self, root, files):
        return bool(files)

    def scan(self, target, options):
        if options.behaviour == "crash":
            raise RuntimeError("the scanner fell over")
        time.sleep(options.seconds)
        for rel in target.files:
            for number, line in enumerate(target.path_of(rel).read_text().splitlines(), 1):
                if "TODO" in line:
                    yield Finding(control=target.control, tool="todo", rule_id="T1", title="TODO left",
                                  severity=Severity.HIGH, location=Location(path=rel, start_line=number))
'''


@pytest.fixture
def todo_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Install the plugin above as a real distribution on sys.path (a .dist-info with entry_points.txt)."""
    site = tmp_path / "site"
    (site / "todo_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "todo_plugin.py").write_text(PLUGIN)
    (site / "todo_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: todo-plugin\nVersion: 1.0\n"
    )
    (site / "todo_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[bastion.scanners]\ntodo = todo_plugin:TodoScanner\n"
    )
    monkeypatch.syspath_prepend(str(site))
    _clear_caches()
    yield
    _clear_caches()
    sys.modules.pop("todo_plugin", None)


def _clear_caches() -> None:
    registry._entry_points.cache_clear()
    registry.load_scanner.cache_clear()
    registry.load_importer.cache_clear()


def _run(repo: Path, pipeline_text: str) -> dict[str, object]:
    (repo / "bastion.yml").write_text(textwrap.dedent(pipeline_text))
    pipeline = load_pipeline(repo / "bastion.yml", scanner_registry())
    record = run_pipeline(pipeline, walk_workspace(repo), QuietProgress())
    return {c.control: c for c in record.controls}


def test_third_party_scanner_registers_through_entry_point(tmp_path: Path, todo_plugin: None) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1  # TODO remove\n")
    results = _run(repo, "version: 1\nstages:\n  code:\n    - uses: todo\n")
    todo = results["todo"]
    assert todo.status is ControlStatus.SUCCEEDED  # type: ignore[attr-defined]
    (finding,) = todo.findings  # type: ignore[attr-defined]
    assert finding.location.path == "a.py" and finding.severity is Severity.HIGH
    assert len(finding.fingerprint) == 64 and finding.control == "todo"


def test_crash_and_timeout_are_errored_with_reasons(tmp_path: Path, todo_plugin: None) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("# TODO\n")
    results = _run(
        repo,
        """\
        version: 1
        stages:
          code:
            - id: crashy
              uses: todo
              with: {behaviour: crash}
            - id: slow
              uses: todo
              with: {seconds: 5}
              timeout: 0.3
            - id: fine
              uses: todo
        """,
    )
    assert results["crashy"].status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert "RuntimeError: the scanner fell over" in results["crashy"].reason  # type: ignore[attr-defined]
    assert results["slow"].status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert results["slow"].reason == "timed out after 0.3s"  # type: ignore[attr-defined]
    assert results["fine"].status is ControlStatus.SUCCEEDED  # type: ignore[attr-defined]


def _sarif_tool(repo: Path, body: str, name: str = "tool.py") -> str:
    (repo / name).write_text(body)
    return f"{sys.executable} {name}"


SARIF = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {"driver": {"name": "mytool", "rules": [{"id": "R1", "shortDescription": {"text": "Bad"}}]}},
            "results": [
                {
                    "ruleId": "R1",
                    "level": "error",
                    "message": {"text": "bad thing"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 1}}}
                    ],
                }
            ],
        }
    ],
}


def test_run_control_imports_sarif_from_stdout_and_output_file(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(input())\n")
    command = _sarif_tool(tmp_path, f"import json, sys\njson.dump({SARIF!r}, sys.stdout)\n")
    to_file = _sarif_tool(tmp_path, f"import json, sys\njson.dump({SARIF!r}, open(sys.argv[1], 'w'))\n", "to_file.py")
    results = _run(
        tmp_path,
        f"""\
        version: 1
        stages:
          test:
            - id: stdout-tool
              run: {command}
              format: sarif
            - id: file-tool
              run: {to_file} {{output}}
              format: sarif
        """,
    )
    for control in ("stdout-tool", "file-tool"):
        result = results[control]
        assert result.status is ControlStatus.SUCCEEDED, result.reason  # type: ignore[attr-defined]
        (finding,) = result.findings  # type: ignore[attr-defined]
        assert (finding.tool, finding.rule_id, finding.location.path, finding.location.start_line) == (
            "mytool",
            "R1",
            "a.py",
            1,
        )
        assert finding.severity is Severity.HIGH and finding.control == control


def test_run_control_failures_are_errored(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    silent = _sarif_tool(tmp_path, "import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n")
    (tmp_path / "bad.py").write_text("print('{not json')\n")
    (tmp_path / "stale.sarif").write_text(json.dumps(SARIF))
    results = _run(
        tmp_path,
        f"""\
        version: 1
        stages:
          test:
            - id: missing
              run: no-such-tool-anywhere --sarif
              format: sarif
            - id: silent
              run: {silent}
              format: sarif
              output: stale.sarif
            - id: garbage
              run: {sys.executable} bad.py
              format: sarif
            - id: sleepy
              run: sleep 5
              format: sarif
              timeout: 0.3
        """,
    )
    missing, silent_r, garbage, sleepy = (results[k] for k in ("missing", "silent", "garbage", "sleepy"))
    assert missing.status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert missing.reason.startswith("command not found: no-such-tool-anywhere")  # type: ignore[attr-defined]
    assert silent_r.status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert silent_r.reason.endswith("exited 3 and wrote no report: boom")  # type: ignore[attr-defined]
    assert not (tmp_path / "stale.sarif").exists(), "a stale report from an earlier run must not be read"
    assert garbage.status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert "invalid JSON" in garbage.reason  # type: ignore[attr-defined]
    assert sleepy.status is ControlStatus.ERRORED  # type: ignore[attr-defined]
    assert sleepy.reason.startswith("timed out after 0.3s")  # type: ignore[attr-defined]
