"""Sigstore bundles as release evidence: what ``bastion release record`` keeps of ``ARTIFACT.<kind>.sigstore.json``.

The ledger stores the bundle exactly as the file holds it (so an auditor can verify it again later, with bastion or
``sigstore verify``), plus the facts people search by: the signing certificate's identity and OIDC issuer, and the
Rekor log index. A bundle is parsed with sigstore's own parser first, so a file the verifier would reject as
malformed is refused here too, in one line naming it, rather than stored or skipped.

Like the envelopes of an unverified record, the bundle is read, not verified: the ledger records what shipped,
``bastion verify`` decides whether it may. Its statement must still name the artifact: a bundle left over from
another build beside the file would otherwise be recorded as this release's evidence.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bastion.store.releases import ReleaseSigstoreBundle
from bastion.supplychain.dsse import INTOTO_PAYLOAD_TYPE
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.sigstore_signing import (
    INSTALL_HINT,
    SIGSTORE_SUFFIX,
    SigstoreUnavailable,
    parse_sigstore_bundle,
    require_sigstore,
)
from bastion.supplychain.statement import Statement, parse_statement

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

__all__ = ["SigstoreEvidence", "certificate_identity", "read_sigstore_evidence"]

_OTHERNAME_OID = "1.3.6.1.4.1.57264.1.7"  # Fulcio's SAN otherName (a username identity)
_OIDC_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8"  # DER UTF8String
_OIDC_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1"  # raw bytes, deprecated but still what sigstore's Identity checks
_LONGEST_KIND = 200  # the ``kind`` column's length


@dataclass(frozen=True, slots=True)
class SigstoreEvidence:
    """A Sigstore bundle ready for the ledger, and the in-toto statement it carries."""

    record: ReleaseSigstoreBundle
    statement: Statement


def read_sigstore_evidence(path: Path, artifact: Path, digest: str) -> SigstoreEvidence:
    """The ledger entry for the bundle at ``path`` of ``artifact`` (SHA-256 ``digest``); ``SupplyChainError``
    naming the file when it is unreadable, not a Sigstore bundle, or about another artifact."""
    try:
        require_sigstore()
    except SigstoreUnavailable as err:
        raise SupplyChainError(f"{path}: cannot record a Sigstore bundle: {INSTALL_HINT}") from err
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read Sigstore bundle: {err.strerror}") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SupplyChainError(f"{path}: not a Sigstore bundle: not UTF-8 text") from err
    bundle = parse_sigstore_bundle(raw, path)
    document: dict[str, Any] = json.loads(text)  # sigstore parsed it: a JSON object
    identity, issuer = certificate_identity(bundle.signing_certificate, path)
    statement = _statement(document, path)
    if not statement.names_digest("sha256", digest):
        raise SupplyChainError(f"{path}: its statement does not name {artifact.name} (sha256:{digest[:16]}…)")
    record = ReleaseSigstoreBundle(_kind(path, artifact), text, identity, issuer, _log_index(document))
    return SigstoreEvidence(record, statement)


def certificate_identity(certificate: Certificate, path: Path) -> tuple[str, str]:
    """The identity (subjectAltName: email, URI or Fulcio username) and OIDC issuer a Fulcio certificate names,
    the two values a policy's ``sigstore_identities`` compare."""
    from cryptography import x509

    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound as err:
        raise SupplyChainError(f"{path}: the signing certificate names no identity (no subjectAltName)") from err
    found = [
        *names.get_values_for_type(x509.RFC822Name),
        *names.get_values_for_type(x509.UniformResourceIdentifier),
        *(
            other.value.decode("utf-8", "replace")
            for other in names.get_values_for_type(x509.OtherName)
            if other.type_id.dotted_string == _OTHERNAME_OID
        ),
    ]
    if not found:
        raise SupplyChainError(f"{path}: the signing certificate names no email, URI or username identity")
    issuer = _issuer(certificate)
    if issuer is None:
        raise SupplyChainError(f"{path}: the signing certificate names no OIDC issuer")
    return found[0], issuer


def _issuer(certificate: Certificate) -> str | None:
    from cryptography import x509

    by_oid = {ext.oid.dotted_string: ext.value for ext in certificate.extensions}
    v2 = by_oid.get(_OIDC_ISSUER_V2)
    if isinstance(v2, x509.UnrecognizedExtension) and len(v2.value) >= 2 and v2.value[0] == 0x0C:
        return _der_string(v2.value)
    v1 = by_oid.get(_OIDC_ISSUER_V1)
    if isinstance(v1, x509.UnrecognizedExtension):
        return v1.value.decode("utf-8", "replace")
    return None


def _der_string(der: bytes) -> str | None:
    """The text of a DER UTF8String (tag, length, bytes); None when the length does not add up."""
    size, start = der[1], 2
    if size & 0x80:
        width = size & 0x7F
        size, start = int.from_bytes(der[2 : 2 + width], "big"), 2 + width
    value = der[start : start + size]
    return value.decode("utf-8", "replace") if len(value) == size and start + size == len(der) else None


def _statement(document: dict[str, Any], path: Path) -> Statement:
    envelope = document.get("dsseEnvelope")
    if not isinstance(envelope, dict):
        raise SupplyChainError(f"{path}: the Sigstore bundle holds no DSSE envelope (no in-toto statement)")
    if envelope.get("payloadType") != INTOTO_PAYLOAD_TYPE:
        raise SupplyChainError(f"{path}: payload type {envelope.get('payloadType')!r} is not in-toto")
    try:
        payload = base64.b64decode(str(envelope.get("payload", "")), validate=True)
    except (binascii.Error, ValueError) as err:
        raise SupplyChainError(f"{path}: the DSSE payload is not valid base64") from err
    return parse_statement(payload, str(path))


def _log_index(document: dict[str, Any]) -> int | None:
    """The first transparency-log entry's ``logIndex`` (a decimal string in the bundle's protobuf JSON)."""
    entries = document.get("verificationMaterial", {}).get("tlogEntries") or []
    index = entries[0].get("logIndex") if entries and isinstance(entries[0], dict) else None
    try:
        return int(index) if index is not None else None
    except (TypeError, ValueError):
        return None


def _kind(path: Path, artifact: Path) -> str:
    kind = path.name.removeprefix(artifact.name + ".").removesuffix(SIGSTORE_SUFFIX)
    if len(kind) > _LONGEST_KIND:
        raise SupplyChainError(f"{path}: the kind in the file name is longer than {_LONGEST_KIND} characters")
    return kind
