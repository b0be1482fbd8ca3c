"""Builds the secrets benchmark corpora under ``bench/.work/`` (git-ignored), reproducibly, from PyPI sdists.

* tree: the source distribution of Django 5.0, extracted (``pip download --no-binary :all: --no-deps``).
* history: a git repository with one commit per Django release from 3.2 to 5.0.4 (each commit replaces the tree
  with that release's sdist), committed with fixed author and dates so the history is identical everywhere.

Usage: ``python bench/secrets/corpus.py`` (idempotent: finished steps are kept).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent.parent / ".work" / "secrets"
DOWNLOADS = WORK / "sdists"
TREE_VERSION = "5.0"
HISTORY_VERSIONS = [
    "3.2",
    "3.2.1",
    "3.2.5",
    "3.2.10",
    "3.2.15",
    "3.2.20",
    "3.2.25",
    "4.0",
    "4.0.5",
    "4.0.10",
    "4.1",
    "4.1.5",
    "4.1.10",
    "4.2",
    "4.2.1",
    "4.2.2",
    "4.2.3",
    "4.2.4",
    "4.2.5",
    "4.2.6",
    "4.2.7",
    "4.2.8",
    "4.2.9",
    "4.2.10",
    "4.2.11",
    "5.0",
    "5.0.1",
    "5.0.2",
    "5.0.3",
    "5.0.4",
]


def sdist(version: str) -> Path:
    """The Django ``version`` sdist, downloaded once with pip."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    found = sorted(DOWNLOADS.glob(f"[Dd]jango-{version}.tar.gz"))
    if found:
        return found[0]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-binary",
            ":all:",
            "--no-deps",
            f"django=={version}",
            "-d",
            str(DOWNLOADS),
        ],
        check=True,
    )
    return sorted(DOWNLOADS.glob(f"[Dd]jango-{version}.tar.gz"))[0]


def extract(archive: Path, into: Path) -> Path:
    """Extract ``archive`` into ``into`` (emptied first); the top folder of the sdist."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    [top] = list(into.iterdir())
    return top


def tree_corpus() -> Path:
    """Django 5.0's extracted source tree."""
    target = WORK / "tree"
    if not (target / ".done").exists():
        extract(sdist(TREE_VERSION), target)
        (target / ".done").write_text("")
    return next(p for p in target.iterdir() if p.is_dir())


def history_corpus() -> Path:
    """The release-series git repository (``git log -p --all`` over it is the history baseline)."""
    repo = WORK / "history"
    if (repo / ".done").exists():
        return repo
    repo.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Django releases",
        "GIT_AUTHOR_EMAIL": "releases@example.test",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.test",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(*args: str, **extra: str) -> None:
        for attempt in range(5):  # a shared, loaded machine: an index.lock can linger for a moment
            done = subprocess.run(
                ["git", "-C", str(repo), *args], env={**env, **extra}, capture_output=True, text=True, check=False
            )
            if done.returncode == 0:
                return
            time.sleep(1 + attempt)
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")

    if not (repo / ".git").exists():
        git("init", "-q", "-b", "main")
        git("config", "gc.auto", "0")
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, text=True, check=False)
    done = set(log.stdout.splitlines()) if log.returncode == 0 else set()
    staging = WORK / "staging"
    for i, version in enumerate(HISTORY_VERSIONS):
        if f"Django {version}" in done:
            continue  # resumed: this release is already committed
        top = extract(sdist(version), staging)
        for entry in repo.iterdir():
            if entry.name not in (".git", ".done"):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for entry in top.iterdir():
            shutil.move(str(entry), repo / entry.name)
        when = f"{1617235200 + i * 86400 * 30} +0000"
        git("add", "-A")
        git("commit", "-q", "-m", f"Django {version}", GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    shutil.rmtree(staging, ignore_errors=True)
    (repo / ".git" / "info" / "exclude").write_text(".done\n.bastion/\n")
    (repo / ".done").write_text("")
    return repo


if __name__ == "__main__":
    print(tree_corpus())
    print(history_corpus())
