"""The ``bastion`` entry point: builds the Typer application and maps errors to exit codes.

Start-up must stay fast (``bastion --help`` under 300 ms), so command modules import their heavy dependencies
inside the command functions, never at module level, and ``main`` builds only the part of the command tree that
the command line uses (``commands.register``). ``bastion secrets scan`` and ``bastion import`` do not build a
Typer application at all when their arguments are plain (``secrets_scan.parse_scan_args``,
``import_run.parse_import_args``): importing Typer and its pydantic-based parameter coercion costs more CPU time
than scanning a mid-sized tree, and a noticeable share of a re-import. Anything those plain parsers do not
recognise (``--help``, an unknown option, a malformed value) goes through Typer, which gives the same messages
as before.

``app`` (every command group) is built on first access, for tests and tools that drive the Typer app directly.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "build_app", "main"]

app: typer.Typer
"""The application with every command group, built by ``__getattr__`` on first access."""

_HELP = "Security pipeline as code: run controls, track findings, decide with policy, prove what shipped."


def build_app(argv: Sequence[str] | None = None) -> typer.Typer:
    """The Typer application: every command group, or only the group that ``argv`` invokes."""
    import typer

    from bastion import __version__
    from bastion.cli import commands

    application = typer.Typer(
        name="bastion",
        help=_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help: rendering it with Rich costs ~200 ms of start-up, over the 300 ms budget.
        rich_markup_mode=None,
    )
    commands.register(application, argv)

    def _version(value: bool) -> None:
        if value:
            typer.echo(f"bastion {__version__}")
            raise typer.Exit()

    @application.callback()
    def _root(
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    ) -> None:
        """Security pipeline as code: run controls, track findings, decide with policy, prove what shipped."""
        from bastion.cli import errors

        errors.DEBUG = debug

    return application


def __getattr__(name: str) -> Any:
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: run the app, turning ``BastionError`` into one line and exit code 2."""
    from bastion.cli.errors import run_app, run_guarded

    argv = sys.argv[1:]
    if argv[:2] == ["secrets", "scan"]:
        from bastion.cli.secrets_scan import parse_scan_args, scan_command

        request = parse_scan_args(argv[2:])
        if request is not None:
            sys.exit(run_guarded(lambda: scan_command(request)))
    elif argv[:1] == ["import"]:
        from bastion.cli.import_run import parse_import_args, run_import

        import_request = parse_import_args(argv[1:])
        if import_request is not None:
            sys.exit(run_guarded(lambda: run_import(import_request)))
    sys.exit(run_app(build_app(argv)))
