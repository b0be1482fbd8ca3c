"""The ``bastion`` entry point: builds the Typer application and maps errors to exit codes.

Start-up must stay fast (``bastion --help`` under 300 ms), so command modules import their heavy dependencies
inside the command functions, never at module level.
"""

from __future__ import annotations

import sys

import typer

from bastion import __version__
from bastion.cli import commands

__all__ = ["app", "main"]

app = typer.Typer(
    name="bastion",
    help="Security pipeline as code: run controls, track findings, decide with policy, prove what shipped.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rendering it with Rich costs ~200 ms of start-up, over the 300 ms budget.
    rich_markup_mode=None,
)
commands.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bastion {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Security pipeline as code: run controls, track findings, decide with policy, prove what shipped."""
    from bastion.cli import errors

    errors.DEBUG = debug


def main() -> None:
    """Console-script entry point: run the app, turning ``BastionError`` into one line and exit code 2."""
    from bastion.cli.errors import run_app

    sys.exit(run_app(app))
