"""SCA errors: a lockfile that cannot be read, a vulnerability store that cannot be used."""

from __future__ import annotations

from bastion.errors import BastionError

__all__ = ["LockfileError", "ScaError", "VulnStoreError"]


class ScaError(BastionError):
    """A software-composition-analysis failure caused by input or environment."""


class LockfileError(ScaError):
    """A manifest or lockfile is malformed or of an unknown version; the message names the file and line or path."""

    def __init__(self, path: str, where: int | str | None, problem: str) -> None:
        location = path if where is None else f"{path}:{where}" if isinstance(where, int) else f"{path}: {where}"
        super().__init__(f"{location}: {problem}")
        self.path = path
        self.where = where
        self.problem = problem


class VulnStoreError(ScaError):
    """The OSV vulnerability store is missing, empty, corrupt or cannot be written."""
