"""Turns bastion's errors into one line on stderr and an exit code; a traceback only with ``--debug``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["DEBUG", "EXIT_BLOCKED", "EXIT_OK", "EXIT_USAGE", "run_app"]

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
DEBUG = False


def run_app(app: typer.Typer) -> int:
    """Run the Typer app; a ``BastionError`` becomes ``error: <one line>`` (and a hint) with exit code 2."""
    from bastion.errors import BastionError

    try:
        result = app(standalone_mode=False)
    except BastionError as err:
        if DEBUG or "--debug" in sys.argv:
            raise
        print(f"error: {err}", file=sys.stderr)
        if err.hint:
            print(f"hint: {err.hint}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # click's own usage errors and exits
        return _click_exit(err)
    return result if isinstance(result, int) else EXIT_OK


def _click_exit(err: Exception) -> int:
    import click

    if isinstance(err, click.exceptions.Exit):
        return err.exit_code
    if isinstance(err, click.ClickException):
        err.show()
        return EXIT_USAGE
    if isinstance(err, click.exceptions.Abort):
        print("aborted", file=sys.stderr)
        return EXIT_USAGE
    raise err
