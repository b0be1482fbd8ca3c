"""Imports on PostgreSQL: room on each page of findings and sources for updates that rewrite no index (HOT).

Every import marks every finding and source it observes as seen (``last_seen_at``, ``last_import_id``): a
100,000-finding re-import updates 200,000 rows. With full pages PostgreSQL writes each new row version to
another page and adds an entry to every index of the table; with pages half full it keeps the version on its
page and touches no index (a heap-only tuple), and pruning frees the old versions for the next import. Measured
on the import benchmark: those two ``UPDATE``s 5.4 s to 1.3 s. The tables take up to twice the disk space. Rows
written before this migration move to half-full pages the first time an import updates them. SQLite has no
such setting and is left as it is.

Revision ID: 0003_import_hot_updates
Revises: 0002_imports
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_import_hot_updates"
down_revision: str | None = "0002_imports"
branch_labels: str | Sequence[str] | None = None  # on the ``imports`` branch
depends_on: str | Sequence[str] | None = None

_TABLES = ("findings", "finding_sources")
_FILLFACTOR = 50
"""Percent of a page filled by inserts: half, so that a whole import's new versions fit beside the old ones."""


def upgrade() -> None:
    """Set the fill factor of ``findings`` and ``finding_sources`` on PostgreSQL."""
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = {_FILLFACTOR})")


def downgrade() -> None:
    """Back to PostgreSQL's default fill factor."""
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
