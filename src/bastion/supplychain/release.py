"""A release for the ledger: an artifact's digest, gate decision, SBOM and attestations, gathered from its bundle
and from the Sigstore bundles beside it.

With trusted keys, only envelopes they signed are read (any other is an error); without, the statements are read
as they are: the ledger records what shipped, ``bastion verify`` is what decides whether it may ship.

Every ``ARTIFACT.<kind>.sigstore.json`` is recorded too (see ``sigstore_evidence``): kept as written, with its
signer's identity. Its statement counts for the gate decision and SBOM only when no trusted key is given, since a
key cannot vouch for a keyless signature; with trusted keys the bundles are kept as evidence only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bastion.store.releases import NewRelease, ReleaseComponent
from bastion.supplychain.attestation import verified_statements
from bastion.supplychain.bundle import BundledEnvelope, read_bundle
from bastion.supplychain.dsse import decode_base64
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.keys import PublicKey
from bastion.supplychain.predicates import PredicateType
from bastion.supplychain.sbom.reader import read_sbom
from bastion.supplychain.sigstore_evidence import read_sigstore_evidence
from bastion.supplychain.sigstore_signing import find_sigstore_bundles
from bastion.supplychain.statement import Statement, parse_statement, subject_of

__all__ = ["release_of"]


def release_of(
    artifact: Path,
    *,
    project: str,
    version: str,
    environment: str,
    recorded_at: datetime,
    bundle: Path | None,
    sbom: Path | None = None,
    trusted: Sequence[PublicKey] = (),
    sigstore_bundles: Sequence[Path] | None = None,
) -> NewRelease:
    """The ledger entry for shipping ``artifact``; its SBOM comes from ``sbom`` or the bundle's SBOM attestation.

    ``sigstore_bundles`` default to every ``<artifact>.*.sigstore.json`` beside it (as ``bastion verify`` reads);
    each is read before anything is stored, so a malformed one fails the whole record.
    """
    digest = subject_of(artifact).digest["sha256"]
    envelopes = read_bundle(bundle) if bundle is not None else []
    statements = [s for s in _statements(envelopes, trusted) if s.names_digest("sha256", digest)]
    if envelopes and not statements:
        raise SupplyChainError(f"{bundle}: no attestation names {artifact.name} (sha256:{digest[:16]}…)")
    paths = find_sigstore_bundles(artifact) if sigstore_bundles is None else sigstore_bundles
    keyless = [read_sigstore_evidence(path, artifact, digest) for path in paths]
    if not trusted:
        statements += [evidence.statement for evidence in keyless]
    gates = [s.predicate for s in statements if s.predicate_type == PredicateType.GATE_DECISION]
    gate = max(gates, key=lambda g: str(g.get("decidedAt", "")), default=None)
    document = _sbom_document(sbom, statements)
    summary = read_sbom(document, str(sbom or bundle or artifact)) if document is not None else None
    return NewRelease(
        project=project,
        version=version,
        environment=environment,
        artifact_name=artifact.name,
        artifact_digest=f"sha256:{digest}",
        recorded_at=recorded_at,
        gate_outcome=str(gate["outcome"]) if gate and "outcome" in gate else None,
        gate=gate,
        sbom_format=summary.format.value if summary else None,
        sbom=document,
        attestations=tuple(json.loads(e.envelope.to_json()) for e in envelopes),
        components=tuple(ReleaseComponent(p.purl, p.name, p.version) for p in summary.packages) if summary else (),
        sigstore_bundles=tuple(evidence.record for evidence in keyless),
    )


def _statements(envelopes: Sequence[BundledEnvelope], trusted: Sequence[PublicKey]) -> list[Statement]:
    if trusted:
        verified, failures = verified_statements(envelopes, trusted)
        if failures:
            raise SupplyChainError(failures[0])
        return [v.statement for v in verified]
    return [
        parse_statement(decode_base64(e.envelope.payload, f"{e.source}: payload is not valid base64"), e.source)
        for e in envelopes
    ]


def _sbom_document(sbom: Path | None, statements: Sequence[Statement]) -> dict[str, Any] | None:
    if sbom is not None:
        try:
            document = json.loads(sbom.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise SupplyChainError(f"{sbom}: unreadable SBOM: {err}") from err
        if not isinstance(document, dict):
            raise SupplyChainError(f"{sbom}: unreadable SBOM: not a JSON object")
        return document
    kinds = (PredicateType.CYCLONEDX.value, PredicateType.SPDX.value)
    found = [s.predicate for s in statements if s.predicate_type in kinds]
    return found[-1] if found else None
