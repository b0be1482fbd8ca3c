"""Database URLs: the default SQLite file, the psycopg rewrite, and masking passwords."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.errors import StoreError
from bastion.store.url import resolve_url


def test_default_url_is_sqlite_under_dot_bastion(tmp_path: Path) -> None:
    url = resolve_url(None, tmp_path)
    assert url.is_sqlite
    assert url.sqlite_file == tmp_path / ".bastion" / "bastion.db"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_url_uses_psycopg(scheme: str, tmp_path: Path) -> None:
    url = resolve_url(f"{scheme}://bob:hunter2@db.example:5433/bastion", tmp_path)
    assert url.url.drivername == "postgresql+psycopg"
    assert url.url.password == "hunter2"
    assert url.sqlite_file is None


def test_explicit_driver_is_kept(tmp_path: Path) -> None:
    url = resolve_url("postgresql+psycopg://bob@db.example/bastion", tmp_path)
    assert url.url.drivername == "postgresql+psycopg"


def test_masked_url_hides_the_password_and_keeps_what_the_user_wrote(tmp_path: Path) -> None:
    url = resolve_url("postgresql://bob:hunter2@db.example/bastion", tmp_path)
    assert url.masked == "postgresql://bob:***@db.example/bastion"


def test_invalid_url_error_does_not_echo_the_text(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        resolve_url("not a url with hunter2", tmp_path)
    assert "hunter2" not in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_has_no_file(text: str, tmp_path: Path) -> None:
    assert resolve_url(text, tmp_path).sqlite_file is None
