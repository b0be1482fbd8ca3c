"""Scan settings: which detectors run, with which thresholds, on which files, against which baseline.

A plain frozen dataclass rather than a pydantic model, so the pre-commit path imports nothing heavy; the
pipeline's pydantic ``SecretsOptions`` and the CLI's flags both turn into one of these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.errors import SecretsError

__all__ = ["DEFAULT_MAX_FILE_BYTES", "ScanSettings", "select_detectors"]

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are skipped (and reported) unless the limit is raised or removed."""


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """Everything a scan needs besides its target."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    """Files larger than this are skipped and reported; 0 scans every file, in bounded-memory chunks."""
    allow_paths: tuple[str, ...] = ()
    """Gitignore-style globs of paths never scanned (fixtures of known fake secrets, vendored code)."""
    baseline: Path | None = None
    """A baseline file of accepted secrets."""
    enable: tuple[str, ...] = ()
    """Only these detector ids (all when empty)."""
    disable: tuple[str, ...] = ()
    """Detector ids never run."""
    min_entropy: Mapping[str, float] = field(default_factory=dict)
    """Entropy threshold overrides by detector id."""
    engine: str = "auto"
    """Prefilter: ``auto`` (Hyperscan when installed), ``hyperscan`` or ``python``."""
    jobs: int | None = None
    """Worker processes for large trees and histories (default: one per core)."""


def select_detectors(settings: ScanSettings) -> tuple[Detector, ...]:
    """The built-in detectors after enable/disable lists and entropy overrides; unknown ids are errors."""
    catalogue = builtin_detectors()
    known = {d.id for d in catalogue}
    for name in (*settings.enable, *settings.disable, *settings.min_entropy):
        if name not in known:
            raise SecretsError(f"unknown secrets detector '{name}'{_suggest(name, known)}")
    chosen = [d for d in catalogue if (not settings.enable or d.id in settings.enable) and d.id not in settings.disable]
    return tuple(
        dataclasses.replace(d, entropy=settings.min_entropy[d.id]) if d.id in settings.min_entropy else d
        for d in chosen
    )


def _suggest(name: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
