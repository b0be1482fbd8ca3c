"""Shared CLI plumbing for reports: format names, stage names, writing to a file or stdout."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import UsageError

if TYPE_CHECKING:
    from bastion.model import RunReport, Stage
    from bastion.report import ReportFormat

__all__ = ["parse_format", "parse_stages", "write_report"]


def parse_format(name: str) -> ReportFormat:
    """The report format named ``name``; ``UsageError`` with the choices otherwise."""
    from bastion.report import ReportFormat

    try:
        return ReportFormat(name.lower())
    except ValueError:
        choices = ", ".join(f.value for f in ReportFormat)
        raise UsageError(f"--format: unknown format '{name}'; choose one of {choices}") from None


def parse_stages(names: Sequence[str]) -> list[Stage]:
    """Stages from ``--stage`` values; ``UsageError`` naming the bad one."""
    from bastion.model import Stage

    stages = []
    for name in names:
        try:
            stages.append(Stage(name.lower()))
        except ValueError:
            choices = ", ".join(s.value for s in Stage)
            raise UsageError(f"--stage: unknown stage '{name}'; stages are {choices}") from None
    return stages


def write_report(report: RunReport, fmt: ReportFormat, output: Path | None, *, quiet: bool) -> None:
    """Write ``fmt`` to ``output`` (or stdout); with a file or ``--format console``, show the console summary."""
    from rich.console import Console

    from bastion.report import ReportFormat, render, render_console

    if fmt is not ReportFormat.CONSOLE:
        text = render(report, fmt)
        if output is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, "utf-8")
        except OSError as err:
            raise UsageError(f"{output}: cannot write the report: {err.strerror}") from None
    elif output is not None:
        output.write_text(render(report, fmt), "utf-8")
    if not quiet:
        render_console(report, Console())
