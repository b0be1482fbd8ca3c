"""The lockfile source: a manifest's text, its path for messages, and access to the files beside it."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bastion.scanners.sca.errors import LockfileError
from bastion.scanners.sca.lines import LineIndex

__all__ = ["LockfileSource"]


@dataclass(frozen=True)
class LockfileSource:
    """One manifest or lockfile to parse; ``path`` is relative to ``root`` with ``/`` separators."""

    root: Path
    """The scanned root directory."""
    path: str
    """The file, relative to ``root``."""
    text: str
    """Its content."""

    @classmethod
    def read(cls, root: Path, path: str) -> LockfileSource:
        """Read ``path`` under ``root`` as UTF-8 (a BOM is dropped); undecodable bytes are a ``LockfileError``."""
        try:
            text = (root / path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise LockfileError(path, None, f"not UTF-8 text (byte {err.start})") from err
        except OSError as err:
            raise LockfileError(path, None, f"cannot be read: {err.strerror}") from err
        return cls(root, path, text)

    @property
    def name(self) -> str:
        """The file name without directories."""
        return PurePosixPath(self.path).name

    @property
    def lines(self) -> LineIndex:
        """A line index of the text (built on first use)."""
        index = self.__dict__.get("_lines")
        if index is None:
            index = LineIndex(self.text)
            object.__setattr__(self, "_lines", index)
        return index

    def sibling_path(self, name: str) -> str:
        """The relative path of ``name`` in the same directory."""
        parent = PurePosixPath(self.path).parent
        return str(parent / name) if str(parent) != "." else name

    def sibling(self, name: str) -> LockfileSource | None:
        """The file ``name`` beside this one, or ``None`` when it does not exist."""
        path = self.sibling_path(name)
        if not (self.root / path).is_file():
            return None
        return LockfileSource.read(self.root, path)

    def json(self) -> Any:
        """The text parsed as JSON; a syntax error names the line."""
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as err:
            raise LockfileError(self.path, err.lineno, f"invalid JSON: {err.msg}") from err

    def toml(self) -> dict[str, Any]:
        """The text parsed as TOML; a syntax error names the line."""
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as err:
            line = _toml_line(str(err))
            raise LockfileError(self.path, line, f"invalid TOML: {str(err).split(' (at')[0]}") from err

    def error(self, where: int | str | None, problem: str) -> LockfileError:
        """A ``LockfileError`` about this file at a line or JSON path."""
        return LockfileError(self.path, where, problem)


def _toml_line(message: str) -> int | None:
    marker = "(at line "
    if marker not in message:
        return None
    digits = message.split(marker, 1)[1].split(",", 1)[0].rstrip(")")
    return int(digits) if digits.isdigit() else None
