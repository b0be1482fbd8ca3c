"""The body of ``bastion import``, without Typer, and a plain parser of its arguments.

``bastion.cli.imports`` declares the command's options for Typer and calls ``run_import``. The entry point
(``bastion.cli.main``) first tries ``parse_import_args``: for an ordinary command line it calls ``run_import``
directly, which keeps Typer and click out of the process and skips building the command tree, ~0.15 s of CPU
time before the import starts. The parser accepts exactly the options that Typer declares, with the values Typer
would give them (``BASTION_IMPORT_MAX_BYTES`` included), and returns ``None`` for anything else (``--help``, an
unknown option, a value that is not a plain positive integer, an empty value or one that starts with ``-`` other
than ``-`` itself, a missing value, a second FILE, ``--``): Typer then parses the command line and reports the
problem exactly as it always did.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.cli.argv import tokenize

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from contextlib import AbstractContextManager

    from bastion.importers import ImportSummary
    from bastion.importers.webhook import Notifier
    from bastion.store import Store

__all__ = ["DEFAULT_MAX_BYTES", "MAX_BYTES_ENV", "ImportRequest", "parse_import_args", "run_import"]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""Equal to ``bastion.importers.DEFAULT_MAX_BYTES`` (tested), not imported: parsing the command line stays light."""
MAX_BYTES_ENV = "BASTION_IMPORT_MAX_BYTES"


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """The arguments of ``bastion import``, with the defaults its Typer declaration has."""

    file: Path
    fmt: str
    db: str | None = None
    repo: Path = field(default_factory=Path)
    project: str | None = None
    branch: str = "main"
    control: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    as_json: bool = False
    force: bool = False
    actor: str | None = None


_FLAGS = {"--json": "as_json", "--force": "force"}
_VALUES = {
    "--format": "fmt",
    "-f": "fmt",
    "--db": "db",
    "--repo": "repo",
    "-C": "repo",
    "--project": "project",
    "--branch": "branch",
    "--control": "control",
    "--max-bytes": "max_bytes",
    "--actor": "actor",
}


def parse_import_args(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> ImportRequest | None:
    """The request for ``args`` (what follows ``import``), or ``None`` when Typer must parse them.

    A repeated option keeps its last value, as click does; ``environ`` supplies ``BASTION_IMPORT_MAX_BYTES``
    when ``--max-bytes`` is not given (click ignores the variable when it is empty)."""
    tokens = tokenize(args, flags=_FLAGS, values=_VALUES, dash_value=True)
    if tokens is None or len(tokens.arguments) > 1 or "" in tokens.arguments:
        return None  # a second FILE or an empty path: Typer's message
    values, flags = tokens.values, tokens.flags
    file = tokens.arguments[0] if tokens.arguments else None
    max_bytes = _max_bytes(values["max_bytes"] if "max_bytes" in values else environ.get(MAX_BYTES_ENV) or None)
    if file is None or "fmt" not in values or max_bytes is None:
        return None  # a missing FILE or --format, or a size limit click would refuse
    return ImportRequest(
        file=Path(file),
        fmt=values["fmt"],
        db=values.get("db"),
        repo=Path(values.get("repo", "")),
        project=values.get("project"),
        branch=values.get("branch", "main"),
        control=values.get("control"),
        max_bytes=max_bytes,
        as_json="as_json" in flags,
        force="force" in flags,
        actor=values.get("actor"),
    )


def _max_bytes(value: str | None) -> int | None:
    """The limit given as ``value`` (``None``: not given), as click's ``IntRange(min=1)`` reads plain digits;
    ``None`` for anything else, which click might read differently or refuse."""
    if value is None:
        return DEFAULT_MAX_BYTES
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        return None
    return int(value)


def run_import(request: ImportRequest) -> None:
    """Import a report: its findings are deduplicated with those already in the store, in one transaction."""
    from bastion.cli.actor import actor_of
    from bastion.errors import ImporterError
    from bastion.importers import import_report
    from bastion.importers.service import check_size
    from bastion.store import open_store
    from bastion.store.audit import import_audit

    file, max_bytes = request.file, request.max_bytes
    source = "<stdin>" if str(file) == "-" else str(file)
    if source == "<stdin>":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            check_size(source, file.stat().st_size, max_bytes)  # before reading it
            data = file.read_bytes()
        except OSError as err:
            raise ImporterError(f"{source}: cannot read: {err.strerror}") from err
    root = request.repo.resolve()
    url = request.db or os.environ.get("BASTION_DATABASE_URL") or None
    name = request.project or root.name
    fmt, branch = request.fmt, request.branch
    progress = _TerminalProgress(source) if sys.stderr.isatty() else None
    with open_store(url, root) as store, _notifier(store) as notifier:
        try:
            summary = import_report(
                store,
                data,
                fmt,
                project=name,
                source=source,
                branch=branch,
                control=request.control,
                root=root,
                max_bytes=max_bytes,
                notify=notifier.notify_findings if notifier is not None else None,
                force=request.force,
                audit=import_audit(actor_of(request.actor), name, fmt, source, branch=branch),
                progress=progress,
            )
        finally:  # an error's one line then starts on a clean line
            if progress is not None:
                progress.clear()
        if notifier is not None and not summary.repeated:
            notifier.sweep_quietly(name)
    _show(summary, request.as_json)


class _TerminalProgress:
    """The import's current phase on one line of the terminal (stderr), cleared before the summary is printed;
    plain text, as Rich would cost more start-up than most imports take."""

    def __init__(self, source: str) -> None:
        self._source = source

    def __call__(self, phase: str) -> None:
        sys.stderr.write(f"\r\x1b[K{self._source}: {phase}...")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _notifier(store: Store) -> AbstractContextManager[Notifier | None]:
    """``store_notifier(store)``, or no notifier without importing it when the store has no webhooks (as most
    have none): ``bastion.importers.webhook`` imports urllib.request, http.client and email, ~8 ms of start-up."""
    from bastion.store.webhooks import list_webhooks

    webhooks = store.read(list_webhooks)
    if not webhooks:
        return nullcontext()
    from bastion.importers.webhook import store_notifier

    return store_notifier(store, webhooks=webhooks)  # read once


def _show(summary: ImportSummary, as_json: bool) -> None:
    """Print the summary; flushed at once, as ``typer.echo`` (which this replaces) did."""
    if as_json:
        import json

        text = json.dumps(summary.as_document(), indent=2)
    else:
        text = (
            f"{summary.source}: {summary.reported} finding(s) from {summary.format} into {summary.project}@"
            f"{summary.branch} (run {summary.run_id}): {summary.findings_new} new, {summary.findings_updated} "
            f"updated, {summary.findings_unchanged} unchanged; sources {summary.sources_new} new, "
            f"{summary.sources_updated} updated, {summary.sources_unchanged} unchanged"
            + (" (same report as the last import)" if summary.repeated else "")
        )
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
