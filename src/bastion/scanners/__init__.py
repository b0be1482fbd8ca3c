"""Scanners (one subpackage per control family) and importers, found through entry points.

The names are loaded on first use (PEP 562): importing a scanner subpackage, as the pre-commit hook does with
``bastion.scanners.secrets``, must not pay for pydantic and the registry it does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.lazy import lazy_exports

if TYPE_CHECKING:
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

_HOME = {
    "Importer": "protocol",
    "NoOptions": "protocol",
    "ScanTarget": "protocol",
    "Scanner": "protocol",
    "importer_names": "registry",
    "load_importer": "registry",
    "load_scanner": "registry",
    "scanner_names": "registry",
    "suggest": "registry",
}


__getattr__ = lazy_exports(__name__, _HOME)
