"""Precision, recall and F1 of bastion and its peers on the labelled set (``labelled/generate.py``).

A finding is a (file, line) pair. It is a true positive when it falls inside a labelled secret's line range
(each secret counts once, however many findings land on it) and a false positive otherwise. Every tool runs
with its default rules and configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

PEERS = Path(os.environ.get("PEERS", "/tmp/peers"))
Finding = tuple[str, int]


def _run(cmd: list[str], cwd: Path) -> str:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False).stdout


def bastion(root: Path) -> set[Finding]:
    out = _run([sys.executable, "-m", "bastion", "secrets", "scan", ".", "-f", "json"], root)
    return {(f["path"], f["line"]) for f in json.loads(out)["findings"]}


def gitleaks(root: Path) -> set[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        _run(
            [
                str(PEERS / "gitleaks/bin/gitleaks"),
                "dir",
                ".",
                "--no-banner",
                "--report-format",
                "json",
                "--report-path",
                str(report),
                "--exit-code",
                "0",
                "-l",
                "error",
            ],
            root,
        )
        return {(f["File"].removeprefix("./"), f["StartLine"]) for f in json.loads(report.read_text())}


def trivy(root: Path) -> set[Finding]:
    out = _run(
        [str(PEERS / "trivy/bin/trivy"), "fs", "--scanners", "secret", "--offline-scan", "-q", "--format", "json", "."],
        root,
    )
    return {(r["Target"], s["StartLine"]) for r in json.loads(out).get("Results", []) for s in r.get("Secrets", [])}


def detect_secrets(root: Path) -> set[Finding]:
    out = _run([str(PEERS / "detect-secrets/bin/detect-secrets"), "scan", "--all-files", "."], root)
    return {(path, f["line_number"]) for path, found in json.loads(out)["results"].items() for f in found}


def trufflehog3(root: Path) -> set[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        _run(
            [str(PEERS / "trufflehog3/bin/trufflehog3"), "--no-history", "-z", "-f", "JSON", "-o", str(report), "."],
            root,
        )
        return {(f["path"], int(f["line"])) for f in json.loads(report.read_text())}


TOOLS: dict[str, Callable[[Path], set[Finding]]] = {
    "bastion": bastion,
    "gitleaks 8.30": gitleaks,
    "trivy 0.76": trivy,
    "trufflehog3 3.0": trufflehog3,
    "detect-secrets 1.5": detect_secrets,
}


def score(root: Path, found: set[Finding]) -> dict[str, float | int]:
    """Precision, recall, F1 and counts of ``found`` against ``root/manifest.json``."""
    labels = json.loads((root / "manifest.json").read_text())["labels"]
    secrets = [x for x in labels if x["label"] == "secret"]
    hit: set[int] = set()
    false_positives: set[Finding] = set()
    for path, line in found:
        owner = next(
            (i for i, s in enumerate(secrets) if s["file"] == path and s["line"] <= line <= s["end_line"]), None
        )
        if owner is None:
            false_positives.add((path, line))
        else:
            hit.add(owner)
    tp, fp, fn = len(hit), len(false_positives), len(secrets) - len(hit)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def main(root: Path) -> list[dict[str, str]]:
    rows = []
    for name, tool in TOOLS.items():
        s = score(root, tool(root))
        rows.append(
            {
                "tool": name,
                "TP": str(s["tp"]),
                "FP": str(s["fp"]),
                "FN": str(s["fn"]),
                "precision": f"{s['precision']:.2f}",
                "recall": f"{s['recall']:.2f}",
                "F1": f"{s['f1']:.2f}",
            }
        )
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from harness import markdown_table

    default = Path(__file__).resolve().parent.parent / ".work" / "secrets" / "labelled"
    print(markdown_table(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)))
