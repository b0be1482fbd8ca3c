"""``bastion triage``: set and show a finding's triage state; sync owner rules and SLAs; import KEV and EPSS files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.audit import ActorOption, actor_of
from bastion.cli.store_option import DbOption, RepoOption

if TYPE_CHECKING:
    from bastion.store.triage import TriageChange

__all__ = ["app"]

app = typer.Typer(help="Triage findings: states with who, when and why; owners; SLAs.", no_args_is_help=True)

_STATES = "open, confirmed, false_positive, accepted_risk, mitigated, fixed"


@app.command("set")
def set_state(
    finding_id: Annotated[str, typer.Argument(help="The finding's id (or a unique prefix).")],
    state: Annotated[str, typer.Option("--state", help=_STATES + ".")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept in the history and the audit log.")],
    expires: Annotated[str | None, typer.Option("--expires", help="accepted_risk: 90d, 2w or an ISO date.")] = None,
    approver: Annotated[str | None, typer.Option("--approver", help="accepted_risk: who approved it.")] = None,
    project: Annotated[str | None, typer.Option("--project", help="Disambiguate across projects.")] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Change a finding's triage state (local store access: no role checks, the actor is recorded)."""
    from datetime import UTC, datetime

    from bastion.cli.store_option import open_cli_store
    from bastion.cli.token import parse_expiry
    from bastion.errors import UsageError
    from bastion.model.triage import TriageDecision, TriageState
    from bastion.store.triage import TriageLedger

    try:
        parsed = TriageState(state.lower())
    except ValueError:
        raise UsageError(f"--state: unknown state '{state}'; choose from {_STATES}") from None
    decision = TriageDecision(parsed, reason, actor_of(actor), datetime.now(UTC), parse_expiry(expires), approver)
    with open_cli_store(db, repo) as store:
        change = TriageLedger(store).set(finding_id, decision, projects={project} if project else None)
    typer.echo(f"{change.finding[:12]} ({change.project}): {change.previous.value} -> {parsed.value}")
    if change.exception is not None:
        typer.echo(f"policy exception {change.exception} lets the gate pass it until its expiry")


@app.command("history")
def history(
    finding_id: Annotated[str, typer.Argument(help="The finding's id (or a unique prefix).")],
    project: Annotated[str | None, typer.Option("--project", help="Disambiguate across projects.")] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Show every triage change of a finding, oldest first; an accepted risk names its policy exception and
    whether it is active, expired, or removed (by a later change or by hand)."""
    import json

    from rich.table import Table

    from bastion.cli.console import result_console
    from bastion.cli.store_option import open_cli_store
    from bastion.store.triage import TriageLedger

    with open_cli_store(db, repo) as store:
        changes = TriageLedger(store).history(finding_id, projects={project} if project else None)
    if as_json:
        rows = [
            {
                "from": c.previous.value,
                "to": c.decision.state.value,
                "reason": c.decision.reason,
                "actor": c.decision.actor,
                "at": c.decision.decided_at.isoformat(),
                "expires_at": c.decision.expires_at.isoformat() if c.decision.expires_at else None,
                "approver": c.decision.approver,
                "exception_id": c.exception,
                "exception_status": c.exception_status.value if c.exception_status else None,
                "exception_removed_at": c.exception_removed_at.isoformat() if c.exception_removed_at else None,
            }
            for c in changes
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(changes)} triage change(s)")
    for column in ("when", "who", "from", "to", "why", "expires", "approver", "exception"):
        table.add_column(column, overflow="fold")
    for c in changes:
        d = c.decision
        table.add_row(
            f"{d.decided_at:%Y-%m-%d %H:%M}",
            d.actor,
            c.previous.value,
            d.state.value,
            d.reason,
            f"{d.expires_at:%Y-%m-%d}" if d.expires_at else "-",
            d.approver or "-",
            _exception_cell(c),
        )
    result_console().print(table)


def _exception_cell(change: TriageChange) -> str:
    """The history table's exception column: the id and its status, with the removal date, or ``-``."""
    if change.exception is None or change.exception_status is None:
        return "-"
    removed = f" {change.exception_removed_at:%Y-%m-%d}" if change.exception_removed_at else ""
    return f"{change.exception} ({change.exception_status.value}{removed})"


@app.command("rules")
def sync_rules(
    project: Annotated[str, typer.Option("--project", help="The project the rules are for.")],
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Store the repository's CODEOWNERS and bastion.yml owners:/sla: for PROJECT (the server has no checkout)."""
    from bastion.cli.store_option import open_cli_store
    from bastion.store.project_rules import ProjectRules, rules_from_repository

    rules = rules_from_repository(repo.resolve())
    with open_cli_store(db, repo) as store:
        ProjectRules(store).set(project, rules, actor_of(actor))
    lines = sum(1 for line in rules.codeowners.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    typer.echo(
        f"{project}: {lines} CODEOWNERS line(s), {len(rules.owners.rules)} owner rule(s), SLA days "
        f"critical {rules.sla.critical}, high {rules.sla.high}, medium {rules.sla.medium}, low {rules.sla.low}"
    )


@app.command("signals")
def import_signals(
    kev: Annotated[Path | None, typer.Option("--kev", help="CISA known_exploited_vulnerabilities.json.")] = None,
    epss: Annotated[Path | None, typer.Option("--epss", help="FIRST epss_scores-<date>.csv (.gz or not).")] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
    actor: ActorOption = None,
) -> None:
    """Replace the KEV list and/or EPSS scores that raise findings' risk and shorten their SLAs."""
    from bastion.cli.store_option import open_cli_store
    from bastion.errors import UsageError
    from bastion.store.signals import Signals

    if kev is None and epss is None:
        raise UsageError("give --kev FILE and/or --epss FILE")
    files = [(path, kind) for path, kind in ((kev, "kev"), (epss, "epss")) if path is not None]
    contents = {}
    for path, kind in files:
        try:
            contents[kind] = (path.read_bytes(), str(path))
        except OSError as err:
            raise UsageError(f"{path}: cannot read: {err.strerror}") from None
    with open_cli_store(db, repo) as store:
        signals = Signals(store)
        if "kev" in contents:
            typer.echo(f"KEV: {signals.import_kev(*contents['kev'], actor_of(actor))} CVEs")
        if "epss" in contents:
            typer.echo(f"EPSS: {signals.import_epss(*contents['epss'], actor_of(actor))} CVEs")
