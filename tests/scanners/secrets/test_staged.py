"""Staged scans read only what the next commit would add, with new-file line numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.outcome import ScanMode
from bastion.scanners.secrets.scan import run_scan
from bastion.scanners.secrets.settings import ScanSettings
from tests.scanners.secrets.conftest import Repo, example_line


def test_staged_secret_is_found_at_its_line_and_unstaged_ones_are_not(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("app.py", "a = 1\nb = 2\nc = 3\n")
    repo.commit("base")
    repo.write("app.py", "a = 1\nb = 2\n" + example_line("gitlab-pat") + "\nc = 3\n")
    repo.git("add", "app.py")
    repo.write("unstaged.py", example_line("slack-bot-token") + "\n")
    outcome = run_scan(repo.root, ScanMode.STAGED, ScanSettings())
    assert [(h.detector_id, h.path, h.line) for h in outcome.hits] == [("gitlab-pat", "app.py", 3)]
    assert outcome.files_scanned == 1


def test_staged_scan_before_the_first_commit_and_of_a_clean_index(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("dir with space/key.pem", "x\n" + example_line("private-key-ec") + "\n")
    repo.git("add", "-A")
    [hit] = run_scan(repo.root, ScanMode.STAGED, ScanSettings()).hits
    assert (hit.detector_id, hit.path, hit.line) == ("private-key-ec", "dir with space/key.pem", 2)
    repo.commit("first")
    assert run_scan(repo.root, ScanMode.STAGED, ScanSettings()).hits == ()


def test_removed_lines_are_not_findings(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("app.py", example_line("gitlab-pat") + "\n")
    repo.commit("leak")
    repo.write("app.py", "fixed = True\n")
    repo.git("add", "app.py")
    assert run_scan(repo.root, ScanMode.STAGED, ScanSettings()).hits == ()


def test_staged_outside_a_git_repository_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SecretsError, match="not a git repository"):
        run_scan(tmp_path, ScanMode.STAGED, ScanSettings())
