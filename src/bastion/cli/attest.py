"""``bastion attest``: sign in-toto statements about an artifact.

With ``--key``, into its DSSE bundle (``ARTIFACT.intoto.jsonl``); with ``--sigstore`` (the ``[sigstore]`` extra),
keyless through Sigstore into one Sigstore bundle per statement kind (``ARTIFACT.<kind>.sigstore.json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bastion.cli.keys import PassphraseEnvOption

if TYPE_CHECKING:
    from bastion.supplychain import PredicateType

__all__ = ["app"]

app = typer.Typer(help="Signed attestations: provenance, scan results, gate decision, SBOM.", no_args_is_help=True)

KeyOption = Annotated[
    Path | None, typer.Option("--key", "-k", help="The private signing key (PEM); or use --sigstore.")
]
SigstoreOption = Annotated[
    bool,
    typer.Option(
        "--sigstore",
        help='Sign keyless with Sigstore (Fulcio + Rekor, needs the network and pip install "bastion[sigstore]")'
        " into ARTIFACT.<kind>.sigstore.json, instead of --key.",
    ),
]
IdentityTokenOption = Annotated[
    str | None,
    typer.Option(
        "--identity-token",
        help="With --sigstore: the OIDC identity token (default: $SIGSTORE_IDENTITY_TOKEN, else the CI's ambient"
        " credential).",
    ),
]
StagingOption = Annotated[bool, typer.Option("--staging", help="With --sigstore: use Sigstore's staging instance.")]
ArtifactOption = Annotated[Path, typer.Option("--artifact", "-a", help="The artifact the statement is about.")]
BundleOption = Annotated[
    Path | None,
    typer.Option(
        "--bundle",
        help="The bundle to append to (default: ARTIFACT.intoto.jsonl); with --sigstore, the Sigstore bundle to write"
        " (default: ARTIFACT.<kind>.sigstore.json).",
    ),
]


@dataclass(frozen=True, slots=True)
class _Signing:
    """How to sign: a key, or keyless through Sigstore."""

    key: Path | None
    passphrase_env: str | None
    sigstore: bool
    identity_token: str | None
    staging: bool


def _signing(
    key: Path | None, passphrase_env: str | None, sigstore: bool, identity_token: str | None, staging: bool
) -> _Signing:
    """Check the signing options before any work: exactly one of ``--key`` and ``--sigstore``, and the extra."""
    from bastion.cli.errors import EXIT_USAGE

    problem = None
    if (key is None) == (not sigstore):
        problem = "give exactly one of --key KEY or --sigstore"
    elif key is not None and (identity_token or staging):
        problem = "--identity-token and --staging go with --sigstore, not --key"
    elif sigstore and passphrase_env:
        problem = "--passphrase-env goes with --key, not --sigstore"
    if problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if sigstore:
        from bastion.supplychain.sigstore_signing import require_sigstore

        require_sigstore()  # without the extra, say so before doing anything else
    return _Signing(key, passphrase_env, sigstore, identity_token, staging)


def _sign(artifact: Path, kind: PredicateType, predicate: dict[str, Any], how: _Signing, bundle: Path | None) -> None:
    from bastion.cli.keys import passphrase_from
    from bastion.supplychain import append_envelope, attest, bundle_path, load_private_key, subject_of

    label = kind.name.lower().replace("_", "-")
    if how.key is None:
        _sign_keyless(artifact, kind, predicate, how, bundle, label)
        return
    signer = load_private_key(how.key, passphrase_from(how.passphrase_env))
    envelope = attest([subject_of(artifact)], kind.value, predicate, [signer])
    target = bundle or bundle_path(artifact)
    append_envelope(target, envelope)
    typer.echo(f"{target}: {label} attestation for {artifact.name}, key {signer.public.keyid[:12]}")


def _sign_keyless(
    artifact: Path, kind: PredicateType, predicate: dict[str, Any], how: _Signing, bundle: Path | None, label: str
) -> None:
    import os

    from bastion.cli.errors import EXIT_BLOCKED
    from bastion.supplychain import SupplyChainError, statement_for, subject_of
    from bastion.supplychain.sigstore_signing import (
        SigstoreServiceError,
        identity_token,
        sign_statement,
        sigstore_bundle_path,
    )

    statement = statement_for([subject_of(artifact)], kind.value, predicate)
    target = bundle or sigstore_bundle_path(artifact, kind)
    try:
        token = identity_token(how.identity_token, os.environ)
        document = sign_statement(statement, token, instance="staging" if how.staging else "production")
    except SigstoreServiceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_BLOCKED) from None
    try:
        target.write_text(document + "\n", encoding="utf-8")
    except OSError as err:
        raise SupplyChainError(f"{target}: cannot write Sigstore bundle: {err.strerror}") from err
    instance = "staging" if how.staging else "production"
    typer.echo(f"{target}: {label} attestation for {artifact.name}, Sigstore {instance} (keyless)")


@app.command("provenance")
def provenance(
    artifact: Annotated[Path, typer.Argument(help="The built artifact.")],
    builder_id: Annotated[str, typer.Option("--builder-id", help="Who built it (a URI naming the CI or host).")],
    source: Annotated[Path, typer.Option("--source", help="The source checkout (for commit and lockfiles).")] = Path(),
    repository: Annotated[str | None, typer.Option("--repository", help="Source URI (default: git origin).")] = None,
    commit: Annotated[str | None, typer.Option("--commit", help="Commit built (default: git HEAD).")] = None,
    key: KeyOption = None,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
    sigstore: SigstoreOption = False,
    identity_token: IdentityTokenOption = None,
    staging: StagingOption = False,
) -> None:
    """Attest SLSA provenance v1: artifact digest, builder, repository, commit and lockfiles."""
    how = _signing(key, passphrase_env, sigstore, identity_token, staging)
    from datetime import UTC, datetime

    from bastion.supplychain import PredicateType, provenance_predicate, source_of

    built = source_of(source, repository, commit)
    predicate = provenance_predicate(built, builder_id, datetime.now(UTC))
    _sign(artifact, PredicateType.SLSA_PROVENANCE, predicate, how, bundle)


@app.command("scan")
def scan(
    report: Annotated[Path, typer.Argument(help="A JSON run report (`bastion run -f json -o FILE`).")],
    artifact: ArtifactOption,
    key: KeyOption = None,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
    sigstore: SigstoreOption = False,
    identity_token: IdentityTokenOption = None,
    staging: StagingOption = False,
) -> None:
    """Attest the scan results of a run: its controls and open findings."""
    how = _signing(key, passphrase_env, sigstore, identity_token, staging)
    from bastion.supplychain import PredicateType, read_report, scan_predicate

    _sign(artifact, PredicateType.SCAN_RESULTS, scan_predicate(read_report(report)), how, bundle)


@app.command("gate")
def gate(
    report: Annotated[Path, typer.Argument(help="A JSON run report (`bastion run -f json -o FILE`).")],
    artifact: ArtifactOption,
    key: KeyOption = None,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
    sigstore: SigstoreOption = False,
    identity_token: IdentityTokenOption = None,
    staging: StagingOption = False,
) -> None:
    """Attest the gate decision of a run (verify requires a passing one, recent enough)."""
    how = _signing(key, passphrase_env, sigstore, identity_token, staging)
    from bastion.supplychain import PredicateType, gate_predicate, read_report

    predicate = gate_predicate(read_report(report)).document()
    _sign(artifact, PredicateType.GATE_DECISION, predicate, how, bundle)


@app.command("sbom")
def sbom(
    document: Annotated[Path, typer.Argument(help="A CycloneDX or SPDX JSON SBOM (`bastion sbom`).")],
    artifact: ArtifactOption,
    key: KeyOption = None,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
    sigstore: SigstoreOption = False,
    identity_token: IdentityTokenOption = None,
    staging: StagingOption = False,
) -> None:
    """Attest the artifact's SBOM (the predicate is the SBOM document itself)."""
    how = _signing(key, passphrase_env, sigstore, identity_token, staging)
    import json

    from bastion.supplychain import PredicateType, SupplyChainError
    from bastion.supplychain.sbom import SbomFormat, sbom_from_text

    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SupplyChainError(f"{document}: unreadable SBOM: {err}") from err
    summary = sbom_from_text(text, str(document))
    kind = PredicateType.CYCLONEDX if summary.format is SbomFormat.CYCLONEDX else PredicateType.SPDX
    _sign(artifact, kind, json.loads(text), how, bundle)
