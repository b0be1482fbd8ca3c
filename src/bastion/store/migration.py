"""Schema migrations: bringing a database to the newest revision with Alembic, from code.

The scripts live in ``migrations/`` inside this package (shipped in the wheel); there is no ``alembic.ini``.
Alembic is imported only here, and only when a store is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["SCRIPT_LOCATION", "head_revision", "migrate_to_head"]

SCRIPT_LOCATION = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def migrate_to_head(connection: Connection) -> None:
    """Apply every pending migration on ``connection`` and commit."""
    from alembic import command

    command.upgrade(_config(connection), "head")
    connection.commit()


def head_revision() -> str:
    """The newest revision the installed bastion knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {SCRIPT_LOCATION}")
    return head
