"""A private Sigstore instance for offline tests: a Fulcio-like CA, a CT log and a Rekor log, each with its own key.

``trusted_root()`` is the instance's ``trusted_root.json``; ``bundle()`` issues what Fulcio and Rekor would: a
short-lived certificate for an identity (with the CT log's embedded SCT), the DSSE envelope signed with its key,
and a Rekor ``dsse`` entry with its signed entry timestamp and an inclusion proof (a one-leaf tree) under a signed
checkpoint. ``sigstore``'s real ``Verifier`` checks all of it, as it would for the public instance.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import struct

import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from bastion.supplychain import INTOTO_PAYLOAD_TYPE, pae

__all__ = ["SigstoreInstance"]

_OIDC_ISSUER = ObjectIdentifier("1.3.6.1.4.1.57264.1.1")  # Fulcio's issuer extension (v1, raw string)
_OIDC_ISSUER_V2 = ObjectIdentifier("1.3.6.1.4.1.57264.1.8")  # and v2 (DER UTF8String)
_EMBEDDED_SCTS = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")


def bundle_json(certificate: x509.Certificate, entry: dict[str, object], payload: bytes, signature: bytes) -> str:
    """A Sigstore bundle v0.3 (JSON) of a DSSE-signed in-toto statement with one transparency-log entry."""
    return json.dumps(
        {
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {
                "certificate": {"rawBytes": _b64(certificate.public_bytes(serialization.Encoding.DER))},
                "tlogEntries": [entry],
            },
            "dsseEnvelope": {
                "payload": _b64(payload),
                "payloadType": INTOTO_PAYLOAD_TYPE,
                "signatures": [{"sig": _b64(signature), "keyid": ""}],
            },
        }
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _der(tag: int, data: bytes) -> bytes:
    size = len(data)
    length = bytes([size]) if size < 0x80 else bytes([0x80 | 2]) + size.to_bytes(2, "big")
    return bytes([tag]) + length + data


def _ecdsa(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


class SigstoreInstance:
    """Keys and a trust root; bundles for any identity."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.ca_key = ec.generate_private_key(ec.SECP384R1())
        self.ct_key = ec.generate_private_key(ec.SECP256R1())
        self.rekor_key = ec.generate_private_key(ec.SECP256R1())
        self.ca_name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bastion.test"),
                x509.NameAttribute(NameOID.COMMON_NAME, "ca"),
            ]
        )
        self.ca = (
            x509.CertificateBuilder()
            .subject_name(self.ca_name)
            .issuer_name(self.ca_name)
            .public_key(self.ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - dt.timedelta(days=1))
            .not_valid_after(self.now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.ca_key.public_key()), critical=False)
            .sign(self.ca_key, hashes.SHA384())
        )

    def trusted_root(self) -> str:
        """The instance's ``trusted_root.json`` (protobuf-specs TrustedRoot 0.1)."""
        start = (self.now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

        def log(url: str, key: ec.EllipticCurvePrivateKey) -> dict[str, object]:
            return {
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": _b64(_spki(key)),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": start},
                },
                "logId": {"keyId": _b64(hashlib.sha256(_spki(key)).digest())},
            }

        ca = {
            "subject": {"organization": "bastion.test", "commonName": "ca"},
            "uri": "https://fulcio.bastion.test",
            "certChain": {"certificates": [{"rawBytes": _b64(self.ca.public_bytes(serialization.Encoding.DER))}]},
            "validFor": {"start": start},
        }
        return json.dumps(
            {
                "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                "tlogs": [log("https://rekor.bastion.test", self.rekor_key)],
                "certificateAuthorities": [ca],
                "ctlogs": [log("https://ctfe.bastion.test", self.ct_key)],
                "timestampAuthorities": [],
            }
        )

    def bundle(self, payload: bytes, identity: str, issuer: str) -> str:
        """A Sigstore bundle v0.3: ``payload`` (an in-toto statement) signed for ``identity`` from ``issuer``."""
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self._certificate(key, identity, issuer)
        signature = _ecdsa(key, pae(INTOTO_PAYLOAD_TYPE, payload))
        body = rfc8785.dumps(
            {
                "apiVersion": "0.0.1",
                "kind": "dsse",
                "spec": {
                    "envelopeHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
                    "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
                    "signatures": [
                        {
                            "signature": _b64(signature),
                            "verifier": _b64(certificate.public_bytes(serialization.Encoding.PEM)),
                        }
                    ],
                },
            }
        )
        leaf = hashlib.sha256(b"\x00" + body).digest()  # RFC 6962 leaf hash; a one-leaf tree's root
        log_id = hashlib.sha256(_spki(self.rekor_key)).digest()
        integrated = int(self.now.timestamp())
        promise = {"body": _b64(body), "integratedTime": integrated, "logID": log_id.hex(), "logIndex": 0}
        note = f"rekor.bastion.test - 1\n1\n{_b64(leaf)}\n"
        signed_note = _b64(log_id[:4] + _ecdsa(self.rekor_key, note.encode()))
        entry = {
            "logIndex": "0",
            "logId": {"keyId": _b64(log_id)},
            "kindVersion": {"kind": "dsse", "version": "0.0.1"},
            "integratedTime": str(integrated),
            "inclusionPromise": {"signedEntryTimestamp": _b64(_ecdsa(self.rekor_key, rfc8785.dumps(promise)))},
            "inclusionProof": {
                "logIndex": "0",
                "rootHash": _b64(leaf),
                "treeSize": "1",
                "hashes": [],
                "checkpoint": {"envelope": f"{note}\n\u2014 rekor.bastion.test {signed_note}\n"},
            },
            "canonicalizedBody": _b64(body),
        }
        return bundle_json(certificate, entry, payload, signature)

    def _certificate(self, key: ec.EllipticCurvePrivateKey, identity: str, issuer: str) -> x509.Certificate:
        """Fulcio's profile, with an SCT from the CT log over the precertificate (the certificate without it)."""
        serial = x509.random_serial_number()
        precertificate = self._leaf(key, identity, issuer, serial, None)
        tbs = precertificate.tbs_certificate_bytes
        millis = int(self.now.timestamp() * 1000)
        issuer_key_hash = hashlib.sha256(_spki(self.ca_key)).digest()
        # RFC 6962 digitally-signed: v1, certificate_timestamp, time, precert_entry, issuer key hash, TBS, no ext.
        signed = struct.pack("!BBQH32s", 0, 0, millis, 1, issuer_key_hash) + len(tbs).to_bytes(3, "big") + tbs
        signature = _ecdsa(self.ct_key, signed + struct.pack("!H", 0))
        sct = struct.pack("!B32sQH", 0, hashlib.sha256(_spki(self.ct_key)).digest(), millis, 0)
        sct += struct.pack("!BBH", 4, 3, len(signature)) + signature  # sha256, ecdsa
        scts = struct.pack("!HH", len(sct) + 2, len(sct)) + sct
        embedded = x509.UnrecognizedExtension(_EMBEDDED_SCTS, _der(0x04, scts))
        certificate = self._leaf(key, identity, issuer, serial, embedded)
        assert certificate.tbs_precertificate_bytes == tbs
        return certificate

    def _leaf(
        self,
        key: ec.EllipticCurvePrivateKey,
        identity: str,
        issuer: str,
        serial: int,
        scts: x509.UnrecognizedExtension | None,
    ) -> x509.Certificate:
        public = key.public_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))
            .issuer_name(self.ca_name)
            .public_key(public)
            .serial_number(serial)
            .not_valid_before(self.now - dt.timedelta(minutes=1))
            .not_valid_after(self.now + dt.timedelta(minutes=10))
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(identity)]), critical=True)
            .add_extension(x509.UnrecognizedExtension(_OIDC_ISSUER, issuer.encode()), critical=False)
            .add_extension(x509.UnrecognizedExtension(_OIDC_ISSUER_V2, _der(0x0C, issuer.encode())), critical=False)
        )
        if scts is not None:
            builder = builder.add_extension(scts, critical=False)
        return builder.sign(self.ca_key, hashes.SHA256())
