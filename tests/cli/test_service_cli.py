"""The service's commands: tokens, triage, owner rules, signals, audit, findings --owner/--overdue, server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.model import Severity
from bastion.store import open_store
from tests.store.conftest import RunFactory


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store holding one run of project ``demo`` with three findings."""
    url = f"sqlite:///{tmp_path / 'bastion.db'}"
    runs = RunFactory()
    with open_store(url, tmp_path) as store:
        store.record_run(
            runs.record(
                runs.control(
                    "sast",
                    runs.finding("sqli", path="src/payments/db.py", severity=Severity.CRITICAL),
                    runs.finding("xss", path="web/app.py", severity=Severity.INFO),
                ),
                runs.control("sca", runs.finding("dep", path="requirements.txt", control="sca", severity=Severity.LOW)),
            )
        )
    return url


def cli(*args: str) -> tuple[int, str]:
    """Run a command in-process; return its exit code and stdout."""
    result = CliRunner().invoke(app, list(args), env={"BASTION_ACTOR": "@tester"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def _ids(db: str) -> dict[str, str]:
    code, out = cli("findings", "list", "--db", db, "--json", "--state", "new")
    assert code == 0, out
    return {item["finding"]["rule_id"]: item["id"] for item in json.loads(out)}


def test_tokens_are_printed_once_and_listed_without_secrets(db: str) -> None:
    code, out = cli(
        "token",
        "create",
        "--project",
        "demo",
        "--role",
        "developer",
        "--name",
        "@alice",
        "--db",
        db,
        "--expires",
        "30d",
    )
    secret = out.strip()
    assert code == 0 and secret.startswith("bst_") and "\n" not in secret
    code, listed = cli("token", "list", "--db", db)
    assert code == 0 and "@alice" in listed and secret not in listed
    assert cli("token", "revoke", "1", "--db", db)[0] == 0
    assert "@alice" not in cli("token", "list", "--db", db)[1]


def test_owners_and_overdue_filters(db: str, asset: Callable[[str], Path]) -> None:
    code, out = cli("triage", "rules", "--project", "demo", "--repo", str(asset("service/repo")), "--db", db)
    assert code == 0 and "2 owner rule(s)" in out, out
    code, out = cli("findings", "list", "--db", db, "--owner", "alice", "--json")
    assert [f["finding"]["rule_id"] for f in json.loads(out)] == ["sqli"]
    assert json.loads(out)[0]["owners"] == ["@alice", "@acme/payments"] and json.loads(out)[0]["sla"] == "breached"
    code, out = cli("findings", "list", "--db", db, "--overdue", "--json")
    # info findings have no SLA by default, so only the critical and low ones are overdue.
    assert {f["finding"]["rule_id"] for f in json.loads(out)} == {"sqli", "dep"}
    code, table = cli("findings", "list", "--db", db)
    assert "BREACHED" in table and "@acme/deps" in table


def test_triage_set_and_history(db: str) -> None:
    sqli = _ids(db)["sqli"]
    assert cli("triage", "set", sqli, "--state", "confirmed", "--reason", "reproduced", "--db", db)[0] == 0
    code, out = cli(
        "triage",
        "set",
        sqli[:8],
        "--state",
        "accepted_risk",
        "--reason",
        "WAF",
        "--expires",
        "2w",
        "--approver",
        "@ciso",
        "--db",
        db,
    )
    assert code == 0 and "confirmed -> accepted_risk" in out
    code, out = cli("triage", "history", sqli, "--db", db, "--json")
    changes = json.loads(out)
    assert [(c["from"], c["to"], c["actor"]) for c in changes] == [
        ("open", "confirmed", "@tester"),
        ("confirmed", "accepted_risk", "@tester"),
    ]
    assert changes[1]["approver"] == "@ciso"


def test_signals_import_and_audit_verify_catches_tampering(db: str, asset: Callable[[str], Path]) -> None:
    code, out = cli(
        "triage",
        "signals",
        "--kev",
        str(asset("service/kev.sample.json")),
        "--epss",
        str(asset("service/epss.sample.csv")),
        "--db",
        db,
    )
    assert code == 0 and "KEV: 2 CVEs" in out and "EPSS: 3 CVEs" in out
    code, out = cli("audit", "verify", "--db", db)
    assert code == 0 and out.startswith("ok: 2 entries")
    head = out.split()[-1]
    assert cli("audit", "verify", "--db", db, "--expect-head", head)[0] == 0
    assert "signals.kev" in cli("audit", "list", "--db", db)[1]
    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))  # as someone with DDL rights could
        connection.execute(text("UPDATE audit_log SET actor = '@mallory' WHERE seq = 1"))
    engine.dispose()
    assert cli("audit", "verify", "--db", db)[0] == 1


def _bastion(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_bad_input_is_one_line_and_exit_2(db: str) -> None:
    sqli = _ids(db)["sqli"]
    done = _bastion("triage", "set", sqli, "--state", "accepted_risk", "--reason", "r", "--db", db)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "error: accepting a risk needs an expiry date and an approver"
    done = _bastion("token", "create", "--project", "demo", "--role", "root", "--db", db)
    assert done.returncode == 2 and "--role: unknown role 'root'" in done.stderr


def test_bastion_server_serves_the_api(tmp_path: Path, db: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "bastion", "server", "--port", str(port), "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert response.json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/findings").status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)
