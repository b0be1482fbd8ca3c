"""Sigstore keyless signing and verification: the optional ``[sigstore]`` extra (``pip install "bastion[sigstore]"``).

Signing sends the same in-toto Statement v1 that ``--key`` signs to Sigstore: Fulcio issues a short-lived
certificate for the CI's OIDC identity, the statement is signed into a DSSE envelope with its ephemeral key and the
signature is logged in Rekor. The result is one Sigstore bundle (JSON, ``application/vnd.dev.sigstore.bundle``) per
statement, written beside the artifact as ``ARTIFACT.<kind>.sigstore.json`` (``kind`` is ``slsa-provenance``,
``gate-decision``, ``scan-results``, ``cyclonedx`` or ``spdx``; signing the same kind again replaces it).

Verification reads every ``ARTIFACT.*.sigstore.json`` beside the artifact with the real ``sigstore`` parser and
verifier (certificate chain to Fulcio's root, Rekor inclusion, signed time, DSSE signature) against the policy's
``sigstore_identities``; a verified bundle yields the same ``VerifiedStatement`` as a DSSE envelope signed by a
trusted key, so every later requirement is checked by the same code.

``sigstore`` is imported only inside these functions: without the extra, bastion works as before and only the
Sigstore paths fail with :class:`SigstoreUnavailable`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bastion.supplychain.attestation import VerifiedStatement
from bastion.supplychain.dsse import INTOTO_PAYLOAD_TYPE
from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.policy import SigstoreIdentity
from bastion.supplychain.predicates import PredicateType
from bastion.supplychain.statement import Statement, parse_statement

if TYPE_CHECKING:
    from sigstore.models import Bundle
    from sigstore.verify import Verifier
    from sigstore.verify.policy import Identity

__all__ = [
    "INSTALL_HINT",
    "SIGSTORE_SUFFIX",
    "TOKEN_ENV",
    "Instance",
    "SigstoreServiceError",
    "SigstoreUnavailable",
    "find_sigstore_bundles",
    "identity_token",
    "parse_sigstore_bundle",
    "read_sigstore_bundle",
    "require_sigstore",
    "sign_statement",
    "sigstore_bundle_path",
    "verify_sigstore_bundles",
]

SIGSTORE_SUFFIX = ".sigstore.json"
"""Sigstore bundles of an artifact are ``<artifact>.<kind>.sigstore.json``."""
TOKEN_ENV = "SIGSTORE_IDENTITY_TOKEN"  # noqa: S105 - a variable name, not a secret
"""The environment variable holding an OIDC identity token (the name the ``sigstore`` CLI reads too)."""
INSTALL_HINT = 'Sigstore support needs the sigstore extra: pip install "bastion[sigstore]"'

Instance = Literal["production", "staging"]


class SigstoreUnavailable(SupplyChainError):
    """The ``sigstore`` package is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class SigstoreServiceError(SupplyChainError):
    """Sigstore (TUF trust root, Fulcio, Rekor or the OIDC provider) could not be reached or refused the request."""


def require_sigstore() -> None:
    """Raise :class:`SigstoreUnavailable` unless the ``sigstore`` package can be imported."""
    try:
        import sigstore  # noqa: F401
    except ImportError as err:
        raise SigstoreUnavailable from err
    _quiet()


def sigstore_bundle_path(artifact: Path, kind: PredicateType) -> Path:
    """Where ``bastion attest ... --sigstore`` writes: ``<artifact>.<kind>.sigstore.json`` beside it, ``kind`` being
    ``slsa-provenance``, ``gate-decision``, ``scan-results``, ``cyclonedx`` or ``spdx``."""
    return artifact.with_name(f"{artifact.name}.{kind.name.lower().replace('_', '-')}{SIGSTORE_SUFFIX}")


def find_sigstore_bundles(artifact: Path) -> list[Path]:
    """Every ``<artifact>.*.sigstore.json`` beside the artifact, sorted by name (no glob: names may hold ``[``)."""
    prefix = artifact.name + "."
    try:
        entries = list(artifact.parent.iterdir())
    except OSError:
        return []
    return sorted(
        path
        for path in entries
        if path.name.startswith(prefix) and path.name.endswith(SIGSTORE_SUFFIX) and len(path.name) > len(prefix)
    )


def identity_token(explicit: str | None, environ: Mapping[str, str]) -> str:
    """The OIDC token to sign with: given, else ``$SIGSTORE_IDENTITY_TOKEN``, else the CI's ambient credential."""
    require_sigstore()
    if explicit:
        return explicit
    if environ.get(TOKEN_ENV):
        return environ[TOKEN_ENV]
    from sigstore.oidc import IdentityError, detect_credential

    try:
        detected = detect_credential()
    except IdentityError as err:
        raise SigstoreServiceError(f"cannot get the CI's OIDC credential: {_one_line(err)}") from err
    if not detected:
        raise SupplyChainError(
            f"no OIDC identity for Sigstore: pass --identity-token, set {TOKEN_ENV}, or run in a CI that provides"
            " one (GitHub Actions with `permissions: id-token: write`, GitLab `id_tokens` with aud sigstore, ...)"
        )
    return detected


def sign_statement(statement: Statement, token: str, *, instance: Instance = "production") -> str:
    """Sign ``statement`` keyless with Sigstore; the bundle as JSON. Needs the network (TUF, Fulcio, Rekor)."""
    require_sigstore()
    from sigstore.dsse import Statement as SigstoreStatement
    from sigstore.oidc import ExpiredIdentity, IdentityError, IdentityToken

    try:
        identity = IdentityToken(token)
    except IdentityError as err:
        raise SupplyChainError(f"the OIDC identity token is not usable for Sigstore: {_one_line(err)}") from err
    with _service_errors(f"Sigstore {instance}"):
        from sigstore.sign import SigningContext

        try:
            from sigstore.models import ClientTrustConfig  # sigstore 4
        except ImportError:  # sigstore 3: SigningContext.production() / .staging()
            context: SigningContext = getattr(SigningContext, instance)()
        else:
            config = ClientTrustConfig.staging() if instance == "staging" else ClientTrustConfig.production()
            context = SigningContext.from_trust_config(config)
        try:
            with context.signer(identity, cache=False) as signer:
                bundle = signer.sign_dsse(SigstoreStatement(statement.to_bytes()))
        except ExpiredIdentity as err:
            raise SupplyChainError("the OIDC identity token has expired") from err
    return bundle.to_json()


def verify_sigstore_bundles(
    paths: Sequence[Path],
    identities: Sequence[SigstoreIdentity],
    *,
    instance: Instance = "production",
    offline: bool = False,
    trust_root: Path | None = None,
) -> tuple[list[VerifiedStatement], list[str]]:
    """The statements of bundles Sigstore verifies for a trusted identity, and one failure line per other bundle.

    ``offline`` uses the trust root sigstore has cached or ships instead of refreshing it over TUF (the bundle
    itself carries the Rekor inclusion proof, so verification needs no other network access). ``trust_root``, a
    ``trusted_root.json`` file, replaces the instance's: a private Sigstore deployment's, read with no network.
    """
    if not paths:
        return [], []
    try:
        require_sigstore()
    except SigstoreUnavailable:
        return [], [f"{path}: cannot verify a Sigstore bundle: {INSTALL_HINT}" for path in paths]
    if not identities:
        return [], [f"{path}: the verify policy trusts no Sigstore identity (sigstore_identities)" for path in paths]
    failures: list[str] = []
    parsed: list[tuple[Path, Bundle]] = []
    for path in paths:
        try:
            parsed.append((path, read_sigstore_bundle(path)))
        except SupplyChainError as err:
            failures.append(str(err))
    if not parsed:
        return [], failures

    from sigstore.errors import VerificationError
    from sigstore.verify.policy import AnyOf, Identity

    try:
        verifier = _verifier(instance, offline, trust_root)
    except SupplyChainError as err:
        return [], [*failures, *(f"{path}: cannot verify: {err}" for path, _ in parsed)]
    trusted = [(spec, Identity(identity=spec.identity, issuer=spec.issuer)) for spec in identities]
    # one identity: sigstore's own message says what differs; several: AnyOf, explained below when none matches
    policy = trusted[0][1] if len(trusted) == 1 else AnyOf([identity for _, identity in trusted])
    verified: list[VerifiedStatement] = []
    for path, bundle in parsed:
        try:
            payload_type, payload = verifier.verify_dsse(bundle, policy)
        except (VerificationError, ValueError) as err:  # ValueError: malformed certificate contents and the like
            reason = _one_line(err)
            if len(trusted) > 1 and not any(_matches(identity, bundle) for _, identity in trusted):
                reason = f"the certificate's identity is none of the {len(trusted)} sigstore_identities ({reason})"
            failures.append(f"{path}: Sigstore verification failed: {reason}")
            continue
        if payload_type != INTOTO_PAYLOAD_TYPE:
            failures.append(f"{path}: payload type {payload_type!r} is not in-toto")
            continue
        try:
            statement = parse_statement(payload, str(path))
        except SupplyChainError as err:
            failures.append(str(err))
            continue
        signer = next(spec for spec, identity in trusted if _matches(identity, bundle))
        verified.append(VerifiedStatement(statement, str(path), (), f"{signer.identity} ({signer.issuer})"))
    return verified, failures


def _verifier(instance: Instance, offline: bool, trust_root: Path | None) -> Verifier:
    from sigstore.errors import Error
    from sigstore.verify import Verifier

    if trust_root is None:
        with _service_errors(f"the Sigstore {instance} trust root"):
            return (Verifier.staging if instance == "staging" else Verifier.production)(offline=offline)
    try:
        from sigstore.models import TrustedRoot
    except ImportError as err:  # sigstore 3 keeps it private, with another Verifier constructor
        raise SupplyChainError(f"{trust_root}: a sigstore_trust_root needs sigstore 4 or later") from err
    try:
        return Verifier(trusted_root=TrustedRoot.from_file(str(trust_root)))
    except (Error, ValueError, OSError) as err:
        raise SupplyChainError(f"{trust_root}: not a usable Sigstore trusted root: {_one_line(err)}") from err


def read_sigstore_bundle(path: Path) -> Bundle:
    """A Sigstore bundle parsed by ``sigstore.models.Bundle.from_json``; ``SupplyChainError`` naming the file."""
    require_sigstore()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read Sigstore bundle: {err.strerror}") from err
    return parse_sigstore_bundle(raw, path)


def parse_sigstore_bundle(raw: bytes, path: Path) -> Bundle:
    """``raw`` (the bytes of ``path``) parsed by sigstore's own parser; ``SupplyChainError`` naming the file.

    Split from :func:`read_sigstore_bundle` so the release ledger parses exactly the bytes it then stores.
    """
    require_sigstore()
    from sigstore.errors import Error
    from sigstore.models import Bundle

    try:
        return Bundle.from_json(raw)
    except (Error, ValueError, TypeError, KeyError) as err:
        raise SupplyChainError(f"{path}: not a Sigstore bundle: {_one_line(err)}") from err


def _matches(identity: Identity, bundle: Bundle) -> bool:
    from sigstore.errors import VerificationError

    try:
        identity.verify(bundle.signing_certificate)
    except VerificationError:
        return False
    return True


@contextmanager
def _service_errors(what: str) -> Iterator[None]:
    """Turn the network and service errors of sigstore, TUF and requests into one-line ``SigstoreServiceError``."""
    from sigstore.errors import Error
    from tuf.api.exceptions import DownloadError, RepositoryError

    try:
        yield
    except SupplyChainError:
        raise
    except (Error, DownloadError, RepositoryError, OSError) as err:  # requests' errors are OSErrors
        raise SigstoreServiceError(f"{what}: {_one_line(err)}") from err


def _one_line(error: BaseException) -> str:
    """``Type: message`` on one line, and its direct cause (``TUFError: ... (DownloadError: ...)``)."""
    text = _describe(error)
    if error.__cause__ is not None:
        text = f"{text} ({_describe(error.__cause__)})"
    return text


def _describe(error: BaseException) -> str:
    # pydantic's messages (from sigstore's bundle models) span lines and end each error with a link: keep the facts.
    message = re.sub(r"\s*For further information visit \S+", "", str(error))
    message = " ".join(message.split())
    if len(message) > _LONGEST:
        message = message[: _LONGEST - 1] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


_LONGEST = 240


def _quiet() -> None:
    """sigstore and TUF log warnings (``offline mode``) to stderr; bastion reports one line of its own."""
    for name in ("sigstore", "tuf"):
        logging.getLogger(name).setLevel(logging.ERROR)
