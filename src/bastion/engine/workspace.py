"""The workspace: the files of a repository that scanners may look at, walked once and shared by all controls.

The walk honours ``.gitignore`` (through git itself in a checkout, through ``pathspec`` elsewhere), never
follows a symlink out of the repository, and skips binary and over-size files, counting each kind it skips.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bastion.errors import UsageError

if TYPE_CHECKING:
    import pathspec

__all__ = ["DEFAULT_MAX_FILE_BYTES", "Workspace", "select_files", "walk_workspace"]

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
_ALWAYS_SKIPPED_DIRS = frozenset({".git", ".bastion", ".hg", ".svn"})
_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Workspace:
    """A repository's scannable files and what the walk skipped."""

    root: Path
    files: tuple[str, ...]
    """Text files, relative posix paths, sorted."""
    skipped_binary: int = 0
    skipped_oversize: int = 0
    skipped_unreadable: int = 0
    commit: str | None = None
    branch: str | None = None

    def select(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
        """The files matching any ``include`` glob (all when none) and no ``exclude`` glob."""
        return select_files(self.files, include, exclude)


def select_files(files: Iterable[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """Filter relative paths by gitignore-style globs: kept when included (or no includes) and not excluded."""
    import pathspec  # here: a walk without globs in a git work tree never needs it

    inc = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    exc = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    return [f for f in files if (inc is None or inc.match_file(f)) and (exc is None or not exc.match_file(f))]


def walk_workspace(
    root: Path,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    exclude: Sequence[str] = (),
    sniff_binary: bool = True,
) -> Workspace:
    """Walk ``root`` once: list its text files within the size limit, honouring ``.gitignore`` and ``exclude``."""
    if not root.exists():
        raise UsageError(f"{root}: target path does not exist")
    if not root.is_dir():
        raise UsageError(f"{root}: target path is not a directory")
    root = root.resolve()
    commit, branch = _git_head(root)
    candidates = _git_files(root) if commit is not None or _is_git_root(root) else None
    if candidates is None:
        candidates = list(_walk_with_gitignore(root))
    if exclude:
        candidates = select_files(candidates, (), exclude)
    files: list[str] = []
    binary = oversize = unreadable = 0
    base = f"{root}{os.sep}"
    for rel in candidates:
        # String paths and os calls, not pathlib: its per-call overhead is a visible share of a large walk.
        path = base + rel
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                if not _inside(root, Path(path)):
                    continue
                info = os.stat(path)  # noqa: PTH116
        except OSError:
            unreadable += 1
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if info.st_size > max_file_bytes:
            oversize += 1
            continue
        if sniff_binary:
            kind = _sniff(path)
            if kind == "binary":
                binary += 1
                continue
            if kind == "unreadable":
                unreadable += 1
                continue
        files.append(rel)
    files.sort()
    return Workspace(root, tuple(files), binary, oversize, unreadable, commit, branch)


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _sniff(path: str) -> str:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return "unreadable"
    return "binary" if b"\0" in head else "text"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _is_git_root(root: Path) -> bool:
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top.strip()).resolve() == root


def _git_head(root: Path) -> tuple[str | None, str | None]:
    commit = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if commit is None:
        return None, None
    branch = (_git(root, "rev-parse", "--abbrev-ref", "HEAD") or "").strip()
    if branch in ("", "HEAD"):
        # Detached HEAD, as in most CI checkouts: the CI system names the branch.
        branch = next(
            (
                os.environ[v]
                for v in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BRANCH_NAME")
                if os.environ.get(v)
            ),
            "HEAD",
        )
    return commit.strip(), branch


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files below ``root`` (git's own .gitignore semantics)."""
    out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if out is None:
        return None
    seen: set[str] = set()
    files = []
    for rel in out.split("\0"):
        if rel and rel not in seen and not _in_skipped_dir(rel):
            seen.add(rel)
            files.append(rel)
    return files


def _in_skipped_dir(rel: str) -> bool:
    return any(part in _ALWAYS_SKIPPED_DIRS for part in rel.split("/")[:-1])


def _walk_with_gitignore(root: Path) -> Iterator[str]:
    """Walk a directory that is not a git checkout, applying every ``.gitignore`` found on the way down."""
    specs: list[tuple[str, pathspec.PathSpec[Any]]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        specs = [(base, spec) for base, spec in specs if prefix.startswith(base)]
        if ".gitignore" in filenames:
            import pathspec  # only once a .gitignore is found

            try:
                lines = (Path(dirpath) / ".gitignore").read_text("utf-8", "replace").splitlines()
                specs.append((prefix, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass

        dirnames[:] = sorted(
            d for d in dirnames if d not in _ALWAYS_SKIPPED_DIRS and not _ignored(specs, prefix + d + "/")
        )
        for name in sorted(filenames):
            rel = prefix + name
            if not _ignored(specs, rel):
                yield rel


def _ignored(specs: list[tuple[str, pathspec.PathSpec[Any]]], rel: str) -> bool:
    """True when a ``.gitignore`` above ``rel`` (a directory ends in ``/``) ignores it."""
    return any(spec.match_file(rel[len(base) :]) for base, spec in specs)
