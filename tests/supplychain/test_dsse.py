"""DSSE envelopes: PAE, sign → verify for both key types, every tampering case, and the reference library."""

from __future__ import annotations

import base64
import json

import pytest
from securesystemslib.dsse import Envelope as ReferenceEnvelope
from securesystemslib.signer import CryptoSigner, SSlibKey

from bastion.supplychain import Envelope, KeyAlgorithm, PrivateKey, SupplyChainError, generate_key, pae
from bastion.supplychain.dsse import sign, verify

PAYLOAD = b'{"_type":"https://in-toto.io/Statement/v1"}'


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def test_pae_matches_the_dsse_specification_example() -> None:
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_sign_then_verify_returns_the_payload_and_the_signer(algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    envelope = sign(PAYLOAD, [key])
    verified = verify(Envelope.model_validate_json(envelope.to_json()), [generate_key(algorithm).public, key.public])
    assert verified.payload == PAYLOAD
    assert verified.payload_type == "application/vnd.in-toto+json"
    assert verified.keyids == (key.public.keyid,)


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_flipping_one_payload_byte_fails(algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    envelope = sign(PAYLOAD, [key])
    tampered = envelope.model_copy(update={"payload": base64.b64encode(_flip(PAYLOAD, 20)).decode()})
    with pytest.raises(SupplyChainError, match=r"^bundle:3: no signature verifies with a trusted key \(signature"):
        verify(tampered, [key.public], source="bundle:3")


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_flipping_one_signature_byte_fails(algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    envelope = sign(PAYLOAD, [key])
    raw = base64.b64decode(envelope.signatures[0].sig)
    for index in (0, len(raw) // 2, len(raw) - 1):
        bad = envelope.signatures[0].model_copy(update={"sig": base64.b64encode(_flip(raw, index)).decode()})
        with pytest.raises(SupplyChainError, match="no signature verifies"):
            verify(envelope.model_copy(update={"signatures": (bad,)}), [key.public])


def test_changing_the_payload_type_fails() -> None:
    key = generate_key(KeyAlgorithm.ED25519)
    envelope = sign(PAYLOAD, [key]).model_copy(update={"payload_type": "application/json"})
    with pytest.raises(SupplyChainError, match="no signature verifies"):
        verify(envelope, [key.public])


def test_a_key_that_is_not_trusted_fails_even_with_a_matching_keyid_hint() -> None:
    signer, trusted = generate_key(KeyAlgorithm.ED25519), generate_key(KeyAlgorithm.ED25519)
    envelope = sign(PAYLOAD, [signer])
    with pytest.raises(SupplyChainError, match=f"signature keyids: {signer.public.keyid[:16]}"):
        verify(envelope, [trusted.public])
    spoofed = envelope.signatures[0].model_copy(update={"keyid": trusted.public.keyid})
    with pytest.raises(SupplyChainError, match="no signature verifies"):
        verify(envelope.model_copy(update={"signatures": (spoofed,)}), [trusted.public])


def test_no_signatures_and_bad_base64_fail() -> None:
    key = generate_key(KeyAlgorithm.ED25519)
    envelope = sign(PAYLOAD, [key])
    with pytest.raises(SupplyChainError, match=r"no signatures"):
        verify(envelope.model_copy(update={"signatures": ()}), [key.public])
    with pytest.raises(SupplyChainError, match=r"x: payload is not valid base64"):
        verify(envelope.model_copy(update={"payload": "@@not base64@@"}), [key.public], source="x")


def test_one_good_signature_among_several_is_enough_and_keyid_is_only_a_hint() -> None:
    trusted, other = generate_key(KeyAlgorithm.ECDSA_P256), generate_key(KeyAlgorithm.ED25519)
    envelope = sign(PAYLOAD, [other, trusted])
    unhinted = tuple(s.model_copy(update={"keyid": ""}) for s in envelope.signatures)
    verified = verify(envelope.model_copy(update={"signatures": unhinted}), [trusted.public])
    assert verified.keyids == (trusted.public.keyid,)


def _reference_key(key: PrivateKey) -> SSlibKey:
    return SSlibKey.from_crypto(key.public.key, keyid=key.public.keyid)


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_securesystemslib_verifies_our_envelopes(algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    ours = sign(PAYLOAD, [key])
    reference = ReferenceEnvelope.from_dict(json.loads(ours.to_json()))
    assert reference.pae() == pae(ours.payload_type, PAYLOAD)
    assert list(reference.verify([_reference_key(key)], 1)) == [key.public.keyid]
    tampered = ReferenceEnvelope.from_dict(
        json.loads(ours.model_copy(update={"payload": base64.b64encode(_flip(PAYLOAD, 5)).decode()}).to_json())
    )
    with pytest.raises(Exception, match="threshold"):
        tampered.verify([_reference_key(key)], 1)


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_we_verify_envelopes_signed_by_securesystemslib(algorithm: KeyAlgorithm) -> None:
    key = generate_key(algorithm)
    reference = ReferenceEnvelope(PAYLOAD, "application/vnd.in-toto+json", {})
    reference.sign(CryptoSigner(key.key, _reference_key(key)))
    theirs = Envelope.model_validate(reference.to_dict())
    assert verify(theirs, [key.public]).payload == PAYLOAD
