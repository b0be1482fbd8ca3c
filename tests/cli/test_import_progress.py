"""``bastion import`` shows its phase on a terminal (stderr), clears it before printing, and is silent when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.cli_process import bastion

REPORT = Path(__file__).resolve().parents[1] / "assets" / "imports" / "sarif" / "semgrep.shop.sarif"


def _with_terminal_stderr(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``bastion ARGS`` with stderr on a pseudo-terminal; exit code, stdout and what the terminal received."""
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "bastion", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal
    ) as child:
        os.close(terminal)
        received = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        assert child.stdout is not None
        out = child.stdout.read().decode()
        code = child.wait(timeout=120)
    os.close(controller)
    return code, out, received.decode()


def test_an_import_on_a_terminal_shows_its_phases_then_clears_them(tmp_path: Path) -> None:
    args = ("import", str(REPORT), "--format", "sarif", "--project", "shop", "--db", f"sqlite:///{tmp_path}/s.db")
    code, out, terminal = _with_terminal_stderr(*args, cwd=tmp_path)
    assert code == 0, terminal
    assert f"\r\x1b[K{REPORT}: parsing..." in terminal
    assert f"\r\x1b[K{REPORT}: recording 5 findings..." in terminal
    assert terminal.endswith("\r\x1b[K")  # cleared: the summary goes to stdout on a clean screen
    assert out.startswith(f"{REPORT}: 5 finding(s) from sarif into shop@main")


def test_an_error_on_a_terminal_starts_on_a_clean_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sarif"
    broken.write_text('{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}')
    args = ("import", str(broken), "--format", "sarif", "--db", f"sqlite:///{tmp_path}/s.db")
    code, out, terminal = _with_terminal_stderr(*args, cwd=tmp_path)
    assert code == 2 and out == ""
    assert f"\r\x1b[Kerror: {broken}: $.runs[0].tool.driver.name: required property is missing" in terminal


def test_a_piped_import_prints_no_progress(tmp_path: Path) -> None:
    done = bastion("import", str(REPORT), "--format", "sarif", "--db", f"sqlite:///{tmp_path}/s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
