"""The release ledger keeps the keyless Sigstore bundles beside the artifact, byte for byte, with their signer.

Bundles come from the private Sigstore instance of ``sigstore_instance.py`` (the same as the verify tests), so they
are bundles the real verifier accepts; the store is real SQLite and PostgreSQL (skipped when the server is down).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bastion.store import open_store
from bastion.store.releases import ReleaseLedger
from bastion.supplychain import PredicateType, SupplyChainError, statement_for, subject_of
from bastion.supplychain.release import release_of
from bastion.supplychain.sigstore_signing import sigstore_bundle_path
from tests.supplychain.conftest import Evidence
from tests.supplychain.sigstore_instance import SigstoreInstance
from tests.supplychain.test_sigstore import (
    IDENTITY,
    ISSUER,
    _forged_bundle,
    _move_gate_to_sigstore,
    _private_sigstore_dirs,
    _sign_keyless,
    instance,
)

__all__ = ["_private_sigstore_dirs", "instance"]  # the Sigstore fixtures, reused

pytest.importorskip("sigstore", reason="the [sigstore] extra is part of .[dev]")

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _record(made: Evidence, **options: object) -> dict[str, object]:
    common: dict[str, object] = {
        "project": "shop",
        "version": "1.0",
        "environment": "prod",
        "recorded_at": T0,
        "bundle": made.bundle if made.bundle.exists() else None,
    }
    return common | options


def test_sigstore_bundles_are_recorded_as_written_with_their_signer(
    evidence: Callable[..., Evidence], instance: SigstoreInstance, store_url: str, tmp_path: Path
) -> None:
    made = evidence()
    gate = _move_gate_to_sigstore(instance, made)
    provenance = _sign_keyless(instance, made, PredicateType.SLSA_PROVENANCE)
    # as a person or tool might leave it: indented, with a final newline; the ledger keeps exactly that
    provenance.write_text(json.dumps(json.loads(provenance.read_text()), indent=2) + "\n")

    entry = release_of(made.artifact, trusted=[made.key.public], **_record(made))  # type: ignore[arg-type]
    assert entry.gate is None  # the trusted key vouches for the DSSE envelopes only, not for a keyless gate
    assert len(entry.attestations) == 3
    with open_store(store_url, tmp_path) as store:
        ledger = ReleaseLedger(store)
        release_id = ledger.record(entry)
        detail = ledger.get(str(release_id))

    assert [b.kind for b in detail.sigstore_bundles] == ["gate-decision", "slsa-provenance"]
    for stored, path in zip(detail.sigstore_bundles, (gate, provenance), strict=True):
        assert stored.bundle.encode("utf-8") == path.read_bytes()
        assert (stored.identity, stored.issuer, stored.log_index) == (IDENTITY, ISSUER, 0)
        assert stored.file_name(detail.release.artifact_name) == path.name
    assert len(detail.attestations) == 3
    assert len(detail.components) == 7


def test_without_trusted_keys_keyless_statements_supply_the_gate_and_sbom(
    evidence: Callable[..., Evidence], instance: SigstoreInstance, sqlite_url: str, tmp_path: Path
) -> None:
    """Keyless evidence alone (no DSSE bundle): the release still has its gate decision and packages."""
    made = evidence()
    for kind in (PredicateType.GATE_DECISION, PredicateType.CYCLONEDX):
        _sign_keyless(instance, made, kind)
    made.bundle.unlink()
    entry = release_of(made.artifact, **_record(made))  # type: ignore[arg-type]
    assert entry.gate_outcome == "pass"
    assert entry.sbom_format == "cyclonedx"
    assert entry.attestations == ()
    with open_store(sqlite_url, tmp_path) as store:
        ledger = ReleaseLedger(store)
        ledger.record(entry)
        assert [r.version for r in ledger.containing("log4j-core", "2.14.1", environment="prod")] == ["1.0"]
        assert [b.kind for b in ledger.get("1.0").sigstore_bundles] == ["cyclonedx", "gate-decision"]


def test_a_release_without_sigstore_bundles_records_none(
    evidence: Callable[..., Evidence], store_url: str, tmp_path: Path
) -> None:
    made = evidence()
    entry = release_of(made.artifact, trusted=[made.key.public], **_record(made))  # type: ignore[arg-type]
    assert entry.sigstore_bundles == ()
    with open_store(store_url, tmp_path) as store:
        ledger = ReleaseLedger(store)
        detail = ledger.get(str(ledger.record(entry)))
    assert detail.sigstore_bundles == ()
    assert detail.release.gate_outcome == "pass"


MALFORMED: dict[str, bytes] = {
    "not JSON": b"definitely not json",
    "empty": b"",
    "an empty object": b"{}",
    "a JSON list": b"[]",
    "not UTF-8": b'{"mediaType": "\xff"}',
}


@pytest.mark.parametrize("content", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_bundle_beside_the_artifact_is_a_one_line_error_naming_it(
    evidence: Callable[..., Evidence], instance: SigstoreInstance, content: bytes
) -> None:
    made = evidence()
    _sign_keyless(instance, made, PredicateType.SLSA_PROVENANCE)  # a good one too: it does not excuse the bad
    bad = sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION)
    bad.write_bytes(content)
    with pytest.raises(SupplyChainError) as caught:
        release_of(made.artifact, **_record(made))  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(f"{bad}: not a Sigstore bundle: "), message
    assert "\n" not in message


def test_a_bundle_without_an_in_toto_statement_is_refused(evidence: Callable[..., Evidence]) -> None:
    made = evidence()
    bad = sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION)
    document = json.loads(_forged_bundle(b"{}"))
    bad.write_text(json.dumps(document))
    with pytest.raises(SupplyChainError) as caught:
        release_of(made.artifact, **_record(made))  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"{bad}: not an in-toto Statement v1: "), caught.value


def test_a_bundle_about_another_build_is_refused(
    evidence: Callable[..., Evidence], instance: SigstoreInstance, tmp_path: Path
) -> None:
    """A bundle left over from an earlier build must not become this release's evidence."""
    made = evidence()
    other = tmp_path / "other.tar.gz"
    other.write_bytes(b"an earlier build")
    statement = statement_for([subject_of(other)], PredicateType.GATE_DECISION.value, {"outcome": "pass"})
    stale = sigstore_bundle_path(made.artifact, PredicateType.GATE_DECISION)
    stale.write_text(instance.bundle(statement.to_bytes(), IDENTITY, ISSUER))
    with pytest.raises(SupplyChainError, match=r"gate-decision\.sigstore\.json: its statement does not name shop-1"):
        release_of(made.artifact, **_record(made))  # type: ignore[arg-type]
