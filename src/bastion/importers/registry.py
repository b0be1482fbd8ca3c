"""The import formats: bastion's built-in importers by name, then third-party ones from entry points.

Built-in importers are found here even before (or without) their ``bastion.importers`` entry points being
installed; an unknown name is an ``ImporterError`` that lists the known ones.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from bastion.errors import ImporterError, ScannerError
from bastion.scanners.registry import importer_names, load_importer, suggest

if TYPE_CHECKING:
    from bastion.scanners.protocol import Importer

__all__ = ["BUILTIN", "format_names", "importer_for"]

BUILTIN: dict[str, str] = {
    "sarif": "bastion.scanners.sarif:SarifImporter",
    "gitleaks": "bastion.importers.gitleaks:GitleaksImporter",
    "trufflehog": "bastion.importers.trufflehog:TrufflehogImporter",
    "semgrep": "bastion.importers.semgrep:SemgrepImporter",
    "bandit": "bastion.importers.bandit:BanditImporter",
    "checkov": "bastion.importers.checkov:CheckovImporter",
    "trivy": "bastion.importers.trivy:TrivyImporter",
    "pip-audit": "bastion.importers.pip_audit:PipAuditImporter",
    "zap": "bastion.importers.zap:ZapImporter",
    "csv": "bastion.importers.generic_csv:CsvImporter",
}
"""Format name → ``module:Class`` of its importer."""


def format_names() -> list[str]:
    """Every format ``bastion import --format`` accepts, sorted."""
    return sorted({*BUILTIN, *importer_names()})


@cache
def importer_for(name: str) -> Importer:
    """The importer of format ``name``; ``ImporterError`` for an unknown format."""
    if name in BUILTIN:
        module, _, attribute = BUILTIN[name].partition(":")
        importer: Importer = getattr(importlib.import_module(module), attribute)()
        return importer
    if name in importer_names():
        try:
            return load_importer(name)
        except ScannerError as err:
            raise ImporterError(str(err)) from err
    known = format_names()
    raise ImporterError(f"unknown import format '{name}'{suggest(name, known)}; known: {', '.join(known)}")
