"""Secrets detection: bastion's own engine for leaked credentials in trees, staged changes and git history.

Detectors are data (``detectors/``); a Hyperscan (or pure-Python) prefilter finds their keywords in raw bytes,
and the matcher confirms candidates with regexes, entropy, placeholder, validator and ``bastion:allow`` checks.
Names are loaded on first use so that the pre-commit path does not import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bastion.scanners.secrets.detector import Detector
    from bastion.scanners.secrets.outcome import ScanMode, ScanOutcome
    from bastion.scanners.secrets.scan import run_scan
    from bastion.scanners.secrets.scanner import SecretsOptions, SecretsScanner
    from bastion.scanners.secrets.settings import ScanSettings

__all__ = ["Detector", "ScanMode", "ScanOutcome", "ScanSettings", "SecretsOptions", "SecretsScanner", "run_scan"]

_HOMES = {
    "Detector": "detector",
    "ScanMode": "outcome",
    "ScanOutcome": "outcome",
    "ScanSettings": "settings",
    "SecretsOptions": "scanner",
    "SecretsScanner": "scanner",
    "run_scan": "scan",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
