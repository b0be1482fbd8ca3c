"""Lazy package exports (PEP 562): a package names what it offers, and each name is imported on first use.

Start-up time is a product measure here (the pre-commit hook, ``bastion secrets scan``), so packages whose
modules pull in pydantic, SQLAlchemy or the scanner registry export their names this way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``homes`` maps each exported name to its submodule."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        namespace[name] = value  # later look-ups find it directly
        return value

    return __getattr__
