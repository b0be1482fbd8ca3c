"""Nothing leaks from the tool: a repository full of known secrets, scanned every way, never shows one in full.

Checked: stdout and stderr of every command, every report format, the baseline, the history state database,
and the findings store written by ``bastion run``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bastion.scanners.secrets.detectors import builtin_detectors
from tests.scanners.secrets.conftest import GIT_ENV, Repo


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        timeout=300,
        check=False,
    )


def known_secrets() -> tuple[str, list[bytes]]:
    lines, secrets = [], []
    for detector in builtin_detectors():
        example = detector.true_examples[0]
        match = detector.pattern.search(example.encode())
        assert match is not None
        lines.append(example)
        secrets.append(match.group(detector.secret_group))
    return "\n".join(lines) + "\n", secrets


def test_no_secret_appears_in_outputs_reports_state_or_store(make_repo: Callable[[str], Repo]) -> None:
    text, secrets = known_secrets()
    repo = make_repo("leaky")
    repo.write("bastion.yml", "version: 1\nproject: leaky\nstages:\n  code:\n    - uses: secrets\n")
    repo.write("config/settings.py", text)
    repo.commit("add everything")
    repo.write("staged.py", text)
    repo.git("add", "staged.py")

    outputs: list[bytes] = []
    for args in (
        ["secrets", "scan", "."],
        ["secrets", "scan", ".", "-f", "json"],
        ["secrets", "scan", ".", "-f", "sarif", "-o", "report.sarif"],
        ["secrets", "scan", ".", "--history", "-f", "json"],
        ["secrets", "scan", ".", "--history"],
        ["secrets", "scan", ".", "--staged", "-f", "sarif"],
        ["hook", "run"],
        ["secrets", "baseline", ".", "-o", ".bastion/secrets-baseline.json"],
        ["--debug", "run", ".", "--format", "json"],
    ):
        done = bastion(*args, cwd=repo.root)
        assert done.returncode in (0, 1), (args, done.stderr[-500:])
        outputs += [done.stdout, done.stderr]
    report = outputs[2]
    assert report.count(b'"detector"') >= len(secrets) - 5  # the scan did see (nearly) every one of them

    files = [
        repo.root / "report.sarif",
        repo.root / ".bastion" / "secrets-baseline.json",
        *sorted((repo.root / ".bastion").glob("*.db*")),
    ]
    assert any(f.name == "secrets-history.db" for f in files) and len(files) >= 4
    blobs = outputs + [f.read_bytes() for f in files]
    leaked = [s[:12] + b"..." for s in secrets for blob in blobs if s in blob]
    assert leaked == []
