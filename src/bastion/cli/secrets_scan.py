"""The body of ``bastion secrets scan``, without Typer, and a plain parser of its arguments.

``bastion.cli.secrets`` declares the command's options for Typer and calls ``scan_command``. The entry point
(``bastion.cli.main``) first tries ``parse_scan_args``: for an ordinary command line it calls ``scan_command``
directly, which keeps Typer, click and pydantic (Typer's parameter coercion) out of the process; a scan of a
mid-sized tree takes less CPU time than those imports. The parser accepts exactly the options that Typer
declares, with the values Typer would give them, and returns ``None`` for anything else (``--help``, an unknown
or repeated flag with a value, a value that is not a plain non-negative integer, an empty value, ``--``): Typer
then parses the command line and reports the problem exactly as it always did.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.cli.argv import tokenize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bastion.scanners.secrets.settings import ScanSettings

__all__ = [
    "DEFAULT_BASELINE",
    "DEFAULT_MAX_FILE_BYTES",
    "ScanRequest",
    "parse_scan_args",
    "scan_command",
    "scan_settings",
]

DEFAULT_BASELINE = Path(".bastion/secrets-baseline.json")
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
"""Equal to ``bastion.scanners.secrets.settings.DEFAULT_MAX_FILE_BYTES`` (tested), not imported: start-up cost."""


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """The arguments of ``bastion secrets scan``, with the defaults its Typer declaration has."""

    path: Path = field(default_factory=Path)
    history: bool = False
    staged: bool = False
    fmt: str = "text"
    output: Path | None = None
    baseline: Path | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    allow_path: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    engine: str = "auto"
    jobs: int = 0


_FLAGS = {"--history": "history", "--staged": "staged"}
_VALUES = {
    "--format": "fmt",
    "-f": "fmt",
    "--output": "output",
    "-o": "output",
    "--baseline": "baseline",
    "--max-file-bytes": "max_file_bytes",
    "--engine": "engine",
    "--jobs": "jobs",
    "-j": "jobs",
}
_LISTS = {"--allow-path": "allow_path", "--enable": "enable", "--disable": "disable"}
_PATHS = frozenset({"output", "baseline"})
_COUNTS = frozenset({"max_file_bytes", "jobs"})
"""Integer options declared with ``min=0``: plain digits only, anything else is left to Typer."""


def parse_scan_args(args: Sequence[str]) -> ScanRequest | None:
    """The request for ``args`` (what follows ``secrets scan``), or ``None`` when Typer must parse them."""
    tokens = tokenize(args, flags=_FLAGS, values=_VALUES, lists=_LISTS)
    if tokens is None or len(tokens.arguments) > 1 or any(arg in ("", "-") for arg in tokens.arguments):
        return None  # an extra argument, an empty path or stdin: Typer's message
    path = tokens.arguments[0] if tokens.arguments else None
    lists = tokens.lists
    values: dict[str, object] = dict.fromkeys(tokens.flags, True)
    for key, value in tokens.values.items():
        if key in _COUNTS:
            if not (value.isascii() and value.isdigit()):
                return None
            values[key] = int(value)
        else:
            values[key] = Path(value) if key in _PATHS else value
    return ScanRequest(
        path=Path(path) if path is not None else Path(),
        history=bool(values.get("history", False)),
        staged=bool(values.get("staged", False)),
        fmt=str(values.get("fmt", "text")),
        output=_path_or_none(values.get("output")),
        baseline=_path_or_none(values.get("baseline")),
        max_file_bytes=_int(values.get("max_file_bytes"), DEFAULT_MAX_FILE_BYTES),
        allow_path=tuple(lists["allow_path"]),
        enable=tuple(lists["enable"]),
        disable=tuple(lists["disable"]),
        engine=str(values.get("engine", "auto")),
        jobs=_int(values.get("jobs"), 0),
    )


def _path_or_none(value: object) -> Path | None:
    return value if isinstance(value, Path) else None


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) else default


def scan_settings(
    path: Path,
    max_file_bytes: int,
    allow: Sequence[str],
    enable: Sequence[str],
    disable: Sequence[str],
    engine: str,
    jobs: int,
    baseline: Path | None,
) -> ScanSettings:
    """Settings from the command's options; ``UsageError`` for an unknown engine or a missing baseline."""
    from bastion.errors import UsageError
    from bastion.scanners.secrets.settings import ScanSettings

    if engine not in ("auto", "hyperscan", "python"):
        raise UsageError(f"--engine: unknown engine '{engine}'; choose one of auto, hyperscan, python")
    if baseline is None:
        default = (path if path.is_dir() else path.parent) / DEFAULT_BASELINE
        baseline = default if default.is_file() else None
    elif not baseline.is_file():
        raise UsageError(f"{baseline}: baseline file not found")
    return ScanSettings(
        max_file_bytes=max_file_bytes,
        allow_paths=tuple(allow),
        baseline=baseline,
        enable=tuple(enable),
        disable=tuple(disable),
        engine=engine,
        jobs=jobs or None,
    )


def scan_command(request: ScanRequest) -> int:
    """Scan ``request.path``; exit 1 when a secret is found, 0 when clean (``UsageError``: bad input)."""
    from bastion.errors import UsageError
    from bastion.scanners.secrets.detectors import builtin_detectors
    from bastion.scanners.secrets.outcome import ScanMode
    from bastion.scanners.secrets.render import OutputFormat, render
    from bastion.scanners.secrets.scan import run_scan

    if request.history and request.staged:
        raise UsageError("--history and --staged cannot be combined")
    try:
        output_format = OutputFormat(request.fmt.lower())
    except ValueError:
        raise UsageError(f"--format: unknown format '{request.fmt}'; choose one of text, json, sarif") from None
    mode = ScanMode.HISTORY if request.history else ScanMode.STAGED if request.staged else ScanMode.TREE
    settings = scan_settings(
        request.path,
        request.max_file_bytes,
        request.allow_path,
        request.enable,
        request.disable,
        request.engine,
        request.jobs,
        request.baseline,
    )
    outcome = run_scan(request.path, mode, settings)
    report = render(outcome, {d.id: d for d in builtin_detectors()}, output_format)
    if request.output is not None:
        try:
            request.output.write_text(report, "utf-8")
        except OSError as err:
            raise UsageError(f"{request.output}: cannot write report: {err.strerror or err}") from err
    elif report:
        sys.stdout.write(report)
    print(outcome.summary(), file=sys.stderr)
    return 1 if outcome.hits else 0
