"""The secret hit: one secret found at one place, as a SHA-256 and a masked preview, never the secret itself."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SecretHit", "Skipped"]


@dataclass(frozen=True, slots=True)
class SecretHit:
    """A secret at a place in the tree, the index or a commit."""

    detector_id: str
    path: str
    """Relative posix path."""
    line: int
    column: int
    sha256: str
    """Hex SHA-256 of the secret's bytes: its identity across files, commits and runs."""
    preview: str
    """At most the first four characters, then ``…``."""
    commit: str | None = None
    """History scans: the commit that introduced the secret."""
    author: str | None = None
    date: str | None = None
    """History scans: the author date, ISO 8601."""
    in_head: bool | None = None
    """History scans: whether the secret is still in HEAD's tree."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not scanned, and why (over size, unreadable, binary)."""

    path: str
    reason: str
