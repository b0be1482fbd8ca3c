"""``bastion init``: look at a repository and write a starter ``bastion.yml`` with the controls that apply."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def init(
    path: Annotated[Path, typer.Argument(help="Repository to look at.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing bastion.yml.")] = False,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the pipeline instead of writing it.")] = False,
) -> None:
    """Write PATH/bastion.yml for the languages, lockfiles, IaC and CI files found in PATH."""
    from bastion.config import CONFIG_NAME
    from bastion.config.starter import starter_pipeline
    from bastion.engine import walk_workspace
    from bastion.errors import UsageError

    workspace = walk_workspace(path)
    text = starter_pipeline(workspace.root, workspace.files)
    if stdout:
        typer.echo(text, nl=False)
        return
    target = workspace.root / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; use --force to overwrite it or --stdout to print")
    target.write_text(text, "utf-8")
    typer.echo(f"wrote {target}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``bastion init``."""
    app.command("init")(init)
