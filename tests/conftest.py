"""Fixtures shared by every test area: assets, the shipped example, and real databases (SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"


def asset_finder(base: Path) -> Callable[[str], Path]:
    """A factory: ``asset_finder(base)("x/y")`` is the path of that file (or folder) under ``base``; the test
    fails, naming it, when it is missing."""

    def find(name: str) -> Path:
        path = base / name
        assert path.exists(), f"missing test asset {path}"
        return path

    return find


@pytest.fixture
def asset() -> Callable[[str], Path]:
    """A factory: ``asset("engine/report.sarif")`` is the path of that file under ``tests/assets``."""
    return asset_finder(ASSETS)


@pytest.fixture
def example_shop() -> Path:
    """The deliberately vulnerable example service shipped in ``examples/shop``."""
    return REPO_ROOT / "examples" / "shop"


POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432
POSTGRES_USERS = ("postgres", "root")


def _admin_connection() -> tuple[psycopg.Connection[tuple[object, ...]], str] | None:
    for user in POSTGRES_USERS:
        try:
            connection = psycopg.connect(
                host=POSTGRES_HOST,
                port=POSTGRES_PORT,
                user=user,
                dbname="postgres",
                connect_timeout=5,
                autocommit=True,
            )
        except psycopg.OperationalError:
            continue
        return connection, user
    return None


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'store' / 'bastion.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database on the real server, dropped afterwards."""
    admin = _admin_connection()
    if admin is None:
        users = " or ".join(POSTGRES_USERS)
        message = f"PostgreSQL is not reachable at {POSTGRES_HOST}:{POSTGRES_PORT} as {users}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must test the real server: .ci/run starts it)")
        pytest.skip(message)
    connection, user = admin
    name = f"bastion_test_{secrets.token_hex(6)}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql://{user}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
        finally:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: the SQLite file, then a PostgreSQL database."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def skip_unless_present(path: Path, what: str) -> None:
    """Skip when a shared test input is absent on a developer's machine; on CI (``CI`` set) fail instead,
    because a skipped test there would pass a control that never ran."""
    if path.exists():
        return
    message = f"{what} is not at {path}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI runs with ../shared beside the repository)")
    pytest.skip(message)
