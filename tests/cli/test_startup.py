"""``bastion --help`` stays fast: building the CLI imports no heavy library (the timing is in bench/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = {
    "rich",
    "pydantic",
    "sqlalchemy",
    "alembic",
    "bandit",
    "hyperscan",
    "regopy",
    "cryptography",
    "cyclonedx",
    "spdx_tools",
    "fastapi",
    "uvicorn",
    "univers",
    "packaging",
    "ruamel",
    "pathspec",
    "httpx",
    "psycopg",
}


def test_building_the_cli_imports_no_heavy_library() -> None:
    code = (
        "import sys, json\nimport bastion.cli.main\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert not loaded & HEAVY, f"imported at start-up: {sorted(loaded & HEAVY)}"


def test_help_lists_the_command_groups() -> None:
    done = subprocess.run([sys.executable, "-m", "bastion", "--help"], capture_output=True, text=True, check=True)
    for command in ("run", "init", "schema", "runs", "findings", "secrets", "sca", "db"):
        assert f"  {command} " in done.stdout or f"  {command}\n" in done.stdout, command


# The secrets tree scan runs without Typer: a plain command line is parsed by bastion.cli.secrets_scan.
TREE_SCAN_FORBIDDEN = HEAVY | {"typer", "click", "yaml", "jsonschema", "pkg_resources"}
TREE_SCAN_FORBIDDEN_BASTION = {
    "bastion.config",
    "bastion.model",
    "bastion.engine.runner",
    "bastion.engine.registry",
    "bastion.engine.progress",
    "bastion.cli.secrets",
    "bastion.cli.commands",
}


def _modules_after_cli(args: list[str], cwd: Path) -> set[str]:
    """Every module loaded by ``bastion ARGS`` run through the console entry point (``bastion.cli.main.main``)."""
    code = (
        "import json, sys\nfrom bastion.cli.main import main\nsys.argv = ['bastion', *json.loads(sys.argv[1])]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True, cwd=cwd, check=True
    )
    return set(json.loads(done.stdout.rpartition("\nMODULES ")[2]))


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "app.py").write_text("TIMEOUT = 30\ntoken = os.environ['TOKEN']\n")
    (root / "README.md").write_text("a small tree\n")
    return root


def test_secrets_tree_scan_imports_no_heavy_library(tmp_path: Path) -> None:
    plain = _tree(tmp_path / "plain")  # walked by bastion.engine.workspace (no git)
    work_tree = _tree(tmp_path / "repo")  # listed by git ls-files
    subprocess.run(["git", "init", "-q", str(work_tree)], check=True)
    for root in (plain, work_tree):
        for args in (["secrets", "scan", "."], ["secrets", "scan", str(root), "-f", "json", "-o", "r.json"]):
            loaded = _modules_after_cli(args, root)
            assert "bastion.scanners.secrets.tree" in loaded, "the scan did not run"
            heavy = {m.split(".")[0] for m in loaded} & TREE_SCAN_FORBIDDEN
            assert not heavy, f"{args} in {root.name}: imported {sorted(heavy)}"
            ours = {m for m in loaded if any(m == b or m.startswith(b + ".") for b in TREE_SCAN_FORBIDDEN_BASTION)}
            assert not ours, f"{args} in {root.name}: imported {sorted(ours)}"


def test_an_unusual_secrets_scan_command_line_still_goes_through_typer(tmp_path: Path) -> None:
    loaded = _modules_after_cli(["secrets", "scan", str(_tree(tmp_path)), "--max-file-bytes", "1e6"], tmp_path)
    assert "typer" in loaded


def test_a_sub_command_builds_only_its_own_group(tmp_path: Path) -> None:
    loaded = _modules_after_cli(["secrets", "detectors"], tmp_path)
    assert "bastion.cli.secrets" in loaded
    assert not {"bastion.cli.runs", "bastion.cli.sca", "bastion.cli.policy"} & loaded


# `bastion import` runs without Typer too: a plain command line is parsed by bastion.cli.import_run. A SARIF
# import needs no pydantic either (msgspec reads the log; the other formats' models load with their importer).
IMPORT_FORBIDDEN = {"typer", "click", "rich", "pydantic"}
IMPORT_FORBIDDEN_BASTION = {
    "bastion.cli.imports",
    "bastion.cli.audit",
    "bastion.cli.store_option",
    "bastion.cli.commands",
    "bastion.importers.webhook",  # and its urllib.request: only for a store with webhooks
    "urllib.request",
}


def test_an_import_imports_no_cli_library(tmp_path: Path) -> None:
    report = str(Path(__file__).resolve().parents[1] / "assets" / "imports" / "sarif" / "semgrep.shop.sarif")
    for args in (
        ["import", report, "--format", "sarif", "--db", f"sqlite:///{tmp_path}/a.db", "--repo", str(tmp_path)],
        ["import", report, "-f", "sarif", "--json", "--force", "--project=shop", "--actor", "ci"],
    ):
        loaded = _modules_after_cli(args, tmp_path)
        assert "bastion.importers.service" in loaded, "the import did not run"
        heavy = {m.split(".")[0] for m in loaded} & IMPORT_FORBIDDEN
        assert not heavy, f"{args}: imported {sorted(heavy)}"
        ours = {m for m in loaded if m in IMPORT_FORBIDDEN_BASTION}
        assert not ours, f"{args}: imported {sorted(ours)}"


def test_an_unusual_import_command_line_still_goes_through_typer(tmp_path: Path) -> None:
    loaded = _modules_after_cli(["import", "report.sarif", "-f", "sarif", "--max-bytes", "1e6"], tmp_path)
    assert "typer" in loaded and "bastion.cli.imports" in loaded
