"""``bastion token``: create (shown once), list and revoke API tokens for the server, directly in the store."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.audit import ActorOption, actor_of
from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["app", "parse_expiry"]

app = typer.Typer(help="API tokens for bastion server (stored only as a hash).", no_args_is_help=True)

_DURATION = re.compile(r"^(\d{1,5})([dhw])$")


def parse_expiry(text: str | None, option: str = "--expires") -> datetime | None:
    """``90d``, ``12h``, ``2w`` from now, or an ISO date or time (UTC unless it says); ``UsageError`` otherwise."""
    from datetime import UTC, timedelta

    from bastion.errors import UsageError

    if text is None:
        return None
    duration = _DURATION.match(text.strip())
    if duration:
        amount, unit = int(duration.group(1)), duration.group(2)
        hours = {"h": 1, "d": 24, "w": 24 * 7}[unit] * amount
        return datetime.now(UTC) + timedelta(hours=hours)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: '{text}' is neither a duration (90d, 12h, 2w) nor an ISO date") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@app.command("create")
def create(
    project: Annotated[str, typer.Option("--project", help="The token's project, or '*' for every project.")],
    role: Annotated[str, typer.Option("--role", help="admin, security, developer or viewer.")],
    name: Annotated[
        str | None, typer.Option("--name", help="Who holds it (e.g. @alice); default: <role>@<project>.")
    ] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="90d, 12h, 2w or an ISO date.")] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Create a token and print its secret once, on stdout (nothing else goes there)."""
    from bastion.cli.store_option import open_cli_store
    from bastion.errors import UsageError
    from bastion.store.tokens import NewToken, Role, TokenRegistry

    try:
        parsed = Role(role.lower())
    except ValueError:
        raise UsageError(f"--role: unknown role '{role}'; choose from admin, security, developer, viewer") from None
    new = NewToken(name or f"{parsed.value}@{project}", project, parsed, parse_expiry(expires))
    with open_cli_store(db, repo) as store:
        info, secret = TokenRegistry(store).create(new, actor_of(actor))
    typer.echo(
        f"created token {info.id} for {info.name}: {info.role.value} on {info.project}"
        f"{f', expires {info.expires_at:%Y-%m-%d %H:%M} UTC' if info.expires_at else ''}; "
        "store the secret now, it is not kept",
        err=True,
    )
    typer.echo(secret)


@app.command("list")
def list_tokens(
    project: Annotated[str | None, typer.Option("--project", help="Only this project (and '*' tokens).")] = None,
    include_revoked: Annotated[bool, typer.Option("--all", help="Include revoked tokens.")] = False,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """List tokens (never their secrets)."""
    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store
    from bastion.store.tokens import TokenRegistry

    with open_cli_store(db, repo) as store:
        tokens = TokenRegistry(store).list_tokens(project, include_revoked)
    table = Table(title=f"{len(tokens)} token(s)")
    for column in ("id", "name", "project", "role", "starts", "created", "expires", "revoked"):
        table.add_column(column)
    for t in tokens:
        table.add_row(
            str(t.id),
            t.name,
            t.project,
            t.role.value,
            t.shown + "…",
            f"{t.created_at:%Y-%m-%d}",
            f"{t.expires_at:%Y-%m-%d %H:%M}" if t.expires_at else "-",
            f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "-",
        )
    result_console().print(table)


@app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see token list).")],
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    from bastion.cli.store_option import open_cli_store
    from bastion.store.tokens import TokenRegistry

    with open_cli_store(db, repo) as store:
        info = TokenRegistry(store).revoke(token_id, actor_of(actor))
    typer.echo(f"revoked token {info.id} ({info.name}, {info.role.value} on {info.project})")
