"""The ``secrets`` control in the pipeline: findings with CWE-798, masked evidence and stable fingerprints."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bastion.errors import ScannerError
from bastion.model import Severity, fingerprint_of
from bastion.scanners import Scanner, ScanTarget, load_scanner
from bastion.scanners.secrets import SecretsOptions, SecretsScanner
from tests.scanners.secrets.conftest import example_line, secret_in


def target(tmp_path: Path, files: dict[str, str]) -> ScanTarget:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return ScanTarget(root=tmp_path, files=sorted(files), control="secrets")


def test_scanner_is_registered_and_meets_the_protocol() -> None:
    scanner = load_scanner("secrets")
    assert isinstance(scanner, Scanner) and isinstance(scanner, SecretsScanner)


def test_findings_carry_cwe_masked_evidence_and_a_position_independent_fingerprint(tmp_path: Path) -> None:
    scan = target(tmp_path, {"app.py": "x = 1\n" + example_line("github-fine-grained-pat") + "\n"})
    [finding] = SecretsScanner().scan(scan, SecretsOptions())
    secret = secret_in("github-fine-grained-pat")
    assert (finding.rule_id, finding.severity, finding.cwe) == ("github-fine-grained-pat", Severity.CRITICAL, (798,))
    assert finding.evidence == secret[:4] + "…" and secret not in finding.message
    import hashlib

    digest = hashlib.sha256(secret.encode()).hexdigest()
    assert finding.fingerprint == fingerprint_of("secrets", "github-fine-grained-pat", "app.py", digest)
    moved = target(tmp_path, {"app.py": "\n\n\n" + example_line("github-fine-grained-pat") + "\n"})
    [again] = SecretsScanner().scan(moved, SecretsOptions())
    assert again.fingerprint == finding.fingerprint and again.location.start_line == 4


def test_options_disable_detectors_allow_paths_and_report_oversize_files(tmp_path: Path) -> None:
    scan = target(
        tmp_path,
        {
            "a.py": example_line("gitlab-pat") + "\n" + example_line("slack-bot-token") + "\n",
            "fixtures/keys.py": example_line("gitlab-pat") + "\n",
            "big.txt": "x" * 5000,
        },
    )
    options = SecretsOptions(
        disable=["slack-bot-token", "generic-secret-assignment"], allow_paths=["fixtures/"], max_file_bytes=4000
    )
    found = list(SecretsScanner().scan(scan, options))
    assert [(f.rule_id, f.location.path) for f in found] == [("gitlab-pat", "a.py")]
    assert [u.path for u in scan.unanalysed] == ["big.txt"]


def test_unknown_option_and_unknown_detector_fail_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        SecretsOptions.model_validate({"max_file_byte": 1})
    with pytest.raises(ScannerError, match=r"unknown secrets detector 'gitlab-patt'.*did you mean 'gitlab-pat'"):
        list(SecretsScanner().scan(target(tmp_path, {"a.py": ""}), SecretsOptions(enable=["gitlab-patt"])))
