"""Secrets benchmark: bastion against gitleaks, Trivy, trufflehog3 and detect-secrets on the same corpora.

Tree: Django 5.0's sdist (MB/s). History: the Django release-series repository (commits/s, MB of patch/s), with
``git log -p --all`` itself as the baseline, then bastion's incremental re-scan. Staged: a 10-file change in a
copy of the tree, through the pre-commit entry point. Quality: precision/recall/F1 on the labelled set.
Each timed command runs in its own harness process so that peak RSS is that command's own.

Usage: ``python bench/secrets/bench.py [--runs N] [--skip-slow]`` after ``python bench/secrets/corpus.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import quality  # noqa: E402
from harness import Timing, cached_bytecode, markdown_table, time_command  # noqa: E402

PEERS = quality.PEERS
BASTION = [sys.executable, "-m", "bastion"]
REPORT = str(corpus.WORK / "report.json")  # never /dev/null: a tool that renames onto it replaces the device


def timed(label: str, cmd: list[str], cwd: Path, runs: int, warmup: int = 1) -> Timing:
    """Time ``cmd`` in a fresh harness process (so ``peak_rss_mb`` is this command's)."""
    return timed_with_cpu(label, cmd, cwd, runs, warmup)[0]


def timed_with_cpu(label: str, cmd: list[str], cwd: Path, runs: int, warmup: int = 1) -> tuple[Timing, float]:
    """``timed``, plus the mean CPU time (user + system, the command and its children) of one run, in seconds:
    on a shared machine CPU time moves far less with the load than wall time does."""
    spec = json.dumps({"label": label, "cmd": cmd, "cwd": str(cwd), "runs": runs, "warmup": warmup})
    done = subprocess.run([sys.executable, __file__, "--one", spec], capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    return Timing(data["label"], tuple(data["runs"]), data["peak"], tuple(data["codes"])), data["cpu"]


# As installed from a wheel: Python code (bastion's and the Python peers') runs from cached bytecode.
BYTECODE = cached_bytecode(corpus.WORK / "pycache")


def _one(spec: str) -> None:
    s = json.loads(spec)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time_command(s["label"], s["cmd"], runs=s["runs"], cwd=Path(s["cwd"]), warmup=s["warmup"], env=BYTECODE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / (s["runs"] + s["warmup"])
    print(json.dumps({"label": t.label, "runs": t.runs, "peak": t.peak_rss_mb, "codes": t.exit_codes, "cpu": cpu}))


def size_of(root: Path) -> int:
    """Bytes of regular files under ``root``, outside ``.git``."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)


def tree_bench(runs: int, skip_slow: bool) -> list[dict[str, str]]:
    tree = corpus.tree_corpus()
    subprocess.run(["git", "init", "-q", str(tree)], check=True)  # its own repository: bench/.work is ignored
    mb = size_of(tree) / 1e6
    commands = [
        ("bastion secrets scan", [*BASTION, "secrets", "scan", ".", "-f", "json", "-o", REPORT], runs),
        (
            "bastion secrets scan --jobs 1",
            [*BASTION, "secrets", "scan", ".", "--jobs", "1", "-f", "json", "-o", REPORT],
            runs,
        ),
        (
            "bastion (pure-Python prefilter)",
            [*BASTION, "secrets", "scan", ".", "--engine", "python", "-o", REPORT],
            max(1, runs // 2),
        ),
        (
            "trivy fs --scanners secret",
            [
                str(PEERS / "trivy/bin/trivy"),
                "fs",
                "--scanners",
                "secret",
                "--offline-scan",
                "-q",
                "-f",
                "json",
                "-o",
                REPORT,
                ".",
            ],
            runs,
        ),
        (
            "gitleaks dir",
            [str(PEERS / "gitleaks/bin/gitleaks"), "dir", ".", "--no-banner", "-l", "error", "--report-path", REPORT],
            runs,
        ),
        (
            "trufflehog3 --no-history",
            [str(PEERS / "trufflehog3/bin/trufflehog3"), "--no-history", "-z", "-o", REPORT, "."],
            1,
        ),
        (
            "detect-secrets scan --all-files",
            [str(PEERS / "detect-secrets/bin/detect-secrets"), "scan", "--all-files", "."],
            1,
        ),
    ]
    counts = {
        "bastion secrets scan": "bastion",
        "trivy fs --scanners secret": "trivy 0.76",
        "gitleaks dir": "gitleaks 8.30",
        "trufflehog3 --no-history": "trufflehog3 3.0",
        "detect-secrets scan --all-files": "detect-secrets 1.5",
    }
    rows = []
    for label, cmd, n in commands:
        if skip_slow and n == 1:
            continue
        t, cpu = timed_with_cpu(label, cmd, tree, n, warmup=1 if n > 1 else 0)
        found = len(quality.TOOLS[counts[label]](tree)) if label in counts else None
        rows.append(
            {
                "command": label,
                "runs": str(len(t.runs)),
                "min s": f"{t.best:.2f}",
                "median s": f"{t.median:.2f}",
                "MB/s": f"{mb / t.median:.1f}",
                "CPU s": f"{cpu:.2f}",
                "peak RSS MB": f"{t.peak_rss_mb:.0f}",
                "findings": "-" if found is None else str(found),
            }
        )
    print(f"tree: {tree} ({mb:.1f} MB)")
    return rows


def history_bench(runs: int) -> list[dict[str, str]]:
    repo = corpus.history_corpus()
    commits = int(
        subprocess.run(
            ["git", "-C", str(repo), "rev-list", "--all", "--count"], capture_output=True, text=True, check=True
        ).stdout
    )
    patch = subprocess.run(["git", "-C", str(repo), "log", "-p", "--all"], capture_output=True, check=True).stdout
    mb = len(patch) / 1e6
    state = repo / ".bastion" / "secrets-history.db"
    fresh = f"rm -f '{state}' && exec {' '.join(BASTION)} secrets scan --history . -o {REPORT}"
    commands = [
        ("git log -p --all", ["git", "log", "-p", "--all"], runs),
        ("bastion --history (full)", ["sh", "-c", fresh], runs),
        (
            "bastion --history (incremental, no new commit)",
            [*BASTION, "secrets", "scan", "--history", ".", "-o", REPORT],
            runs,
        ),
        (
            "gitleaks git",
            [str(PEERS / "gitleaks/bin/gitleaks"), "git", ".", "--no-banner", "-l", "error", "--report-path", REPORT],
            runs,
        ),
        ("trufflehog3 (history)", [str(PEERS / "trufflehog3/bin/trufflehog3"), "-z", "-o", REPORT, "."], 1),
    ]
    rows = []
    for label, cmd, n in commands:
        t = timed(label, cmd, repo, n, warmup=1 if n > 1 else 0)
        rows.append(
            {
                "command": label,
                "runs": str(len(t.runs)),
                "median s": f"{t.median:.2f}",
                "commits/s": f"{commits / t.median:.1f}",
                "patch MB/s": f"{mb / t.median:.1f}",
                "peak RSS MB": f"{t.peak_rss_mb:.0f}",
            }
        )
    base = float(rows[0]["median s"])
    for row in rows:
        row["vs git log -p"] = f"{float(row['median s']) / base:.2f}"
    print(f"history: {repo} ({commits} commits, {mb:.0f} MB of patches)")
    return rows


def staged_bench(runs: int) -> list[dict[str, str]]:
    tree = corpus.tree_corpus()
    repo = corpus.WORK / "staged"
    if not (repo / ".git").exists():
        shutil.copytree(tree / "django", repo / "django")
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "b",
            "GIT_AUTHOR_EMAIL": "b@x",
            "GIT_COMMITTER_NAME": "b",
            "GIT_COMMITTER_EMAIL": "b@x",
        }
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(repo), "commit", "-qm", "base"], check=True, env=env)
        for path in sorted((repo / "django" / "db").rglob("*.py"))[:10]:
            path.write_text(path.read_text() + "\n# changed\nTIMEOUT = 30\n")
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    commands = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("hook entry (python -m bastion.cli.hook)", [sys.executable, "-m", "bastion.cli.hook"]),
        ("bastion secrets scan --staged", [*BASTION, "secrets", "scan", "--staged", "."]),
        (
            "gitleaks git --staged",
            [
                str(PEERS / "gitleaks/bin/gitleaks"),
                "git",
                "--pre-commit",
                "--staged",
                "--no-banner",
                "-l",
                "error",
                ".",
            ],
        ),
    ]
    rows = []
    for label, cmd in commands:
        t = timed(label, cmd, repo, runs * 3)
        rows.append(
            {
                "command": label,
                "runs": str(len(t.runs)),
                "min ms": f"{t.best * 1000:.0f}",
                "median ms": f"{t.median * 1000:.0f}",
                "peak RSS MB": f"{t.peak_rss_mb:.0f}",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-slow", action="store_true", help="skip single-run slow peers")
    parser.add_argument("--only", choices=["tree", "history", "staged", "quality"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one)
        return
    print(f"load average before: {os.getloadavg()}")
    sections = {
        "tree": lambda: tree_bench(args.runs, args.skip_slow),
        "history": lambda: history_bench(args.runs),
        "staged": lambda: staged_bench(args.runs),
        "quality": lambda: quality.main(corpus.WORK / "labelled"),
    }
    for name, run in sections.items():
        if args.only and name != args.only:
            continue
        print(f"\n### {name}\n\n{markdown_table(run())}\n", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
