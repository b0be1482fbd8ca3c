"""The list of command groups: each module exposes ``register(app)`` or a Typer ``app`` for a sub-command."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["register"]

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


def register(app: typer.Typer) -> None:
    """Attach every command group that exists in this installation."""
    for module_name, sub in _GROUPS:
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
