"""``bastion triage history`` names the policy exception each accepted risk created and what became of it, in the
table and in ``--json``: active, removed by the next change (with when), expired once its last day passed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.model import Severity
from bastion.store import open_store
from bastion.store.exceptions import PolicyExceptionRow
from tests.store.conftest import RunFactory


@pytest.fixture
def db(store_url: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A store (SQLite, then PostgreSQL) holding one run with two findings; their fingerprints by rule."""
    runs = RunFactory()
    sqli = runs.finding("sqli", path="src/payments/db.py", severity=Severity.CRITICAL)
    xss = runs.finding("xss", path="web/app.py", severity=Severity.MEDIUM)
    with open_store(store_url, tmp_path) as store:
        store.record_run(runs.record(runs.control("sast", sqli, xss)))
    return store_url, {"sqli": sqli.fingerprint, "xss": xss.fingerprint}


def cli(*args: str) -> str:
    """Run a command in-process as ``@tester``; its stdout (failing the test on a non-zero exit)."""
    result = CliRunner().invoke(app, list(args), env={"BASTION_ACTOR": "@tester"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def _history(url: str, finding: str) -> list[dict[str, object]]:
    changes: list[dict[str, object]] = json.loads(cli("triage", "history", finding, "--db", url, "--json"))
    return changes


def test_history_shows_the_exception_active_then_removed(db: tuple[str, dict[str, str]]) -> None:
    url, ids = db
    out = cli(
        "triage",
        "set",
        ids["sqli"][:12],
        "--state",
        "accepted_risk",
        "--reason",
        "behind the WAF",
        "--expires",
        "30d",
        "--approver",
        "@ciso",
        "--db",
        url,
    )
    assert "policy exception EXC-TRIAGE-1 lets the gate pass it" in out
    changes = _history(url, ids["sqli"])
    assert [(c["to"], c["exception_id"], c["exception_status"], c["exception_removed_at"]) for c in changes] == [
        ("accepted_risk", "EXC-TRIAGE-1", "active", None)
    ]
    assert "EXC-TRIAGE-1 (active)" in cli("triage", "history", ids["sqli"], "--db", url)

    before = datetime.now(UTC)
    cli("triage", "set", ids["sqli"][:12], "--state", "confirmed", "--reason", "the WAF rule was dropped", "--db", url)
    changes = _history(url, ids["sqli"])
    assert [(c["to"], c["exception_id"], c["exception_status"]) for c in changes] == [
        ("accepted_risk", "EXC-TRIAGE-1", "removed"),
        ("confirmed", None, None),
    ]
    removed_at = datetime.fromisoformat(str(changes[0]["exception_removed_at"]))
    assert before <= removed_at <= datetime.now(UTC)
    table = cli("triage", "history", ids["sqli"], "--db", url)
    assert f"EXC-TRIAGE-1 (removed {removed_at:%Y-%m-%d})" in table
    assert table.count("EXC-TRIAGE") == 1  # the confirmation created none


def test_history_shows_an_exception_past_its_last_day_as_expired(
    db: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, ids = db
    cli(
        "triage",
        "set",
        ids["xss"][:12],
        "--state",
        "accepted_risk",
        "--reason",
        "internal only",
        "--expires",
        "2d",
        "--approver",
        "@ciso",
        "--db",
        url,
    )
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    with open_store(url, tmp_path) as store:  # as if its time had run out since it was made
        store.write(
            lambda s: s.execute(
                update(PolicyExceptionRow).where(PolicyExceptionRow.id == "EXC-TRIAGE-1").values(expires=yesterday)
            )
        )
    changes = _history(url, ids["xss"])
    assert [(c["exception_id"], c["exception_status"], c["exception_removed_at"]) for c in changes] == [
        ("EXC-TRIAGE-1", "expired", None)
    ]
    assert "EXC-TRIAGE-1 (expired)" in cli("triage", "history", ids["xss"], "--db", url)
