"""Patch scanning: finds secrets on the added lines of unified diffs (``git diff --cached``, ``git log -p``).

The prefilter runs once over the raw patch text. Only hits on added lines matter: each is widened to its run of
consecutive added lines, which is stripped of the ``+`` markers and handed to the matcher, so detectors see the
same text they would see in the file. Commit headers (written by ``LOG_FORMAT``), file headers (``+++ b/path``)
and hunk headers (``@@ -a,b +c,d @@``) are found by searching backwards from the run, only for runs with hits.
"""

from __future__ import annotations

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
    runs: dict[int, list[tuple[int, int]]] = {}
    for keyword, offset in matcher.prefilter.hits(block):
        line_start = block.rfind(b"\n", 0, offset) + 1
        if block[line_start:line_start + 1] != b"+" or block.startswith(b"+++ ", line_start):
            continue
        run_start = _run_start(block, line_start)
        runs.setdefault(run_start, []).append((keyword, offset))
    found: list[PatchHit] = []
    for run_start, hits in runs.items():
        found.extend(_scan_run(block, run_start, hits, matcher))
    return found


def _run_start(block: bytes, line_start: int) -> int:
    for _ in range(_MAX_RUN_LINES):
        if line_start == 0:
            break
        previous = block.rfind(b"\n", 0, line_start - 1) + 1
        if block[previous:previous + 1] != b"+" or block.startswith(b"+++ ", previous):
            break
        line_start = previous
    return line_start


def _scan_run(block: bytes, run_start: int, hits: list[tuple[int, int]], matcher: Matcher) -> list[PatchHit]:
    # Rebuild the added text without the "+" markers, remembering where each block line lands in it.
    text = bytearray()
    shifts: list[tuple[int, int]] = []  # (block offset of a line's content, its offset in text)
    position = run_start
    last_hit = max(offset for _, offset in hits)
    lines_past = 0
    while block[position:position + 1] == b"+" and not block.startswith(b"+++ ", position):
        if position > last_hit:
            lines_past += 1
            if lines_past > _MAX_RUN_LINES:
                break
        end = block.find(b"\n", position)
        end = len(block) if end < 0 else end
        shifts.append((position + 1, len(text)))
        text += block[position + 1:end] + b"\n"
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
    commit, timestamp, date, author = _commit_of(block, run_start)
    path, first_line = _place_of(block, run_start)
    if not generic_applies(path):
        generic_ids = {d.id for d in matcher.detectors if d.generic}
        matches = [m for m in matches if m.detector_id not in generic_ids]
    return [PatchHit(m.detector_id, path, first_line + m.line - 1, m.column, m.sha256, m.preview, commit,
                     timestamp, date, author) for m in matches]


def _commit_of(block: bytes, offset: int) -> tuple[str | None, int, str | None, str | None]:
    at = block.rfind(b"\n" + COMMIT_MARK, 0, offset)
    at = at + 1 if at >= 0 else (0 if block.startswith(COMMIT_MARK) else -1)
    if at < 0:
        return None, 0, None, None
    end = block.find(b"\n", at)
    fields = block[at + 1:end].decode("utf-8", "replace").split("\x1f")
    if len(fields) < 4:
        return fields[0], 0, None, None
    return fields[0], int(fields[1] or 0), fields[2], fields[3]


def _place_of(block: bytes, run_start: int) -> tuple[str, int]:
    """The new path of the file the run belongs to, and the new-side line number of the run's first line."""
    header = block.rfind(b"\n+++ ", 0, run_start)
    path = "?"
    if header >= 0:
        end = block.find(b"\n", header + 1)
        path = _unquote(block[header + 5:end])
    hunk = block.rfind(b"\n@@ ", max(header, 0), run_start)
    if hunk < 0:
        return path, 1
    hunk_end = block.find(b"\n", hunk + 1)
    match = _HUNK.match(block, hunk + 1)
    first = int(match.group(1)) if match else 1
    between = b"\n" + block[hunk_end + 1:run_start - 1] if run_start - 1 > hunk_end else b""
    return path, first + between.count(b"\n+") + between.count(b"\n ")


def _unquote(raw: bytes) -> str:
    raw = raw.rstrip(b"\r").removesuffix(b"\t")  # git ends a header path holding spaces with a tab
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = codecs.escape_decode(raw[1:-1])[0]
    text = raw.decode("utf-8", "surrogateescape")
    return text[2:] if text.startswith("b/") else text
