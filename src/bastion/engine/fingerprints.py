"""Gives every finding that lacks one a fingerprint computed from the flagged code (see ``model.fingerprint``).

Scanners with a better identity (a secret's hash, a package and advisory) set their own; the rest get the rule,
the path, the flagged lines without white space, and the occurrence number of that same code in the file.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bastion.model import Finding, fingerprint_of, normalise_code

__all__ = ["Fingerprinter"]

_MAX_FLAGGED_LINES = 30
_MAX_HEADER_DISTANCE = 500


class Fingerprinter:
    """Computes fingerprints for one repository, reading each file at most once."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lines: dict[str, list[str] | None] = {}

    def complete(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with fingerprints filled in; those that had one are returned unchanged."""
        occurrences: Counter[tuple[str, ...]] = Counter()
        done = []
        for finding in findings:
            if finding.fingerprint:
                done.append(finding)
                continue
            key = self._identity(finding)
            occurrences[key] += 1
            done.append(dataclasses.replace(finding, fingerprint=fingerprint_of(*key, occurrences[key])))
        return done

    def _identity(self, finding: Finding) -> tuple[str, ...]:
        loc = finding.location
        rule = (finding.tool, finding.rule_id)
        if loc.path is None:
            return (*rule, "package", loc.package or "", loc.commit or "", normalise_code(finding.title))
        code = self._flagged_code(loc.path, loc.start_line, loc.end_line)
        if code is None or loc.start_line is None:
            # No code to anchor on (file-level finding, or the file is gone): the message identifies it.
            return (*rule, "file", loc.path, normalise_code(finding.message or finding.title))
        return (*rule, "code", loc.path, code, self._enclosing_header(loc.path, loc.start_line))

    def _flagged_code(self, path: str, start: int | None, end: int | None) -> str | None:
        if not start:
            return None
        lines = self._read(path)
        if lines is None or start > len(lines):
            return None
        last = min(max(end or start, start), start + _MAX_FLAGGED_LINES - 1, len(lines))
        code = normalise_code("".join(lines[start - 1 : last]))
        return code or None

    def _enclosing_header(self, path: str, start: int) -> str:
        lines = self._read(path) or []
        flagged = lines[start - 1]
        indent = len(flagged) - len(flagged.lstrip())
        if indent == 0:
            return ""
        for line in reversed(lines[max(0, start - 1 - _MAX_HEADER_DISTANCE) : start - 1]):
            stripped = line.lstrip()
            if stripped and len(line) - len(stripped) < indent:
                return normalise_code(line)
        return ""

    def _read(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                text = (self._root / path).read_text("utf-8", errors="replace")
                self._lines[path] = text.splitlines()
            except (OSError, ValueError):
                self._lines[path] = None
        return self._lines[path]
