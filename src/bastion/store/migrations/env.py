"""Alembic environment of the store: migrates the connection ``bastion.store.migration`` hands it.

Migrations run only through ``open_store`` (programmatically, on the open connection); there is no
``alembic.ini``. SQLite uses batch mode so that later migrations can alter tables.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bastion.store.tables import Base


def run_migrations_online() -> None:
    """Run the pending migrations on the connection passed in ``config.attributes``."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("bastion migrations run through bastion.store.open_store, not the alembic CLI")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
