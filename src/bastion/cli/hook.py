"""``bastion hook``: a plain git pre-commit hook that blocks commits adding secrets.

``python -m bastion.cli.hook`` is the hook's own entry point: it scans the staged changes without importing
Typer or the rest of the CLI, to keep commits fast. ``app`` (the ``bastion hook`` command group) is built on
first access so that this module imports nothing heavy at module level.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["HOOK_MARK", "app", "hook_script", "run_staged_check"]

app: typer.Typer
"""The ``bastion hook`` command group, built by ``__getattr__`` on first access."""

HOOK_MARK = "# bastion:secrets-hook"
"""Marks a hook file as ours: reinstalling overwrites it, anything else needs ``--force``."""


def hook_script(python: str) -> str:
    """The ``pre-commit`` hook file for the interpreter at ``python``."""
    return (
        f"#!/bin/sh\n{HOOK_MARK} v1: installed by `bastion hook install`; remove this file to disable it.\n"
        f'exec "{python}" -m bastion.cli.hook "$@"\n'
    )


def run_staged_check(root: Path = Path()) -> int:
    """Scan the index; print each secret (masked) to stderr. 1 when one is found, 2 on error, else 0."""
    from bastion.errors import BastionError
    from bastion.scanners.secrets.outcome import ScanMode
    from bastion.scanners.secrets.scan import run_scan
    from bastion.scanners.secrets.settings import ScanSettings

    baseline = root / ".bastion" / "secrets-baseline.json"
    try:
        outcome = run_scan(root, ScanMode.STAGED, ScanSettings(baseline=baseline if baseline.is_file() else None))
    except BastionError as err:
        print(f"bastion secrets: error: {err}", file=sys.stderr)
        return 2
    for hit in outcome.hits:
        print(
            f"{hit.path}:{hit.line}:{hit.column}: {hit.detector_id} {hit.preview} (sha256 {hit.sha256[:16]})",
            file=sys.stderr,
        )
    if outcome.hits:
        print(
            f"bastion secrets: commit blocked, {len(outcome.hits)} secret(s) staged. Remove them, or mark an "
            "accepted one with a `bastion:allow <detector>` comment or `bastion secrets baseline`.",
            file=sys.stderr,
        )
        return 1
    return 0


def _build_app() -> typer.Typer:
    import typer

    hook_app = typer.Typer(help="Git hooks: block commits that add secrets.", no_args_is_help=True)

    @hook_app.command("install")
    def install(
        # Plain defaults, not Annotated: typer is imported here, so string annotations could not resolve it.
        path: Path = typer.Argument(Path(), help="The repository."),  # noqa: B008
        force: bool = typer.Option(False, "--force", help="Replace a hook that is not bastion's."),
    ) -> int:
        """Write .git/hooks/pre-commit (respecting core.hooksPath) to scan staged changes."""
        from bastion.errors import UsageError
        from bastion.scanners.secrets.git import git_output, repository_root

        root = repository_root(path, "staged")
        hooks = Path(git_output(root, "rev-parse", "--git-path", "hooks").decode().strip())
        target = (root / hooks if not hooks.is_absolute() else hooks) / "pre-commit"
        if target.exists() and HOOK_MARK not in target.read_text("utf-8", "replace") and not force:
            raise UsageError(f"{target}: a pre-commit hook that is not bastion's exists; use --force to replace it")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hook_script(sys.executable), "utf-8")
        target.chmod(0o755)
        print(f"{target}: installed", file=sys.stderr)
        return 0

    @hook_app.command("run")
    def run(path: Path = typer.Argument(Path(), help="The repository.")) -> int:  # noqa: B008
        """Scan the staged changes as the hook does (exit 1 when a secret is staged)."""
        return run_staged_check(path)

    return hook_app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    sys.exit(run_staged_check())
