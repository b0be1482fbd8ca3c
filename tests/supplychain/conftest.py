"""Supply-chain fixtures: key pairs, a small OSV store with Log4Shell, and a fully attested artifact."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bastion.scanners.sca.osv.importer import import_path
from bastion.scanners.sca.osv.store import VulnStore
from bastion.supplychain import (
    KeyAlgorithm,
    PredicateType,
    PrivateKey,
    append_envelope,
    attest,
    bundle_path,
    gate_predicate,
    generate_key,
    provenance_predicate,
    read_report,
    scan_predicate,
    source_of,
    subject_of,
    write_key_pair,
)
from bastion.supplychain.sbom import collect, cyclonedx_json

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "supplychain"
BUILDER = "https://ci.example.com/bastion"
REPOSITORY = "https://github.com/acme/shop"


def supplychain_asset(name: str) -> Path:
    """The path of ``tests/assets/supplychain/<name>``."""
    path = ASSETS / name
    assert path.exists(), f"missing test asset {path}"
    return path


@pytest.fixture(scope="session")
def osv_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An OSV store holding the Log4Shell advisory (GHSA-jfh8-c2jp-5v3q, CVE-2021-44228, critical)."""
    path = tmp_path_factory.mktemp("osv") / "osv.db"
    store = VulnStore(path, create=True)
    try:
        import_path(store, ASSETS / "osv")
    finally:
        store.close()
    return path


@dataclass
class Evidence:
    """An artifact, its bundle, the signing key and a policy trusting it, all in one folder."""

    folder: Path
    artifact: Path
    key: PrivateKey
    policy: Path

    @property
    def bundle(self) -> Path:
        """The artifact's attestation bundle."""
        return bundle_path(self.artifact)

    def sign(self, kind: PredicateType, predicate: dict[str, object], key: PrivateKey | None = None) -> None:
        """Append a statement about the artifact, signed by ``key`` (default the trusted one)."""
        envelope = attest([subject_of(self.artifact)], kind.value, dict(predicate), [key or self.key])
        append_envelope(self.bundle, envelope)


@pytest.fixture
def evidence(tmp_path: Path) -> Callable[..., Evidence]:
    """A factory: an artifact built from ``shop`` with provenance, gate, scan and SBOM attestations."""

    def make(
        algorithm: KeyAlgorithm = KeyAlgorithm.ED25519,
        *,
        report: str = "report.pass.json",
        decided: datetime | None = None,
        lockfiles: str = "shop",
        attestations: tuple[PredicateType, ...] = tuple(PredicateType),
    ) -> Evidence:
        source = tmp_path / "shop"
        shutil.copytree(ASSETS / lockfiles, source)
        artifact = tmp_path / "shop-1.0.tar.gz"
        artifact.write_bytes(b"the shop, release 1.0\n" * 100)
        key = generate_key(algorithm)
        write_key_pair(key, tmp_path / "release")
        policy = tmp_path / "policy.yml"
        shutil.copy(ASSETS / "policy.yml", policy)
        made = Evidence(tmp_path, artifact, key, policy)
        run_report = read_report(ASSETS / report)
        gate = gate_predicate(run_report)
        if decided is not None:
            gate = gate.model_copy(update={"decided_at": decided})
        predicates: dict[PredicateType, dict[str, object]] = {
            PredicateType.SLSA_PROVENANCE: provenance_predicate(
                source_of(source, REPOSITORY, "3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"), BUILDER, datetime.now(UTC)
            ),
            PredicateType.GATE_DECISION: gate.document(),
            PredicateType.SCAN_RESULTS: scan_predicate(run_report),
        }
        import json

        predicates[PredicateType.CYCLONEDX] = json.loads(cyclonedx_json(collect(source, name="shop")))
        for kind in attestations:
            if kind in predicates:
                made.sign(kind, predicates[kind])
        return made

    return make
