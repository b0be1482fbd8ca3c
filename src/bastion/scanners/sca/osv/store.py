"""The vulnerability store: OSV advisories in their own SQLite file, indexed by (ecosystem, package).

Standard-library ``sqlite3`` rather than SQLAlchemy: the store is a local cache with five tables, written in
bulk by ``db import``/``db sync`` and read by one indexed query per batch of packages, so an ORM or a migration
tool would add start-up time and nothing else. A schema change bumps ``SCHEMA_VERSION`` and asks for a re-import.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from bastion.model import Severity
from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.errors import VulnStoreError
from bastion.scanners.sca.osv.advisory import Advisory, AffectedPackage
from bastion.scanners.sca.osv.severity import AdvisorySeverity
from bastion.scanners.sca.ranges import AffectedRange, Event, EventKind, compile_range

__all__ = ["SCHEMA_VERSION", "StoreStatus", "StoredRecord", "VulnStore", "default_store_path"]

SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS advisories (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT, withdrawn TEXT, summary TEXT NOT NULL,
    score REAL, severity TEXT, vector TEXT, cwes TEXT NOT NULL, help_uri TEXT NOT NULL, source TEXT NOT NULL,
    aliases TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (advisory_id TEXT NOT NULL, alias TEXT NOT NULL, PRIMARY KEY (advisory_id, alias));
CREATE INDEX IF NOT EXISTS aliases_alias ON aliases (alias);
CREATE TABLE IF NOT EXISTS affected (
    advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, ranges TEXT NOT NULL,
    versions TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected (advisory_id);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, imported_at TEXT NOT NULL, records INTEGER NOT NULL, skipped INTEGER NOT NULL);
"""
_BATCH = 500
_AFFECTED_QUERY = (
    "SELECT f.ecosystem, f.name, f.ranges, f.versions, a.id, a.modified, a.summary, a.score, a.severity, a.vector,"
    " a.cwes, a.help_uri, a.aliases FROM affected f JOIN advisories a ON a.id = f.advisory_id"
    " WHERE f.ecosystem = ? AND f.name IN ({marks}) AND a.withdrawn IS NULL"
)
_ALL_AFFECTED_QUERY = _AFFECTED_QUERY.split(" WHERE ")[0] + " WHERE a.withdrawn IS NULL"
_SEVERITIES: dict[str | None, Severity] = {s.value: s for s in Severity}
_KINDS = {k.value: k for k in EventKind}


def default_store_path(environ: Mapping[str, str]) -> Path:
    """``$BASTION_OSV_DB``, else ``$XDG_CACHE_HOME/bastion/osv.db``, else ``~/.cache/bastion/osv.db``."""
    if environ.get("BASTION_OSV_DB"):
        return Path(environ["BASTION_OSV_DB"]).expanduser()
    cache = Path(environ["XDG_CACHE_HOME"]) if environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return cache / "bastion" / "osv.db"


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One advisory normalised for storage: the importer's output, the store's input."""

    advisory: Advisory
    """The advisory itself."""
    published: str | None
    """When it was published."""
    withdrawn: str | None
    """When it was withdrawn, if it was; withdrawn advisories are kept but never matched."""
    affected: tuple[tuple[str, str, AffectedRange], ...]
    """(OSV ecosystem, normalised name, ranges) per affected package."""


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """What ``db status`` shows."""

    path: Path
    """The store file."""
    advisories: int
    """Advisories stored (withdrawn ones included)."""
    withdrawn: int
    """Of which withdrawn."""
    by_ecosystem: dict[str, int]
    """Affected-package entries per base ecosystem."""
    updated_at: datetime | None
    """When data was last imported or synced."""
    newest_modified: str | None
    """The newest ``modified`` date among the advisories: how fresh the data itself is."""

    def age_days(self, now: datetime) -> float | None:
        """Days since the last import or sync."""
        return None if self.updated_at is None else (now - self.updated_at).total_seconds() / 86400


class VulnStore:
    """An open vulnerability store."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        if not create and not path.is_file():
            raise VulnStoreError(f"{path}: no vulnerability store; run `bastion db sync` or `bastion db import`")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.path = path
            self._advisories: dict[str, Advisory] = {}
            self._preloaded: dict[tuple[str, str], list[AffectedPackage]] | None = None
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(_SCHEMA)
            found = self._meta("schema_version")
            if found is None:
                self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                self._db.commit()
            elif found != SCHEMA_VERSION:
                raise VulnStoreError(
                    f"{path}: store schema {found}, expected {SCHEMA_VERSION}; delete it and re-import"
                )
        except (sqlite3.Error, OSError) as err:
            raise VulnStoreError(f"{path}: cannot open the vulnerability store: {err}") from err

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def is_empty(self) -> bool:
        """True when no advisory is stored."""
        return self._db.execute("SELECT 1 FROM advisories LIMIT 1").fetchone() is None

    def write(self, records: Iterable[StoredRecord], *, source: str, skipped: int = 0) -> int:
        """Insert or replace ``records`` in one transaction; returns how many were written."""
        count = 0
        db = self._db
        try:
            db.execute("PRAGMA synchronous = OFF")
            with db:
                batch: list[StoredRecord] = []
                for record in records:
                    batch.append(record)
                    if len(batch) >= _BATCH:
                        count += self._write_batch(batch, source)
                        batch = []
                count += self._write_batch(batch, source)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", (now,))
                db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (source, now, count, skipped))
        except sqlite3.Error as err:
            raise VulnStoreError(f"{self.path}: cannot write the vulnerability store: {err}") from err
        finally:
            db.execute("PRAGMA synchronous = FULL")
        return count

    def _write_batch(self, batch: Sequence[StoredRecord], source: str) -> int:
        if not batch:
            return 0
        ids = [(r.advisory.id,) for r in batch]
        self._db.executemany("DELETE FROM affected WHERE advisory_id = ?", ids)
        self._db.executemany("DELETE FROM aliases WHERE advisory_id = ?", ids)
        self._db.executemany(
            "INSERT OR REPLACE INTO advisories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.advisory.id,
                    r.advisory.modified,
                    r.published,
                    r.withdrawn,
                    r.advisory.summary,
                    r.advisory.severity.score,
                    r.advisory.severity.severity.value if r.advisory.severity.severity else None,
                    r.advisory.severity.vector,
                    json.dumps(list(r.advisory.cwes)),
                    r.advisory.help_uri,
                    source,
                    json.dumps(list(r.advisory.aliases)),
                )
                for r in batch
            ],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO aliases VALUES (?, ?)",
            [(r.advisory.id, alias) for r in batch for alias in r.advisory.aliases],
        )
        self._db.executemany(
            "INSERT INTO affected VALUES (?, ?, ?, ?, ?)",
            [
                (r.advisory.id, ecosystem, name, _dump_events(ranges), json.dumps(list(ranges.versions)))
                for r in batch
                for ecosystem, name, ranges in r.affected
            ],
        )
        return len(batch)

    def preload(self, ecosystems: Iterable[str] | None = None) -> int:
        """Read every affected-package row (of ``ecosystems``, or all) into memory, compiled; returns how many.

        A long-running process (server, worker, benchmark) pays the decoding once; ``affected`` then answers
        from memory without touching SQLite.
        """
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
        for start in range(0, len(names), _BATCH):
            chunk = list(names[start : start + _BATCH])
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
                _strings(aka),
                summary,
                AdvisorySeverity(_SEVERITIES.get(severity), score, vector),
                tuple(json.loads(cwes)) if cwes != "[]" else (),
                uri,
                modified,
            )
            self._advisories[advisory_id] = advisory
        return AffectedPackage(advisory, ecosystem, name, _range(ranges, versions))

    def status(self) -> StoreStatus:
        """Counts and ages for ``db status`` and the staleness warning."""
        total, withdrawn, newest = self._db.execute(
            "SELECT COUNT(*), COUNT(withdrawn), MAX(modified) FROM advisories"
        ).fetchone()
        by_ecosystem: dict[str, int] = {}
        for ecosystem, count in self._db.execute("SELECT ecosystem, COUNT(*) FROM affected GROUP BY ecosystem"):
            base = str(ecosystem).split(":", 1)[0]
            by_ecosystem[base] = by_ecosystem.get(base, 0) + int(count)
        updated = self._meta("updated_at")
        return StoreStatus(
            self.path,
            int(total),
            int(withdrawn),
            dict(sorted(by_ecosystem.items())),
            datetime.fromisoformat(updated) if updated else None,
            newest,
        )


def _dump_events(ranges: AffectedRange) -> str:
    return json.dumps([[[e.kind.value, e.version] for e in events] for events in ranges.events])


@lru_cache(maxsize=1 << 16)
def _range(ranges: str, versions: str) -> AffectedRange:
    """Decoded once per distinct text: many advisories share ranges, and parsed events are cached by value."""
    return AffectedRange(_load_events(ranges), _strings(versions))


def _strings(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text != "[]" else ()


def _load_events(text: str) -> tuple[tuple[Event, ...], ...]:
    return tuple(tuple(Event(_KINDS[kind], version) for kind, version in events) for events in json.loads(text))
