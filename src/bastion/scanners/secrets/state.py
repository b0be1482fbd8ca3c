"""The history state: which commits a history scan has read and which secrets it found, kept between runs.

Stored in ``<repo>/.bastion/secrets-history.db`` (stdlib ``sqlite3``) until the main store grows a table for it.
It holds commit ids, ref tips, and for each secret its detector, SHA-256, masked preview and where it was
introduced, never the secret. A change to the detector catalogue invalidates it, so new detectors see old commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from bastion.scanners.secrets.errors import SecretsError
from bastion.scanners.secrets.hit import SecretHit

__all__ = ["HistoryState", "state_path"]

_SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
create table if not exists tips (sha text primary key);
create table if not exists commits (sha text primary key);
create table if not exists secrets (
    detector text not null, sha256 text not null, preview text not null, path text not null,
    line integer not null, col integer not null, commit_sha text not null, author text, date text,
    timestamp integer not null, primary key (detector, sha256)
);
"""


def state_path(root: Path) -> Path:
    """Where the history state of the repository at ``root`` lives."""
    return root / ".bastion" / "secrets-history.db"


def _ignore(path: Path) -> None:
    """Keep the state out of commits: a ``.gitignore`` beside it names it (created or appended to)."""
    ignore = path.parent / ".gitignore"
    lines = ignore.read_text("utf-8").splitlines() if ignore.is_file() else []
    if path.name not in lines:
        ignore.write_text("".join(f"{line}\n" for line in [*lines, path.name]), "utf-8")


class HistoryState:
    """An open history state; use as a context manager so writes are committed together."""

    def __init__(self, path: Path, catalogue_digest: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _ignore(path)
            self._db = sqlite3.connect(path)
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise SecretsError(f"{path}: cannot open the secrets history state: {err}") from err
        row = self._db.execute("select value from meta where key = 'catalogue'").fetchone()
        if row is None or row[0] != catalogue_digest:
            self._db.executescript("delete from tips; delete from commits; delete from secrets;")
            self._db.execute("insert or replace into meta values ('catalogue', ?)", (catalogue_digest,))

    def __enter__(self) -> HistoryState:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._db.commit()
        self._db.close()

    def tips(self) -> list[str]:
        """Ref tips reached by the previous scan."""
        return [sha for (sha,) in self._db.execute("select sha from tips")]

    def known_commits(self) -> set[str]:
        """Every commit already read."""
        return {sha for (sha,) in self._db.execute("select sha from commits")}

    def commit_count(self) -> int:
        """How many commits have been read so far."""
        return int(self._db.execute("select count(*) from commits").fetchone()[0])

    def record(self, commits: Iterable[str], tips: Iterable[str], hits: Iterable[tuple[int, SecretHit]]) -> None:
        """Remember newly read commits, the current tips, and secrets (an earlier introduction wins)."""
        self._db.executemany("insert or ignore into commits values (?)", ((c,) for c in commits))
        self._db.execute("delete from tips")
        self._db.executemany("insert or ignore into tips values (?)", ((t,) for t in tips))
        for timestamp, hit in hits:
            row = self._db.execute(
                "select timestamp from secrets where detector = ? and sha256 = ?", (hit.detector_id, hit.sha256)
            ).fetchone()
            if row is not None and row[0] <= timestamp:
                continue
            self._db.execute(
                "insert or replace into secrets values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    hit.detector_id,
                    hit.sha256,
                    hit.preview,
                    hit.path,
                    hit.line,
                    hit.column,
                    hit.commit,
                    hit.author,
                    hit.date,
                    timestamp,
                ),
            )

    def secrets(self) -> list[SecretHit]:
        """Every secret found in the history so far, by introducing commit time."""
        rows = self._db.execute(
            "select detector, path, line, col, sha256, preview, commit_sha, author, date from secrets "
            "order by timestamp, path, line"
        )
        return [SecretHit(d, p, n, c, s, v, commit, author, date) for d, p, n, c, s, v, commit, author, date in rows]
