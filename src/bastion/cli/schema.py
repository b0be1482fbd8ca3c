"""``bastion schema``: print the JSON Schema of ``bastion.yml`` for editors and CI linters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")] = None,
) -> None:
    """Print the JSON Schema of bastion.yml (version 1), with the installed scanners' names."""
    import json

    from bastion.config import pipeline_json_schema
    from bastion.scanners import importer_names, scanner_names

    text = json.dumps(pipeline_json_schema(scanner_names(), importer_names()), indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")


def register(app: typer.Typer) -> None:
    """Add ``bastion schema``."""
    app.command("schema")(schema)
