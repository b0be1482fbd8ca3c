"""The list of command groups: each module exposes ``register(app)`` or a Typer ``app`` for a sub-command.

Building the Typer command tree costs time for every group (Typer inspects each command's signature), so a
command line that names a sub-command group (``bastion secrets scan ...``) registers only that group; anything
else (``bastion --help``, a top-level command such as ``run``, a mistyped name) registers every group, so help
lists every command and a typo gets click's full message. A module added to ``_GROUPS`` needs nothing more.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["invoked_group", "register"]

# (module under bastion.cli, sub-command name or None for top-level commands registered by the module)
_GROUPS: tuple[tuple[str, str | None], ...] = (
    ("run", None),
    ("init", None),
    ("schema", None),
    ("runs", "runs"),
    ("findings", "findings"),
    ("secrets", "secrets"),
    ("hook", "hook"),
    ("sca", "sca"),
    ("db", "db"),
    ("policy", "policy"),
    ("exception", "exception"),
    ("keys", "keys"),
    ("sbom", None),
    ("attest", "attest"),
    ("verify", None),
    ("release", "release"),
    ("server", None),
    ("token", "token"),
    ("triage", "triage"),
    ("audit", "audit"),
    ("imports", None),
    ("vex", "vex"),
    ("webhook", "webhook"),
)


def register(app: typer.Typer, argv: Sequence[str] | None = None) -> None:
    """Attach the command groups that exist in this installation: all of them, or only the sub-command group
    that ``argv`` (the arguments after the program name) invokes."""
    wanted = invoked_group(argv) if argv is not None else None
    for module_name, sub in _GROUPS:
        if wanted is not None and sub != wanted:
            continue
        try:
            module = importlib.import_module(f"bastion.cli.{module_name}")
        except ModuleNotFoundError as err:
            if err.name == f"bastion.cli.{module_name}":
                continue  # not built yet in this checkout
            raise
        if sub is None:
            module.register(app)
        else:
            app.add_typer(module.app, name=sub)


def invoked_group(argv: Sequence[str]) -> str | None:
    """The sub-command group named by the first non-option argument, or None (help, top-level commands)."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if any(sub == arg for _, sub in _GROUPS) else None
    return None
