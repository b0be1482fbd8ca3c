"""``bastion run``: execute the repository's pipeline, record findings, apply the gate, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def run(
    path: Annotated[Path, typer.Argument(help="Repository to scan.")] = Path(),
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Pipeline file (default PATH/bastion.yml).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Store URL (default: $BASTION_DATABASE_URL, else sqlite in PATH/.bastion/)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="console, json, sarif or junit.")] = "console",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    stage: Annotated[list[str] | None, typer.Option("--stage", help="Run only these stages (repeatable).")] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Branch name for the lifecycle (default: git's).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no console summary.")] = False,
) -> int:
    """Run the pipeline in PATH/bastion.yml. Exit 0 pass (or warn), 1 blocked, 2 bad input."""
    import sys

    from bastion.cli.errors import EXIT_BLOCKED, EXIT_OK
    from bastion.cli.output import parse_format, parse_stages, write_report
    from bastion.engine import progress_for
    from bastion.workflow import RunRequest, execute_run

    report_format = parse_format(fmt)
    stages = parse_stages(stage or [])
    if not path.is_dir():
        from bastion.errors import UsageError

        raise UsageError(f"{path}: target path does not exist or is not a directory")
    request = RunRequest(root=path, config=config, database_url=db, stages=stages, branch=branch)
    report = execute_run(request, progress_for(quiet=quiet, stream=sys.stderr))
    write_report(report, report_format, output, quiet=quiet)
    return EXIT_BLOCKED if report.decision.blocked else EXIT_OK


def register(app: typer.Typer) -> None:
    """Add ``bastion run``."""
    app.command("run")(run)
