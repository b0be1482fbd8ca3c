"""Foundation benchmark: start-up of ``bastion --help`` and ``bastion run`` on the shipped example.

``bastion run`` is timed beside bandit alone on the same files, so the ratio is the cost of the pipeline
(config, workspace walk, store, lifecycle, gate, report) over the scanner it wraps. Run:

    python bench/foundation.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import compare, time_command

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    """Time the commands and print Markdown tables for docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    bastion = str(BIN / "bastion")
    startup = [
        time_command("python -c pass", [sys.executable, "-c", "pass"], runs=args.runs),
        time_command("bastion --help", [bastion, "--help"], runs=args.runs),
        time_command("bastion --version", [bastion, "--version"], runs=args.runs),
    ]
    print("\n### Start-up\n")
    compare(startup, baseline="python -c pass")
    with tempfile.TemporaryDirectory() as scratch:
        shop = Path(scratch) / "shop"
        shutil.copytree(REPO / "examples" / "shop", shop, ignore=shutil.ignore_patterns(".bastion"))
        sast_only = shop / "sast-only.yml"
        sast_only.write_text("version: 1\nproject: shop\nstages:\n  code:\n    - uses: sast\n")
        runs = [
            time_command(
                "bandit -r shop (scanner alone)", [str(BIN / "bandit"), "-q", "-r", str(shop)], runs=args.runs
            ),
            time_command(
                "bastion run shop (sast only)", [bastion, "run", str(shop), "-q", "-c", str(sast_only)], runs=args.runs
            ),
            time_command("bastion run shop (shipped pipeline)", [bastion, "run", str(shop), "-q"], runs=args.runs),
        ]
    print("\n### `bastion run` on examples/shop\n")
    compare(runs, baseline="bandit -r shop (scanner alone)")


if __name__ == "__main__":
    main()
