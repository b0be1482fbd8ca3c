"""Field access for parsed lockfile documents: typed reads that fail with the JSON path of the bad value."""

from __future__ import annotations

from typing import Any

from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["list_at", "mapping_at", "string_at"]


def mapping_at(source: LockfileSource, value: Any, path: str, *, optional: bool = True) -> dict[str, Any]:
    """``value`` as a mapping; ``None`` gives ``{}`` when optional; anything else names ``path``."""
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise source.error(path, f"expected an object, found {type(value).__name__}")
    return value


def list_at(source: LockfileSource, value: Any, path: str) -> list[Any]:
    """``value`` as a list (``None`` gives ``[]``); anything else names ``path``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise source.error(path, f"expected a list, found {type(value).__name__}")
    return value


def string_at(source: LockfileSource, value: Any, path: str) -> str:
    """``value`` as a non-empty string; anything else names ``path``."""
    if not isinstance(value, str) or not value:
        raise source.error(path, f"expected a non-empty string, found {value!r}"[:120])
    return value
