"""The import benchmark: ``bastion import`` of a 100,000-finding SARIF log into an empty SQLite store, and again.

Targets (issue 7): the first import under 10 s, a re-import (nothing changes) under 5 s. A re-import of the very
report last imported is recognised by its SHA-256 and writes nothing; ``--force`` times the full path (parse,
dedup, lifecycle) that a re-exported report with the same findings but different bytes would take. Each command
is the real CLI in a child process, so interpreter start-up and opening the store count. Run:
``python bench/imports/bench.py [--count N] [--runs R] [--postgres URL]``; it prints a markdown table for
docs/benchmarks.md. With ``--postgres`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1/test``) the store is that
database instead, emptied before each first import (its ``public`` schema dropped and created again: use a
database you can lose).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from corpus import write_sarif
from harness import cached_bytecode, markdown_table, time_command


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to use, and empty, as the store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        sarif = write_sarif(work / "big.sarif", args.count)
        url = args.postgres or f"sqlite:///{work / 'store' / 'bastion.db'}"
        command = [
            sys.executable,
            "-m",
            "bastion",
            "import",
            str(sarif),
            "--format",
            "sarif",
            "--project",
            "big",
            "--db",
            url,
            "--repo",
            str(work),
        ]
        fresh = (
            [*_emptied(args.postgres), *command]
            if args.postgres
            else ["sh", "-c", f'rm -rf {work / "store"} && exec "$@"', "sh", *command]
        )
        # As after `pip install`: bytecode cached (written by a first, small import that is not timed).
        env = cached_bytecode(work / "pycache")
        small = [
            *command[:4],
            str(write_sarif(work / "small.sarif", 10)),
            *command[5:-4],
            "--db",
            f"sqlite:///{work}/w.db",
        ]
        time_command("warm the bytecode cache", small, runs=1, warmup=0, env=env, ok_codes=(0,))
        first = time_command(
            f"import {args.count:,} (empty store)", fresh, runs=args.runs, warmup=0, env=env, ok_codes=(0,)
        )
        again = time_command(
            f"re-import {args.count:,} (same report)", command, runs=args.runs, warmup=1, env=env, ok_codes=(0,)
        )
        forced = time_command(
            f"re-import {args.count:,} --force (full path)",
            [*command, "--force"],
            runs=args.runs,
            warmup=0,
            env=env,
            ok_codes=(0,),
        )
    targets = {first.label: 10.0, again.label: 5.0, forced.label: 5.0}
    rows = [
        {
            "command": t.label,
            "best (s)": f"{t.best:.2f}",
            "median (s)": f"{t.median:.2f}",
            "target (s)": f"< {targets[t.label]:.0f}",
            "peak RSS (MB)": f"{t.peak_rss_mb:.0f}",
            "exit codes": ",".join(map(str, sorted(set(t.exit_codes)))),
        }
        for t in (first, again, forced)
    ]
    print(markdown_table(rows))


def _emptied(url: str) -> list[str]:
    """A command prefix that empties the PostgreSQL database at ``url`` and then runs the rest of the line."""
    reset = (
        "import sys, sqlalchemy as sa; "
        "engine = sa.create_engine(sys.argv[1]); "
        "c = engine.connect(); c.exec_driver_sql('DROP SCHEMA public CASCADE'); "
        "c.exec_driver_sql('CREATE SCHEMA public'); c.commit(); c.close()"
    )
    return ["sh", "-c", f'"$1" -c "{reset}" "$2" && shift 2 && exec "$@"', "sh", sys.executable, url]


if __name__ == "__main__":
    main()
