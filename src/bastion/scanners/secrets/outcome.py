"""The outcome of one secrets scan (tree, index or history): hits plus everything that was not looked at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bastion.scanners.secrets.hit import SecretHit, Skipped

__all__ = ["ScanMode", "ScanOutcome"]


class ScanMode(StrEnum):
    """What a scan read."""

    TREE = "tree"
    STAGED = "staged"
    HISTORY = "history"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """Hits and coverage of a scan; ``partial`` when something selected could not be analysed."""

    mode: ScanMode
    hits: tuple[SecretHit, ...]
    files_scanned: int = 0
    bytes_scanned: int = 0
    skipped: tuple[Skipped, ...] = ()
    binary_files: int = 0
    unlisted_unreadable: int = 0
    """Entries the listing could not stat (dangling symlinks), known only by count."""
    commits_scanned: int = 0
    commits_total: int = 0
    suppressed_by_baseline: int = 0
    seconds: float = 0.0

    @property
    def partial(self) -> bool:
        """True when some selected file was skipped for size or could not be read."""
        return bool(self.skipped or self.unlisted_unreadable)

    def summary(self) -> str:
        """One line for stderr: what was scanned, what was found, what was skipped."""
        parts = [f"{len(self.hits)} secret{'s' if len(self.hits) != 1 else ''}"]
        if self.mode is ScanMode.HISTORY:
            parts.append(f"{self.commits_scanned} new of {self.commits_total} commits read")
        parts.append(f"{self.files_scanned} files, {self.bytes_scanned / 1e6:.1f} MB scanned in {self.seconds:.2f} s")
        if self.suppressed_by_baseline:
            parts.append(f"{self.suppressed_by_baseline} accepted in the baseline")
        if self.binary_files:
            parts.append(f"{self.binary_files} binary files skipped")
        if self.skipped:
            parts.append(f"{len(self.skipped)} files not analysed")
        if self.unlisted_unreadable:
            parts.append(f"{self.unlisted_unreadable} unreadable entries")
        return "; ".join(parts)
