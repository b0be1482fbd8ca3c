"""Who the CLI acts as, for the audit log; in a module of its own so that commands run without Typer can use it.

``bastion.cli.audit`` (which imports Typer to declare ``--actor``) re-exports ``actor_of`` from here.
"""

from __future__ import annotations

import os

__all__ = ["actor_of"]


def actor_of(value: str | None) -> str:
    """The actor recorded for a CLI change: ``--actor``, ``$BASTION_ACTOR``, else ``cli:<login name>``."""
    if value:
        return value
    from_env = os.environ.get("BASTION_ACTOR")
    if from_env:
        return from_env
    import getpass  # only now: it imports termios and pwd, a few ms of start-up for every import

    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"cli:{login}"
