"""``bastion sbom PATH``: the software bill of materials of a folder, lockfile or environment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def sbom(
    path: Annotated[Path, typer.Argument(help="A folder (walked for lockfiles), a lockfile, or a site-packages.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="cyclonedx or spdx.")] = "cyclonedx",
    spec_version: Annotated[str, typer.Option("--spec-version", help="CycloneDX version: 1.6 or 1.5.")] = "1.6",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Product name (default: the folder's).")] = None,
    product_version: Annotated[str | None, typer.Option("--product-version", help="Product version.")] = None,
    commit: Annotated[str | None, typer.Option("--commit", help="Commit built (default: git HEAD).")] = None,
) -> None:
    """Write the SBOM of PATH as CycloneDX 1.6/1.5 or SPDX 2.3 JSON."""
    import sys

    from bastion.errors import UsageError
    from bastion.supplychain.provenance import head_commit
    from bastion.supplychain.sbom import CycloneDxVersion, SbomFormat, collect, render_sbom

    try:
        chosen = SbomFormat(fmt)
        version = CycloneDxVersion(spec_version)
    except ValueError:
        raise UsageError(f"--format {fmt!r} --spec-version {spec_version!r}: use cyclonedx|spdx, 1.6|1.5") from None
    if commit is None and path.is_dir():
        commit = head_commit(path)
    subject = collect(path, name=name, version=product_version, commit=commit)
    for warning in subject.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    text = render_sbom(subject, chosen, version)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{output}: cannot write: {err.strerror}") from err
    print(f"{output}: {chosen.value} SBOM with {len(subject.components)} component(s)", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``bastion sbom``."""
    app.command("sbom")(sbom)
