"""``bastion import FILE --format …``: record another tool's report in the store, deduplicated across tools.

The import and its audit entry (``--actor``) are one transaction; then new blocking findings go to the store's
webhooks, and the project is swept for SLA breaches and expiring exceptions (``bastion webhook sweep``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.audit import ActorOption, actor_of
from bastion.cli.store_option import DbOption, RepoOption

if TYPE_CHECKING:
    from bastion.importers import ImportSummary

__all__ = ["register"]

_DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def register(app: typer.Typer) -> None:
    """Add the top-level ``import`` command."""
    app.command("import")(import_command)


def import_command(
    file: Annotated[Path, typer.Argument(help="The report to import ('-' for stdin).", allow_dash=True)],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="sarif, gitleaks, trufflehog, semgrep, bandit, checkov, trivy, pip-audit, zap, csv."
        ),
    ],
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Project (default: the repository's name).")] = None,
    branch: Annotated[str, typer.Option("--branch", help="Branch the report is about.")] = "main",
    control: Annotated[str | None, typer.Option("--control", help="Control id (default: the format).")] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", envvar="BASTION_IMPORT_MAX_BYTES", min=1, help="Refuse larger reports.")
    ] = _DEFAULT_MAX_BYTES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Process the report even if it was just imported.")] = False,
    actor: ActorOption = None,
) -> None:
    """Import a report: its findings are deduplicated with those already in the store, in one transaction."""
    import sys

    from bastion.errors import ImporterError
    from bastion.importers import import_report
    from bastion.importers.webhook import store_notifier
    from bastion.store import open_store
    from bastion.store.audit import import_audit

    source = "<stdin>" if str(file) == "-" else str(file)
    if source == "<stdin>":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            size = file.stat().st_size
            if size > max_bytes:
                raise ImporterError(
                    f"{source}: the report is {size} bytes, over the import limit of {max_bytes} bytes",
                    hint="raise the limit with --max-bytes (or BASTION_IMPORT_MAX_BYTES)",
                )
            data = file.read_bytes()
        except OSError as err:
            raise ImporterError(f"{source}: cannot read: {err.strerror}") from err
    root = repo.resolve()
    url = db or os.environ.get("BASTION_DATABASE_URL") or None
    name = project or root.name
    with open_store(url, root) as store, store_notifier(store) as notifier:
        summary = import_report(
            store,
            data,
            fmt,
            project=name,
            source=source,
            branch=branch,
            control=control,
            root=root,
            max_bytes=max_bytes,
            notify=notifier.notify_findings if notifier is not None else None,
            force=force,
            audit=import_audit(actor_of(actor), name, fmt, source, branch=branch),
        )
        if notifier is not None and not summary.repeated:
            notifier.sweep_quietly(name)
    _show(summary, as_json)


def _show(summary: ImportSummary, as_json: bool) -> None:
    import json

    if as_json:
        typer.echo(json.dumps(summary.as_document(), indent=2))
        return
    typer.echo(
        f"{summary.source}: {summary.reported} finding(s) from {summary.format} into {summary.project}@"
        f"{summary.branch} (run {summary.run_id}): {summary.findings_new} new, {summary.findings_updated} updated, "
        f"{summary.findings_unchanged} unchanged; sources {summary.sources_new} new, {summary.sources_updated} "
        f"updated, {summary.sources_unchanged} unchanged"
        + (" (same report as the last import)" if summary.repeated else "")
    )
