"""Runs a ``run:`` control: a command whose report an importer turns into findings.

Commands run without a shell (wrap one in ``sh -c '…'`` when you need pipes). ``{output}`` in the command is
replaced by a fresh temporary file that is read as the report; otherwise ``output:`` names the file, else the
command's standard output is the report. Tools commonly exit non-zero when they find something, so the exit
code alone does not fail the control: a missing or invalid report does.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from bastion.config import Control
from bastion.errors import ScannerError
from bastion.model import Finding
from bastion.scanners import load_importer

__all__ = ["ControlTimeout", "run_command_control"]


class ControlTimeout(ScannerError):
    """The control did not finish within its timeout."""


def run_command_control(control: Control, root: Path) -> list[Finding]:
    """Run the control's command in ``root`` and import its report with the control's ``format``."""
    assert control.run is not None and control.format is not None
    importer = load_importer(control.format)
    with tempfile.TemporaryDirectory(prefix="bastion-") as scratch:
        temp_report = Path(scratch) / "report"
        try:
            argv = [part.replace("{output}", str(temp_report)) for part in shlex.split(control.run)]
        except ValueError as err:
            raise ScannerError(f"run: cannot parse command {control.run!r}: {err}") from None
        if not argv:
            raise ScannerError("run: the command is empty")
        report_path = temp_report if "{output}" in control.run else _output_path(control, root)
        if report_path is not None and report_path.exists() and report_path != temp_report:
            report_path.unlink()  # never read a stale report as this run's
        executable = _resolve(argv[0], root)
        try:
            done = subprocess.run(
                [executable, *argv[1:]],
                cwd=root,
                capture_output=True,
                timeout=control.timeout_s,
                env={**os.environ, **dict(control.env)},
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ControlTimeout(f"timed out after {control.timeout_s:g}s: {control.run}") from None
        except OSError as err:
            raise ScannerError(f"cannot run {argv[0]}: {err.strerror}") from None
        data = _report(report_path, done.stdout)
        if not data.strip():
            stderr = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = f": {stderr[-1]}" if stderr else ""
            raise ScannerError(f"{argv[0]} exited {done.returncode} and wrote no report{detail}")
        source = (
            str(report_path.relative_to(root))
            if report_path and report_path.is_relative_to(root)
            else (f"{control.id} report" if report_path else f"{argv[0]} stdout")
        )
        return list(importer.parse(data, source=source, control=control.id))


def _output_path(control: Control, root: Path) -> Path | None:
    return None if control.output is None else (root / control.output)


def _resolve(program: str, root: Path) -> str:
    if "/" in program:
        candidate = (root / program) if not Path(program).is_absolute() else Path(program)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        raise ScannerError(f"command not found: {program}")
    found = shutil.which(program)
    if found is None:
        raise ScannerError(f"command not found: {program} (is it installed and on PATH?)")
    return found


def _report(path: Path | None, stdout: bytes) -> bytes:
    if path is None:
        return stdout
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as err:
        raise ScannerError(f"{path}: cannot read the report: {err.strerror}") from None
