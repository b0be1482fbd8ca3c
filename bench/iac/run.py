"""IaC benchmark: bastion's iac scanner beside checkov and Trivy's config scanner.

Usage: python bench/iac/run.py --tf DIR [--runs N] [--checkov PATH] [--trivy PATH]

Wall time on the same directory (all three offline), then resource-level recall and precision on the shop
corpus (tests/assets/iac/shop), whose misconfigured resources are labelled below: a tool "finds" a labelled
resource when it reports anything inside the resource's lines, so check ids need no mapping between tools.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from harness import compare, markdown_table, time_command

SHOP = Path(__file__).parents[2] / "tests" / "assets" / "iac" / "shop"

# (file, first line, last line, what is wrong): the shop's misconfigured resources.
LABELLED = [
    ("terraform/main.tf", 18, 44, "security group: SSH from 0.0.0.0/0"),
    ("terraform/main.tf", 59, 65, "RDS: storage not encrypted, publicly accessible"),
    ("terraform/modules/bucket/main.tf", 7, 10, "S3 bucket: public-read ACL (through the module call)"),
    ("k8s/web.yaml", 1, 30, "Deployment: secret in a plain env value"),
    ("k8s/web.yaml", 31, 49, "DaemonSet: privileged, hostNetwork, hostPath, unpinned image"),
    ("Dockerfile", 6, 11, "final stage: root, curl | sh, secret in ENV"),
    (".github/workflows/ci.yml", 1, 18, "pull_request_target checkout of PR head, title injected into run"),
]
# Resources that are configured well: anything reported inside them is noise.
CLEAN = [
    ("terraform/main.tf", 46, 57, "EC2 instances: IMDSv2, encrypted root volume"),
    ("terraform/modules/bucket/main.tf", 12, 41, "S3 public access block, versioning, encryption, logging"),
]


def _bastion(root: Path) -> list[tuple[str, int]]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("scan_dir.py")), str(root)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(f["path"], f["line"]) for f in map(json.loads, out.splitlines())]


def _checkov(root: Path, checkov: str) -> list[tuple[str, int]]:
    done = subprocess.run(
        [checkov, "-d", str(root), "-o", "json", "--quiet", "--skip-download"],
        capture_output=True,
        text=True,
        check=False,
    )
    reports = json.loads(done.stdout or "[]")
    hits = []
    for report in reports if isinstance(reports, list) else [reports]:
        for check in report.get("results", {}).get("failed_checks", []):
            path = check["file_path"].lstrip("/")
            hits.append((path, check["file_line_range"][0]))
    return hits


def _trivy(root: Path, trivy: str) -> list[tuple[str, int]]:
    done = subprocess.run(
        [trivy, "config", "--skip-check-update", "--skip-version-check", "-q", "-f", "json", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    hits = []
    for result in json.loads(done.stdout).get("Results", []):
        for miscon in result.get("Misconfigurations") or []:
            cause = miscon.get("CauseMetadata", {})
            line = cause.get("StartLine") or 1
            for occurrence in cause.get("Occurrences") or []:
                line = occurrence.get("Location", {}).get("StartLine", line)  # the resource in its own file
            hits.append((result["Target"], line))
    return hits


def quality(hits: list[tuple[str, int]]) -> dict[str, str]:
    """Resource-level recall on LABELLED and the share of flagged resources that are labelled."""

    def flagged(ranges: list[tuple[str, int, int, str]]) -> int:
        return sum(any(p == path and lo <= line <= hi for p, line in hits) for path, lo, hi, _ in ranges)

    found, noise = flagged(LABELLED), flagged(CLEAN)
    return {"recall": f"{found}/{len(LABELLED)}", "precision": f"{found}/{found + noise}"}


def main() -> None:
    """Time the three tools, then score them on the shop corpus."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov", default="/tmp/peers/checkov/bin/checkov")
    parser.add_argument("--trivy", default="/tmp/peers/trivy/bin/trivy")
    args = parser.parse_args()
    timings = [
        time_command(
            "bastion iac", [sys.executable, str(Path(__file__).with_name("scan_dir.py")), str(args.tf)], runs=args.runs
        ),
        time_command(
            "trivy config",
            [args.trivy, "config", "--skip-check-update", "--skip-version-check", "-q", str(args.tf)],
            runs=args.runs,
        ),
        time_command(
            "checkov",
            [args.checkov, "-d", str(args.tf), "--framework", "terraform", "--quiet", "--skip-download", "-o", "json"],
            runs=args.runs,
            ok_codes=(0, 1),
        ),
    ]
    print(markdown_table(compare(timings, baseline="bastion iac")))
    rows = [
        {"tool": name, **quality(hits)}
        for name, hits in (
            ("bastion iac", _bastion(SHOP)),
            ("trivy config", _trivy(SHOP, args.trivy)),
            ("checkov", _checkov(SHOP, args.checkov)),
        )
    ]
    print(markdown_table(rows))


if __name__ == "__main__":
    main()
