"""Opening a database: connecting, SQLite settings, migrating to head, and one-line errors."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from bastion.errors import StoreError
from bastion.store import open_store
from bastion.store.migration import head_revision

from .conftest import RunFactory

TABLES = {"alembic_version", "projects", "runs", "control_runs", "findings", "run_findings"}


def sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def sqlite_version(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [version for (version,) in connection.execute("SELECT version_num FROM alembic_version")]


def test_default_store_is_created_under_dot_bastion_and_migrated(tmp_path: Path) -> None:
    with open_store(None, tmp_path):
        pass
    database = tmp_path / ".bastion" / "bastion.db"
    assert sqlite_tables(database) >= TABLES
    assert set(sqlite_version(database)) == head_revision()


def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path, runs: RunFactory) -> None:
    with open_store(None, tmp_path) as store:
        store.record_run(runs.record(runs.control("sast", runs.finding("A"))))
    with open_store(None, tmp_path) as store:
        assert len(store.list_runs()) == 1
    assert set(sqlite_version(tmp_path / ".bastion" / "bastion.db")) == head_revision()


def test_sqlite_uses_wal_and_enforces_foreign_keys(sqlite_url: str, tmp_path: Path) -> None:
    with open_store(sqlite_url, tmp_path) as store:
        with sqlite3.connect(tmp_path / "store" / "bastion.db") as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        with store._engine.connect() as connection:  # the store's own connections, settings included
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_migrated_by_a_newer_bastion_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    with open_store(sqlite_url, tmp_path):
        pass
    database = tmp_path / "store" / "bastion.db"
    with sqlite3.connect(database) as connection:
        # One row per head (migrations branch per feature area): a newer bastion's database has a revision we lack.
        connection.execute("DELETE FROM alembic_version")
        connection.execute("INSERT INTO alembic_version (version_num) VALUES ('9999')")
    with pytest.raises(StoreError, match=r"^sqlite:///.*bastion\.db: cannot migrate: .*'9999'") as caught:
        open_store(sqlite_url, tmp_path)
    assert caught.value.hint == "a newer bastion migrated this database: upgrade bastion"


def test_sqlite_directory_that_cannot_be_created_gives_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match=r"/file/sub/bastion\.db: cannot create its directory: "):
        open_store(f"sqlite:///{blocker}/sub/bastion.db", tmp_path)


def test_file_that_is_not_a_database_gives_one_line_error(tmp_path: Path) -> None:
    database = tmp_path / "junk.db"
    database.write_bytes(b"not a database, just bytes" * 100)
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{database}", tmp_path)
    assert str(caught.value).startswith(f"sqlite:///{database}: ")
    assert "\n" not in str(caught.value)


def test_unreachable_postgresql_error_masks_the_password(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://bob:hunter2@127.0.0.1:1/x", tmp_path)
    message = str(caught.value)
    assert message.startswith("postgresql://bob:***@127.0.0.1:1/x: cannot connect: ")
    assert "hunter2" not in message
    assert "\n" not in message


def test_missing_driver_gives_install_hint(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"^mysql://u:\*\*\*@h/x: no database driver: ") as caught:
        open_store("mysql://u:secret@h/x", tmp_path)
    assert caught.value.hint is not None


@pytest.mark.postgres
def test_postgresql_is_migrated_to_head_and_reopens(postgres_url: str, tmp_path: Path) -> None:
    with open_store(postgres_url, tmp_path):
        pass
    with open_store(postgres_url, tmp_path) as store:
        assert store.url == postgres_url
    with psycopg.connect(postgres_url) as connection:
        tables = {name for (name,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        versions = [version for (version,) in connection.execute("SELECT version_num FROM alembic_version")]
    assert tables >= TABLES
    assert set(versions) == head_revision()


def test_stores_opened_at_once_on_a_fresh_database_all_migrate(store_url: str, tmp_path: Path) -> None:
    def open_and_close(_: int) -> str:
        with open_store(store_url, tmp_path) as store:
            return store.url

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert len(list(pool.map(open_and_close, range(4)))) == 4
