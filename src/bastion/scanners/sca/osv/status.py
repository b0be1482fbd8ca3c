"""What the store holds: counts and ages for ``db status`` and the staleness warning."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bastion.scanners.sca.osv.schema import read_meta

__all__ = ["StoreStatus", "is_empty", "read_status"]


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


def is_empty(db: sqlite3.Connection) -> bool:
    """True when no advisory is stored."""
    return db.execute("SELECT 1 FROM advisories LIMIT 1").fetchone() is None


def read_status(db: sqlite3.Connection, path: Path) -> StoreStatus:
    """Counts per table and ecosystem, and when the data was last imported."""
    total, withdrawn, newest = db.execute("SELECT COUNT(*), COUNT(withdrawn), MAX(modified) FROM advisories").fetchone()
    by_ecosystem: dict[str, int] = {}
    for ecosystem, count in db.execute("SELECT ecosystem, COUNT(*) FROM affected GROUP BY ecosystem"):
        base = str(ecosystem).split(":", 1)[0]
        by_ecosystem[base] = by_ecosystem.get(base, 0) + int(count)
    updated = read_meta(db, "updated_at")
    return StoreStatus(
        path,
        int(total),
        int(withdrawn),
        dict(sorted(by_ecosystem.items())),
        datetime.fromisoformat(updated) if updated else None,
        newest,
    )
