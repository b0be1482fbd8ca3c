"""The findings store: runs, controls and findings with their lifecycle, in SQLite or PostgreSQL.

``open_store`` connects and migrates; ``Store.record_run`` tracks each finding against the previous run of the
same project and branch (new, existing, reopened, fixed). Alembic is imported only when a store is opened.
"""

from __future__ import annotations

from bastion.store.history import FindingHistory, HistoryEntry
from bastion.store.inventory import OPEN_STATES
from bastion.store.store import Store, open_store
from bastion.store.summary import RunSummary

__all__ = ["OPEN_STATES", "FindingHistory", "HistoryEntry", "RunSummary", "Store", "open_store"]
