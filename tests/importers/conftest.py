"""Fixtures for importer tests: reading a sample report by name, and a fresh SQLite store."""

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
def store(tmp_path: Path) -> Iterator[Store]:
    """A new SQLite store in a temporary directory."""
    with open_store(f"sqlite:///{tmp_path / 'bastion.db'}", tmp_path) as opened:
        yield opened
