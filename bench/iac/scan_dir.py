"""Scan a directory with bastion's iac scanner and print the findings as JSON lines (path, line, rule)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bastion.scanners.iac import IacOptions, IacScanner
from bastion.scanners.protocol import ScanTarget


def main(root: Path) -> None:
    """Print one JSON object per finding."""
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    target = ScanTarget(root=root, files=files, control="iac")
    for finding in IacScanner().scan(target, IacOptions()):
        print(json.dumps({"path": finding.location.path, "line": finding.location.start_line, "rule": finding.rule_id}))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
