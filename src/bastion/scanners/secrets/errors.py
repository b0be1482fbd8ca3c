"""The secrets package's error: a scan that cannot run, named by the file or repository at fault."""

from __future__ import annotations

from bastion.errors import ScannerError

__all__ = ["SecretsError"]


class SecretsError(ScannerError):
    """A secrets scan cannot run: not a git repository, unreadable baseline, git failing, bad detector."""
