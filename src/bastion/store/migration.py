"""Schema migrations: bringing a database to the newest revision with Alembic, from code.

The scripts live in ``migrations/`` inside this package (shipped in the wheel); there is no ``alembic.ini``.
Alembic is imported only here, and only when a store is opened.

Opening a store is on the path of every ``bastion run``, and importing Alembic costs ~0.4 s, so the revisions
the installed bastion knows are read straight from the migration files and compared with the database's
``alembic_version`` rows: Alembic is imported only when something is left to apply. Migrations may branch (one
branch per feature area, each off the initial revision); the store upgrades to every head.

Two stores opened at once must not migrate at once. Within a process, alembic's ``context`` and ``op`` are
module globals, so a lock serialises migrations. Across processes, the database does: SQLite's
``BEGIN IMMEDIATE`` (see ``database.py``), and on PostgreSQL a transaction-scoped advisory lock.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["SCRIPT_LOCATION", "head_revision", "head_revisions", "migrate_to_head"]

SCRIPT_LOCATION = Path(__file__).parent / "migrations"

_IN_PROCESS = threading.Lock()
_POSTGRES_LOCK_KEY = 0x62617374696F6E  # "bastion"
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


@cache
def head_revisions() -> frozenset[str]:
    """Every head revision in ``migrations/versions``, read from the scripts' text without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (SCRIPT_LOCATION / "versions").glob("*.py"):
        source = script.read_text("utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None:
            parents.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions - parents)


def _is_current(connection: Connection) -> bool:
    if not inspect(connection).has_table("alembic_version"):
        return False
    applied = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    connection.rollback()
    return applied == head_revisions()


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def migrate_to_head(connection: Connection) -> None:
    """Apply every pending migration on ``connection`` and commit, one migrating connection at a time."""
    if _is_current(connection):
        return
    from alembic import command

    with _IN_PROCESS:
        if connection.dialect.name == "postgresql":
            # Begins the transaction alembic then runs in; released at commit.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})
        command.upgrade(_config(connection), "heads")
        connection.commit()


def head_revision() -> frozenset[str]:
    """The head revisions as Alembic itself computes them (tests compare it with ``head_revisions``)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_config()).get_heads()
    if not heads:
        raise RuntimeError(f"no migrations found in {SCRIPT_LOCATION}")
    return frozenset(heads)
