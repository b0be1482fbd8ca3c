"""``bastion attest``: sign in-toto statements about an artifact into its DSSE bundle (``ARTIFACT.intoto.jsonl``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bastion.cli.keys import PassphraseEnvOption

if TYPE_CHECKING:
    from bastion.supplychain import PredicateType

__all__ = ["app"]

app = typer.Typer(help="Signed attestations: provenance, scan results, gate decision, SBOM.", no_args_is_help=True)

KeyOption = Annotated[Path, typer.Option("--key", "-k", help="The private signing key (PEM).")]
ArtifactOption = Annotated[Path, typer.Option("--artifact", "-a", help="The artifact the statement is about.")]
BundleOption = Annotated[
    Path | None, typer.Option("--bundle", help="The bundle to append to (default: ARTIFACT.intoto.jsonl).")
]


def _sign(
    artifact: Path,
    kind: PredicateType,
    predicate: dict[str, Any],
    key: Path,
    passphrase_env: str | None,
    bundle: Path | None,
) -> None:
    from bastion.cli.keys import passphrase_from
    from bastion.supplychain import append_envelope, attest, bundle_path, load_private_key, subject_of

    signer = load_private_key(key, passphrase_from(passphrase_env))
    envelope = attest([subject_of(artifact)], kind.value, predicate, [signer])
    target = bundle or bundle_path(artifact)
    append_envelope(target, envelope)
    label = kind.name.lower().replace("_", "-")
    typer.echo(f"{target}: {label} attestation for {artifact.name}, key {signer.public.keyid[:12]}")


@app.command("provenance")
def provenance(
    artifact: Annotated[Path, typer.Argument(help="The built artifact.")],
    key: KeyOption,
    builder_id: Annotated[str, typer.Option("--builder-id", help="Who built it (a URI naming the CI or host).")],
    source: Annotated[Path, typer.Option("--source", help="The source checkout (for commit and lockfiles).")] = Path(),
    repository: Annotated[str | None, typer.Option("--repository", help="Source URI (default: git origin).")] = None,
    commit: Annotated[str | None, typer.Option("--commit", help="Commit built (default: git HEAD).")] = None,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
) -> None:
    """Attest SLSA provenance v1: artifact digest, builder, repository, commit and lockfiles."""
    from datetime import UTC, datetime

    from bastion.supplychain import PredicateType, provenance_predicate, source_of

    built = source_of(source, repository, commit)
    predicate = provenance_predicate(built, builder_id, datetime.now(UTC))
    _sign(artifact, PredicateType.SLSA_PROVENANCE, predicate, key, passphrase_env, bundle)


@app.command("scan")
def scan(
    report: Annotated[Path, typer.Argument(help="A JSON run report (`bastion run -f json -o FILE`).")],
    artifact: ArtifactOption,
    key: KeyOption,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
) -> None:
    """Attest the scan results of a run: its controls and open findings."""
    from bastion.supplychain import PredicateType, read_report, scan_predicate

    _sign(artifact, PredicateType.SCAN_RESULTS, scan_predicate(read_report(report)), key, passphrase_env, bundle)


@app.command("gate")
def gate(
    report: Annotated[Path, typer.Argument(help="A JSON run report (`bastion run -f json -o FILE`).")],
    artifact: ArtifactOption,
    key: KeyOption,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
) -> None:
    """Attest the gate decision of a run (verify requires a passing one, recent enough)."""
    from bastion.supplychain import PredicateType, gate_predicate, read_report

    predicate = gate_predicate(read_report(report)).document()
    _sign(artifact, PredicateType.GATE_DECISION, predicate, key, passphrase_env, bundle)


@app.command("sbom")
def sbom(
    document: Annotated[Path, typer.Argument(help="A CycloneDX or SPDX JSON SBOM (`bastion sbom`).")],
    artifact: ArtifactOption,
    key: KeyOption,
    passphrase_env: PassphraseEnvOption = None,
    bundle: BundleOption = None,
) -> None:
    """Attest the artifact's SBOM (the predicate is the SBOM document itself)."""
    import json

    from bastion.supplychain import PredicateType, SupplyChainError
    from bastion.supplychain.sbom import SbomFormat, sbom_from_text

    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SupplyChainError(f"{document}: unreadable SBOM: {err}") from err
    summary = sbom_from_text(text, str(document))
    kind = PredicateType.CYCLONEDX if summary.format is SbomFormat.CYCLONEDX else PredicateType.SPDX
    _sign(artifact, kind, json.loads(text), key, passphrase_env, bundle)
