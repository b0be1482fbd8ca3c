"""The database connection: an engine for the URL, SQLite set up for concurrent use, migrated to head.

SQLite gets foreign keys, WAL (readers do not block the writer) and a busy timeout. Python's ``sqlite3``
driver does not emit ``BEGIN`` before reads, so the engine emits it itself, ``BEGIN IMMEDIATE`` for writers: a
writer then takes the lock before reading the previous run, and two runs recorded at once cannot interleave.
See https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#sqlite-transactions.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from bastion.errors import StoreError
from bastion.store.migration import migrate_to_head
from bastion.store.url import DatabaseUrl

__all__ = ["WRITE", "first_line", "open_engine"]

WRITE = "bastion_write"
"""Execution option marking a connection that will write (``BEGIN IMMEDIATE`` on SQLite)."""

_SQLITE_BUSY_TIMEOUT_S = 30
_POSTGRES_CONNECT_TIMEOUT_S = 10


def first_line(err: BaseException) -> str:
    """The first line of the database's own message (not SQLAlchemy's wrapping), for one-line errors."""
    cause = err.orig if isinstance(err, DBAPIError) and err.orig is not None else err
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so); retried, because SQLite answers a switch that races another
    connection with "database is locked" at once, without waiting for its busy timeout."""
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _on_sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _create(url: DatabaseUrl) -> Engine:
    connect_args: dict[str, Any] = {}
    if url.is_sqlite:
        connect_args["timeout"] = _SQLITE_BUSY_TIMEOUT_S
        if url.sqlite_file is not None:
            try:
                url.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"{url.masked}: cannot create its directory: {err.strerror}") from err
    elif url.url.get_backend_name() == "postgresql" and "connect_timeout" not in url.url.query:
        connect_args["connect_timeout"] = _POSTGRES_CONNECT_TIMEOUT_S
    try:
        engine = create_engine(url.url, connect_args=connect_args, pool_pre_ping=not url.is_sqlite)
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise StoreError(
            f"{url.masked}: no database driver: {first_line(err)}",
            hint="PostgreSQL needs: pip install 'bastion[postgres]'",
        ) from err
    if url.is_sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def open_engine(url: DatabaseUrl) -> Engine:
    """Connect to ``url`` and migrate its schema to head; ``StoreError`` (password masked) if either fails."""
    engine = _create(url)
    try:
        connection = engine.connect()
    except (SQLAlchemyError, OSError) as err:
        engine.dispose()
        raise StoreError(f"{url.masked}: cannot connect: {first_line(err)}") from err
    try:
        with connection:
            migrate_to_head(connection.execution_options(**{WRITE: True}))
    except Exception as err:
        # Alembic raises its own errors too: an unknown revision means a newer bastion migrated this database.
        engine.dispose()
        reason = first_line(err)
        hint = "a newer bastion migrated this database: upgrade bastion" if "locate revision" in reason else None
        raise StoreError(f"{url.masked}: cannot migrate: {reason}", hint=hint) from err
    return engine
