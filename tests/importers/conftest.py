"""Fixtures for importer tests: reading a sample report by name, and a fresh store on each backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bastion.store import Store, open_store

SAMPLES = Path(__file__).resolve().parent.parent / "assets" / "imports"


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """A factory: ``sample("gitleaks/dir.two-leaks.json")`` is that report's bytes."""

    def read(name: str) -> bytes:
        path = SAMPLES / name
        assert path.is_file(), f"missing sample {path}"
        return path.read_bytes()

    return read


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """A new store on each backend (SQLite, then the real PostgreSQL server)."""
    with open_store(store_url, tmp_path) as opened:
        yield opened
