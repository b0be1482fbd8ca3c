"""Importers: other tools' reports (SARIF, gitleaks, trufflehog, semgrep, bandit, checkov, trivy, pip-audit, ZAP,
CSV) turned into bastion findings, deduplicated across tools and recorded with their lifecycle.
"""

from __future__ import annotations

from bastion.importers.registry import format_names, importer_for
from bastion.importers.service import DEFAULT_MAX_BYTES, ImportSummary, import_report

__all__ = ["DEFAULT_MAX_BYTES", "ImportSummary", "format_names", "import_report", "importer_for"]
