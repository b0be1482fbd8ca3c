"""The store's file: where it lives, its tables, and opening it with a schema-version check."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from bastion.scanners.sca.errors import VulnStoreError

__all__ = ["BATCH", "SCHEMA_VERSION", "default_store_path", "open_database", "read_meta"]

SCHEMA_VERSION = "2"
BATCH = 500
"""Rows per ``executemany`` when writing, names per ``IN (...)`` when querying."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS advisories (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT, withdrawn TEXT, summary TEXT NOT NULL,
    score REAL, severity TEXT, vector TEXT, cwes TEXT NOT NULL, help_uri TEXT NOT NULL, source TEXT NOT NULL,
    aliases TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (advisory_id TEXT NOT NULL, alias TEXT NOT NULL, PRIMARY KEY (advisory_id, alias));
CREATE INDEX IF NOT EXISTS aliases_alias ON aliases (alias);
CREATE TABLE IF NOT EXISTS affected (
    advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, ranges TEXT NOT NULL,
    versions TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected (advisory_id);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, imported_at TEXT NOT NULL, records INTEGER NOT NULL, skipped INTEGER NOT NULL);
"""


def default_store_path(environ: Mapping[str, str]) -> Path:
    """``$BASTION_OSV_DB``, else ``$XDG_CACHE_HOME/bastion/osv.db``, else ``~/.cache/bastion/osv.db``."""
    if environ.get("BASTION_OSV_DB"):
        return Path(environ["BASTION_OSV_DB"]).expanduser()
    cache = Path(environ["XDG_CACHE_HOME"]) if environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return cache / "bastion" / "osv.db"


def open_database(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open (or, with ``create``, make) the store file, creating missing tables and checking the schema version."""
    if not create and not path.is_file():
        raise VulnStoreError(f"{path}: no vulnerability store; run `bastion db sync` or `bastion db import`")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False)
        db.executescript(_SCHEMA)
        found = read_meta(db, "schema_version")
        if found is None:
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            db.commit()
        elif found != SCHEMA_VERSION:
            raise VulnStoreError(f"{path}: store schema {found}, expected {SCHEMA_VERSION}; delete it and re-import")
    except (sqlite3.Error, OSError) as err:
        raise VulnStoreError(f"{path}: cannot open the vulnerability store: {err}") from err
    return db


def read_meta(db: sqlite3.Connection, key: str) -> str | None:
    """One value of the ``meta`` table, or None."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])
