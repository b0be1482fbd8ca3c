"""Recording an import's run in bulk: ``recording.record_run``'s steps and rules, with set-based writes.

A report can hold a hundred thousand findings. ``record_run`` builds an ORM object per finding and reads every
finding row back in full, which is right for pipeline runs and far too slow for such imports. This module takes
the lifecycle from ``recording.py`` (``previous_open``'s rows, ``lifecycle``, ``add_run``, ``state_rows``: one place
for the rules) and writes with ``executemany`` and chunked ``UPDATE``s: no ORM object or full row per finding,
each distinct value bound through its column type once (``insert_many``), and a finding's data rewritten only
when the caller says it changed. The caller has already loaded the project's findings (``Known``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Integer,
    Table,
    any_,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from bastion.model import Finding, LifecycleState, RunId, RunRecord
from bastion.store.lifecycle import PreviousFinding, Transition, observe
from bastion.store.recording import add_run, check_times, lifecycle, state_rows
from bastion.store.tables import FindingRow, RunFindingRow

__all__ = ["CHUNK", "Known", "chunks", "ids_in", "insert_many", "record_bulk_run", "row_values"]

CHUNK = 30_000
"""Ids per ``IN (...)`` list: under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535)."""
_FINDINGS = cast("Table", FindingRow.__table__)
_RUN_FINDINGS = cast("Table", RunFindingRow.__table__)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Known:
    """The project's existing findings: row id and severity by fingerprint, and fingerprint by row id."""

    ids: dict[str, int]
    severities: dict[str, str]
    fingerprints: dict[int, str]

    @classmethod
    def of(cls, fingerprints: Sequence[str], ids: Sequence[int], severities: Sequence[str]) -> Known:
        """The maps of three parallel columns, each built by ``dict(zip(...))`` in C: a project may hold a
        hundred thousand findings, and an import needs all three maps."""
        return cls(
            dict(zip(fingerprints, ids, strict=True)),
            dict(zip(fingerprints, severities, strict=True)),
            dict(zip(ids, fingerprints, strict=True)),
        )


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ids_in(connection: Connection, column: ColumnElement[int], ids: Sequence[int]) -> Iterator[ColumnElement[bool]]:
    """Conditions ``column IN ids``, as few as the backend allows: update or select once per condition.

    SQLite reads the ids from one JSON array parameter (``json_each``), PostgreSQL from one array parameter
    (``= ANY``); other backends get ``IN`` lists of ``CHUNK`` ids. Either way no statement carries 100,000
    bound parameters, nor makes SQLAlchemy bind each of them.
    """
    if not ids:
        return
    if connection.dialect.name == "sqlite":
        values = func.json_each(json.dumps(list(ids))).table_valued("value")
        yield column.in_(select(values.c.value))
    elif connection.dialect.name == "postgresql":
        yield column == any_(literal(list(ids), ARRAY(Integer)))
    else:
        for chunk in chunks(ids):
            yield column.in_(chunk)


def insert_many(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """``INSERT`` ``rows`` (all with the same keys) with one ``executemany`` (or ``COPY``).

    SQLAlchemy would bind every value of every row through its column's type; here each distinct value of a
    column goes through it once (a big import repeats the same time stamp, tool and CWE list on every row), and
    the driver's own ``executemany`` does the rest; on PostgreSQL (psycopg) the rows go in one ``COPY``.
    """
    if not rows:
        return
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else keys
    if len(names) == 1:
        columns = [[row[names[0]] for row in rows]]
    else:  # rows to tuples to columns, both in C
        columns = [list(column) for column in zip(*map(itemgetter(*names), rows), strict=True)]
    for position, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[position] = _bound(columns[position], process)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy(connection, table, names, columns)
        return
    if compiled.positional:
        parameters: list[Any] = list(zip(*columns, strict=True))
    else:
        parameters = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    connection.exec_driver_sql(compiled.string, parameters)


def _copy(connection: Connection, table: Table, names: list[str], columns: list[list[Any]]) -> None:
    """The rows sent with PostgreSQL's ``COPY ... FROM STDIN`` in the transaction: one statement, not one per row."""
    from psycopg import Connection as Psycopg  # the PostgreSQL driver; only imported on PostgreSQL

    quote = connection.dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(name) for name in names)}) FROM STDIN"
    driver = cast("Psycopg[Any]", connection.connection.dbapi_connection)
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in zip(*columns, strict=True):
            copy.write_row(row)


def _bound(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """``values`` through a column type's bind ``process``, called once per distinct value."""
    try:
        # The type is part of the key: 1 and True, (1,) and (True,) are equal but bind differently.
        tokens = [(value.__class__, tuple(value) if value.__class__ is list else value) for value in values]
        distinct = dict(zip(tokens, values, strict=True))
    except TypeError:  # an unhashable value (a nested list): no sharing
        return [process(value) for value in values]
    bound = {token: process(value) for token, value in distinct.items()}
    return list(map(bound.__getitem__, tokens))


def row_values(finding: Finding) -> dict[str, Any]:
    """The data columns of a finding row (``rows.write_finding`` as a mapping)."""
    location = finding.location
    return {
        "control": finding.control,
        "tool": finding.tool,
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "cwe": list(finding.cwe),
        "aliases": list(finding.aliases),
        "path": location.path,
        "start_line": location.start_line,
        "end_line": location.end_line,
        "start_column": location.start_column,
        "commit": location.commit,
        "package": location.package,
        "message": finding.message,
        "remediation": finding.remediation,
        "evidence": finding.evidence,
        "help_uri": finding.help_uri,
        "tags": list(finding.tags),
    }


def record_bulk_run(
    session: Session,
    project_id: int,
    record: RunRecord,
    known: Known,
    before: Sequence[PreviousFinding],
    rewrite: Iterable[str],
) -> tuple[RunId, dict[str, int]]:
    """Record ``record`` (new findings inserted, ``rewrite`` fingerprints' data replaced); ids of new findings.

    ``before`` is ``recording.previous_open`` for ``record``, which the caller read with ``known``.
    """
    check_times(record)
    observed = observe(record.controls)
    known_ids = known.ids
    changes = lifecycle(session, project_id, record, observed, before, known_ids)
    run_id = add_run(session, project_id, record)

    seen_at = record.started_at.astimezone(UTC)
    connection = session.connection()
    fresh = [
        {
            "project_id": project_id,
            "fingerprint": fp,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            **row_values(observation.finding),
        }
        for fp, observation in observed.items()
        if fp not in known_ids
    ]
    created: dict[str, int] = {}
    if fresh:
        # The project is locked (or the SQLite database is) while we write: rows above its highest id are ours.
        highest = select(func.max(_FINDINGS.c.id)).where(_FINDINGS.c.project_id == project_id)
        last = connection.execute(highest).scalar_one_or_none() or 0
        insert_many(connection, _FINDINGS, fresh)
        query = select(_FINDINGS.c.fingerprint, _FINDINGS.c.id)
        query = query.where(_FINDINGS.c.project_id == project_id, _FINDINGS.c.id > last)
        created = {str(fp): int(row_id) for fp, row_id in connection.execute(query).all()}
    _observe_known(connection, [known_ids[fp] for fp in observed if fp in known_ids], seen_at)
    # As in ``record_run``: a finding's data is that of its latest observation.
    rewritten = [fp for fp in set(rewrite) if fp in observed]
    changed = [{"b_id": known_ids[fp], **row_values(observed[fp].finding)} for fp in rewritten]
    if changed:
        table = _FINDINGS
        latest = table.c.last_seen_at <= literal(seen_at, FindingRow.last_seen_at.type)
        connection.execute(update(table).where(table.c.id == bindparam("b_id"), latest), changed)

    severities = dict(known.severities)
    severities.update((fp, observed[fp].finding.severity.value) for fp in [*created, *rewritten])
    _insert_states(connection, run_id, changes, known_ids | created, severities)
    return run_id, created


def _insert_states(
    connection: Connection,
    run_id: int,
    changes: Sequence[Transition],
    ids: Mapping[str, int],
    severities: Mapping[str, str],
) -> None:
    """The ``run_findings`` rows of ``changes`` (``recording.state_rows``), written in bulk.

    On SQLite, one ``INSERT ... SELECT`` per distinct (state, carried, mode, severity), the finding ids read from
    one JSON array (``json_each``): a big import has a handful of such groups, and SQLite then binds no
    parameter per row. Elsewhere ``insert_many`` (``COPY`` on PostgreSQL).
    """
    if connection.dialect.name != "sqlite":
        insert_many(connection, _RUN_FINDINGS, state_rows(run_id, changes, ids, severities))
        return
    groups: dict[tuple[str, bool, str, str], list[int]] = {}
    fixed = LifecycleState.FIXED
    for change in changes:
        # ``_value_`` and ``carried`` spelled out: enum ``.value`` and properties are Python calls, 100,000 times.
        fingerprint = change.fingerprint
        carried = not change.observed and change.state is not fixed
        key = (change.state._value_, carried, change.mode._value_, severities[fingerprint])
        group = groups.get(key)
        if group is None:
            groups[key] = group = []
        group.append(ids[fingerprint])
    table = _RUN_FINDINGS
    for (state, carried, mode, severity), finding_ids in groups.items():
        values = func.json_each(json.dumps(finding_ids)).table_valued("value")
        rows = select(
            literal(run_id, table.c.run_id.type),
            values.c.value,
            literal(state, table.c.state.type),
            literal(carried, table.c.carried.type),
            literal(mode, table.c.mode.type),
            literal(severity, table.c.severity.type),
        )
        names = ["run_id", "finding_id", "state", "carried", "mode", "severity"]
        connection.execute(insert(table).from_select(names, rows))


def _observe_known(connection: Connection, ids: list[int], seen_at: datetime) -> None:
    """``first_seen`` and ``last_seen`` of existing findings observed at ``seen_at`` (as ``record_run`` keeps them)."""
    seen = literal(seen_at, FindingRow.last_seen_at.type)
    table = _FINDINGS
    values = {
        "last_seen_at": case((table.c.last_seen_at < seen, seen), else_=table.c.last_seen_at),
        "first_seen_at": case((table.c.first_seen_at > seen, seen), else_=table.c.first_seen_at),
    }
    for condition in ids_in(connection, table.c.id, ids):
        connection.execute(update(table).where(condition).values(values))
