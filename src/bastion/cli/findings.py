"""``bastion findings``: list and show the findings the store tracks, with their lifecycle."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bastion.cli.store_option import DbOption, RepoOption

if TYPE_CHECKING:
    from bastion.store import Store
    from bastion.store.worklist import WorkItem

__all__ = ["app"]

E = TypeVar("E", bound=StrEnum)

app = typer.Typer(help="Findings tracked across runs.", no_args_is_help=True)


@app.command("list")
def list_findings(
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="Only this branch.")] = None,
    state: Annotated[
        list[str] | None,
        typer.Option("--state", help="new, existing, reopened, fixed (repeatable; default: open ones)."),
    ] = None,
    severity: Annotated[
        list[str] | None, typer.Option("--severity", help="critical, high, medium, low, info (repeatable).")
    ] = None,
    control: Annotated[str | None, typer.Option("--control", help="Only this control.")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only findings this owner (@user, @org/team) owns.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open findings past their SLA due date.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List findings in their latest state per project and branch, with owners and SLA due dates."""
    import json

    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store
    from bastion.model import LifecycleState, Severity

    states = _parse_set(state, LifecycleState, "--state") or {
        LifecycleState.NEW,
        LifecycleState.EXISTING,
        LifecycleState.REOPENED,
    }
    severities = _parse_set(severity, Severity, "--severity") or None  # none given: every severity
    with open_cli_store(db, repo) as store:
        found = store.list_findings(
            project=project, branch=branch, states=states, severities=severities, control=control
        )
        service = _service_view(store, project)
    if owner is not None or overdue:
        from bastion.model.triage import SlaStatus
        from bastion.store.worklist import owner_matches

        found = [
            t
            for t in found
            if (item := service.get(t.finding.fingerprint)) is not None
            and (owner is None or owner_matches(owner, item.owners))
            and (not overdue or item.sla is SlaStatus.BREACHED)
        ]
    if as_json:
        typer.echo(json.dumps([_tracked_dict(t, service) for t in found], indent=2, default=str))
        return
    table = Table(title=f"{len(found)} finding(s)")
    for column in ("id", "severity", "state", "triage", "control", "rule", "location", "owner", "due", "title"):
        table.add_column(column, overflow="fold")
    for tracked in sorted(found, key=lambda t: (-t.finding.severity.rank, t.finding.location.describe())):
        f = tracked.finding
        item = service.get(f.fingerprint)
        owners = " ".join(item.owners) if item and item.owners else "-"
        due = (
            "-"
            if item is None or item.due_at is None
            else f"{item.due_at:%Y-%m-%d}" + (" BREACHED" if item.sla == "breached" else "")
        )
        table.add_row(
            f.id,
            f.severity.value,
            tracked.state.value,
            item.state.value if item else "open",
            f.control,
            f.rule_id,
            f.location.describe(),
            owners,
            due,
            f.title,
        )
    result_console().print(table)


@app.command("show")
def show_finding(
    finding_id: Annotated[str, typer.Argument(help="The finding's id (or a unique prefix).")],
    db: DbOption = None,
    repo: RepoOption = Path(),
    project: Annotated[str | None, typer.Option("--project", help="Disambiguate across projects.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Show one finding: what, where, why, how to fix, and its state in every run."""
    import dataclasses
    import json

    from rich.table import Table
    from rich.text import Text

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store

    with open_cli_store(db, repo) as store:
        history = store.get_finding(finding_id, project=project)
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(history), indent=2, default=str))
        return
    f = history.finding
    console = result_console()
    console.print(f"[bold]{f.id}[/bold]  {f.severity.value.upper()}  {f.title}  [dim]({history.project})[/dim]")
    rows = [
        ("rule", f"{f.tool} {f.rule_id}"),
        ("control", f.control),
        ("location", f.location.describe()),
        ("confidence", f.confidence.value),
        ("cwe", ", ".join(f"CWE-{c}" for c in f.cwe) or "-"),
        ("aliases", ", ".join(f.aliases) or "-"),
        ("message", f.message or "-"),
        ("evidence", f.evidence or "-"),
        ("remediation", f.remediation or "-"),
        ("help", f.help_uri or "-"),
        ("first seen", f"{history.first_seen:%Y-%m-%d %H:%M:%S}"),
        ("last seen", f"{history.last_seen:%Y-%m-%d %H:%M:%S}"),
        ("fingerprint", f.fingerprint),
    ]
    for key, value in rows:
        console.print(Text.assemble((f"  {key:>12}  ", "dim"), value), highlight=False)
    table = Table(title="history")
    for column in ("run", "when", "branch", "commit", "state"):
        table.add_column(column)
    for entry in history.runs:
        state = entry.state.value + (" (carried: its control could not run)" if entry.carried else "")
        table.add_row(
            str(entry.run_id),
            entry.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.branch,
            (entry.commit or "-")[:10],
            state,
        )
    console.print(table)


def _parse_set(values: list[str] | None, enum: type[E], option: str) -> set[E]:
    from bastion.errors import UsageError

    result: set[E] = set()
    for value in values or []:
        try:
            result.add(enum(value.lower()))
        except ValueError:
            choices = ", ".join(str(e) for e in enum)
            raise UsageError(f"{option}: unknown value '{value}'; choose from {choices}") from None
    return result


def _service_view(store: Store, project: str | None) -> dict[str, WorkItem]:
    """Triage state, owners and SLA of every finding listed, by fingerprint (``bastion.store.worklist``)."""
    from bastion.model import LifecycleState
    from bastion.store.worklist import FindingFilter, Worklist

    everything = FindingFilter(project=project, lifecycle=frozenset(LifecycleState), limit=10**9)
    return {item.finding.fingerprint: item for item in Worklist(store).page(everything).items}


def _tracked_dict(tracked: object, service: dict[str, WorkItem]) -> dict[str, object]:
    import dataclasses

    data = dataclasses.asdict(tracked)  # type: ignore[call-overload]
    data["id"] = tracked.finding.id  # type: ignore[attr-defined]
    item = service.get(tracked.finding.fingerprint)  # type: ignore[attr-defined]
    if item is not None:
        data.update(
            triage=item.state.value,
            owners=list(item.owners),
            due_at=item.due_at,
            sla=item.sla.value,
            risk=item.risk.level.value,
        )
    return data  # type: ignore[no-any-return]
