"""The iac package's errors: a file that cannot be parsed, and a check bundle that cannot be compiled."""

from __future__ import annotations

from bastion.errors import ScannerError

__all__ = ["IacError", "IacSyntaxError"]


class IacError(ScannerError):
    """The iac scan cannot run: a built-in or user check does not compile, or regopy is missing."""


class IacSyntaxError(IacError):
    """One file is not valid HCL, YAML, JSON or Dockerfile; ``str()`` is ``path:line: problem``."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
