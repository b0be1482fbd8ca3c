"""Changes made from the CLI (exceptions, imports) are in the hash-chained audit log, and ``audit verify`` passes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.store import open_store


def bastion(*args: str, cwd: Path, actor: str = "@tester") -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process."""
    import os

    env = {**os.environ, "BASTION_ACTOR": actor}
    env.pop("BASTION_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    open_store(None, tmp_path).close()
    return tmp_path


def _audit(repo: Path) -> list[dict[str, object]]:
    done = bastion("audit", "list", "--json", "-C", str(repo), cwd=repo)
    assert done.returncode == 0, done.stderr
    entries: list[dict[str, object]] = json.loads(done.stdout)
    return entries


def test_exception_add_and_remove_are_audited(repo: Path) -> None:
    expires = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    added = bastion(
        "exception",
        "add",
        "B602",
        "--reason",
        "sandboxed",
        "--approver",
        "@ciso",
        "--expires",
        expires,
        "--actor",
        "@alice",
        "-C",
        str(repo),
        cwd=repo,
    )
    assert added.returncode == 0, added.stderr
    exception_id = added.stdout.strip()
    removed = bastion("exception", "remove", exception_id, "-C", str(repo), cwd=repo)
    assert removed.returncode == 0, removed.stderr
    missing = bastion("exception", "remove", exception_id, "-C", str(repo), cwd=repo)
    assert missing.returncode == 2 and missing.stderr.startswith(f"error: no exception {exception_id}")
    assert "Traceback" not in missing.stderr
    entries = _audit(repo)
    assert [(e["action"], e["actor"], e["subject"], e["project"]) for e in entries] == [
        ("exception.remove", "@tester", exception_id, repo.name),
        ("exception.add", "@alice", exception_id, repo.name),
    ]
    verified = bastion("audit", "verify", "-C", str(repo), cwd=repo)
    assert verified.returncode == 0 and verified.stdout.startswith("ok: 2 entries"), verified.stdout


def test_an_import_is_audited_with_the_import(repo: Path, asset: Callable[[str], Path]) -> None:
    report = asset("imports/gitleaks/dir.two-leaks.json")
    done = bastion("import", str(report), "--format", "gitleaks", "--project", "shop", "-C", str(repo), cwd=repo)
    assert done.returncode == 0, done.stderr
    (entry,) = _audit(repo)
    assert (entry["action"], entry["actor"], entry["project"]) == ("import.record", "@tester", "shop")
    detail = entry["detail"]
    assert isinstance(detail, dict) and detail["findings"] == {"new": 2, "updated": 0, "unchanged": 0}
    assert detail["format"] == "gitleaks" and detail["branch"] == "main"
    assert bastion("audit", "verify", "-C", str(repo), cwd=repo).returncode == 0
