"""The workspace walk: .gitignore honoured, binary and over-size files skipped and counted, symlinks contained."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bastion.engine import select_files, walk_workspace
from bastion.errors import UsageError


def _tree(root: Path) -> None:
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("print('hi')\n")
    (root / "build").mkdir()
    (root / "build" / "out.py").write_text("generated\n")
    (root / "notes.log").write_text("log\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    (root / "big.txt").write_text("x" * 2048)
    (root / ".gitignore").write_text("build/\n*.log\n")
    (root / "src" / ".gitignore").write_text("secret_local.py\n")
    (root / "src" / "secret_local.py").write_text("x = 1\n")


@pytest.mark.parametrize("use_git", [True, False], ids=["git-checkout", "plain-directory"])
def test_walk_honours_gitignore_and_counts_skips(tmp_path: Path, use_git: bool) -> None:
    _tree(tmp_path)
    if use_git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    workspace = walk_workspace(tmp_path, max_file_bytes=1024)
    assert workspace.files == (".gitignore", "src/.gitignore", "src/app.py")
    assert workspace.skipped_binary == 1
    assert workspace.skipped_oversize == 1


def test_walk_reports_commit_and_branch_of_a_checkout(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    (tmp_path / "a.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q", "-b", "trunk", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "one"], check=True, env=env)
    workspace = walk_workspace(tmp_path)
    assert workspace.branch == "trunk"
    assert workspace.commit is not None and len(workspace.commit) == 40


def test_symlink_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwords.txt").write_text("nope\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1\n")
    (repo / "leak.txt").symlink_to(outside / "passwords.txt")
    (repo / "loop").symlink_to(repo)
    assert walk_workspace(repo).files == ("a.py",)


def test_missing_target_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        walk_workspace(tmp_path / "nope")


def test_select_files_applies_include_then_exclude() -> None:
    files = ["src/a.py", "src/tests/test_a.py", "docs/x.md"]
    assert select_files(files, ["src/**"], ["**/tests/**"]) == ["src/a.py"]
    assert select_files(files) == files
