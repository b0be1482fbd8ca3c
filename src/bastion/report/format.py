"""The report format: the closed set of formats bastion renders a run in, and ``render`` to pick one."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from bastion.model import RunReport
from bastion.report.console import render_console_text
from bastion.report.json import render_json
from bastion.report.junit import render_junit
from bastion.report.sarif import render_sarif

__all__ = ["ReportFormat", "render"]


class ReportFormat(StrEnum):
    """A report format; the value is the name users pass to ``--format``."""

    CONSOLE = "console"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"

    @property
    def suffix(self) -> str:
        """The usual file name suffix of a report in this format."""
        return {"console": ".txt", "json": ".json", "sarif": ".sarif", "junit": ".xml"}[self.value]


def render(report: RunReport, fmt: ReportFormat | str) -> str:
    """The report as text in ``fmt``; console text is plain (no colour): a string is no terminal."""
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.CONSOLE:
        return render_console_text(report)
    if fmt is ReportFormat.JSON:
        return render_json(report)
    if fmt is ReportFormat.SARIF:
        return render_sarif(report)
    if fmt is ReportFormat.JUNIT:
        return render_junit(report)
    assert_never(fmt)
