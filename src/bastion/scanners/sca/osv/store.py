"""The vulnerability store: OSV advisories in their own SQLite file, indexed by (ecosystem, package).

Standard-library ``sqlite3`` rather than SQLAlchemy: the store is a local cache with five tables, written in
bulk by ``db import``/``db sync`` and read by one indexed query per batch of packages, so an ORM or a migration
tool would add start-up time and nothing else. A schema change bumps ``SCHEMA_VERSION`` and asks for a re-import.

``VulnStore`` is the one handle callers hold; the parts live beside it: ``schema`` (the file, its tables,
opening it), ``writer`` (``StoredRecord`` and writing), ``query`` (which advisories affect which packages),
``status`` (counts and ages) and ``codec`` (the JSON text columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bastion.scanners.sca.osv.advisory import AffectedPackage
from bastion.scanners.sca.osv.codec import load_range
from bastion.scanners.sca.osv.query import AffectedReader
from bastion.scanners.sca.osv.schema import SCHEMA_VERSION, default_store_path, open_database
from bastion.scanners.sca.osv.status import StoreStatus, is_empty, read_status
from bastion.scanners.sca.osv.writer import StoredRecord, write_records

__all__ = ["SCHEMA_VERSION", "StoreStatus", "StoredRecord", "VulnStore", "default_store_path"]

_range = load_range  # the range decoder, whose cache the SCA benchmark clears between runs


class VulnStore:
    """An open vulnerability store."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        self._db = open_database(path, create=create)
        self._reader = AffectedReader(self._db)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def is_empty(self) -> bool:
        """True when no advisory is stored."""
        return is_empty(self._db)

    def write(self, records: Iterable[StoredRecord], *, source: str, skipped: int = 0) -> int:
        """Insert or replace ``records`` in one transaction; returns how many were written."""
        return write_records(self._db, self.path, records, source=source, skipped=skipped)

    def preload(self, ecosystems: Iterable[str] | None = None) -> int:
        """Read every affected-package row (of ``ecosystems``, or all) into memory, compiled; returns how many.

        A long-running process (server, worker, benchmark) pays the decoding once; ``affected`` then answers
        from memory without touching SQLite.
        """
        return self._reader.preload(ecosystems)

    def affected(self, ecosystem: str, names: Sequence[str]) -> dict[str, list[AffectedPackage]]:
        """Non-withdrawn advisories affecting any of ``names`` (normalised) in ``ecosystem``, by name."""
        return self._reader.affected(ecosystem, names)

    def status(self) -> StoreStatus:
        """Counts and ages for ``db status`` and the staleness warning."""
        return read_status(self._db, self.path)
