"""Suppressions written in the scanned files: ``bastion:allow CHECK_ID reason`` and ``bastion:allow-file``.

An inline suppression is a comment on the flagged line, on the line above it, on the first line of the flagged
resource (or the line above), or inside the resource's block; ``bastion:allow-file`` anywhere in a file covers
the whole file. Several ids may be given, separated by commas. A suppressed finding is not dropped: it is
reported with the ``suppressed`` tag and the reason, a triage decision the gate and the reports can show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Suppression", "find_suppression", "suppressions_in"]

_ALLOW = re.compile(
    r"(?:#|//|/\*|--)\s*bastion:allow(?P<file>-file)?\s+"
    r"(?P<ids>[A-Za-z0-9_.-]+(?:\s*,\s*[A-Za-z0-9_.-]+)*)"
    r"[ \t]*(?P<reason>[^\n]*?)\s*(?:\*/)?$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``bastion:allow`` comment."""

    path: str
    line: int
    check_ids: frozenset[str]
    reason: str
    whole_file: bool

    def describe(self) -> str:
        """``file:line: reason`` for the finding's message."""
        return f"{self.path}:{self.line}: {self.reason or 'no reason given'}"


def suppressions_in(path: str, text: str) -> list[Suppression]:
    """Every suppression comment in one file's text."""
    if "bastion:allow" not in text:
        return []
    found = []
    for match in _ALLOW.finditer(text):
        ids = frozenset(i.strip().upper() for i in match["ids"].split(","))
        line = text.count("\n", 0, match.start()) + 1
        found.append(Suppression(path, line, ids, match["reason"].strip(), bool(match["file"])))
    return found


def find_suppression(
    by_file: Mapping[str, list[Suppression]], check_id: str, path: str, line: int, element_line: int, element_end: int
) -> Suppression | None:
    """The suppression covering a finding, if any."""
    for suppression in by_file.get(path, ()):
        if check_id.upper() not in suppression.check_ids and "ALL" not in suppression.check_ids:
            continue
        at = suppression.line
        if suppression.whole_file or at in {line, line - 1, element_line, element_line - 1}:
            return suppression
        if element_line <= at <= element_end:
            return suppression
    return None
