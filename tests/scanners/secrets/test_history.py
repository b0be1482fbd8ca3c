"""History scans on real repositories: introducing commit, author, presence in HEAD, incremental re-scans."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.outcome import ScanMode
from bastion.scanners.secrets.scan import run_scan
from bastion.scanners.secrets.settings import ScanSettings
from tests.scanners.secrets.conftest import Repo, example_line


def test_secret_added_in_commit_2_and_removed_in_commit_4_is_reported_once(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("app.py", "import os\n")
    repo.commit("one")
    repo.write("app.py", "import os\n\n" + example_line("stripe-secret-key") + "\n")
    second = repo.commit("two: add the key")
    repo.write("other.py", "x = 1\n")
    repo.commit("three")
    repo.write("app.py", "import os\n")
    repo.commit("four: remove the key")
    repo.write("keep.py", example_line("slack-bot-token") + "\n")
    fifth = repo.commit("five: a key that stays")

    outcome = run_scan(repo.root, ScanMode.HISTORY, ScanSettings())
    assert outcome.commits_scanned == 5
    by_id = {h.detector_id: h for h in outcome.hits}
    assert sorted(by_id) == ["slack-bot-token", "stripe-secret-key"]
    stripe = by_id["stripe-secret-key"]
    assert (stripe.commit, stripe.path, stripe.line, stripe.in_head) == (second, "app.py", 3, False)
    assert stripe.author == "Ada Dev" and stripe.date is not None and stripe.date.startswith("2024-01-02")
    assert (by_id["slack-bot-token"].commit, by_id["slack-bot-token"].in_head) == (fifth, True)


def test_second_scan_reads_only_new_commits_on_any_ref(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    for i in range(3):
        repo.write(f"f{i}.py", f"x = {i}\n")
        repo.commit(f"c{i}")
    first = run_scan(repo.root, ScanMode.HISTORY, ScanSettings())
    assert (first.commits_scanned, first.hits) == (3, ())

    again = run_scan(repo.root, ScanMode.HISTORY, ScanSettings())
    assert (again.commits_scanned, again.commits_total) == (0, 3)

    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.py", example_line("gitlab-pat") + "\n")
    leak = repo.commit("feature leak")
    repo.git("checkout", "-q", "main")
    third = run_scan(repo.root, ScanMode.HISTORY, ScanSettings())
    assert (third.commits_scanned, third.commits_total) == (1, 4)
    [hit] = third.hits
    assert (hit.commit, hit.in_head) == (leak, False)

    fourth = run_scan(repo.root, ScanMode.HISTORY, ScanSettings())
    assert fourth.commits_scanned == 0 and [h.commit for h in fourth.hits] == [leak]


def test_same_secret_committed_twice_keeps_the_first_introduction(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("a.py", example_line("gitlab-pat") + "\n")
    first = repo.commit("one")
    repo.write("b.py", "\n\n" + example_line("gitlab-pat") + "\n")
    repo.commit("two")
    [hit] = run_scan(repo.root, ScanMode.HISTORY, ScanSettings()).hits
    assert (hit.commit, hit.path, hit.in_head) == (first, "a.py", True)


def test_parallel_history_matches_serial_history(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    for i in range(70):
        repo.write(f"m{i % 5}.py", f"v = {i}\n" + (example_line("gitlab-pat") + "\n" if i == 40 else ""))
        repo.commit(f"c{i}")
    serial = run_scan(repo.root, ScanMode.HISTORY, ScanSettings(jobs=1))
    (repo.root / ".bastion" / "secrets-history.db").unlink()
    parallel = run_scan(repo.root, ScanMode.HISTORY, ScanSettings(jobs=2))
    assert serial.hits == parallel.hits and len(serial.hits) == 1
    assert parallel.commits_scanned == 70


def test_history_outside_a_git_repository_is_one_line_error(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(SecretsError) as caught:
        run_scan(Path(str(tmp_path)), ScanMode.HISTORY, ScanSettings())
    assert "not a git repository" in str(caught.value) and "\n" not in str(caught.value)
