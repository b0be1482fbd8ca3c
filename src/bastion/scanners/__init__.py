"""Scanners (one subpackage per control family) and importers, found through entry points."""

from __future__ import annotations

from bastion.scanners.protocol import Importer, NoOptions, Scanner, ScanTarget
from bastion.scanners.registry import (
    importer_names,
    load_importer,
    load_scanner,
    scanner_names,
    suggest,
)

__all__ = [
    "Importer",
    "NoOptions",
    "ScanTarget",
    "Scanner",
    "importer_names",
    "load_importer",
    "load_scanner",
    "scanner_names",
    "suggest",
]
