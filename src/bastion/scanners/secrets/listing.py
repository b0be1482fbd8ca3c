"""The file listing of a tree scan: git's own view of a work tree (tracked plus untracked-not-ignored files).

Inside a git work tree this asks ``git ls-files`` directly, which keeps the tree scan free of the engine
package's imports (a third of a small scan's wall time); elsewhere it defers to ``walk_workspace``, which applies
``.gitignore`` files itself. Symlinks are never followed out of the root, and entries that cannot be read
(dangling links, loops) are returned by name so that the scan reports them.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Listing", "list_files"]

_SKIPPED_DIRS = frozenset({".git", ".bastion", ".hg", ".svn"})


@dataclass(frozen=True, slots=True)
class Listing:
    """Files to scan (relative posix paths) and what could not be listed usefully."""

    root: Path
    files: tuple[str, ...]
    unreadable: tuple[str, ...] = ()
    """Entries that cannot be read: dangling or looping symlinks."""
    unnamed_unreadable: int = 0
    """Unreadable entries the fallback walker counted without naming them."""
    sizes: tuple[int, ...] = ()
    """Sizes of ``files`` in bytes, in the same order, when the listing knows them (git work trees)."""


def list_files(root: Path, exclude: Sequence[str] = ()) -> Listing:
    """The scannable files under ``root`` (a directory)."""
    root = root.resolve()
    tracked = _git_files(root)
    if tracked is None:
        from bastion.engine.workspace import walk_workspace

        workspace = walk_workspace(root, max_file_bytes=sys.maxsize, exclude=exclude, sniff_binary=False)
        return Listing(workspace.root, workspace.files, (), workspace.skipped_unreadable)
    if exclude:
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(exclude)
        tracked = [f for f in tracked if not spec.match_file(f)]
    files: list[tuple[str, int]] = []
    unreadable: list[str] = []
    base = f"{root}{os.sep}"
    for rel in tracked:
        path = base + rel
        try:
            info = os.lstat(path)  # string paths and one lstat: pathlib's overhead shows on big trees
        except OSError:
            continue  # deleted from the work tree since it was staged
        if stat.S_ISLNK(info.st_mode):
            try:
                target = os.path.realpath(path, strict=True)  # a loop raises OSError
            except OSError:
                unreadable.append(rel)
                continue
            try:
                info = os.stat(target)  # noqa: PTH116
            except OSError:
                continue
            if not target.startswith(base) or not stat.S_ISREG(info.st_mode):
                continue  # out of the tree, or a link to a directory: not followed
        elif not stat.S_ISREG(info.st_mode):
            continue  # a FIFO, socket or submodule: never opened
        files.append((rel, info.st_size))
    files.sort()
    return Listing(root, tuple(rel for rel, _ in files), tuple(unreadable), sizes=tuple(size for _, size in files))


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, when ``root`` is the top of a git work tree."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, check=False)
        if top.returncode != 0 or Path(top.stdout.decode("utf-8", "surrogateescape").strip()).resolve() != root:
            return None
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    entries = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    unique = dict.fromkeys(e for e in entries if e and not _SKIPPED_DIRS.intersection(e.split("/")[:-1]))
    return list(unique)
