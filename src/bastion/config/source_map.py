"""Maps a key path in a YAML document (``stages.build[1].uses``) to its line, for one-line errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["format_loc", "line_of"]


def format_loc(loc: Sequence[str | int]) -> str:
    """``("stages", "build", 1, "uses")`` → ``stages.build[1].uses``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def line_of(document: Any, loc: Sequence[str | int]) -> int:
    """1-based line of the deepest node of ``loc`` that exists in the ruamel ``document`` (1 if none)."""
    line = 0
    node = document
    for part in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(part, int) and isinstance(node, list):
                line = lc.item(part)[0]
                node = node[part]
            elif isinstance(node, dict) and part in node:
                line = lc.key(part)[0]
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line + 1
