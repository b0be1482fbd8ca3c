"""Attestations: in-toto statements signed into DSSE envelopes, and the verified statements of a bundle.

``verified_statements`` never drops a problem silently: every envelope that fails to verify or parse becomes a
one-line failure naming its ``file:line``, and only envelopes signed by a trusted key yield statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bastion.supplychain import dsse
from bastion.supplychain.bundle import BundledEnvelope
from bastion.supplychain.dsse import Envelope
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.keys import KeyId, PrivateKey, PublicKey
from bastion.supplychain.statement import ResourceDescriptor, Statement, parse_statement, statement_for

__all__ = ["VerifiedStatement", "attest", "verified_statements"]


@dataclass(frozen=True, slots=True)
class VerifiedStatement:
    """A statement whose envelope a trusted key (or a trusted Sigstore identity) signed."""

    statement: Statement
    source: str
    """``file:line`` of its envelope."""
    keyids: tuple[KeyId, ...]
    """The trusted keys that signed it (none for a Sigstore bundle)."""
    identity: str | None = None
    """The trusted Sigstore identity that signed it, ``identity (issuer)``; ``None`` for a key's signature."""


def attest(
    subjects: Sequence[ResourceDescriptor], predicate_type: str, predicate: dict[str, Any], keys: Sequence[PrivateKey]
) -> Envelope:
    """Sign an in-toto Statement v1 about ``subjects`` into a DSSE envelope."""
    statement = statement_for(subjects, predicate_type, predicate)
    return dsse.sign(statement.to_bytes(), keys)


def verified_statements(
    envelopes: Sequence[BundledEnvelope], trusted: Sequence[PublicKey]
) -> tuple[list[VerifiedStatement], list[str]]:
    """The statements of envelopes signed by a trusted key, and one failure line per other envelope."""
    verified: list[VerifiedStatement] = []
    failures: list[str] = []
    for bundled in envelopes:
        try:
            payload = dsse.verify(bundled.envelope, trusted, source=bundled.source)
            if payload.payload_type != dsse.INTOTO_PAYLOAD_TYPE:
                raise SupplyChainError(f"{bundled.source}: payload type {payload.payload_type!r} is not in-toto")
            statement = parse_statement(payload.payload, bundled.source)
        except SupplyChainError as err:
            failures.append(str(err))
            continue
        verified.append(VerifiedStatement(statement, bundled.source, payload.keyids))
    return verified, failures
