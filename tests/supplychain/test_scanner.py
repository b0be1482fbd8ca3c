"""The ``sbom`` and ``verify`` controls through the Scanner protocol."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.errors import ScannerError
from bastion.model import Severity
from bastion.scanners.protocol import Scanner, ScanTarget
from bastion.supplychain.scanner import SbomOptions, SbomScanner, VerifyOptions, VerifyScanner
from tests.supplychain.conftest import Evidence, supplychain_asset


def test_both_controls_meet_the_scanner_protocol() -> None:
    assert isinstance(SbomScanner(), Scanner)
    assert isinstance(VerifyScanner(), Scanner)


def test_sbom_control_writes_the_sbom_and_reports_nothing(tmp_path: Path) -> None:
    root = supplychain_asset("shop")
    files = ["gradle.lockfile", "requirements.txt"]
    assert SbomScanner().applies_to(root, files)
    target = ScanTarget(root=root, files=files, control="sbom", commit="abc")
    options = SbomOptions(output=str(tmp_path / "out" / "sbom.spdx.json"), format="spdx")  # type: ignore[arg-type]
    assert list(SbomScanner().scan(target, options)) == []
    document = json.loads((tmp_path / "out" / "sbom.spdx.json").read_text())
    assert document["spdxVersion"] == "SPDX-2.3"
    assert target.unanalysed == []


def test_sbom_control_reports_unreadable_lockfiles(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text("{not json")
    target = ScanTarget(root=tmp_path, files=["package-lock.json"], control="sbom")
    SbomScanner().scan(target, SbomOptions())
    assert [u.path for u in target.unanalysed] == ["package-lock.json"]
    assert (tmp_path / "sbom.cdx.json").is_file()


def test_verify_control_passes_good_evidence(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(decided=datetime.now(UTC) - timedelta(hours=1))
    excepted = "block_severity: critical\n  exceptions: [{id: CVE-2021-44228}]"
    made.policy.write_text(made.policy.read_text().replace("block_severity: critical", excepted))
    options = VerifyOptions(artifact=made.artifact.name, policy="policy.yml", osv_db=str(osv_db))
    assert list(VerifyScanner().scan(ScanTarget(root=made.folder, files=[], control="verify"), options)) == []


def test_verify_control_reports_one_finding_per_failed_requirement(
    evidence: Callable[..., Evidence], osv_db: Path
) -> None:
    made = evidence()
    made.artifact.write_bytes(b"tampered")
    options = VerifyOptions(artifact=made.artifact.name, policy="policy.yml", osv_db=str(osv_db))
    findings = list(VerifyScanner().scan(ScanTarget(root=made.folder, files=[], control="deploy-verify"), options))
    by_rule = {f.rule_id: f for f in findings}
    assert set(by_rule) == {"verify-subject", "verify-provenance", "verify-gate", "verify-vulnerabilities"}
    assert by_rule["verify-subject"].severity is Severity.CRITICAL
    assert by_rule["verify-gate"].severity is Severity.HIGH
    assert all(f.control == "deploy-verify" and f.location.path == made.artifact.name for f in findings)


def test_verify_control_errors_on_a_bad_policy_or_missing_artifact(tmp_path: Path) -> None:
    (tmp_path / "policy.yml").write_text("trusted_keys: []\n")
    target = ScanTarget(root=tmp_path, files=[], control="verify")
    with pytest.raises(ScannerError, match=r"verify: .*policy.yml: trusted_keys: "):
        VerifyScanner().scan(target, VerifyOptions(artifact="a.tgz", policy="policy.yml"))
