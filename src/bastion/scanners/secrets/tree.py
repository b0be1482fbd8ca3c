"""The tree scan: every text file of a directory (``.gitignore``-aware), in parallel when it pays.

Files are read whole up to ``CHUNK_BYTES``; a larger file (allowed only when ``max_file_bytes`` is 0, meaning no
limit) is read in chunks that overlap by ``OVERLAP_BYTES``, so memory stays bounded whatever the file's size.
Files over the size limit, unreadable files and binary files are listed as skipped, never silently passed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.hit import SecretHit, Skipped
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.placeholder import generic_applies
from bastion.scanners.secrets.settings import DEFAULT_MAX_FILE_BYTES

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["CHUNK_BYTES", "DEFAULT_MAX_FILE_BYTES", "TreeScan", "scan_files", "scan_tree"]

CHUNK_BYTES = 8 * 1024 * 1024
OVERLAP_BYTES = 64 * 1024
_PARALLEL_BYTES = 12 * 1024 * 1024
_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class TreeScan:
    """What a tree scan found and what it could not look at."""

    hits: tuple[SecretHit, ...]
    files_scanned: int
    bytes_scanned: int
    skipped: tuple[Skipped, ...]
    binary_files: int = 0
    unlisted_unreadable: int = 0
    """Entries the workspace walk could not stat (dangling symlinks), known only by count."""


def scan_tree(
    root: Path,
    matcher: Matcher,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    exclude: Sequence[str] = (),
    jobs: int | None = None,
) -> TreeScan:
    """Scan the text files under ``root`` that git (or ``.gitignore`` files) do not ignore."""
    from bastion.scanners.secrets.listing import list_files

    listing = list_files(root, exclude)
    scan = scan_files(
        listing.root, listing.files, matcher, max_file_bytes=max_file_bytes, jobs=jobs, sizes=listing.sizes or None
    )
    unreadable = tuple(Skipped(rel, "unreadable (dangling or looping symlink)") for rel in listing.unreadable)
    return TreeScan(
        scan.hits,
        scan.files_scanned,
        scan.bytes_scanned,
        scan.skipped + unreadable,
        scan.binary_files,
        listing.unnamed_unreadable,
    )


_MATCHER: Matcher | None = None


def scan_files(
    root: Path,
    files: Sequence[str],
    matcher: Matcher,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    jobs: int | None = None,
    sizes: Sequence[int] | None = None,
) -> TreeScan:
    """Scan the given relative paths under ``root``; fork workers when the input is large enough.

    ``sizes`` (of ``files``, in order), when the caller has them, saves a ``stat`` per file for the batching."""
    global _MATCHER
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2:
        sizes_of: list[tuple[str, int]] = []
    elif sizes is not None and len(sizes) == len(files):
        sizes_of = list(zip(files, sizes, strict=True))
    else:
        sizes_of = _sizes(root, files)
    total = sum(size for _, size in sizes_of)
    _MATCHER = matcher
    if jobs < 2 or total < _PARALLEL_BYTES or len(files) < 2 * jobs:
        results = [_scan_batch(str(root), list(files), max_file_bytes)]
    else:
        batches = _batches(sizes_of, jobs * 4)
        with _pool(matcher, jobs) as pool:
            results = list(pool.map(_scan_batch, [str(root)] * len(batches), batches, [max_file_bytes] * len(batches)))
    hits = tuple(h for r in results for h in r[0])
    skipped = tuple(s for r in results for s in r[1])
    return TreeScan(hits, sum(r[2] for r in results), sum(r[3] for r in results), skipped, sum(r[4] for r in results))


def _pool(matcher: Matcher, jobs: int) -> ProcessPoolExecutor:
    """Forked workers inherit the compiled matcher; a threaded host (the pipeline runner) spawns them instead,
    since forking a process with other threads running can deadlock on locks those threads hold."""
    from concurrent.futures import ProcessPoolExecutor  # here: a small scan never starts a pool
    from multiprocessing import get_context

    if threading.active_count() == 1:
        matcher.prefilter.hits(b"\0" * 65536)  # load the database before forking so workers share it
        return ProcessPoolExecutor(jobs, mp_context=get_context("fork"))
    return ProcessPoolExecutor(
        jobs, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(matcher.detectors, matcher.engine)
    )


def _init_worker(detectors: tuple[Detector, ...], engine: str) -> None:
    global _MATCHER
    _MATCHER = Matcher(detectors, engine)


def _sizes(root: Path, files: Sequence[str]) -> list[tuple[str, int]]:
    # os.stat on a string, not Path.stat: pathlib's per-call overhead is a visible share of a tree scan.
    base = f"{root}{os.sep}"
    sizes = []
    for rel in files:
        try:
            sizes.append((rel, os.stat(base + rel).st_size))  # noqa: PTH116
        except OSError:
            sizes.append((rel, 0))
    return sizes


def _batches(sizes: list[tuple[str, int]], count: int) -> list[list[str]]:
    """Split files into ``count`` batches of similar byte totals (largest first, greedy)."""
    bins: list[tuple[int, list[str]]] = [(0, []) for _ in range(count)]
    for rel, size in sorted(sizes, key=lambda item: -item[1]):
        bins.sort(key=lambda b: b[0])
        total, members = bins[0]
        members.append(rel)
        bins[0] = (total + size + 512, members)
    return [members for _, members in bins if members]


def _scan_batch(
    root: str, files: list[str], max_file_bytes: int
) -> tuple[list[SecretHit], list[Skipped], int, int, int]:
    assert _MATCHER is not None
    matcher = _MATCHER
    hits: list[SecretHit] = []
    skipped: list[Skipped] = []
    scanned = nbytes = binary = 0
    base = f"{root}{os.sep}"
    for rel in files:
        # os.open and os.read, not open(): a buffered file object per file is a visible share of a tree scan.
        try:
            fd = os.open(base + rel, _OPEN_FLAGS)
        except OSError as err:
            skipped.append(Skipped(rel, f"unreadable ({err.strerror or err})"))
            continue
        try:
            size = os.fstat(fd).st_size
            if max_file_bytes and size > max_file_bytes:
                skipped.append(Skipped(rel, f"over the size limit ({size} > {max_file_bytes} bytes)"))
                continue
            head = _read(fd, _SNIFF, size)
            if b"\0" in head:
                binary += 1
                continue
            if len(head) == _SNIFF:
                head += _read(fd, CHUNK_BYTES - _SNIFF, size - _SNIFF)
            seen: set[tuple[str, int]] = set()
            generic = generic_applies(rel)
            for base_line, base_offset, chunk in _chunks(fd, head):
                for m in matcher.scan(chunk, generic=generic):
                    if (m.detector_id, base_offset + m.start) not in seen:  # not again from an overlap
                        seen.add((m.detector_id, base_offset + m.start))
                        hits.append(
                            SecretHit(m.detector_id, rel, base_line + m.line - 1, m.column, m.sha256, m.preview)
                        )
                nbytes += len(chunk) - (OVERLAP_BYTES if base_offset else 0)
        except OSError as err:
            skipped.append(Skipped(rel, f"unreadable ({err.strerror or err})"))
            continue
        finally:
            os.close(fd)
        scanned += 1
    return hits, skipped, scanned, nbytes, binary


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read(fd: int, count: int, expected: int) -> bytes:
    """Up to ``count`` bytes (fewer only at the end of the file); ``expected`` (the bytes left by ``fstat``) saves
    the extra call that would otherwise confirm the end of a file read whole."""
    data = os.read(fd, count)
    if len(data) >= min(count, expected) or not data:
        return data
    parts = [data]
    got = len(data)
    while got < count and (more := os.read(fd, count - got)):  # a short read, or a file that grew
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _chunks(fd: int, head: bytes) -> Iterator[tuple[int, int, bytes]]:
    """The file as (first line, first byte offset, bytes) chunks overlapping by ``OVERLAP_BYTES``."""
    yield 1, 0, head
    if len(head) < CHUNK_BYTES:
        return
    line = 1 + head.count(b"\n", 0, len(head) - OVERLAP_BYTES)
    offset = len(head) - OVERLAP_BYTES
    tail = head[-OVERLAP_BYTES:]
    while more := _read(fd, CHUNK_BYTES - OVERLAP_BYTES, CHUNK_BYTES - OVERLAP_BYTES):
        chunk = tail + more
        yield line, offset, chunk
        line += chunk.count(b"\n", 0, len(chunk) - OVERLAP_BYTES)
        offset += len(chunk) - OVERLAP_BYTES
        tail = chunk[-OVERLAP_BYTES:]
