"""``bastion webhook sweep`` (what a cron job runs) and the webhooks after ``bastion run``, against a real receiver."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bastion.model import Severity
from bastion.store import open_store
from tests.receiver import SECRET, SECRET_ENV, Receiver, receiver
from tests.store.conftest import RunFactory

PIPELINE = "version: 1\nproject: demo\nstages:\n  code:\n    - uses: sast\n"
SHELL = "import subprocess\n\ndef ping(host):\n    return subprocess.call('ping ' + host, shell=True)\n"


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process, with the receiver's secret in its environment."""
    env = {**os.environ, SECRET_ENV: SECRET, "BASTION_ACTOR": "@cron"}
    env.pop("BASTION_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


def test_webhook_sweep_announces_breaches_once_and_retries_failed_ones(tmp_path: Path, hook: Receiver) -> None:
    runs = RunFactory()  # first seen in January 2026: long overdue
    with open_store(None, tmp_path) as store:
        store.record_run(runs.record(runs.control("sast", runs.finding("sqli", severity=Severity.CRITICAL))))
    events = "--events", "sla.breached,exception.expiring"
    assert bastion("webhook", "add", hook.url, "--secret-env", SECRET_ENV, *events, cwd=tmp_path).returncode == 0
    hook.statuses = [500, 500]  # fails on both tries
    failed = bastion("webhook", "sweep", "--attempts", "2", cwd=tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "1 finding(s)" in failed.stdout and "0 delivered, 1 failed" in failed.stdout
    assert "HTTP 500" in failed.stderr and "Traceback" not in failed.stderr
    done = bastion("webhook", "sweep", "--window-days", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("sla.breached: 1 finding(s); exception.expiring: 0 exception(s); deliveries: 1")
    again = bastion("webhook", "sweep", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.startswith("sla.breached: 0 finding(s)")
    assert len(hook.events("sla.breached")) == 1
    assert SECRET not in done.stdout + done.stderr + bastion("webhook", "list", cwd=tmp_path).stdout
    bad = bastion("webhook", "sweep", "--window-days", "-1", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_run_notifies_the_new_findings_the_gate_blocked_on(tmp_path: Path, hook: Receiver) -> None:
    (tmp_path / "bastion.yml").write_text(PIPELINE)
    (tmp_path / "net.py").write_text(SHELL)
    open_store(None, tmp_path).close()
    assert bastion("webhook", "add", hook.url, "--secret-env", SECRET_ENV, cwd=tmp_path).returncode == 0
    first = bastion("run", ".", "--quiet", cwd=tmp_path)
    assert first.returncode == 1, first.stderr  # blocked: the shell=True call is new and high
    (blocking,) = hook.wait_for("finding.new_blocking")
    assert blocking.body["project"] == "demo"
    assert [f["rule_id"] for f in blocking.body["findings"]] == ["B602"]
    second = bastion("run", ".", "--quiet", cwd=tmp_path)
    assert second.returncode == 0, second.stderr  # no longer new: the gate passes, nothing to announce
    assert len(hook.events("finding.new_blocking")) == 1
