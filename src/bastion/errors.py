"""The root of bastion's exceptions: every error a user can cause is a ``BastionError``.

``str(error)`` is one line naming the file (and line) and the problem; an optional ``hint`` goes on a second
line when shown to a person. Only ``cli`` and ``server`` turn these into exit codes or HTTP responses.
"""

from __future__ import annotations

__all__ = ["BastionError", "ConfigError", "ImporterError", "ScannerError", "StoreError", "UsageError"]


class BastionError(Exception):
    """A failure caused by input, configuration or environment, reported to the user without a traceback."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(BastionError):
    """A command was called with arguments that cannot work (missing path, not a git repository, ...)."""


class ConfigError(BastionError):
    """``bastion.yml`` (or another configuration file) is missing, malformed or names unknown things."""


class ScannerError(BastionError):
    """A scanner could not run: its tool is missing, crashed or was given options it cannot use."""


class ImporterError(BastionError):
    """A report handed to an importer is not what its format promises."""


class StoreError(BastionError):
    """The findings store cannot be opened, migrated or written."""
