"""The supply-chain commands end to end: keys, sbom, attest, verify and release, with their exit codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.test_run_cli import bastion
from tests.supplychain.conftest import ASSETS, BUILDER, REPOSITORY, osv_db

__all__ = ["osv_db"]  # the supply-chain fixture, reused

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A folder with the shop's lockfiles, an artifact, a passphrase-protected key and a fresh pass report."""
    shutil.copytree(ASSETS / "shop", tmp_path / "shop")
    (tmp_path / "shop-1.0.tar.gz").write_bytes(b"release 1.0\n")
    report = json.loads((ASSETS / "report.pass.json").read_text())
    report["run"]["finished_at"] = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tmp_path / "report.json").write_text(json.dumps(report))
    policy = (
        (ASSETS / "policy.yml")
        .read_text()
        .replace("block_severity: critical", "block_severity: critical\n  osv_db: osv.db")
    )
    (tmp_path / "policy.yml").write_text(policy)
    return tmp_path


def _in_process(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``bastion`` run in this process (fast), from ``cwd``; exit codes as the console script returns them."""
    from typer.testing import CliRunner

    from bastion.cli.main import app

    monkeypatch.chdir(cwd)
    runner = CliRunner()

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


def test_attest_verify_and_record_a_release(shipped: Path, osv_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bastion = _in_process(shipped, monkeypatch)
    env = {"KEY_PASS": "s3cret"}
    done = bastion(
        "keys", "generate", "release", "--algorithm", "ecdsa-p256", "--passphrase-env", "KEY_PASS", cwd=shipped, env=env
    )
    assert done.exit_code == 0, done.output
    assert (shipped / "release").stat().st_mode & 0o777 == 0o600
    assert bastion("sbom", "shop", "-o", "sbom.json", cwd=shipped).exit_code == 0
    assert json.loads((shipped / "sbom.json").read_text())["specVersion"] == "1.6"
    signing = ["--key", "release", "--passphrase-env", "KEY_PASS"]
    for args in (
        ["provenance", "shop-1.0.tar.gz", "--builder-id", BUILDER, "--source", "shop", "--repository", REPOSITORY],
        ["gate", "report.json", "--artifact", "shop-1.0.tar.gz"],
        ["sbom", "sbom.json", "--artifact", "shop-1.0.tar.gz"],
        ["scan", "report.json", "--artifact", "shop-1.0.tar.gz"],
    ):
        done = bastion("attest", *args, *signing, cwd=shipped, env=env)
        assert done.exit_code == 0, done.output
    shutil.copy(osv_db, shipped / "osv.db")

    done = bastion("verify", "shop-1.0.tar.gz", "--policy", "policy.yml", cwd=shipped)
    assert done.exit_code == 1
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "PASS signature",
        "PASS subject",
        "PASS provenance",
        "PASS gate",
        "FAIL vulnerabilities",
    ]
    assert "CVE-2021-44228" in lines[-1]

    excepted = (shipped / "policy.yml").read_text() + "  exceptions: [{id: CVE-2021-44228, reason: mitigated}]\n"
    (shipped / "policy.yml").write_text(excepted)
    done = bastion("verify", "shop-1.0.tar.gz", "--policy", "policy.yml", cwd=shipped)
    assert done.exit_code == 0, done.stdout
    assert all(line.startswith("PASS ") for line in done.stdout.splitlines())

    db = f"sqlite:///{shipped / 'ledger.db'}"
    done = bastion(
        "release",
        "record",
        "1.0",
        "--artifact",
        "shop-1.0.tar.gz",
        "--environment",
        "prod",
        "--trusted-key",
        "release.pub",
        "--db",
        db,
        cwd=shipped,
    )
    assert done.exit_code == 0, done.output
    assert "7 package(s)" in done.stdout
    done = bastion(
        "release",
        "find",
        "--package",
        "log4j-core",
        "--version",
        "2.14.1",
        "--environment",
        "prod",
        "--json",
        "--db",
        db,
        cwd=shipped,
    )
    assert done.exit_code == 0, done.output
    assert [(r["version"], r["current"]) for r in json.loads(done.stdout)] == [("1.0", True)]
    assert "(current)" in bastion("release", "list", "--db", db, cwd=shipped).stdout
    assert (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        in bastion("release", "show", "1.0", "--db", db, cwd=shipped).stdout
    )


def test_verify_failures_are_one_line_each_and_exit_1(shipped: Path) -> None:
    (shipped / "release.pub").write_text((ASSETS / "key.unknown-format.pub").read_text())
    done = bastion("verify", "shop-1.0.tar.gz", "--policy", "policy.yml", cwd=shipped)
    assert done.returncode == 1
    assert (
        done.stdout.strip()
        == "FAIL policy: release.pub: unknown key format: not a PEM Ed25519 or ECDSA P-256 public key"
    )
    assert "Traceback" not in done.stderr


def test_bad_input_to_the_other_commands_exits_2(shipped: Path) -> None:
    done = bastion("attest", "gate", "report.json", "--artifact", "shop-1.0.tar.gz", "--key", "policy.yml", cwd=shipped)
    assert done.returncode == 2
    assert (
        done.stderr.splitlines()[0]
        == "error: policy.yml: unknown key format: not a PEM Ed25519 or ECDSA P-256 private key"
    )
    done = bastion("sbom", "shop", "--format", "swid", cwd=shipped)
    assert done.returncode == 2 and "use cyclonedx|spdx" in done.stderr
    done = bastion("attest", "sbom", "policy.yml", "--artifact", "shop-1.0.tar.gz", "--key", "x", cwd=shipped)
    assert done.returncode == 2 and "policy.yml: unreadable SBOM" in done.stderr
