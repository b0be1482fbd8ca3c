"""Writing advisories: ``StoredRecord`` (the importer's output) inserted or replaced in one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bastion.scanners.sca.errors import VulnStoreError
from bastion.scanners.sca.osv.advisory import Advisory
from bastion.scanners.sca.osv.codec import dump_events
from bastion.scanners.sca.osv.schema import BATCH
from bastion.scanners.sca.ranges import AffectedRange

__all__ = ["StoredRecord", "write_records"]


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


def write_records(
    db: sqlite3.Connection, path: Path, records: Iterable[StoredRecord], *, source: str, skipped: int = 0
) -> int:
    """Insert or replace ``records`` in one transaction and note the import; returns how many were written."""
    count = 0
    try:
        db.execute("PRAGMA synchronous = OFF")
        with db:
            batch: list[StoredRecord] = []
            for record in records:
                batch.append(record)
                if len(batch) >= BATCH:
                    count += _write_batch(db, batch, source)
                    batch = []
            count += _write_batch(db, batch, source)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", (now,))
            db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (source, now, count, skipped))
    except sqlite3.Error as err:
        raise VulnStoreError(f"{path}: cannot write the vulnerability store: {err}") from err
    finally:
        db.execute("PRAGMA synchronous = FULL")
    return count


def _write_batch(db: sqlite3.Connection, batch: Sequence[StoredRecord], source: str) -> int:
    if not batch:
        return 0
    ids = [(r.advisory.id,) for r in batch]
    db.executemany("DELETE FROM affected WHERE advisory_id = ?", ids)
    db.executemany("DELETE FROM aliases WHERE advisory_id = ?", ids)
    db.executemany(
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
    db.executemany(
        "INSERT OR IGNORE INTO aliases VALUES (?, ?)",
        [(r.advisory.id, alias) for r in batch for alias in r.advisory.aliases],
    )
    db.executemany(
        "INSERT INTO affected VALUES (?, ?, ?, ?, ?)",
        [
            (r.advisory.id, ecosystem, name, dump_events(ranges), json.dumps(list(ranges.versions)))
            for r in batch
            for ecosystem, name, ranges in r.affected
        ],
    )
    return len(batch)
