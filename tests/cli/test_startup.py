"""``bastion --help`` stays fast: building the CLI imports no heavy library (the timing is in bench/)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = {"rich", "pydantic", "sqlalchemy", "alembic", "bandit", "hyperscan", "regopy", "cryptography", "cyclonedx",
         "spdx_tools", "fastapi", "uvicorn", "univers", "packaging", "ruamel", "pathspec", "httpx", "psycopg"}


def test_building_the_cli_imports_no_heavy_library() -> None:
    code = ("import sys, json\nimport bastion.cli.main\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert not loaded & HEAVY, f"imported at start-up: {sorted(loaded & HEAVY)}"


def test_help_lists_the_command_groups() -> None:
    done = subprocess.run([sys.executable, "-m", "bastion", "--help"], capture_output=True, text=True, check=True)
    for command in ("run", "init", "schema", "runs", "findings", "secrets", "sca", "db"):
        assert f"  {command} " in done.stdout or f"  {command}\n" in done.stdout, command
