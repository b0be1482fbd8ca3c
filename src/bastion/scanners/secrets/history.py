"""The history scan: every commit reachable from any ref, read as patches, in parallel across commit ranges.

New commits are those ``git rev-list --all`` reaches from the current refs but not from the tips recorded by the
previous scan (see ``state``), so a re-scan reads only what was added since. Each range of commits is one
``git log --no-walk -p -U0`` process read in bounded blocks that end on commit boundaries; only added lines are
scanned. Each secret is reported once, at the commit that introduced it (earliest commit time), with whether it
is still in HEAD's tree.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from bastion.scanners.secrets.git import GIT_CONFIG, git_output
from bastion.scanners.secrets.hit import SecretHit
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.patch import COMMIT_MARK, LOG_FORMAT, scan_patch
from bastion.scanners.secrets.state import HistoryState
from bastion.scanners.secrets.tree_at import secrets_in_head

__all__ = ["HistoryScan", "scan_history"]

_READ = 4 * 1024 * 1024
_MAX_BLOCK = 64 * 1024 * 1024
_LOG_OPTIONS = (
    "log",
    "--no-walk=unsorted",
    "--stdin",
    "-p",
    "-U0",
    "--no-ext-diff",
    "--no-textconv",
    "--diff-filter=d",
    LOG_FORMAT,
)


@dataclass(frozen=True, slots=True)
class HistoryScan:
    """Secrets of the whole history and how much of it this run read."""

    hits: tuple[SecretHit, ...]
    commits_read: int
    commits_total: int
    bytes_read: int


_MATCHER: Matcher | None = None


def scan_history(
    root: Path, matcher: Matcher, state: HistoryState, *, jobs: int | None = None, max_file_bytes: int = 0
) -> HistoryScan:
    """Read the commits ``state`` has not seen, record what they add, and report every known secret."""
    global _MATCHER
    tips = sorted(set(git_output(root, "rev-parse", "--all").decode().split()))
    known_tips = _existing(root, state.tips())
    listed = git_output(root, "rev-list", "--all", "--stdin", stdin="".join(f"^{t}\n" for t in known_tips).encode())
    known = state.known_commits()
    new = [c for c in listed.decode().split() if c not in known]
    _MATCHER = matcher
    found: list[tuple[int, SecretHit]] = []
    nbytes = 0
    if new:
        jobs = max(1, jobs or os.cpu_count() or 1)
        ranges = _ranges(new, 1 if len(new) < 8 or jobs == 1 else min(len(new), jobs * 3))
        if len(ranges) == 1:
            results = [_read_range(str(root), ranges[0])]
        else:
            matcher.prefilter.hits(b"\0" * 65536)  # load the database before forking
            with ProcessPoolExecutor(min(jobs, len(ranges)), mp_context=get_context("fork")) as pool:
                results = list(pool.map(_read_range, [str(root)] * len(ranges), ranges))
        for hits, size in results:
            found.extend(hits)
            nbytes += size
    state.record(new, tips, found)
    secrets = state.secrets()
    # Only the detectors behind known secrets need to look at HEAD: far fewer keywords, far fewer windows.
    wanted = {h.detector_id for h in secrets}
    narrow = Matcher([d for d in matcher.detectors if d.id in wanted], matcher.engine)
    present = secrets_in_head(root, narrow, max_file_bytes) if secrets else set()
    final = tuple(dataclasses.replace(h, in_head=(h.detector_id, h.sha256) in present) for h in secrets)
    return HistoryScan(final, len(new), state.commit_count(), nbytes)


def _existing(root: Path, tips: list[str]) -> list[str]:
    """The recorded tips that are still commits here (history may have been rewritten or pruned)."""
    if not tips:
        return []
    out = git_output(root, "cat-file", "--batch-check", stdin="".join(f"{t}^{{commit}}\n" for t in tips).encode())
    return [tip for tip, line in zip(tips, out.decode().splitlines(), strict=False) if " commit " in line]


def _ranges(commits: list[str], count: int) -> list[list[str]]:
    size = -(-len(commits) // count)
    return [commits[i : i + size] for i in range(0, len(commits), size)]


def _read_range(root: str, commits: list[str]) -> tuple[list[tuple[int, SecretHit]], int]:
    assert _MATCHER is not None
    process = subprocess.Popen(
        ["git", "-C", root, *GIT_CONFIG, *_LOG_OPTIONS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    feeder = threading.Thread(target=_feed, args=(process.stdin, commits), daemon=True)
    feeder.start()
    found: list[tuple[int, SecretHit]] = []
    nbytes = 0
    for block in _blocks(process.stdout):
        nbytes += len(block)
        for h in scan_patch(block, _MATCHER):
            hit = SecretHit(
                h.detector_id, h.path, h.line, h.column, h.sha256, h.preview, h.commit, h.author, h.author_date
            )
            found.append((h.timestamp, hit))
    feeder.join()
    process.wait()
    return found, nbytes


def _feed(stdin: object, commits: list[str]) -> None:
    try:
        stdin.write("".join(c + "\n" for c in commits).encode())  # type: ignore[attr-defined]
    finally:
        stdin.close()  # type: ignore[attr-defined]


def _blocks(stream: object) -> Iterator[bytes]:
    """Blocks of ``git log`` output that end on a commit boundary (or a file boundary in a huge commit)."""
    read = stream.read  # type: ignore[attr-defined]
    pending = b""
    while chunk := read(_READ):
        pending += chunk
        cut = pending.rfind(b"\n" + COMMIT_MARK)
        carry = b""
        if cut <= 0 and len(pending) > _MAX_BLOCK:
            cut = pending.rfind(b"\ndiff --git ")
            header_end = pending.find(b"\n")
            carry = pending[: header_end + 1] if pending.startswith(COMMIT_MARK) else b""
        if cut > 0:
            yield pending[: cut + 1]
            pending = carry + pending[cut + 1 :]
    if pending:
        yield pending
