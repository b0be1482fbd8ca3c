"""The ``--db`` and ``PATH`` options shared by commands that read the store, and opening it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bastion.store import Store

__all__ = ["DbOption", "RepoOption", "open_cli_store"]

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store URL (default: $BASTION_DATABASE_URL, else sqlite in the repository's .bastion/)."),
]
RepoOption = Annotated[Path, typer.Option("--repo", "-C", help="Repository whose store to read.")]


def open_cli_store(db: str | None, repo: Path) -> Store:
    """Open the store named by ``--db``, the environment, or the repository's default SQLite file."""
    from bastion.errors import UsageError
    from bastion.store import open_store

    url = db or os.environ.get("BASTION_DATABASE_URL") or None
    if url is None and not (repo / ".bastion" / "bastion.db").is_file():
        raise UsageError(
            f"{repo.resolve()}: no store at .bastion/bastion.db",
            hint="run `bastion run` first, or pass --db / set BASTION_DATABASE_URL",
        )
    return open_store(url, repo.resolve())
