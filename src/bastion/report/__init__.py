"""Report renderers: a run's report as console text, JSON, SARIF 2.1.0 or JUnit XML."""

from __future__ import annotations

from bastion.report.console import render_console, render_console_text
from bastion.report.format import ReportFormat, render
from bastion.report.json import JSON_SCHEMA_VERSION, json_document, render_json
from bastion.report.junit import render_junit
from bastion.report.sarif import FINGERPRINT_KEY, SARIF_SCHEMA_URI, render_sarif, sarif_log, security_severity

__all__ = [
    "FINGERPRINT_KEY",
    "JSON_SCHEMA_VERSION",
    "SARIF_SCHEMA_URI",
    "ReportFormat",
    "json_document",
    "render",
    "render_console",
    "render_console_text",
    "render_json",
    "render_junit",
    "render_sarif",
    "sarif_log",
    "security_severity",
]
