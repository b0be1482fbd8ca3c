"""Patch scanning: finds secrets on the added lines of unified diffs (``git diff --cached``, ``git log -p``).

The prefilter runs once over the raw patch text. Only hits on added lines matter: each is widened to its run of
consecutive added lines, which is stripped of the ``+`` markers and handed to the matcher, so detectors see the
same text they would see in the file. Commit headers (written by ``LOG_FORMAT``), file headers (``+++ b/path``)
and hunk headers (``@@ -a,b +c,d @@``) are found by searching backwards from the run, only for runs with hits.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass

from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.placeholder import generic_applies

__all__ = ["COMMIT_MARK", "LOG_FORMAT", "PatchHit", "scan_patch"]

COMMIT_MARK = b"\x1e"
LOG_FORMAT = "--format=%x1e%H%x1f%ct%x1f%aI%x1f%an"
"""``git log`` format: one header line per commit, starting with the record separator."""
_MAX_RUN_LINES = 400
_HUNK = re.compile(rb"@@ -\d+(?:,\d+)? \+(\d+)")


@dataclass(frozen=True, slots=True)
class PatchHit:
    """A secret on an added line of a patch: where it landed, in which commit (for ``git log`` output)."""

    detector_id: str
    path: str
    line: int
    column: int
    sha256: str
    preview: str
    commit: str | None
    timestamp: int
    author_date: str | None
    author: str | None


def scan_patch(block: bytes, matcher: Matcher) -> list[PatchHit]:
    """Every secret on the added lines of ``block`` (whole commits, or one ``git diff``)."""
    multiline = matcher.multiline_keywords()
    runs: list[tuple[int, int, list[tuple[int, int]]]] = []  # (first line start, end offset, hits)
    for keyword, offset in matcher.prefilter.hits(block):
        line_start = block.rfind(b"\n", 0, offset) + 1
        if block[line_start : line_start + 1] != b"+" or block.startswith(b"+++ ", line_start):
            continue
        line_end = block.find(b"\n", offset)
        end = len(block) if line_end < 0 else line_end
        if keyword in multiline:
            end = _lines_after(block, end, _MAX_RUN_LINES)
        if runs and line_start <= runs[-1][1]:
            first, last, hits = runs[-1]
            hits.append((keyword, offset))
            runs[-1] = (first, max(last, end), hits)
        else:
            runs.append((line_start, end, [(keyword, offset)]))
    if not runs:
        return []
    places = _Places(block)
    found: list[PatchHit] = []
    for first, last, hits in runs:
        found.extend(_scan_run(block, first, last, hits, matcher, places))
    return found


def _lines_after(block: bytes, end: int, count: int) -> int:
    """The end of the last of up to ``count`` added lines following the line ending at ``end``."""
    for _ in range(count):
        if block[end + 1 : end + 2] != b"+" or block.startswith(b"+++ ", end + 1):
            break
        nxt = block.find(b"\n", end + 1)
        end = len(block) if nxt < 0 else nxt
    return end


def _scan_run(
    block: bytes, first: int, last: int, hits: list[tuple[int, int]], matcher: Matcher, places: _Places
) -> list[PatchHit]:
    # Rebuild the added text without the "+" markers, remembering where each block line lands in it.
    text = bytearray()
    shifts: list[tuple[int, int]] = []  # (block offset of a line's content, its offset in text)
    position = first
    while position <= last and block[position : position + 1] == b"+":
        end = block.find(b"\n", position)
        end = len(block) if end < 0 else end
        shifts.append((position + 1, len(text)))
        text += block[position + 1 : end] + b"\n"
        position = end + 1
    data = bytes(text)
    mapped = []
    for keyword, offset in hits:
        base, into = next((b, t) for b, t in reversed(shifts) if b <= offset)
        mapped.append((keyword, into + offset - base))
    mapped.sort(key=lambda hit: (hit[1], hit[0]))
    matches = matcher.confirm(data, mapped)
    if not matches:
        return []
    commit, timestamp, date, author = places.commit_of(first)
    path, first_line = places.place_of(first)
    if not generic_applies(path):
        generic_ids = {d.id for d in matcher.detectors if d.generic}
        matches = [m for m in matches if m.detector_id not in generic_ids]
    return [
        PatchHit(
            m.detector_id, path, first_line + m.line - 1, m.column, m.sha256, m.preview, commit, timestamp, date, author
        )
        for m in matches
    ]


class _Places:
    """Commit, file and hunk headers of one block, indexed once, so each run finds its own in log time."""

    def __init__(self, block: bytes) -> None:
        self.block = block
        self.commits = _starts(block, COMMIT_MARK)
        self.files = _starts(block, b"+++ ")
        self.hunks = _starts(block, b"@@ ")
        self._counted: dict[int, tuple[int, int]] = {}  # hunk start -> (offset counted to, new line there)

    def commit_of(self, offset: int) -> tuple[str | None, int, str | None, str | None]:
        """The commit header before ``offset``: id, commit time, author date and author."""
        index = bisect.bisect_right(self.commits, offset) - 1
        if index < 0:
            return None, 0, None, None
        at = self.commits[index]
        end = self.block.find(b"\n", at)
        fields = self.block[at + 1 : end].decode("utf-8", "replace").split("\x1f")
        if len(fields) < 4:
            return fields[0], 0, None, None
        return fields[0], int(fields[1] or 0), fields[2], fields[3]

    def place_of(self, run_start: int) -> tuple[str, int]:
        """The new path of the run's file and the new-side line number of the run's first line."""
        index = bisect.bisect_right(self.files, run_start) - 1
        header = self.files[index] if index >= 0 else -1
        path = "?"
        if header >= 0:
            path = _unquote(self.block[header + 4 : self.block.find(b"\n", header)])
        index = bisect.bisect_right(self.hunks, run_start) - 1
        hunk = self.hunks[index] if index >= 0 else -1
        if hunk < header:
            return path, 1
        counted_to, line = self._counted.get(hunk, (-1, 0))
        if counted_to < 0 or counted_to > run_start:
            match = _HUNK.match(self.block, hunk)
            counted_to, line = self.block.find(b"\n", hunk) + 1, int(match.group(1)) if match else 1
        between = b"\n" + self.block[counted_to : run_start - 1] if run_start - 1 > counted_to else b""
        line += between.count(b"\n+") + between.count(b"\n ")
        self._counted[hunk] = (run_start, line)
        return path, line


def _starts(block: bytes, prefix: bytes) -> list[int]:
    """Offsets of the lines of ``block`` that start with ``prefix``."""
    found = [0] if block.startswith(prefix) else []
    at = block.find(b"\n" + prefix)
    while at >= 0:
        found.append(at + 1)
        at = block.find(b"\n" + prefix, at + 1)
    return found


def _unquote(raw: bytes) -> str:
    raw = raw.rstrip(b"\r").removesuffix(b"\t")  # git ends a header path holding spaces with a tab
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = codecs.escape_decode(raw[1:-1])[0]
    text = raw.decode("utf-8", "surrogateescape")
    return text[2:] if text.startswith("b/") else text
