"""The ``sca`` control end to end: findings, fingerprints, unreadable lockfiles and a missing store."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.errors import ScannerError
from bastion.model import Severity
from bastion.scanners.protocol import Scanner, ScanTarget
from bastion.scanners.sca import LicencePolicy, ScaOptions, ScaScanner
from bastion.scanners.sca.osv.store import VulnStore


def scan(root: Path, store: Path, **options: object) -> tuple[list, ScanTarget]:  # type: ignore[type-arg]
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    target = ScanTarget(root=root, files=files, control="deps")
    scanner = ScaScanner(environ={})
    findings = list(scanner.scan(target, ScaOptions(osv_db=str(store), **options)))  # type: ignore[arg-type]
    return findings, target


def test_scanner_meets_the_protocol() -> None:
    assert isinstance(ScaScanner(), Scanner)


def test_findings_from_a_real_poetry_lock(
    tmp_path: Path, osv_store_path: Path, sca_asset: Callable[[str], Path]
) -> None:
    shutil.copytree(sca_asset("python/poetry-up-to-date"), tmp_path / "app")
    findings, target = scan(tmp_path, osv_store_path)
    assert target.unanalysed == []
    requests = [f for f in findings if f.location.package == "pkg:pypi/requests@2.25.1"]
    assert [f.rule_id for f in requests] == ["CVE-2023-32681"]
    finding = requests[0]
    assert finding.control == "deps" and finding.tool == "bastion-sca"
    assert {"PYSEC-2023-74", "GHSA-j8r2-6x86-q33q"} <= set(finding.aliases)
    assert finding.remediation == "upgrade requests to >= 2.31.0"
    assert finding.location.path == "app/poetry.lock" and finding.location.start_line is not None
    assert "introduced via docker > requests" in finding.message
    assert "transitive" in finding.tags
    assert len(finding.fingerprint) == 64


def test_fingerprint_survives_an_upgrade_to_another_vulnerable_version(tmp_path: Path, osv_store_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.25.1\n")
    before, _ = scan(tmp_path, osv_store_path)
    (tmp_path / "requirements.txt").write_text("requests==2.30.0\n")
    after, _ = scan(tmp_path, osv_store_path)
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]


def test_malformed_lockfile_is_not_analysed_and_the_rest_is_scanned(tmp_path: Path, osv_store_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==2.10\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package-lock.json").write_text('{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {,\n')
    findings, target = scan(tmp_path, osv_store_path)
    assert {f.rule_id for f in findings} == {"CVE-2019-10906", "CVE-2020-28493"}
    assert [(u.path, u.reason) for u in target.unanalysed] == [
        (
            "web/package-lock.json",
            "web/package-lock.json:4: invalid JSON: Expecting property name enclosed in double quotes",
        )
    ]


def test_empty_or_missing_store_errors_the_control(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==2.10\n")
    with pytest.raises(ScannerError, match=r"run `bastion db sync` or `bastion db import`"):
        scan(tmp_path, tmp_path / "missing.db")
    VulnStore(tmp_path / "empty.db", create=True).close()
    with pytest.raises(ScannerError, match="empty"):
        scan(tmp_path, tmp_path / "empty.db")


def test_findings_from_a_composer_lock_name_the_path_and_the_fix(
    tmp_path: Path, osv_store_path: Path, sca_asset: Callable[[str], Path]
) -> None:
    shutil.copytree(sca_asset("php/bastion-written"), tmp_path / "php")
    findings, target = scan(tmp_path, osv_store_path)
    assert target.unanalysed == []
    assert {f.location.package for f in findings} == {
        "pkg:composer/guzzlehttp/guzzle@7.4.1",
        "pkg:composer/guzzlehttp/psr7@2.1.0",
        "pkg:composer/phpmailer/phpmailer@v6.4.1",
    }
    (finding,) = [f for f in findings if f.rule_id == "CVE-2022-24775"]
    assert finding.location.package == "pkg:composer/guzzlehttp/psr7@2.1.0"
    assert (finding.location.path, finding.location.start_line) == ("php/composer.lock", 60)
    assert finding.message == (
        "guzzlehttp/psr7 2.1.0 is affected by CVE-2022-24775 (fixed in 2.1.1); "
        "introduced via guzzlehttp/guzzle > guzzlehttp/psr7"
    )
    assert finding.remediation == "upgrade guzzlehttp/psr7 to >= 2.12.1"
    assert "transitive" in finding.tags
    mailer = [f for f in findings if f.location.package == "pkg:composer/phpmailer/phpmailer@v6.4.1"]
    assert sorted(f.rule_id for f in mailer) == ["CVE-2021-34551", "CVE-2021-3603"]
    assert {f.remediation for f in mailer} == {"upgrade phpmailer/phpmailer to >= 6.5.0"}
    assert "direct" in mailer[0].tags


def test_licence_policy_findings(tmp_path: Path, osv_store_path: Path, sca_asset: Callable[[str], Path]) -> None:
    shutil.copytree(sca_asset("php/bastion-written"), tmp_path / "php")
    policy = LicencePolicy(deny=["LGPL-2.1-only", "GPL-3.0-only"])
    findings, _ = scan(tmp_path, osv_store_path, licences=policy.model_dump())
    licence = [f for f in findings if f.rule_id.startswith("licence-")]
    assert [(f.rule_id, f.location.package, f.severity) for f in licence] == [
        ("licence-denied", "pkg:composer/phpmailer/phpmailer@v6.4.1", Severity.HIGH)
    ]
