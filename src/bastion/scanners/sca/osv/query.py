"""Reading advisories: the non-withdrawn ones affecting a batch of packages, from SQLite or a preloaded index."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from bastion.model import Severity
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.osv.advisory import Advisory, AffectedPackage
from bastion.scanners.sca.osv.codec import load_range, load_strings
from bastion.scanners.sca.osv.schema import BATCH
from bastion.scanners.sca.osv.severity import AdvisorySeverity
from bastion.scanners.sca.ranges import compile_range

__all__ = ["AffectedReader"]

_AFFECTED_QUERY = (
    "SELECT f.ecosystem, f.name, f.ranges, f.versions, a.id, a.modified, a.summary, a.score, a.severity, a.vector,"
    " a.cwes, a.help_uri, a.aliases FROM affected f JOIN advisories a ON a.id = f.advisory_id"
    " WHERE f.ecosystem = ? AND f.name IN ({marks}) AND a.withdrawn IS NULL"
)
_ALL_AFFECTED_QUERY = _AFFECTED_QUERY.split(" WHERE ")[0] + " WHERE a.withdrawn IS NULL"
_SEVERITIES: dict[str | None, Severity] = {s.value: s for s in Severity}


class AffectedReader:
    """Answers "which advisories affect these packages" for one open store, decoding each advisory once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._advisories: dict[str, Advisory] = {}
        self._preloaded: dict[tuple[str, str], list[AffectedPackage]] | None = None

    def preload(self, ecosystems: Iterable[str] | None = None) -> int:
        """Read every affected-package row (of ``ecosystems``, or all) into memory, compiled; returns how many."""
        wanted = None if ecosystems is None else set(ecosystems)
        rows = self._db.execute(_ALL_AFFECTED_QUERY).fetchall()
        loaded: dict[tuple[str, str], list[AffectedPackage]] = {}
        for row in rows:
            if wanted is None or row[0] in wanted:
                affected = self._affected_of(row)
                ecosystem = Ecosystem.of_osv(row[0])
                if ecosystem is not None:
                    compile_range(ecosystem, affected.ranges)
                loaded.setdefault((row[0], row[1]), []).append(affected)
        self._preloaded = loaded
        return len(rows)

    def affected(self, ecosystem: str, names: Sequence[str]) -> dict[str, list[AffectedPackage]]:
        """Non-withdrawn advisories affecting any of ``names`` (normalised) in ``ecosystem``, by name."""
        if self._preloaded is not None:
            hits = ((name, self._preloaded.get((ecosystem, name))) for name in names)
            return {name: found for name, found in hits if found}
        found: dict[str, list[AffectedPackage]] = {}
        for start in range(0, len(names), BATCH):
            chunk = list(names[start : start + BATCH])
            marks = ",".join("?" * len(chunk))
            query = _AFFECTED_QUERY.replace("{marks}", marks)  # only "?" placeholders are spliced in
            for row in self._db.execute(query, [ecosystem, *chunk]).fetchall():
                found.setdefault(row[1], []).append(self._affected_of(row))
        return found

    def _affected_of(self, row: tuple[Any, ...]) -> AffectedPackage:
        ecosystem, name, ranges, versions, advisory_id, modified, summary, score, severity, vector, cwes, uri, aka = row
        advisory = self._advisories.get(advisory_id)
        if advisory is None:
            advisory = Advisory(
                advisory_id,
                load_strings(aka),
                summary,
                AdvisorySeverity(_SEVERITIES.get(severity), score, vector),
                tuple(json.loads(cwes)) if cwes != "[]" else (),
                uri,
                modified,
            )
            self._advisories[advisory_id] = advisory
        return AffectedPackage(advisory, ecosystem, name, load_range(ranges, versions))
