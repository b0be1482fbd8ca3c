"""Dedup quality on the labelled shop set: import every report in ``reports.py``, then compare with ``labels.json``.

Every imported tool report is a source; dedup puts sources into findings. A pair of sources is a predicted
duplicate when they share a finding, a true duplicate when ``labels.json`` puts them in one group. Precision and
recall are over pairs. Run: ``python bench/dedup/bench.py`` (prints a markdown table for docs/benchmarks.md).
"""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))

from reports import REPORTS, SAMPLES

from bastion.importers import import_report
from bastion.store import open_store
from bastion.store.sources import FindingSourceRow


def _key(tool: str, rule: str, path: str | None, line: int | None, package: str | None) -> tuple[str, str, str]:
    where = package or (f"{path}:{line}" if line else path or "")
    return tool, rule, where


def main() -> None:
    labels = json.loads((Path(__file__).parent / "labels.json").read_text("utf-8"))
    truth = {tuple(member): index for index, group in enumerate(labels["groups"]) for member in group}
    with tempfile.TemporaryDirectory() as directory, open_store(f"sqlite:///{directory}/b.db", Path(directory)) as s:
        for fmt, name in REPORTS:
            import_report(s, (SAMPLES / name).read_bytes(), fmt, project="shop", source=name)
        columns = (
            FindingSourceRow.finding_id,
            FindingSourceRow.tool,
            FindingSourceRow.rule_id,
            FindingSourceRow.path,
            FindingSourceRow.start_line,
            FindingSourceRow.package,
        )
        rows = s.read(lambda session: session.execute(select(*columns)).all())
    sources = {_key(tool, rule, path, line, package): finding for finding, tool, rule, path, line, package in rows}
    missing = [m for m in truth if m not in sources]
    if missing:
        raise SystemExit(f"labelled sources not imported: {missing}")
    predicted = {frozenset(p) for p in combinations(sources, 2) if sources[p[0]] == sources[p[1]]}
    true = {frozenset(p) for p in combinations(truth, 2) if truth[p[0]] == truth[p[1]]}
    hits = len(predicted & true)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(true) if true else 1.0
    print("| reports | sources | findings after dedup | true duplicate pairs | predicted pairs | precision | recall |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {len(REPORTS)} | {len(sources)} | {len(set(sources.values()))} | {len(true)} | {len(predicted)} "
        f"| {precision:.3f} | {recall:.3f} |"
    )
    for pair in sorted(true - predicted, key=sorted):
        print(f"missed: {' ~ '.join(':'.join(member) for member in sorted(pair))}")
    for pair in sorted(predicted - true, key=sorted):
        print(f"wrongly merged: {' ~ '.join(':'.join(member) for member in sorted(pair))}")


if __name__ == "__main__":
    main()
