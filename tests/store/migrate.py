"""Building a database as an older bastion left it: the migrations up to one revision only."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine

from bastion.store.migration import SCRIPT_LOCATION
from bastion.store.url import resolve_url


def engine_at(store_url: str, root: Path, revision: str) -> Engine:
    """An engine on ``store_url``'s database, migrated up to ``revision`` and no further (``open_store`` would
    upgrade it to every head at once); the caller disposes of it."""
    url = resolve_url(store_url, root)
    if url.sqlite_file is not None:
        url.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url.url)
    with engine.connect() as connection:
        config = Config()
        config.set_main_option("script_location", str(SCRIPT_LOCATION))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    return engine
