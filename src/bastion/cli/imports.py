"""``bastion import FILE --format …``: record another tool's report in the store, deduplicated across tools.

The import and its audit entry (``--actor``) are one transaction; then new blocking findings go to the store's
webhooks, and the project is swept for SLA breaches and expiring exceptions (``bastion webhook sweep``).

This module only declares the options for Typer; the command's body is ``bastion.cli.import_run.run_import``,
which the entry point also calls without Typer for an ordinary command line (start-up time)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.audit import ActorOption
from bastion.cli.import_run import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, ImportRequest, run_import
from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["import_command", "register"]


def register(app: typer.Typer) -> None:
    """Add the top-level ``import`` command."""
    app.command("import")(import_command)


def import_command(
    file: Annotated[Path, typer.Argument(help="The report to import ('-' for stdin).", allow_dash=True)],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="sarif, gitleaks, trufflehog, semgrep, bandit, checkov, trivy, pip-audit, zap, csv."
        ),
    ],
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Project (default: the repository's name).")] = None,
    branch: Annotated[str, typer.Option("--branch", help="Branch the report is about.")] = "main",
    control: Annotated[str | None, typer.Option("--control", help="Control id (default: the format).")] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", envvar=MAX_BYTES_ENV, min=1, help="Refuse larger reports.")
    ] = DEFAULT_MAX_BYTES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Process the report even if it was just imported.")] = False,
    actor: ActorOption = None,
) -> None:
    """Import a report: its findings are deduplicated with those already in the store, in one transaction."""
    run_import(
        ImportRequest(
            file=file,
            fmt=fmt,
            db=db,
            repo=repo,
            project=project,
            branch=branch,
            control=control,
            max_bytes=max_bytes,
            as_json=as_json,
            force=force,
            actor=actor,
        )
    )
