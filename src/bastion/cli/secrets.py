"""``bastion secrets``: scan a tree, the index or the whole git history for leaked credentials; baselines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.secrets_scan import DEFAULT_BASELINE, DEFAULT_MAX_FILE_BYTES, ScanRequest, scan_command

__all__ = ["DEFAULT_BASELINE", "DEFAULT_MAX_FILE_BYTES", "app"]

app = typer.Typer(
    help="Find leaked credentials in the working tree, staged changes or git history.", no_args_is_help=True
)

PathArgument = Annotated[Path, typer.Argument(help="Repository, folder or file to scan.")]
MaxBytesOption = Annotated[
    int, typer.Option("--max-file-bytes", min=0, help="Skip (and report) larger files; 0: no limit.")
]
AllowOption = Annotated[list[str], typer.Option("--allow-path", help="Gitignore-style glob of paths not scanned.")]
EnableOption = Annotated[list[str], typer.Option("--enable", help="Run only this detector (repeatable).")]
DisableOption = Annotated[list[str], typer.Option("--disable", help="Do not run this detector (repeatable).")]
EngineOption = Annotated[str, typer.Option("--engine", help="Prefilter: auto, hyperscan or python.")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core).")]


@app.command("scan")
def scan(
    path: PathArgument = Path(),
    history: Annotated[bool, typer.Option("--history", help="Every commit reachable from any ref.")] = False,
    staged: Annotated[bool, typer.Option("--staged", help="The changes staged for the next commit.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or sarif.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Accepted secrets (default: .bastion/secrets-baseline.json when present)."),
    ] = None,
    max_file_bytes: MaxBytesOption = DEFAULT_MAX_FILE_BYTES,
    allow_path: AllowOption = [],  # noqa: B006  (typer reads the default; it is never mutated)
    enable: EnableOption = [],  # noqa: B006
    disable: DisableOption = [],  # noqa: B006
    engine: EngineOption = "auto",
    jobs: JobsOption = 0,
) -> int:
    """Scan PATH; exit 1 when a secret is found, 0 when clean, 2 on bad input."""
    # The same body as the entry point's Typer-free path (bastion.cli.secrets_scan); keep the options above in
    # step with secrets_scan.parse_scan_args (tests/cli/test_secrets_cli.py compares the two).
    return scan_command(
        ScanRequest(
            path=path,
            history=history,
            staged=staged,
            fmt=fmt,
            output=output,
            baseline=baseline,
            max_file_bytes=max_file_bytes,
            allow_path=tuple(allow_path),
            enable=tuple(enable),
            disable=tuple(disable),
            engine=engine,
            jobs=jobs,
        )
    )


@app.command("baseline")
def baseline(
    path: PathArgument = Path(),
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = DEFAULT_BASELINE,
    max_file_bytes: MaxBytesOption = DEFAULT_MAX_FILE_BYTES,
    allow_path: AllowOption = [],  # noqa: B006
) -> int:
    """Accept every secret now in PATH: write their hashes and masked previews (never the secrets) to a file."""
    from bastion.scanners.secrets.baseline import write_baseline
    from bastion.scanners.secrets.outcome import ScanMode
    from bastion.scanners.secrets.scan import run_scan
    from bastion.scanners.secrets.settings import ScanSettings

    settings = ScanSettings(max_file_bytes=max_file_bytes, allow_paths=tuple(allow_path))
    outcome = run_scan(path, ScanMode.TREE, settings)
    count = write_baseline(output, outcome.hits)
    print(f"{output}: {count} accepted secret{'s' if count != 1 else ''} written; {outcome.summary()}", file=sys.stderr)
    return 0


@app.command("detectors")
def detectors(as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False) -> int:
    """List the built-in detectors: id, severity and what each finds."""
    import json

    from bastion.scanners.secrets.detectors import builtin_detectors

    found = builtin_detectors()
    if as_json:
        rows = [
            {"id": d.id, "severity": d.severity, "description": d.description, "keywords": list(d.keywords)}
            for d in found
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        width = max(len(d.id) for d in found)
        sys.stdout.write("".join(f"{d.id:<{width}}  {d.severity:<8}  {d.description}\n" for d in found))
    return 0
