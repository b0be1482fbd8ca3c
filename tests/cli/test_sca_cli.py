"""``bastion db`` and ``bastion sca`` through the real console entry point: output, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_unless_present

OSV_SUBSET = Path(__file__).resolve().parents[2].parent / "shared" / "osv"


def bastion(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process with its own vulnerability store."""
    env = {**os.environ, "BASTION_OSV_DB": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    skip_unless_present(OSV_SUBSET, "the OSV subset (../shared/osv beside the repository)")
    path = tmp_path_factory.mktemp("cli") / "osv.db"
    done = bastion("db", "import", str(OSV_SUBSET / "PyPI.zip"), store=path)
    assert done.returncode == 0, done.stderr
    assert "PyPI.zip" in done.stdout and "2661" in done.stdout
    return path


def test_db_status_reports_counts_and_age(store: Path) -> None:
    done = bastion("db", "status", "--json", store=store)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["advisories"] == 2661 and status["withdrawn"] == 10
    assert status["by_ecosystem"] == {"PyPI": 2661}
    assert status["age_days"] < 1


def test_sca_scan_exits_1_with_findings_and_0_when_clean(store: Path, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==2.10\nrequests==2.31.0\n")
    done = bastion("sca", "scan", str(tmp_path), "--json", store=store)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert {f["id"] for f in findings} == {"CVE-2019-10906", "CVE-2020-28493"}
    assert {f["remediation"] for f in findings} == {"upgrade jinja2 to >= 2.11.3"}
    (tmp_path / "requirements.txt").write_text("jinja2==3.1.4\n")
    assert bastion("sca", "scan", str(tmp_path), store=store).returncode == 0


def test_sca_inventory_lists_purls(tmp_path: Path, store: Path) -> None:
    (tmp_path / "requirements.txt").write_text("Django==4.2.2\n")
    done = bastion("sca", "inventory", str(tmp_path), "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert [p["purl"] for p in json.loads(done.stdout)] == ["pkg:pypi/django@4.2.2"]


def test_missing_store_and_bad_paths_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==2.10\n")
    done = bastion("sca", "scan", str(tmp_path), store=tmp_path / "none.db")
    assert done.returncode == 2
    assert "run `bastion db sync` or `bastion db import`" in done.stderr
    assert bastion("sca", "scan", str(tmp_path / "nope"), store=tmp_path / "none.db").returncode == 2
    assert bastion("db", "import", str(tmp_path / "nope.zip"), store=tmp_path / "x.db").returncode == 2


def test_malformed_lockfile_is_reported_on_stderr(tmp_path: Path, store: Path) -> None:
    (tmp_path / "poetry.lock").write_text("[[package]\n")
    done = bastion("sca", "inventory", str(tmp_path), store=store)
    assert done.returncode == 2
    assert "poetry.lock:1: invalid TOML" in done.stderr
