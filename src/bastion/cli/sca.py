"""``bastion sca``: the packages a tree depends on, and which of them are vulnerable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.db import OsvDbOption, store_path

if TYPE_CHECKING:
    from bastion.scanners.sca.inventory import Inventory

__all__ = ["app"]

app = typer.Typer(
    help="Software composition analysis: inventory and known vulnerabilities of dependencies.", no_args_is_help=True
)

PathArgument = Annotated[Path, typer.Argument(help="A folder (walked for lockfiles) or one lockfile.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of a table.")]


def _inventory(path: Path) -> Inventory:
    import sys

    from bastion.errors import UsageError
    from bastion.scanners.sca.inventory import files_under, read_inventory

    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    root, files = files_under(path.resolve())
    inventory = read_inventory(root, files)
    for error in inventory.errors:
        print(f"warning: {error}", file=sys.stderr)
    return inventory


@app.command("inventory")
def inventory(path: PathArgument, as_json: JsonOption = False) -> None:
    """List every package found in manifests, lockfiles and installed environments under PATH."""
    import json

    found = _inventory(path)
    rows = sorted(found.packages, key=lambda p: (p.source, p.ecosystem.value, p.key, p.version))
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "purl": p.purl,
                        "ecosystem": p.ecosystem.value,
                        "name": p.name,
                        "version": p.version,
                        "scope": p.scope.value,
                        "direct": p.direct,
                        "path": list(p.path),
                        "licence": p.licence,
                        "source": p.source,
                        "line": p.line,
                    }
                    for p in rows
                ],
                indent=2,
            )
        )
        return
    _render(
        f"{len(rows)} package(s) in {len(found.manifests)} file(s)",
        ("package", "scope", "direct", "licence", "source", "via"),
        [
            (
                p.purl,
                p.scope.value,
                "-" if p.direct is None else "yes" if p.direct else "no",
                p.licence or "",
                f"{p.source}:{p.line or ''}",
                " > ".join(p.path[:-1]),
            )
            for p in rows
        ],
    )
    if found.errors:
        raise typer.Exit(2)


@app.command("scan")
def scan(
    path: PathArgument,
    osv_db: OsvDbOption = None,
    as_json: JsonOption = False,
    max_age_days: Annotated[float, typer.Option("--max-age-days", help="Warn when the store is older.")] = 7.0,
    include_dev: Annotated[bool, typer.Option("--dev/--no-dev", help="Report development dependencies.")] = True,
) -> None:
    """Match every package under PATH against the vulnerability store; exit 1 when any is vulnerable."""
    import json
    import sys

    from bastion.errors import UsageError
    from bastion.scanners.sca.audit import ScaOptions, audit, open_store
    from bastion.scanners.sca.inventory import files_under

    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    options = ScaOptions(max_age_days=max_age_days, include_dev=include_dev)
    store = open_store(store_path(osv_db))
    try:
        root, files = files_under(path.resolve())
        report = audit(root, files, store, options)
    finally:
        store.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    findings = sorted(report.findings, key=lambda f: (-f.severity.rank, f.location.package or "", f.rule_id))
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": f.rule_id,
                        "aliases": list(f.aliases),
                        "severity": f.severity.value,
                        "package": f.location.package,
                        "path": f.location.path,
                        "line": f.location.start_line,
                        "title": f.title,
                        "message": f.message,
                        "remediation": f.remediation,
                        "tags": list(f.tags),
                        "fingerprint": f.fingerprint,
                    }
                    for f in findings
                ],
                indent=2,
            )
        )
    else:
        _render(
            f"{len(findings)} finding(s) in {len(report.inventory.packages)} package(s)",
            ("severity", "package", "advisory", "aliases", "fix", "where"),
            [
                (
                    f.severity.value,
                    f.location.package or "",
                    f.rule_id,
                    ", ".join(a for a in f.aliases if a != f.rule_id)[:60],
                    f.remediation,
                    f.location.describe(),
                )
                for f in findings
            ],
        )
    if findings:
        raise typer.Exit(1)
    if report.inventory.errors:
        raise typer.Exit(2)


_TABLE_LIMIT = 500


def _render(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A Rich table; past a few hundred rows (unreadable as a table, and slow to lay out) tab-separated lines."""
    if len(rows) > _TABLE_LIMIT:
        lines = ["\t".join(columns), *("\t".join(row) for row in rows)]
        typer.echo("\n".join(lines))
        typer.echo(title, err=True)
        return
    from rich.table import Table

    from bastion.cli.console import result_console

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    result_console().print(table)
