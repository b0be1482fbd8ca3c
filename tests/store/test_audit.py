"""The audit log: appends chain by hash, and verification finds edited, deleted and reordered entries."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from bastion.store import Store
from bastion.store.audit import GENESIS, AuditEvent, AuditKind, AuditLog


def _event(number: int) -> AuditEvent:
    return AuditEvent("@alice", "triage.set", AuditKind.FINDING, f"f{number}", "demo", {"to": "confirmed", "n": number})


def _tamper(store_url: str, statement: str) -> None:
    """Run ``statement`` as an attacker with DDL rights would: first dropping the append-only triggers."""
    engine = create_engine(store_url)
    try:
        with engine.begin() as connection:
            for trigger in DROP_TRIGGERS[connection.dialect.name]:
                connection.execute(text(trigger))
            connection.execute(text(statement))
    finally:
        engine.dispose()


DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"],
}


def test_an_empty_log_verifies_with_the_genesis_head(store: Store) -> None:
    result = AuditLog(store).verify()
    assert result.ok and result.entries == 0 and result.head == GENESIS


def test_appended_entries_chain_and_verify(store: Store) -> None:
    log = AuditLog(store)
    first = log.append(_event(1))
    second = log.append(_event(2))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    result = log.verify()
    assert result.ok, result.problems
    assert (result.entries, result.head) == (2, second.hash)
    assert [entry.seq for entry in log.entries()] == [2, 1]
    assert [entry.event for entry in log.entries(subject="f1")] == [_event(1)]


def test_verify_detects_edited_and_deleted_entries(store: Store, store_url: str) -> None:
    log = AuditLog(store)
    for number in range(1, 7):
        log.append(_event(number))
    _tamper(store_url, "UPDATE audit_log SET actor = '@mallory' WHERE seq = 2")
    _tamper(store_url, 'UPDATE audit_log SET detail = \'{"to": "fixed", "n": 3}\' WHERE seq = 3')
    _tamper(store_url, "DELETE FROM audit_log WHERE seq = 4")
    _tamper(store_url, "DELETE FROM audit_log WHERE seq = 6")
    result = log.verify()
    assert not result.ok
    assert result.problems == (
        "entry 2: content does not match its hash (edited)",
        "entry 3: content does not match its hash (edited)",
        "entries 4..4 are missing (deleted)",
        "entry 5: does not follow the entry before it (previous hash differs)",
        "the log ends at entry 5 but its head says 6 (entries deleted)",
    )


def test_the_database_refuses_to_change_the_log(store: Store, store_url: str) -> None:
    AuditLog(store).append(_event(1))
    engine = create_engine(store_url)
    try:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    assert AuditLog(store).verify().ok


def test_a_rewritten_entry_with_a_recomputed_hash_still_breaks_the_next_link(store: Store, store_url: str) -> None:
    log = AuditLog(store)
    for number in (1, 2):
        log.append(_event(number))
    # Change its first hex digit (always a change: a fixed 'f' left one hash in 16 as it was).
    _tamper(
        store_url,
        "UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2)"
        " WHERE seq = 1",
    )
    problems = log.verify().problems
    assert any(p.startswith("entry 1: content") for p in problems)
    assert any(p.startswith("entry 2: does not follow") for p in problems)


def test_concurrent_appends_keep_one_chain(store: Store) -> None:
    log = AuditLog(store)
    with ThreadPoolExecutor(max_workers=4) as pool:
        entries = list(pool.map(lambda n: log.append(_event(n)), range(20)))
    assert sorted(entry.seq for entry in entries) == list(range(1, 21))
    assert log.verify().ok
