"""``bastion verify ARTIFACT --policy FILE``: may this artifact be deployed? One line per requirement, exit 0/1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def verify(
    artifact: Annotated[Path, typer.Argument(help="The artifact to deploy.")],
    policy: Annotated[Path, typer.Option("--policy", "-p", help="The verify policy (YAML or JSON).")],
    attestations: Annotated[
        Path | None, typer.Option("--attestations", help="The bundle (default: ARTIFACT.intoto.jsonl).")
    ] = None,
    osv_db: Annotated[Path | None, typer.Option("--osv-db", help="The advisory store (overrides the policy).")] = None,
    sigstore_offline: Annotated[
        bool,
        typer.Option(
            "--sigstore-offline",
            help="Verify ARTIFACT.*.sigstore.json with the Sigstore trust root cached or shipped by sigstore, without"
            " refreshing it over the network.",
        ),
    ] = False,
) -> None:
    """Check the artifact's signed evidence against the policy; exit 1 unless every requirement passes.

    The evidence is ARTIFACT.intoto.jsonl (DSSE, signed with trusted_keys) and every ARTIFACT.*.sigstore.json
    (Sigstore bundles, signed by sigstore_identities; needs the [sigstore] extra).
    """
    import os

    from bastion.cli.errors import EXIT_BLOCKED
    from bastion.scanners.sca.osv.store import default_store_path
    from bastion.supplychain import SupplyChainError, bundle_path, load_policy, verify_artifact

    try:
        loaded, keys = load_policy(policy)
        if not artifact.is_file():
            raise SupplyChainError(f"{artifact}: no such artifact")
    except SupplyChainError as err:
        typer.echo(f"FAIL policy: {err}")
        raise typer.Exit(EXIT_BLOCKED) from None
    chosen = osv_db or (Path(loaded.vulnerabilities.osv_db).expanduser() if loaded.vulnerabilities.osv_db else None)
    store = chosen or default_store_path(os.environ)
    bundle = attestations or bundle_path(artifact)
    result = verify_artifact(artifact, bundle, loaded, keys, store_path=store, sigstore_offline=sigstore_offline)
    for line in result.results:
        typer.echo(line.line())
    if not result.passed:
        raise typer.Exit(EXIT_BLOCKED)


def register(app: typer.Typer) -> None:
    """Add ``bastion verify``."""
    app.command("verify")(verify)
