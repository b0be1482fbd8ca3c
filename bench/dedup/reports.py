"""The labelled dedup set's reports: real reports of the shop example by bastion and eight other tools, in order."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REPORTS", "SAMPLES"]

SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "assets" / "imports"

REPORTS: tuple[tuple[str, str], ...] = (
    ("sarif", "sarif/bastion-run.shop.sarif"),  # bastion's own secrets and sast controls
    ("gitleaks", "gitleaks/git-history.two-leaks.json"),
    ("trufflehog", "trufflehog/trufflehog3.history-and-tree.json"),
    ("semgrep", "semgrep/shop.local-rules.json"),
    ("checkov", "checkov/dockerfile.single-framework.json"),
    ("trivy", "trivy/fs.secret-and-misconfig.json"),
    ("pip-audit", "pip-audit/requirements.vulns.formatter-with-hand-entered-advisories.json"),
    ("trivy", "trivy/fs.vulnerabilities.from-schema.json"),
    ("csv", "csv/generic.three-findings.csv"),
    ("zap", "zap/shop.traditional-json.from-schema.json"),
)
"""(format, sample) in import order."""
