"""The console renderer: controls, findings grouped by severity with their state, and the gate's reasons."""

from __future__ import annotations

import io

from rich.console import Console

from bastion.report import render_console, render_console_text

from .factory import CARRIED, PASSWORD, SQLI, clean_report, sample_report


def test_console_text_groups_open_findings_by_severity_critical_first() -> None:
    text = render_console_text(sample_report())
    headings = ["CRITICAL (1)", "HIGH (2)", "MEDIUM (2)", "LOW (1)", "INFO (1)", "Fixed in this run (1)"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_console_text_shows_state_id_rule_location_and_title() -> None:
    text = render_console_text(sample_report())
    (line,) = [line for line in text.splitlines() if SQLI.id in line and "new" in line]
    for part in ("new", SQLI.id, "src/shop/db.py:6", "B608", "Possible SQL injection"):
        assert part in line
    fixed_section = text[text.index("Fixed in this run") :]
    assert PASSWORD.id in fixed_section and "fixed" in fixed_section
    assert "reopened" in text and "existing" in text


def test_console_text_has_the_controls_table() -> None:
    text = render_console_text(sample_report())
    (semgrep,) = [line for line in text.splitlines() if line.lstrip().startswith("semgrep ")]
    for part in ("code", "advisory", "errored", "semgrep: command not found"):
        assert part in semgrep
    assert "partial" in text and "skipped" in text


def test_console_text_ends_with_the_decision_and_every_reason() -> None:
    text = render_console_text(sample_report())
    gate = text[text.index("Gate: BLOCK") :]
    for rule in ("new-high-in-mandatory", "advisory-control-errored", "reopened-finding"):
        assert rule in gate
    assert "Gate: PASS" in render_console_text(clean_report())


def test_console_text_is_plain_and_fits_100_columns() -> None:
    text = render_console_text(sample_report())
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_console_shows_tool_text_literally_not_as_markup() -> None:
    assert "[bold]debug[/bold]" in render_console_text(sample_report(), width=160)
    assert CARRIED.id in render_console_text(sample_report())


def test_console_colour_only_when_asked_or_on_a_terminal() -> None:
    assert "\x1b[" in render_console_text(sample_report(), color=True)
    buffer = io.StringIO()
    render_console(sample_report(), Console(file=buffer, width=100))
    assert "\x1b[" not in buffer.getvalue()
    assert "Gate: BLOCK" in buffer.getvalue()
