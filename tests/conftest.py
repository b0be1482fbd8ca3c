"""Fixtures shared by every test area: paths to assets and to the shipped example."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"


@pytest.fixture
def asset() -> Callable[[str], Path]:
    """A factory: ``asset("engine/report.sarif")`` is the path of that file under ``tests/assets``."""

    def find(name: str) -> Path:
        path = ASSETS / name
        assert path.exists(), f"missing test asset {path}"
        return path

    return find


@pytest.fixture
def example_shop() -> Path:
    """The deliberately vulnerable example service shipped in ``examples/shop``."""
    return REPO_ROOT / "examples" / "shop"
