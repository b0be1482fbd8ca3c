"""Schema migrations: bringing a database to the newest revision with Alembic, from code.

The scripts live in ``migrations/`` inside this package (shipped in the wheel); there is no ``alembic.ini``.
Alembic is imported only here, and only when a store is opened.

Two stores opened at once must not migrate at once. Within a process, alembic's ``context`` and ``op`` are
module globals, so a lock serialises migrations. Across processes, the database does: SQLite's
``BEGIN IMMEDIATE`` (see ``database.py``), and on PostgreSQL a transaction-scoped advisory lock.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["SCRIPT_LOCATION", "head_revision", "migrate_to_head"]

SCRIPT_LOCATION = Path(__file__).parent / "migrations"

_IN_PROCESS = threading.Lock()
_POSTGRES_LOCK_KEY = 0x62617374696F6E  # "bastion"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def migrate_to_head(connection: Connection) -> None:
    """Apply every pending migration on ``connection`` and commit, one migrating connection at a time."""
    from alembic import command

    with _IN_PROCESS:
        if connection.dialect.name == "postgresql":
            # Begins the transaction alembic then runs in; released at commit.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})
        command.upgrade(_config(connection), "head")
        connection.commit()


def head_revision() -> str:
    """The newest revision the installed bastion knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {SCRIPT_LOCATION}")
    return head
