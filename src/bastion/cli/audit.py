"""``bastion audit``: verify the hash chain of the audit log and list its entries; and who the CLI acts as."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.actor import actor_of
from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["ActorOption", "actor_of", "app"]

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)

ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who is acting, for the audit log (default: $BASTION_ACTOR or cli:<login>)."),
]


@app.command("verify")
def verify(
    db: DbOption = None,
    repo: RepoOption = Path(),
    expect_head: Annotated[
        str | None, typer.Option("--expect-head", help="The head hash recorded earlier; fail if the log lost it.")
    ] = None,
) -> None:
    """Check every entry's hash and link; exit 1 if any entry was edited, deleted or reordered."""
    from bastion.cli.errors import EXIT_BLOCKED
    from bastion.cli.store_option import open_cli_store
    from bastion.store.audit import AuditLog

    with open_cli_store(db, repo) as store:
        result = AuditLog(store).verify()
        anchored = expect_head is None or expect_head in {e.hash for e in AuditLog(store).entries(limit=1_000_000)}
    for problem in result.problems:
        typer.echo(f"audit: {problem}", err=True)
    if not anchored:
        typer.echo(f"audit: the expected head {expect_head} is not in the log (entries deleted or rewritten)", err=True)
    if result.problems or not anchored:
        raise typer.Exit(EXIT_BLOCKED)
    typer.echo(f"ok: {result.entries} entries, head {result.head}")


@app.command("list")
def list_entries(
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Only this subject (id prefix).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List audit entries, newest first."""
    import json

    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store
    from bastion.store.audit import AuditLog

    with open_cli_store(db, repo) as store:
        entries = AuditLog(store).entries(project=project, subject=subject, limit=limit)
    if as_json:
        rows = [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": e.event.actor,
                "action": e.event.action,
                "kind": e.event.kind.value,
                "subject": e.event.subject,
                "project": e.event.project,
                "detail": e.event.detail,
                "hash": e.hash,
            }
            for e in entries
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(entries)} audit entr{'y' if len(entries) == 1 else 'ies'}")
    for column in ("seq", "when", "actor", "action", "subject", "project"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(
            str(e.seq),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.event.actor,
            e.event.action,
            e.event.subject[:12],
            e.event.project or "-",
        )
    result_console().print(table)
