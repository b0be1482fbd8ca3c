"""The release ledger: recording releases from their evidence and asking which ones ship a package version.

Runs on SQLite and on the real PostgreSQL server (the store's fixtures), skipping PostgreSQL when it is down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.errors import StoreError
from bastion.store import open_store
from bastion.store.releases import NewRelease, ReleaseComponent, ReleaseLedger
from bastion.supplychain import KeyAlgorithm, PredicateType, SupplyChainError, generate_key
from bastion.supplychain.release import release_of
from tests.supplychain.conftest import Evidence

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LOG4J = "org.apache.logging.log4j:log4j-core"


@pytest.fixture
def ledger(store_url: str, tmp_path: Path) -> Iterator[ReleaseLedger]:
    """A ledger on a freshly migrated store."""
    with open_store(store_url, tmp_path) as store:
        yield ReleaseLedger(store)


def _release(version: str, environment: str, log4j: str, *, hours: int, project: str = "shop") -> NewRelease:
    purl = f"pkg:maven/org.apache.logging.log4j/log4j-core@{log4j}"
    return NewRelease(
        project=project,
        version=version,
        environment=environment,
        artifact_name=f"{project}-{version}.tar.gz",
        artifact_digest="sha256:" + f"{hours:02d}" * 32,
        recorded_at=T0 + timedelta(hours=hours),
        gate_outcome="pass",
        gate={"outcome": "pass"},
        sbom_format="cyclonedx",
        sbom={"bomFormat": "CycloneDX"},
        attestations=({"payloadType": "application/vnd.in-toto+json"},),
        components=(
            ReleaseComponent(purl, LOG4J, log4j),
            ReleaseComponent(purl, LOG4J, log4j),  # listed twice in the SBOM: stored once
            ReleaseComponent("pkg:pypi/requests@2.32.3", "requests", "2.32.3"),
        ),
    )


def test_which_production_releases_contain_a_package_version(ledger: ReleaseLedger) -> None:
    ledger.record(_release("1.0", "prod", "2.14.1", hours=1))
    ledger.record(_release("1.1", "staging", "2.14.1", hours=2))
    ledger.record(_release("1.1", "prod", "2.14.1", hours=3))
    ledger.record(_release("1.2", "prod", "2.17.1", hours=4))
    ledger.record(_release("0.9", "prod", "2.14.1", hours=5, project="billing"))

    found = ledger.containing("log4j-core", "2.14.1", environment="prod")
    assert [(r.project, r.version, r.current) for r in found] == [
        ("billing", "0.9", True),
        ("shop", "1.1", False),
        ("shop", "1.0", False),
    ]
    assert [r.version for r in ledger.containing(LOG4J.upper(), "2.14.1")] == ["0.9", "1.1", "1.1", "1.0"]
    assert [r.version for r in ledger.containing("pkg:maven/org.apache.logging.log4j/log4j-core", "2.17.1")] == ["1.2"]
    assert ledger.containing("log4j-core", "2.15.0", environment="prod") == []
    assert ledger.containing("log4j-core", "2.14.1", environment="dev") == []


def test_list_and_get(ledger: ReleaseLedger) -> None:
    first = ledger.record(_release("1.0", "prod", "2.14.1", hours=1))
    ledger.record(_release("1.1", "prod", "2.17.1", hours=2))
    listed = ledger.list_releases(environment="prod")
    assert [(r.version, r.current, r.components) for r in listed] == [("1.1", True, 2), ("1.0", False, 2)]
    assert ledger.list_releases(environment="staging") == []
    detail = ledger.get(str(first))
    assert detail.release.version == "1.0"
    assert detail.gate == {"outcome": "pass"}
    assert [c.purl for c in detail.components] == [
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "pkg:pypi/requests@2.32.3",
    ]
    assert ledger.get("1.1").release.recorded_at == T0 + timedelta(hours=2)
    with pytest.raises(StoreError, match=r"no release with id or version '9\.9'"):
        ledger.get("9.9")


def test_a_release_is_recorded_from_its_attested_evidence(
    evidence: Callable[..., Evidence], tmp_path: Path, sqlite_url: str
) -> None:
    made = evidence()
    entry = release_of(
        made.artifact,
        project="shop",
        version="1.0",
        environment="prod",
        recorded_at=T0,
        bundle=made.bundle,
        trusted=[made.key.public],
    )
    assert entry.gate_outcome == "pass"
    assert entry.sbom_format == "cyclonedx"
    assert len(entry.attestations) == 4
    assert entry.artifact_digest.startswith("sha256:")
    with open_store(sqlite_url, tmp_path) as store:
        ledger = ReleaseLedger(store)
        ledger.record(entry)
        assert [r.version for r in ledger.containing("log4j-core", "2.14.1", environment="prod")] == ["1.0"]


def test_recording_refuses_evidence_about_another_artifact_or_from_an_untrusted_key(
    evidence: Callable[..., Evidence],
) -> None:
    made = evidence(attestations=(PredicateType.GATE_DECISION,))
    common = {"project": "shop", "version": "1.0", "environment": "prod", "recorded_at": T0, "bundle": made.bundle}
    with pytest.raises(SupplyChainError, match="no signature verifies"):
        release_of(made.artifact, trusted=[generate_key(KeyAlgorithm.ED25519).public], **common)  # type: ignore[arg-type]
    made.artifact.write_bytes(b"another build")
    with pytest.raises(SupplyChainError, match=r"no attestation names shop-1\.0\.tar\.gz"):
        release_of(made.artifact, **common)  # type: ignore[arg-type]


def test_an_unreadable_sbom_file_is_refused(evidence: Callable[..., Evidence], tmp_path: Path) -> None:
    made = evidence(attestations=())
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(SupplyChainError, match=r"bad.json: unreadable SBOM"):
        release_of(
            made.artifact,
            project="p",
            version="1",
            environment="prod",
            recorded_at=T0,
            bundle=None,
            sbom=tmp_path / "bad.json",
        )
