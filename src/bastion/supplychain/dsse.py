"""The DSSE envelope: a payload, its type and signatures over their pre-authentication encoding (PAE).

Follows the DSSE v1 protocol (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md): signatures
cover ``PAE(payloadType, payload)``, never the JSON around them, so re-encoding the envelope cannot change what
was signed. ``keyid`` is only a hint: verification tries every trusted key when it does not match one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.keys import KeyId, PrivateKey, PublicKey

__all__ = [
    "INTOTO_PAYLOAD_TYPE",
    "Envelope",
    "EnvelopeSignature",
    "VerifiedPayload",
    "decode_base64",
    "pae",
    "sign",
    "verify",
]

INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
"""The payload type of an in-toto statement."""


def pae(payload_type: str, payload: bytes) -> bytes:
    """The pre-authentication encoding: ``DSSEv1 <len> <type> <len> <payload>``, lengths in bytes."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


class EnvelopeSignature(BaseModel):
    """One signature of an envelope."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keyid: str = ""
    """A hint naming the key that signed (bastion writes the signer's ``KeyId``)."""
    sig: str
    """The signature over the PAE, base64."""


class Envelope(BaseModel):
    """A DSSE envelope as JSON: ``payload`` (base64), ``payloadType`` and ``signatures``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    payload: str
    """The signed bytes, base64."""
    payload_type: str = Field(alias="payloadType")
    """How to read the payload (``application/vnd.in-toto+json``)."""
    signatures: tuple[EnvelopeSignature, ...]
    """One or more signatures."""

    def to_json(self) -> str:
        """One line of JSON with the wire names, for ``.intoto.jsonl`` bundles."""
        return self.model_dump_json(by_alias=True)


@dataclass(frozen=True, slots=True)
class VerifiedPayload:
    """What a verified envelope carries, and which trusted keys signed it."""

    payload: bytes
    """The signed payload, decoded."""
    payload_type: str
    """Its type."""
    keyids: tuple[KeyId, ...]
    """The trusted keys whose signature verified."""


def sign(payload: bytes, keys: Sequence[PrivateKey], payload_type: str = INTOTO_PAYLOAD_TYPE) -> Envelope:
    """An envelope over ``payload`` with one signature per key."""
    if not keys:
        raise SupplyChainError("cannot sign an envelope without a key")
    message = pae(payload_type, payload)
    signatures = tuple(
        EnvelopeSignature(keyid=key.public.keyid, sig=base64.b64encode(key.sign(message)).decode()) for key in keys
    )
    return Envelope(payload=base64.b64encode(payload).decode(), payload_type=payload_type, signatures=signatures)


def verify(envelope: Envelope, trusted: Sequence[PublicKey], *, source: str = "envelope") -> VerifiedPayload:
    """The payload when at least one signature verifies with a trusted key; ``SupplyChainError`` otherwise."""
    payload = decode_base64(envelope.payload, f"{source}: payload is not valid base64")
    message = pae(envelope.payload_type, payload)
    signers: list[KeyId] = []
    for signature in envelope.signatures:
        raw = decode_base64(signature.sig, f"{source}: signature is not valid base64")
        hinted = [k for k in trusted if k.keyid == signature.keyid]
        for key in hinted or trusted:
            if key.keyid not in signers and key.verifies(raw, message):
                signers.append(key.keyid)
                break
    if not signers:
        hints = ", ".join(s.keyid[:16] or "(none)" for s in envelope.signatures) or "no signatures"
        raise SupplyChainError(f"{source}: no signature verifies with a trusted key (signature keyids: {hints})")
    return VerifiedPayload(payload, envelope.payload_type, tuple(signers))


def decode_base64(text: str, problem: str) -> bytes:
    """Decode standard or URL-safe base64; ``SupplyChainError(problem)`` when it is not base64."""
    # DSSE allows standard or URL-safe base64, with or without padding.
    standard = text.translate(_URL_SAFE).rstrip("=")
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError) as err:
        raise SupplyChainError(problem) from err


_URL_SAFE = str.maketrans("-_", "+/")
