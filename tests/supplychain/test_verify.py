"""Verification before deploy: every requirement passes on good evidence and each kind of bad evidence fails."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.supplychain import (
    KeyAlgorithm,
    PredicateType,
    Requirement,
    Verification,
    generate_key,
    load_policy,
    verify_artifact,
)
from tests.supplychain.conftest import Evidence

NOW = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)  # three days after report.pass.json's run


def _verify(made: Evidence, osv_db: Path, *, now: datetime = NOW, policy: str | None = None) -> Verification:
    if policy is not None:
        made.policy.write_text(policy)
    loaded, keys = load_policy(made.policy)
    return verify_artifact(made.artifact, made.bundle, loaded, keys, store_path=osv_db, now=now)


def _failed(result: Verification) -> dict[str, str]:
    assert not result.passed
    return {r.requirement.value: r.message for r in result.results if not r.passed}


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


CLEAN_POLICY = (
    "trusted_keys: [release.pub]\nallowed_builders: ['https://ci.example.com/bastion']\n"
    "allowed_repositories: ['https://github.com/acme/shop.git/']\nmax_gate_age_days: 7\n"
    "vulnerabilities:\n  exceptions:\n    - {id: CVE-2021-44228,"
    " package: pkg:maven/org.apache.logging.log4j/log4j-core, expires: 2026-02-01, reason: lookups disabled}\n"
)


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_good_evidence_passes_every_requirement(
    evidence: Callable[..., Evidence], osv_db: Path, algorithm: KeyAlgorithm
) -> None:
    made = evidence(algorithm)
    result = _verify(made, osv_db, policy=CLEAN_POLICY)
    assert [r.requirement for r in result.results] == list(Requirement)
    assert result.passed, [r.line() for r in result.results]
    lines = [r.line() for r in result.results]
    assert lines[0].startswith("PASS signature: 4 attestation(s) in shop-1.0.tar.gz.intoto.jsonl signed by trusted")
    assert lines[2] == (
        "PASS provenance: built by https://ci.example.com/bastion from https://github.com/acme/shop at 3f2a9c1d0e8b"
    )
    assert lines[3] == "PASS gate: gate pass by policy default 3.1 day(s) ago"
    assert lines[4] == "PASS vulnerabilities: no unexcepted critical+ vulnerability in 7 SBOM package(s)"


def test_a_critical_vulnerability_in_the_sbom_blocks(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    failed = _failed(_verify(evidence(), osv_db))
    assert failed == {
        "vulnerabilities": "1 unexcepted critical+ vulnerability(ies): "
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 CVE-2021-44228 (critical)"
    }


def test_an_expired_exception_no_longer_excepts(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    result = _verify(made, osv_db, now=datetime(2026, 2, 2, tzinfo=UTC), policy=CLEAN_POLICY)
    assert "CVE-2021-44228" in _failed(result)["vulnerabilities"]


def test_tampered_artifact_fails_the_subject(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    made.artifact.write_bytes(_flip(made.artifact.read_bytes(), 100))
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed["subject"].startswith("shop-1.0.tar.gz (sha256:")
    assert failed["subject"].endswith("is named by none of 4 verified attestation(s)")
    assert set(failed) == {"subject", "provenance", "gate", "vulnerabilities"}
    assert failed["gate"] == "no verified gate decision attestation for the artifact"


def test_tampered_envelope_payload_fails_the_signature(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(report="report.block.json")
    lines = made.bundle.read_text().splitlines()
    envelope = json.loads(lines[2])
    payload = base64.b64decode(envelope["payload"])
    tampered = payload.replace(b'"outcome":"block"', b'"outcome":"pass"')
    assert tampered != payload
    envelope["payload"] = base64.b64encode(tampered).decode()
    lines[2] = json.dumps(envelope)
    made.bundle.write_text("\n".join(lines) + "\n")
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed["signature"].startswith(f"{made.bundle}:3: no signature verifies with a trusted key")
    assert failed["gate"] == "no verified gate decision attestation for the artifact"


def test_one_flipped_payload_byte_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    lines = made.bundle.read_text().splitlines()
    envelope = json.loads(lines[0])
    envelope["payload"] = base64.b64encode(_flip(base64.b64decode(envelope["payload"]), 60)).decode()
    made.bundle.write_text("\n".join([json.dumps(envelope), *lines[1:]]) + "\n")
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed["signature"].startswith(f"{made.bundle}:1: no signature verifies")
    assert "provenance" in failed


def test_tampered_signature_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(KeyAlgorithm.ECDSA_P256)
    lines = made.bundle.read_text().splitlines()
    envelope = json.loads(lines[2])
    signature = base64.b64decode(envelope["signatures"][0]["sig"])
    envelope["signatures"][0]["sig"] = base64.b64encode(_flip(signature, len(signature) - 1)).decode()
    lines[2] = json.dumps(envelope)
    made.bundle.write_text("\n".join(lines) + "\n")
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed["signature"].startswith(f"{made.bundle}:3: no signature verifies")


def test_wrong_key_fails_every_requirement(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    (made.folder / "release.pub").write_bytes(generate_key(KeyAlgorithm.ED25519).public.pem())
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert set(failed) == {r.value for r in Requirement}
    assert failed["signature"].endswith("(and 3 more)")
    assert failed["subject"].startswith("no verified attestation to compare with shop-1.0.tar.gz")


def test_an_attestation_signed_by_an_untrusted_key_is_a_failure_not_ignored(
    evidence: Callable[..., Evidence], osv_db: Path
) -> None:
    made = evidence()
    made.sign(PredicateType.GATE_DECISION, {"outcome": "pass"}, key=generate_key(KeyAlgorithm.ED25519))
    assert "signature" in _failed(_verify(made, osv_db, policy=CLEAN_POLICY))


def test_expired_gate_attestation_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    failed = _failed(_verify(made, osv_db, now=NOW + timedelta(days=10), policy=CLEAN_POLICY))
    assert set(failed) == {"gate"}
    assert failed["gate"] == (f"{made.bundle}:3: gate attestation expired: decided 2026-01-05, 13.1 days ago (max 7)")


def test_a_blocking_gate_decision_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(report="report.block.json")
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed == {"gate": f"{made.bundle}:3: the newest gate decision is 'block'"}


def test_the_newest_gate_decision_counts(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(report="report.block.json", decided=NOW - timedelta(days=5))
    passing = json.loads(base64.b64decode(json.loads(made.bundle.read_text().splitlines()[2])["payload"]))
    passing["predicate"] |= {"outcome": "pass", "decidedAt": "2026-01-08T00:00:00Z"}
    made.sign(PredicateType.GATE_DECISION, passing["predicate"])
    assert _verify(made, osv_db, policy=CLEAN_POLICY).passed


def test_provenance_from_another_builder_or_repository_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    other_builder = CLEAN_POLICY.replace("https://ci.example.com/bastion", "https://ci.example.com/other")
    assert _failed(_verify(made, osv_db, policy=other_builder))["provenance"] == (
        f"{made.bundle}:1: builder 'https://ci.example.com/bastion' is not allowed"
    )
    other_repo = CLEAN_POLICY.replace("acme/shop.git/", "acme/other")
    assert _failed(_verify(made, osv_db, policy=other_repo))["provenance"] == (
        f"{made.bundle}:1: repository 'https://github.com/acme/shop' is not allowed"
    )


def test_missing_attestations_fail_their_requirements(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(attestations=(PredicateType.SCAN_RESULTS,))
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed == {
        "provenance": "no verified SLSA provenance v1 attestation for the artifact",
        "gate": "no verified gate decision attestation for the artifact",
        "vulnerabilities": "no verified SBOM attestation for the artifact",
    }


def test_missing_bundle_fails_everything(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence()
    made.bundle.unlink()
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed["signature"] == f"{made.bundle}: cannot read attestation bundle: No such file or directory"
    assert set(failed) == {r.value for r in Requirement}


def test_unreadable_sbom_attestation_fails(evidence: Callable[..., Evidence], osv_db: Path) -> None:
    made = evidence(attestations=(PredicateType.SLSA_PROVENANCE, PredicateType.GATE_DECISION))
    made.sign(PredicateType.CYCLONEDX, {"bomFormat": "CycloneDX", "components": {"name": "not a list"}})
    failed = _failed(_verify(made, osv_db, policy=CLEAN_POLICY))
    assert failed == {"vulnerabilities": f"{made.bundle}:3: unreadable SBOM: components is not a list"}


def test_no_advisory_store_fails_the_vulnerability_requirement(
    evidence: Callable[..., Evidence], tmp_path: Path
) -> None:
    failed = _failed(_verify(evidence(), tmp_path / "none.db", policy=CLEAN_POLICY))
    assert set(failed) == {"vulnerabilities"}
    assert "bastion db sync" in failed["vulnerabilities"]
