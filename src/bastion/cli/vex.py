"""``bastion vex``: OpenVEX out of triage decisions on dependency findings, and VEX documents in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.store_option import DbOption, RepoOption

__all__ = ["app"]

app = typer.Typer(help="OpenVEX export and import for dependency vulnerabilities.", no_args_is_help=True)

ProjectOption = Annotated[str | None, typer.Option("--project", help="Project (default: the repository's name).")]


@app.command("export")
def export(
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: ProjectOption = None,
    author: Annotated[str, typer.Option("--author", help="The document's author.")] = "bastion",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Write an OpenVEX document with one statement per dependency vulnerability of the project."""
    import json
    from datetime import UTC, datetime

    from bastion.cli.store_option import open_cli_store
    from bastion.importers.vex import (
        Justification,
        VexStatement,
        VexStatus,
        collect_statements,
        export_document,
    )
    from bastion.model import LifecycleState
    from bastion.store.vex import vex_records

    name = project or repo.resolve().name
    with open_cli_store(db, repo) as store:
        findings = store.list_findings(project=name, states=set(LifecycleState))
        records = store.read(lambda s: vex_records(s, name))
    imported = {
        r.fingerprint: VexStatement(
            vulnerability=r.vulnerability,
            products=(r.product,),
            status=VexStatus(r.status),
            justification=Justification(r.justification) if r.justification else None,
            impact_statement=r.impact_statement,
            action_statement=r.action_statement,
            timestamp=r.stated_at,
        )
        for r in records
    }
    document = export_document(collect_statements(findings, imported), author=author, timestamp=datetime.now(UTC))
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="An OpenVEX JSON document.")],
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: ProjectOption = None,
) -> None:
    """Apply a VEX document: matching findings get its status (``not_affected`` with its justification)."""
    from bastion.cli.store_option import open_cli_store
    from bastion.errors import ImporterError
    from bastion.importers.vex import parse_document
    from bastion.store.vex import apply_statements

    try:
        data = file.read_bytes()
    except OSError as err:
        raise ImporterError(f"{file}: cannot read: {err.strerror}") from err
    statements = parse_document(data, str(file))
    name = project or repo.resolve().name
    with open_cli_store(db, repo) as store:
        matched = store.write(lambda s: apply_statements(s, name, statements, document=str(file), author=""))
    typer.echo(f"{file}: {len(statements)} statement(s) applied to {len(set(matched))} finding(s) of {name}")
