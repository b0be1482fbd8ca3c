"""The scan entry point: one call per mode (tree, staged, history) with settings, returning an outcome.

Modes are imported on demand so that the pre-commit path (``staged``) loads only what it uses.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from bastion.scanners.secrets.detector import Detector
from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.git import repository_root
from bastion.scanners.secrets.hit import SecretHit
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.outcome import ScanMode, ScanOutcome
from bastion.scanners.secrets.settings import ScanSettings, select_detectors

__all__ = ["catalogue_digest", "run_scan"]


def catalogue_digest(detectors: Sequence[Detector]) -> str:
    """Identity of a detector set: the history state is reused only with the same one."""
    import hashlib

    digest = hashlib.sha256()
    for d in detectors:
        digest.update(f"{d.id}\0{d.regex}\0{d.keywords}\0{d.entropy}\0{d.validator}\0{d.generic}\n".encode())
    return digest.hexdigest()


def run_scan(path: Path, mode: ScanMode, settings: ScanSettings) -> ScanOutcome:
    """Scan ``path`` in ``mode``; ``SecretsError`` (one line naming the path) when it cannot."""
    started = time.perf_counter()
    detectors = select_detectors(settings)
    matcher = Matcher(detectors, settings.engine)
    if mode is ScanMode.TREE:
        outcome = _tree(path, matcher, settings)
    elif mode is ScanMode.STAGED:
        from bastion.scanners.secrets.staged import scan_staged

        staged = scan_staged(repository_root(path, "staged"), matcher)
        outcome = ScanOutcome(mode, staged.hits, staged.files, staged.bytes_read)
    else:
        outcome = _history(path, matcher, settings, catalogue_digest(detectors))
    hits = _allowed_paths_removed(outcome.hits, settings.allow_paths)
    suppressed = 0
    if settings.baseline is not None:
        from bastion.scanners.secrets.baseline import load_baseline

        kept, suppressed = load_baseline(settings.baseline).filter(hits)
        hits = tuple(kept)
    ordered = tuple(sorted(hits, key=lambda h: (h.path, h.line, h.column, h.detector_id)))
    from dataclasses import replace

    return replace(outcome, hits=ordered, suppressed_by_baseline=suppressed, seconds=time.perf_counter() - started)


def _tree(path: Path, matcher: Matcher, settings: ScanSettings) -> ScanOutcome:
    from bastion.scanners.secrets.tree import scan_files, scan_tree

    if path.is_file():
        scan = scan_files(path.parent.resolve(), [path.name], matcher, max_file_bytes=settings.max_file_bytes, jobs=1)
    elif path.is_dir():
        scan = scan_tree(
            path, matcher, max_file_bytes=settings.max_file_bytes, exclude=settings.allow_paths, jobs=settings.jobs
        )
    else:
        raise SecretsError(f"{path}: no such file or directory")
    return ScanOutcome(
        ScanMode.TREE,
        scan.hits,
        scan.files_scanned,
        scan.bytes_scanned,
        scan.skipped,
        scan.binary_files,
        scan.unlisted_unreadable,
    )


def _history(path: Path, matcher: Matcher, settings: ScanSettings, digest: str) -> ScanOutcome:
    from bastion.scanners.secrets.history import scan_history
    from bastion.scanners.secrets.state import HistoryState, state_path

    root = repository_root(path, "history")
    with HistoryState(state_path(root), digest) as state:
        scan = scan_history(root, matcher, state, jobs=settings.jobs, max_file_bytes=settings.max_file_bytes)
    return ScanOutcome(
        ScanMode.HISTORY,
        scan.hits,
        bytes_scanned=scan.bytes_read,
        commits_scanned=scan.commits_read,
        commits_total=scan.commits_total,
    )


def _allowed_paths_removed(hits: Sequence[SecretHit], allow_paths: Sequence[str]) -> tuple[SecretHit, ...]:
    if not allow_paths or not hits:
        return tuple(hits)
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(allow_paths)
    return tuple(h for h in hits if not spec.match_file(h.path))
