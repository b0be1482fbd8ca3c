"""Git, as the secrets scans use it: a checked runner and the repository check behind ``--history``/``--staged``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bastion.scanners.secrets.errors import SecretsError

__all__ = ["GIT_CONFIG", "git_output", "repository_root"]

GIT_CONFIG = ("-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "color.ui=never")
"""Options that make patch output stable whatever the user's configuration."""


def git_output(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run ``git -C root args``; its stdout, or ``SecretsError`` with git's first error line."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *GIT_CONFIG, *args], input=stdin, capture_output=True, check=False
        )
    except OSError as err:
        raise SecretsError(f"{root}: cannot run git: {err.strerror or err}") from err
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"])[0]
        raise SecretsError(f"{root}: git {args[0]}: {first}")
    return done.stdout


def repository_root(path: Path, mode: str) -> Path:
    """The top of the git work tree containing ``path``; ``SecretsError`` naming ``path`` when there is none."""
    if not path.exists():
        raise SecretsError(f"{path}: no such directory")
    try:
        done = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, check=False
        )
    except OSError as err:
        raise SecretsError(f"{path}: cannot run git: {err.strerror or err}") from err
    if done.returncode != 0:
        raise SecretsError(f"{path}: not a git repository (--{mode} needs one)")
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip())
