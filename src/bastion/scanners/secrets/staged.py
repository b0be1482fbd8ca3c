"""The staged scan: secrets on the lines a commit would add, read from ``git diff --cached``.

This is the pre-commit path, so it stays lean: git, the prefilter and the matcher, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bastion.scanners.secrets.git import git_output
from bastion.scanners.secrets.hit import SecretHit
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.patch import scan_patch

__all__ = ["StagedScan", "scan_staged"]

_DIFF = ("diff", "--cached", "-U0", "--no-ext-diff", "--no-textconv", "--diff-filter=ACMRT")


@dataclass(frozen=True, slots=True)
class StagedScan:
    """Secrets on staged added lines, and the size of the staged patch."""

    hits: tuple[SecretHit, ...]
    files: int
    bytes_read: int


def scan_staged(root: Path, matcher: Matcher) -> StagedScan:
    """Scan the index of the repository at ``root`` against HEAD (or the empty tree before the first commit)."""
    patch = git_output(root, *_DIFF)
    hits = tuple(
        SecretHit(h.detector_id, h.path, h.line, h.column, h.sha256, h.preview) for h in scan_patch(patch, matcher)
    )
    files = patch.count(b"\ndiff --git ") + patch.startswith(b"diff --git ")
    return StagedScan(hits, files, len(patch))
