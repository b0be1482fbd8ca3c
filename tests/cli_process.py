"""The real CLI in a child process, as the CLI tests run it: ``python -m bastion ARGS`` with text output."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def bastion(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``bastion ARGS`` in a child process (``env`` added to this process's environment); never raises on a
    non-zero exit: the tests assert the exit code."""
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
