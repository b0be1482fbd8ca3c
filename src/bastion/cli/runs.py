"""``bastion runs``: the history of pipeline runs in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["app"]

app = typer.Typer(help="Pipeline runs recorded in the store.", no_args_is_help=True)


@app.command("list")
def list_runs(
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List the latest runs, newest first."""
    import json

    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store

    with open_cli_store(db, repo) as store:
        runs = store.list_runs(project=project, limit=limit)
    if as_json:
        typer.echo(json.dumps([_run_dict(r) for r in runs], indent=2, default=str))
        return
    table = Table(title=f"{len(runs)} run(s)")
    for column in (
        "id",
        "project",
        "branch",
        "commit",
        "started",
        "duration",
        "controls",
        "open",
        "new",
        "fixed",
        "decision",
    ):
        table.add_column(column)
    for run in runs:
        duration = (run.finished_at - run.started_at).total_seconds()
        controls = " ".join(f"{n} {s.value}" for s, n in run.controls.items() if n)
        open_counts = " ".join(f"{n}{s.value[0].upper()}" for s, n in run.open_findings.items() if n)
        table.add_row(
            str(run.id),
            run.project,
            run.branch,
            (run.commit or "-")[:10],
            run.started_at.strftime("%Y-%m-%d %H:%M"),
            f"{duration:.1f}s",
            controls,
            open_counts or "0",
            str(run.new_findings),
            str(run.fixed_findings),
            run.outcome.value if run.outcome else "-",
        )
    result_console().print(table)


def _run_dict(run: object) -> dict[str, object]:
    import dataclasses

    return dataclasses.asdict(run)  # type: ignore[call-overload,no-any-return]
