"""The Rich console that command results are printed on: wide enough for tables when piped to a file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["result_console"]

_PIPED_WIDTH = 160


def result_console() -> Console:
    """A console on stdout; when stdout is not a terminal, wide enough that tables are not folded."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=_PIPED_WIDTH)
