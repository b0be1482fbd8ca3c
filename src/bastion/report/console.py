"""The console report: a run for a person at a terminal, drawn with Rich and readable at 100 columns.

It shows a table of controls, then the open findings grouped by severity (critical first) with their lifecycle
state, id, rule, location and title, then the findings this run fixed (dimmed), then the gate's decision with
every reason. All text from tools is shown literally (never parsed as Rich markup).
"""

from __future__ import annotations

import io
from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bastion.model import (
    ControlResult,
    ControlStatus,
    LifecycleState,
    Outcome,
    RunReport,
    Severity,
    TrackedFinding,
)
from bastion.report.order import ordered

__all__ = ["render_console", "render_console_text"]

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATE_STYLE = {
    LifecycleState.NEW: "bold magenta",
    LifecycleState.REOPENED: "bold yellow",
    LifecycleState.EXISTING: "",
    LifecycleState.FIXED: "dim green",
}
_STATUS_STYLE = {
    ControlStatus.SUCCEEDED: "green",
    ControlStatus.PARTIAL: "yellow",
    ControlStatus.ERRORED: "bold red",
    ControlStatus.SKIPPED: "dim",
}
_OUTCOME_STYLE = {Outcome.PASS: "bold green", Outcome.WARN: "bold yellow", Outcome.BLOCK: "bold red"}


def render_console_text(report: RunReport, *, width: int = 100, color: bool = False) -> str:
    """The console report as a string: plain text unless ``color`` asks for ANSI colour codes."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    render_console(report, console)
    if color:
        return buffer.getvalue()
    # Tables pad every line to the full width: trailing blanks only get in the way in a file or a diff.
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def render_console(report: RunReport, console: Console) -> None:
    """Print the report on ``console``; Rich drops colours by itself when it is not a terminal."""
    record = report.record
    header = Text("bastion run", style="bold")
    if report.run_id is not None:
        header.append(f" #{report.run_id}")
    header.append(f"  {record.project} @ {record.branch}")
    if record.commit:
        header.append(f" ({record.commit[:12]})")
    scanned = f"{report.files_scanned} files scanned"
    skipped = report.skipped_binary + report.skipped_oversize
    if skipped:
        scanned += f", {report.skipped_binary} binary and {report.skipped_oversize} oversize skipped"
    header.append(f"  {scanned}", style="dim")
    console.print(header)
    console.print(_controls_table(record.controls))
    _print_findings(console, report)
    _print_decision(console, report)


def _controls_table(controls: tuple[ControlResult, ...]) -> Table:
    table = Table(title="Controls", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("control", overflow="fold")
    for name in ("stage", "mode", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("findings", justify="right", no_wrap=True)
    table.add_column("reason", overflow="fold", ratio=1)
    for control in controls:
        table.add_row(
            Text(control.control),
            control.stage.value,
            control.mode.value,
            Text(control.status.value, style=_STATUS_STYLE[control.status]),
            _duration(control.duration_s),
            str(len(control.findings)),
            Text(control.reason, style="dim"),
        )
    if not controls:
        table.add_row("-", "", "", "", "", "", Text("no control ran", style="dim"))
    return table


def _print_findings(console: Console, report: RunReport) -> None:
    findings = ordered(report.findings)
    open_findings = [t for t in findings if t.is_open]
    fixed = [t for t in findings if not t.is_open]
    counts = ", ".join(
        f"{sum(1 for t in open_findings if t.state is state)} {state.value}"
        for state in (LifecycleState.NEW, LifecycleState.REOPENED, LifecycleState.EXISTING)
    )
    console.print(Text(f"Findings: {len(open_findings)} open ({counts})", style="bold"))
    if not open_findings:
        console.print(Text("  no open findings", style="green"))
    # One width for the location column across every group, so the groups line up.
    longest = max((len(t.finding.location.describe()) for t in findings), default=1)
    where = min(longest, 34, max(12, console.width // 4))
    for severity, group in groupby(open_findings, key=lambda t: t.finding.severity):
        members = list(group)
        console.print(Text(f"{severity.value.upper()} ({len(members)})", style=_SEVERITY_STYLE[severity]))
        console.print(_findings_table(members, where))
    if fixed:
        console.print(Text(f"Fixed in this run ({len(fixed)})", style="dim"))
        console.print(_findings_table(fixed, where, dim=True))


def _findings_table(findings: list[TrackedFinding], where: int, *, dim: bool = False) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), style="dim" if dim else "")
    table.add_column("state", no_wrap=True, width=11)
    table.add_column("id", no_wrap=True, width=12)
    table.add_column("location", overflow="fold", width=where)
    table.add_column("rule and title", overflow="fold", ratio=1)
    for tracked in findings:
        finding = tracked.finding
        state = Text("  ") + Text(tracked.state.value, style="dim" if dim else _STATE_STYLE[tracked.state])
        if tracked.carried:
            state.append("*", style="dim")
        about = Text(finding.rule_id, style="dim" if dim else "bold")
        about.append("  ")
        about.append(finding.title or finding.message, style="dim" if dim else "")
        table.add_row(state, Text(finding.id, style="dim"), Text(finding.location.describe()), about)
    return table


def _print_decision(console: Console, report: RunReport) -> None:
    decision = report.decision
    line = Text("Gate: ", style="bold")
    line.append(decision.outcome.value.upper(), style=_OUTCOME_STYLE[decision.outcome])
    line.append(f"  (policy {decision.policy})", style="dim")
    console.print(line)
    if not decision.reasons:
        console.print(Text("  no policy rule fired", style="dim"))
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column("outcome", no_wrap=True, width=7)
    table.add_column("reason", overflow="fold", ratio=1)
    for reason in decision.reasons:
        text = Text(f"{reason.rule}: ", style="bold")
        text.append(reason.message)
        if reason.control:
            text.append(f" [{reason.control}]", style="dim")
        if reason.finding_ids:
            text.append(" " + ", ".join(reason.finding_ids), style="dim")
        table.add_row(Text("  ") + Text(reason.outcome.value, style=_OUTCOME_STYLE[reason.outcome]), text)
    if decision.reasons:
        console.print(table)
    if any(t.carried for t in report.open_findings):
        note = "  * carried: not re-checked because its control errored or skipped the file"
        console.print(Text(note, style="dim"))


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.2f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"
