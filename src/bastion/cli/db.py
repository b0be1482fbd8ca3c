"""``bastion db``: the offline OSV vulnerability store (sync, import, status)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bastion.scanners.sca.osv.importer import ImportReport, Progress

__all__ = ["app"]

app = typer.Typer(
    help="The offline vulnerability store (OSV advisories) that `bastion sca` matches against.", no_args_is_help=True
)

OsvDbOption = Annotated[
    Path | None,
    typer.Option(
        "--osv-db", help="The store file (default $BASTION_OSV_DB or ~/.cache/bastion/osv.db).", show_default=False
    ),
]


def store_path(option: Path | None) -> Path:
    """The store file: the flag, else the environment, else the default cache location."""
    import os

    from bastion.scanners.sca.osv.store import default_store_path

    return option.expanduser() if option is not None else default_store_path(os.environ)


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="An OSV JSON file, a zip of them, or a folder of either.")],
    osv_db: OsvDbOption = None,
) -> None:
    """Load OSV advisories from files, offline; corrupt records are skipped and counted."""
    from bastion.errors import UsageError
    from bastion.scanners.sca.osv.importer import import_path
    from bastion.scanners.sca.osv.store import VulnStore

    if not source.exists():
        raise UsageError(f"{source}: no such file or folder")
    store = VulnStore(store_path(osv_db), create=True)
    try:
        with _progress() as progress:
            reports = import_path(store, source, progress=progress)
    finally:
        store.close()
    _show_reports(reports, store.path)


@app.command("sync")
def sync(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option(
            "--ecosystem", "-e", help="An OSV ecosystem to download (repeatable; default: all bastion reads)."
        ),
    ] = None,
    osv_db: OsvDbOption = None,
) -> None:
    """Download osv.dev's exports and import them: the only bastion command that uses the network."""
    from bastion.scanners.sca.osv.store import VulnStore
    from bastion.scanners.sca.osv.sync import DEFAULT_ECOSYSTEMS
    from bastion.scanners.sca.osv.sync import sync as run_sync

    store = VulnStore(store_path(osv_db), create=True)
    try:
        with _progress() as progress:
            reports = run_sync(store, ecosystem or DEFAULT_ECOSYSTEMS, progress=progress)
    finally:
        store.close()
    _show_reports(reports, store.path)


@app.command("status")
def status(
    osv_db: OsvDbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Show how many advisories the store holds per ecosystem and how old its data is."""
    import json
    from datetime import UTC, datetime

    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.scanners.sca.osv.store import VulnStore

    store = VulnStore(store_path(osv_db))
    try:
        info = store.status()
    finally:
        store.close()
    age = info.age_days(datetime.now(UTC))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "path": str(info.path),
                    "advisories": info.advisories,
                    "withdrawn": info.withdrawn,
                    "by_ecosystem": info.by_ecosystem,
                    "updated_at": info.updated_at.isoformat() if info.updated_at else None,
                    "age_days": age,
                    "newest_modified": info.newest_modified,
                },
                indent=2,
            )
        )
        return
    table = Table(title=f"{info.path}: {info.advisories} advisories ({info.withdrawn} withdrawn)")
    table.add_column("ecosystem")
    table.add_column("affected packages", justify="right")
    for name, count in info.by_ecosystem.items():
        table.add_row(name, str(count))
    console = result_console()
    console.print(table)
    updated = info.updated_at.strftime("%Y-%m-%d %H:%M UTC") if info.updated_at else "never"
    console.print(
        f"updated {updated} ({'-' if age is None else f'{age:.1f} days ago'}); "
        f"newest advisory modified {info.newest_modified or '-'}"
    )


def _show_reports(reports: list[ImportReport], path: Path) -> None:
    import sys

    from rich.table import Table

    from bastion.cli.console import result_console

    table = Table(title=f"imported into {path}")
    for column in ("file", "imported", "skipped"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for report in reports:
        table.add_row(report.source, str(report.imported), str(report.skipped))
        for problem in report.problems:
            print(f"skipped {report.source}:{problem}", file=sys.stderr)
    result_console().print(table)


class _progress:
    """A Rich progress bar on stderr when it is a terminal; otherwise nothing."""

    def __enter__(self) -> Progress | None:
        import sys

        if not sys.stderr.isatty():
            self._bar = None
            return None
        from rich.console import Console
        from rich.progress import Progress as Bar

        self._bar = Bar(console=Console(stderr=True), transient=True)
        self._bar.__enter__()
        tasks: dict[str, object] = {}
        bar = self._bar

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)  # type: ignore[arg-type]

        return update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
