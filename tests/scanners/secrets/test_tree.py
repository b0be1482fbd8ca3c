"""Tree scans and their bad inputs: unreadable entries, symlink loops and escapes, huge files, binaries."""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from pathlib import Path

from bastion.scanners.secrets.detectors import builtin_detectors
from bastion.scanners.secrets.matcher import Matcher
from bastion.scanners.secrets.outcome import ScanMode
from bastion.scanners.secrets.scan import run_scan
from bastion.scanners.secrets.settings import ScanSettings
from bastion.scanners.secrets.tree import CHUNK_BYTES, scan_files
from tests.scanners.secrets.conftest import Repo, example_line

MATCHER = Matcher(builtin_detectors())


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("import os\n" + example_line("gitlab-pat") + "\n")
    (root / "src" / "clean.py").write_text("print('hello')\n")
    return root


def test_tree_scan_reports_secret_with_path_and_line(tmp_path: Path) -> None:
    outcome = run_scan(tree(tmp_path), ScanMode.TREE, ScanSettings())
    assert [(h.detector_id, h.path, h.line) for h in outcome.hits] == [("gitlab-pat", "src/app.py", 2)]
    assert outcome.files_scanned == 2 and not outcome.partial


def test_gitignored_and_allowed_paths_are_not_scanned(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build" / "out.py").write_text(example_line("npm-access-token") + "\n")
    (root / "tests").mkdir()
    (root / "tests" / "fixture.py").write_text(example_line("npm-access-token") + "\n")
    outcome = run_scan(root, ScanMode.TREE, ScanSettings(allow_paths=("tests/",)))
    assert [h.path for h in outcome.hits] == ["src/app.py"]


def test_dangling_symlink_is_counted_and_the_scan_goes_on(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "gone.py").symlink_to(root / "missing.py")
    outcome = run_scan(root, ScanMode.TREE, ScanSettings())
    assert outcome.unlisted_unreadable == 1 and outcome.partial
    assert "1 unreadable entries" in outcome.summary()
    assert [h.detector_id for h in outcome.hits] == ["gitlab-pat"]


def test_fifo_is_not_read_and_unreadable_file_is_reported_by_name(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.mkfifo(root / "pipe")
    scan = scan_files(root, ["src/app.py", "vanished.py"], MATCHER)
    assert [s.path for s in scan.skipped] == ["vanished.py"] and "unreadable" in scan.skipped[0].reason
    assert run_scan(root, ScanMode.TREE, ScanSettings()).files_scanned == 2


def test_symlink_loop_and_symlink_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    root = tree(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.py").write_text(example_line("slack-bot-token") + "\n")
    (root / "escape").symlink_to(outside)
    (root / "escape.py").symlink_to(outside / "leak.py")
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    outcome = run_scan(root, ScanMode.TREE, ScanSettings())
    assert [h.detector_id for h in outcome.hits] == ["gitlab-pat"]


def test_a_200_mb_single_line_file_is_skipped_and_reported_by_default(tmp_path: Path) -> None:
    root = tree(tmp_path)
    with (root / "huge.min.js").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB of one line, instantly
    outcome = run_scan(root, ScanMode.TREE, ScanSettings())
    assert [s.path for s in outcome.skipped] == ["huge.min.js"] and outcome.partial
    assert "over the size limit" in outcome.skipped[0].reason


def test_unlimited_size_scans_a_big_single_line_file_in_bounded_chunks(tmp_path: Path) -> None:
    root = tmp_path / "big"
    root.mkdir()
    secret = example_line("sendgrid-api-key").encode()
    size = 3 * CHUNK_BYTES + 123
    with (root / "one-line.txt").open("wb") as handle:
        handle.write(b"ab;" * (size // 3 + 1))
        handle.truncate(size)
        handle.seek(1000)
        handle.write(b" " + secret + b" ")
        handle.seek(CHUNK_BYTES - 40)
        handle.write(b" " + secret + b" ")  # straddles the first chunk boundary
        handle.seek(size - len(secret) - 2)
        handle.write(b" " + secret + b"\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scan = scan_files(root, ["one-line.txt"], MATCHER, max_file_bytes=0, jobs=1)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [(h.detector_id, h.line) for h in scan.hits] == [("sendgrid-api-key", 1)] * 3
    assert scan.bytes_scanned >= size and grown_mb < 4 * CHUNK_BYTES / 2**20


def test_binary_files_are_skipped_and_counted(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "blob.bin").write_bytes(b"\0\1\2" + example_line("gitlab-pat").encode())
    outcome = run_scan(root, ScanMode.TREE, ScanSettings())
    assert outcome.binary_files == 1 and [h.path for h in outcome.hits] == ["src/app.py"]


def test_parallel_scan_finds_the_same_as_a_serial_scan(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    filler = ("x = 1\n" * 20000).encode()
    files = []
    for i in range(120):
        name = f"f{i:03d}.py"
        (root / name).write_bytes(filler + (example_line("gitlab-pat").encode() + b"\n" if i % 7 == 0 else b""))
        files.append(name)
    serial = scan_files(root, files, MATCHER, jobs=1)
    parallel = scan_files(root, files, MATCHER, jobs=2)
    assert sorted(serial.hits, key=lambda h: h.path) == sorted(parallel.hits, key=lambda h: h.path)
    assert len(serial.hits) == 18


def test_in_a_git_work_tree_unreadable_links_are_reported_by_name(make_repo: Callable[[str], Repo]) -> None:
    repo = make_repo("repo")
    repo.write("app.py", example_line("gitlab-pat") + "\n")
    (repo.root / "dangling.py").symlink_to(repo.root / "missing.py")
    (repo.root / "loop-a").symlink_to(repo.root / "loop-b")
    (repo.root / "loop-b").symlink_to(repo.root / "loop-a")
    (repo.root / "outside.py").symlink_to("/etc/hostname")
    outcome = run_scan(repo.root, ScanMode.TREE, ScanSettings())
    assert sorted(s.path for s in outcome.skipped) == ["dangling.py", "loop-a", "loop-b"]
    assert [h.path for h in outcome.hits] == ["app.py"] and outcome.partial


def test_reads_continue_after_a_short_read_until_the_end() -> None:
    """``_read`` asks again when ``os.read`` returns less than asked (a pipe here; network file systems can)."""
    import threading
    import time

    from bastion.scanners.secrets.tree import _read

    reader, writer = os.pipe()

    def write() -> None:
        os.write(writer, b"a" * 10)
        time.sleep(0.05)
        os.write(writer, b"b" * 20)
        time.sleep(0.05)
        os.close(writer)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert _read(reader, 100, 100) == b"a" * 10 + b"b" * 20
    finally:
        thread.join()
        os.close(reader)


def test_files_around_the_sniff_size_are_scanned_whole(tmp_path: Path) -> None:
    line = (example_line("gitlab-pat") + "\n").encode()
    for size in (8191, 8192, 8193, 3 * 8192):
        root = tmp_path / str(size)
        root.mkdir()
        (root / "f.txt").write_bytes(b"#" * (size - len(line) - 1) + b"\n" + line)
        scan = scan_files(root, ["f.txt"], MATCHER, jobs=1)
        assert (scan.bytes_scanned, [h.line for h in scan.hits]) == (size, [2]), size
