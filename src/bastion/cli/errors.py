"""Turns bastion's errors into one line on stderr and an exit code; a traceback only with ``--debug``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["DEBUG", "EXIT_BLOCKED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "run_app", "run_guarded"]

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
DEBUG = False


def run_app(app: typer.Typer) -> int:
    """Run the Typer app; a ``BastionError`` becomes ``error: <one line>`` (and a hint) with exit code 2."""
    return run_guarded(lambda: app(standalone_mode=False))


def run_guarded(command: Callable[[], object]) -> int:
    """Run a command (the Typer app, or a command called without it); map its errors as ``run_app`` does."""
    from bastion.errors import BastionError

    try:
        result = command()
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
    import typer

    if isinstance(err, click.exceptions.Exit | typer.Exit):
        return err.exit_code
    if isinstance(err, _click_exceptions()):
        err.show()  # type: ignore[attr-defined]
        return EXIT_USAGE
    if isinstance(err, click.exceptions.Abort | typer.Abort):
        print("aborted", file=sys.stderr)
        return EXIT_USAGE
    if DEBUG or "--debug" in sys.argv:
        raise err
    # A bug of ours: one line and a way to get the details, never a bare traceback.
    print(f"error: internal error: {type(err).__name__}: {err}", file=sys.stderr)
    print("hint: rerun with --debug for the traceback, and report it", file=sys.stderr)
    return EXIT_INTERNAL


def _click_exceptions() -> tuple[type[Exception], ...]:
    """click's usage errors, and those of the copy of click that Typer 0.29 and later carry (``typer._click``)."""
    import click

    try:
        from typer._click.exceptions import ClickException
    except ImportError:  # an older Typer on the real click
        return (click.ClickException,)
    return (click.ClickException, ClickException)
