"""Builds the import benchmark's SARIF log: ``count`` results over many files and rules, like a big SAST run."""

from __future__ import annotations

import json
import random
from pathlib import Path

__all__ = ["write_sarif"]

_RULES = 40
_FILES = 2_500


def write_sarif(path: Path, count: int = 100_000, seed: int = 7) -> Path:
    """Write a SARIF 2.1.0 log with ``count`` results (deterministic for a seed) and return its path."""
    rng = random.Random(seed)
    rules = [
        {
            "id": f"BENCH{n:03d}",
            "shortDescription": {"text": f"Benchmark rule {n}"},
            "defaultConfiguration": {"level": rng.choice(["error", "warning", "note"])},
            "properties": {"tags": [f"external/cwe/cwe-{rng.choice([22, 78, 79, 89, 327, 502, 798])}"]},
        }
        for n in range(_RULES)
    ]
    results = []
    for n in range(count):
        rule = n % _RULES
        results.append(
            {
                "ruleId": f"BENCH{rule:03d}",
                "ruleIndex": rule,
                "message": {"text": f"problem {n} found here"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f"src/pkg{n % 50}/module{n % _FILES}.py"},
                            "region": {"startLine": 1 + (n // _FILES) * 3, "startColumn": 5},
                        }
                    }
                ],
            }
        )
    log = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "benchscan", "rules": rules}}, "results": results}],
    }
    path.write_text(json.dumps(log), "utf-8")
    return path
