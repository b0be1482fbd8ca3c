"""``render`` and ``ReportFormat``: every format renders, by enum or by name; the public names."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import bastion.report
from bastion.report import ReportFormat, render, render_console_text, render_json, render_junit, render_sarif

from .factory import sample_report


def test_render_dispatches_every_format() -> None:
    report = sample_report()
    assert render(report, ReportFormat.CONSOLE) == render_console_text(report)
    assert render(report, ReportFormat.JSON) == render_json(report)
    assert render(report, ReportFormat.SARIF) == render_sarif(report)
    assert render(report, ReportFormat.JUNIT) == render_junit(report)
    json.loads(render(report, "json"))
    ET.fromstring(render(report, "junit"))


def test_report_format_values_are_the_cli_names() -> None:
    assert [f.value for f in ReportFormat] == ["console", "json", "sarif", "junit"]
    assert ReportFormat("sarif").suffix == ".sarif"


def test_render_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="html"):
        render(sample_report(), "html")


def test_report_package_exports_exactly_its_public_names() -> None:
    exported = set(bastion.report.__all__)
    assert exported == {name for name in dir(bastion.report) if not name.startswith("_")} - {
        "console",
        "format",
        "json",
        "junit",
        "order",
        "sarif",
        "timestamp",
        "annotations",
    }
    assert all(getattr(bastion.report, name) for name in exported)
