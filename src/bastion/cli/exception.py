"""``bastion exception``: time-boxed, approved exceptions to the policy, in the store and in a reviewed file.

Adding and removing one writes its audit entry in the same transaction (``--actor``, ``$BASTION_ACTOR`` or
``cli:<login>``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.audit import ActorOption, actor_of
from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["app"]

app = typer.Typer(help="Exceptions to the policy: each with a reason, an approver and an expiry.", no_args_is_help=True)

ProjectOption = Annotated[str | None, typer.Option("--project", help="Project (default: the repository's name).")]


def _date(text: str) -> date:
    from bastion.errors import UsageError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--expires {text!r}: not a date (YYYY-MM-DD)") from None


@app.command("add")
def add(
    target: Annotated[str, typer.Argument(help="A finding id (hex) or a rule id (AWS-001, B602...).")],
    reason: Annotated[str, typer.Option("--reason", help="Why the risk is accepted.")] = "",
    expires: Annotated[str, typer.Option("--expires", help="Last day it applies, YYYY-MM-DD (required).")] = "",
    approver: Annotated[str, typer.Option("--approver", help="Who approved it.")] = "",
    max_days: Annotated[int, typer.Option("--max-days", min=1, help="Longest allowed lifetime.")] = 365,
    project: ProjectOption = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Record an exception; refused without an expiry, with one in the past, or beyond --max-days."""
    from bastion.cli.store_option import open_cli_store
    from bastion.policy.exception import new_exception
    from bastion.store.exceptions import ExceptionRegister

    exception = new_exception(
        target, reason=reason, approver=approver, expires=_date(expires) if expires else None, max_days=max_days
    )
    with open_cli_store(db, repo) as store:
        ExceptionRegister(store).add(project or repo.resolve().name, exception, actor_of(actor))
    typer.echo(exception.id)


@app.command("list")
def list_exceptions(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    project: ProjectOption = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """List the exceptions, soonest expiry first; expired ones are marked."""
    import json
    from datetime import UTC, datetime

    from bastion.cli.store_option import open_cli_store
    from bastion.store.exceptions import ExceptionRegister

    with open_cli_store(db, repo) as store:
        exceptions = ExceptionRegister(store).list(project or repo.resolve().name)
    today = datetime.now(UTC).date()
    rows = [
        {
            "id": e.id,
            "scope": e.scope.value,
            "target": e.target,
            "expires": e.expires.isoformat(),
            "active": e.is_active(today),
            "approver": e.approver,
            "reason": e.reason,
        }
        for e in exceptions
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "active " if row["active"] else "EXPIRED"
        typer.echo(
            f"{row['id']}  {state}  {row['expires']}  {row['scope']}:{row['target']}  "
            f"{row['approver']}: {row['reason']}"
        )


@app.command("remove")
def remove(
    exception_id: Annotated[str, typer.Argument(help="The exception's id (EXC-...).")],
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Remove an exception (its row is kept, marked removed)."""
    from bastion.cli.store_option import open_cli_store
    from bastion.store.exceptions import ExceptionRegister

    with open_cli_store(db, repo) as store:
        ExceptionRegister(store).remove(exception_id, actor_of(actor))
    typer.echo(f"removed {exception_id}")


@app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Default: <repo>/.bastion/exceptions.yml.")
    ] = None,
    project: ProjectOption = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Write the project's exceptions to a file for review in version control."""
    from bastion.cli.store_option import open_cli_store
    from bastion.policy.exception_file import EXCEPTIONS_FILE, write_exceptions
    from bastion.store.exceptions import ExceptionRegister

    with open_cli_store(db, repo) as store:
        exceptions = ExceptionRegister(store).list(project or repo.resolve().name)
    path = output or repo / EXCEPTIONS_FILE
    write_exceptions(path, exceptions)
    typer.echo(f"{len(exceptions)} exception(s) written to {path}")
