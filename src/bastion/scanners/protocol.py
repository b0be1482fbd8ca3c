"""The contracts every scanner and importer meets, built in or third party.

A scanner is registered as an entry point in the ``bastion.scanners`` group; an importer (which turns a tool's
report into findings, for ``run:`` controls and ``bastion import``) in ``bastion.importers``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from bastion.model import Finding, UnanalysedFile

__all__ = ["Importer", "NoOptions", "ScanTarget", "Scanner"]


class NoOptions(BaseModel):
    """The options of a scanner that takes none: any key under ``with:`` is an error."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ScanTarget:
    """What a control is pointed at: the repository root and the files selected for it.

    Scanners call ``not_analysed`` for every selected file they could not analyse, so the engine can mark the
    control as partially errored instead of passing it silently. It is safe to call from several threads.
    """

    root: Path
    """The repository root, absolute."""
    files: Sequence[str]
    """Files selected for this control: relative posix paths, text files only, already filtered by size."""
    control: str = ""
    """The control's id, to put on findings."""
    commit: str | None = None
    """HEAD of the repository, when it is a git checkout."""
    unanalysed: list[UnanalysedFile] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def path_of(self, relative: str) -> Path:
        """The absolute path of a selected file."""
        return self.root / relative

    def not_analysed(self, path: str, reason: str) -> None:
        """Record that ``path`` was selected but could not be analysed, and why."""
        with self._lock:
            self.unanalysed.append(UnanalysedFile(path=path, reason=reason))


@runtime_checkable
class Scanner(Protocol):
    """A control family's scanner: knows what it applies to and turns a target into findings."""

    name: str
    """The name ``uses:`` refers to; equal to the entry point's name."""
    description: str
    """One line for ``bastion init`` and the docs."""
    options_model: type[BaseModel]
    """The pydantic model of its ``with:`` options (``extra="forbid"`` so typos fail)."""

    def applies_to(self, root: Path, files: Sequence[str]) -> bool:
        """True when the repository has something for this scanner to look at (used by ``bastion init``)."""
        ...

    def scan(self, target: ScanTarget, options: BaseModel) -> Iterable[Finding]:
        """Analyse the target; raise ``ScannerError`` when the scan as a whole cannot run."""
        ...


@runtime_checkable
class Importer(Protocol):
    """Turns a report written by another tool into findings."""

    name: str
    """The name ``format:`` refers to; equal to the entry point's name."""

    def parse(self, data: bytes, *, source: str, control: str) -> Iterable[Finding]:
        """Parse the report ``data`` read from ``source``; raise ``ImporterError`` naming the source and path."""
        ...
