"""Migration ``0003_import_hot_updates``: on PostgreSQL, findings and sources keep half of each page free, so that an
import's updates stay on their page (heap-only tuples) and rewrite no index.

A database built up to ``0002_imports`` (as before the migration) gets the setting when the store opens it, and
a re-import then updates every finding and source without adding a single index entry: PostgreSQL's statistics
count the updates and how many were heap-only.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from bastion.importers import import_report
from bastion.store import open_store
from tests.store.migrate import engine_at

_TABLES = ("findings", "finding_sources")


def _sarif(count: int) -> bytes:
    results = ",".join(
        f'{{"ruleId": "R{n % 7}", "message": {{"text": "problem {n}"}}, "locations": [{{"physicalLocation": '
        f'{{"artifactLocation": {{"uri": "src/m{n % 30}.py"}}, "region": {{"startLine": {n + 1}}}}}}}]}}'
        for n in range(count)
    )
    log = f'{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "hot"}}}}, "results": [{results}]}}]}}'
    return log.encode()


def _fillfactors(connection: Connection) -> dict[str, list[str] | None]:
    query = text("SELECT relname, reloptions FROM pg_class WHERE relname IN ('findings', 'finding_sources')")
    return {str(row[0]): row[1] for row in connection.execute(query)}


def _updates(connection: Connection) -> dict[str, tuple[int, int]]:
    """(updates, heap-only updates) of each table, as the statistics collector has them."""
    rows = connection.execute(
        text("SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = ANY(:names)"),
        {"names": list(_TABLES)},
    )
    return {name: (int(updated), int(hot)) for name, updated, hot in rows}


@pytest.mark.postgres
def test_a_store_from_before_gets_half_full_pages_and_reimports_update_in_place(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = engine_at(postgres_url, tmp_path, "0002_imports")  # as before the migration
    try:
        with engine.connect() as connection:
            assert _fillfactors(connection) == {"findings": None, "finding_sources": None}
    finally:
        engine.dispose()

    report = _sarif(300)
    with open_store(postgres_url, tmp_path) as store:
        import_report(store, report, "sarif", project="p", source="a.sarif")
        before = store.read(lambda session: _updates(session.connection()))
        summary = import_report(store, report, "sarif", project="p", source="a.sarif", force=True)
        assert summary.findings_unchanged == 300 and summary.sources_unchanged == 300
        # The statistics collector reports a transaction's counts shortly after it ends.
        deadline = time.monotonic() + 10
        while True:
            store.read(lambda session: session.execute(text("SELECT pg_stat_clear_snapshot()")))
            after = store.read(lambda session: _updates(session.connection()))
            if all(after[t][0] - before[t][0] >= 300 for t in _TABLES) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        options = store.read(lambda session: _fillfactors(session.connection()))
    for table in _TABLES:
        updated, hot = after[table][0] - before[table][0], after[table][1] - before[table][1]
        assert updated == 300, table  # every finding and source marked seen...
        assert hot == updated, table  # ...and each in place: no index entry added
    assert options == {"findings": ["fillfactor=50"], "finding_sources": ["fillfactor=50"]}
