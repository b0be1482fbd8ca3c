"""``bastion release``: the ledger of what shipped where and when, and which releases contain a package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.store_option import DbOption, RepoOption

if TYPE_CHECKING:
    from bastion.store import Store
    from bastion.store.releases import Release, ReleaseDetail

__all__ = ["app"]

app = typer.Typer(help="Release ledger: what shipped where and when, with its evidence.", no_args_is_help=True)

EnvironmentOption = Annotated[str | None, typer.Option("--environment", "-e", help="Only this environment.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of text.")]


def _open_for_write(db: str | None, repo: Path) -> Store:
    import os

    from bastion.store import open_store

    return open_store(db or os.environ.get("BASTION_DATABASE_URL") or None, repo.resolve())


def _line(release: Release) -> str:
    current = " (current)" if release.current else ""
    return (
        f"{release.id:>5}  {release.recorded_at:%Y-%m-%d %H:%M}  {release.environment:<10} {release.project} "
        f"{release.version}{current}  {release.artifact_name} {release.artifact_digest[:19]}…  "
        f"gate={release.gate_outcome or '-'}  packages={release.components}"
    )


def _as_json(releases: list[Release]) -> str:
    import json
    from dataclasses import asdict

    return json.dumps([{**asdict(r), "recorded_at": r.recorded_at.isoformat()} for r in releases], indent=2)


def _keyless_lines(detail: ReleaseDetail) -> list[str]:
    """One line per recorded Sigstore bundle: file, signer identity and issuer, Rekor log index."""
    return [
        f"  {b.file_name(detail.release.artifact_name)}  signed by {b.identity} ({b.issuer})"
        + (f"  rekor log index {b.log_index}" if b.log_index is not None else "")
        for b in detail.sigstore_bundles
    ]


def _keyless_json(detail: ReleaseDetail) -> list[dict[str, object]]:
    """The recorded Sigstore bundles; ``bundle`` is the file's text exactly, to write back and verify again."""
    return [
        {
            "kind": b.kind,
            "file": b.file_name(detail.release.artifact_name),
            "identity": b.identity,
            "issuer": b.issuer,
            "log_index": b.log_index,
            "bundle": b.bundle,
        }
        for b in detail.sigstore_bundles
    ]


@app.command("record")
def record(
    version: Annotated[str, typer.Argument(help="The version shipped.")],
    artifact: Annotated[Path, typer.Option("--artifact", "-a", help="The artifact shipped.")],
    environment: Annotated[str, typer.Option("--environment", "-e", help="Where it shipped (prod, staging...).")],
    project: Annotated[str | None, typer.Option("--project", help="Project name (default: the repo folder's).")] = None,
    attestations: Annotated[
        Path | None, typer.Option("--attestations", help="The bundle (default: ARTIFACT.intoto.jsonl if present).")
    ] = None,
    sbom: Annotated[Path | None, typer.Option("--sbom", help="The SBOM (default: the bundle's SBOM).")] = None,
    trusted_key: Annotated[
        list[Path] | None, typer.Option("--trusted-key", help="Only read envelopes these public keys signed.")
    ] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Record that VERSION (ARTIFACT) shipped to an environment, with its SBOM, attestations and gate decision.

    Every ARTIFACT.<kind>.sigstore.json beside the artifact is recorded too, as written, with its signer."""
    from datetime import UTC, datetime

    from bastion.store.releases import ReleaseLedger
    from bastion.supplychain import bundle_path, load_public_key
    from bastion.supplychain.release import release_of

    bundle = attestations or (bundle_path(artifact) if bundle_path(artifact).is_file() else None)
    entry = release_of(
        artifact,
        project=project or repo.resolve().name,
        version=version,
        environment=environment,
        recorded_at=datetime.now(UTC),
        bundle=bundle,
        sbom=sbom,
        trusted=[load_public_key(path) for path in trusted_key or []],
    )
    with _open_for_write(db, repo) as store:
        release_id = ReleaseLedger(store).record(entry)
    keyless = f", {len(entry.sigstore_bundles)} Sigstore bundle(s)" if entry.sigstore_bundles else ""
    typer.echo(
        f"release {release_id}: {entry.project} {version} to {environment}, {len(entry.components)} package(s)"
        + keyless
    )


@app.command("list")
def list_releases(
    environment: EnvironmentOption = None,
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 50,
    as_json: JsonOption = False,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Recorded releases, newest first."""
    from bastion.cli.store_option import open_cli_store
    from bastion.store.releases import ReleaseLedger

    with open_cli_store(db, repo) as store:
        releases = ReleaseLedger(store).list_releases(environment=environment, project=project, limit=limit)
    typer.echo(_as_json(releases) if as_json else "\n".join(_line(r) for r in releases) or "no releases recorded")


@app.command("show")
def show(
    reference: Annotated[str, typer.Argument(help="A release id or version.")],
    as_json: JsonOption = False,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """One release with its gate decision, attestations, Sigstore bundles and packages."""
    import json

    from bastion.cli.store_option import open_cli_store
    from bastion.store.releases import ReleaseLedger

    with open_cli_store(db, repo) as store:
        detail = ReleaseLedger(store).get(reference)
    if as_json:
        document = json.loads(_as_json([detail.release]))[0]
        document |= {
            "gate": detail.gate,
            "sbom_format": detail.sbom_format,
            "attestations": list(detail.attestations),
            "sigstore_bundles": _keyless_json(detail),
            "packages": [c.purl for c in detail.components],
        }
        typer.echo(json.dumps(document, indent=2))
        return
    typer.echo(_line(detail.release))
    typer.echo(
        f"sbom: {detail.sbom_format or 'none'}; attestations: {len(detail.attestations)};"
        f" sigstore bundles: {len(detail.sigstore_bundles)}"
    )
    for line in _keyless_lines(detail):
        typer.echo(line)
    for component in detail.components:
        typer.echo(f"  {component.purl}")


@app.command("find")
def find(
    package: Annotated[str, typer.Option("--package", help="Name (log4j-core), full name or versionless purl.")],
    version: Annotated[str, typer.Option("--version", help="The exact version.")],
    environment: EnvironmentOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Which releases contain PACKAGE at VERSION (``--environment prod``: in production)."""
    from bastion.cli.store_option import open_cli_store
    from bastion.store.releases import ReleaseLedger

    with open_cli_store(db, repo) as store:
        releases = ReleaseLedger(store).containing(package, version, environment=environment)
    if as_json:
        typer.echo(_as_json(releases))
    elif not releases:
        typer.echo(f"no recorded release contains {package} {version}")
    else:
        typer.echo("\n".join(_line(r) for r in releases))
