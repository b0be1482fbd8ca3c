"""Fixtures for the secrets tests: real git repositories in tmp_path, and fake secrets from detector examples."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.scanners.secrets.detectors import builtin_detectors

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Dev",
    "GIT_AUTHOR_EMAIL": "ada@example.test",
    "GIT_COMMITTER_NAME": "Ada Dev",
    "GIT_COMMITTER_EMAIL": "ada@example.test",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def example_line(detector_id: str) -> str:
    """The first true example of a detector: a line holding one fake secret of that kind."""
    return next(d for d in builtin_detectors() if d.id == detector_id).true_examples[0]


def secret_in(detector_id: str) -> str:
    """The secret inside the detector's first true example."""
    detector = next(d for d in builtin_detectors() if d.id == detector_id)
    match = detector.pattern.search(detector.true_examples[0].encode())
    assert match is not None
    return match.group(detector.secret_group).decode()


class Repo:
    """A real git repository for tests: write files, stage, commit with controlled dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.commits = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        when = f"{1704110400 + self.commits * 86400} +0000"  # 2024-01-01T12:00Z, one day per commit
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, env=env, check=True)
        return done.stdout

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        self.commits += 1
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[str], Repo]:
    """A factory: ``make_repo("name")`` is a fresh git repository under tmp_path."""

    def make(name: str = "repo") -> Repo:
        root = tmp_path / name
        root.mkdir()
        return Repo(root)

    return make
