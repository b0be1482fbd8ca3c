"""``bastion policy``: test Rego policies, show the input document a file becomes, print the default gate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(help="Policies as code: Rego checks and gates.", no_args_is_help=True)


@app.command("test")
def test(
    paths: Annotated[list[Path] | None, typer.Argument(help="Rego files or directories (default: policies/).")] = None,
) -> None:
    """Run the policies' test_ rules and *.cases.yml cases; exit 1 when one fails."""
    from bastion.policy.testing import run_policy_tests

    results = run_policy_tests(paths or [Path("policies")])
    for result in results:
        mark = "ok  " if result.passed else "FAIL"
        typer.echo(f"{mark} {result.file}: {result.name}")
    failed = sum(not r.passed for r in results)
    typer.echo(f"{len(results) - failed} passed, {failed} failed", err=True)
    if failed or not results:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="An IaC or CI file; for Terraform, its whole directory is read.")],
) -> None:
    """Print the input document the checks see for FILE, as JSON."""
    import json

    from bastion.errors import UsageError
    from bastion.scanners.iac import merge_documents, read_sources

    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    root = file.parent
    files = [file.name]
    if file.suffix in {".tf", ".tfvars"}:
        files = sorted(p.name for p in root.iterdir() if p.suffix in {".tf", ".tfvars"})
    sources = read_sources(files, lambda name: (root / name).read_bytes())
    if sources.errors:
        raise sources.errors[0]
    documents = merge_documents(sources.documents)
    if not documents:
        raise UsageError(
            f"{file}: not a file bastion's checks read (Terraform, CloudFormation, Kubernetes, "
            "Dockerfile, Compose, GitHub Actions, GitLab CI)"
        )
    for document in documents:
        typer.echo(json.dumps(document.to_json(), indent=2))


@app.command("default")
def default() -> None:
    """Print the built-in gate policy (Rego), to copy and change."""
    from bastion.policy.rego_gate import default_gate_source

    typer.echo(default_gate_source(), nl=False)
