"""The database URL: the default SQLite file, driver rewriting, and the masked form shown in messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bastion.errors import StoreError

__all__ = ["DatabaseUrl", "resolve_url"]

DEFAULT_DIRECTORY = ".bastion"
DEFAULT_FILE = "bastion.db"
_POSTGRES_NAMES = frozenset({"postgresql", "postgres"})


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A parsed database URL, with the text the user gave kept for messages, its password masked."""

    url: URL
    """The URL SQLAlchemy connects with (driver filled in)."""
    masked: str
    """The URL as the user wrote it, password replaced by ``***``: safe to show."""

    @property
    def is_sqlite(self) -> bool:
        """True for SQLite files and in-memory databases."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database file, or ``None`` for other backends and in-memory databases."""
        database = self.url.database
        if not self.is_sqlite or not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)


def resolve_url(url: str | None, root: Path) -> DatabaseUrl:
    """Parse ``url``, or default to SQLite under ``root``; ``postgresql://`` is rewritten to psycopg 3."""
    if url is None:
        path = root / DEFAULT_DIRECTORY / DEFAULT_FILE
        parsed = URL.create("sqlite", database=str(path))
        return DatabaseUrl(parsed, parsed.render_as_string(hide_password=True))
    try:
        given = make_url(url)
    except ArgumentError as err:
        # Never echo the text: a URL that fails to parse may still hold a password.
        raise StoreError("invalid database URL: expected dialect://user:password@host/database") from err
    masked = given.render_as_string(hide_password=True)
    if given.drivername in _POSTGRES_NAMES:
        given = given.set(drivername="postgresql+psycopg")
    return DatabaseUrl(given, masked)
