"""Times whole commands side by side: several runs each, min and median wall time, peak memory, ratios.

Used by every benchmark in ``bench/``: a benchmark builds its corpus, lists the commands (ours and the peers')
and calls ``compare``, which prints a table and returns the rows for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import os
import resource
import shlex
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Timing", "cached_bytecode", "compare", "markdown_table", "time_command"]


def cached_bytecode(pycache: Path) -> dict[str, str]:
    """Environment for Python commands to run from cached bytecode, as after ``pip install``.

    This machine sets ``PYTHONDONTWRITEBYTECODE``, so an editable install (and any module pip did not compile)
    would be compiled again on every run; the cache goes to ``pycache`` instead of the source tree.
    """
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(pycache)}


@dataclass(frozen=True)
class Timing:
    """Wall times of several runs of one command and the peak memory of the largest run."""

    label: str
    runs: tuple[float, ...]
    peak_rss_mb: float
    exit_codes: tuple[int, ...]

    @property
    def best(self) -> float:
        """The fastest run, seconds."""
        return min(self.runs)

    @property
    def median(self) -> float:
        """The median run, seconds."""
        return statistics.median(self.runs)


def time_command(
    label: str,
    command: Sequence[str],
    *,
    runs: int = 5,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    warmup: int = 1,
    ok_codes: Sequence[int] = (0, 1),
) -> Timing:
    """Run ``command`` ``warmup + runs`` times; record wall times and peak RSS of the child processes."""
    full_env = {**os.environ, **(env or {})}
    times: list[float] = []
    codes: list[int] = []
    peak = 0.0
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(list(command), cwd=cwd, env=full_env, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode not in ok_codes:
            raise RuntimeError(
                f"{label}: {shlex.join(command)} exited {done.returncode}: {done.stderr.decode()[-800:]}"
            )
        peak = max(peak, after / 1024, before / 1024 if i == 0 else 0)
        if i >= warmup:
            times.append(elapsed)
            codes.append(done.returncode)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: a lower bound shared across commands timed in
    # one process, so benchmarks that compare memory time each tool in its own harness process.
    return Timing(label, tuple(times), peak, tuple(codes))


def compare(timings: Sequence[Timing], *, baseline: str) -> list[dict[str, str]]:
    """Rows with min/median and the ratio of each command's median to ``baseline``'s; printed as well."""
    base = next(t for t in timings if t.label == baseline)
    rows = []
    for t in timings:
        rows.append(
            {
                "command": t.label,
                "runs": str(len(t.runs)),
                "min s": f"{t.best:.3f}",
                "median s": f"{t.median:.3f}",
                f"median / {baseline}": f"{t.median / base.median:.2f}x",
                "peak RSS MB": f"{t.peak_rss_mb:.0f}",
            }
        )
    print(markdown_table(rows))
    return rows


def markdown_table(rows: Sequence[Mapping[str, str]]) -> str:
    """A GitHub-flavoured Markdown table of ``rows`` (keys of the first row are the header)."""
    if not rows:
        return ""
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row[h] for h in header) + " |" for row in rows]
    return "\n".join(lines)
