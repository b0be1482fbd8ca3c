"""The project as an import finds it: its findings, their sources, the dedup index on demand, and writing sources.

Loading only ids and severities of the project's findings is cheap; the dedup index needs every finding's rule,
CWEs, aliases and location, so it is built the first time a finding has no source yet (``LazyIndex``): a re-import,
whose findings all have sources, never builds it. Sources are written set-based: new ones inserted, changed ones
rewritten, unchanged ones only marked seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import ColumnElement, Connection, Table, and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from bastion.model import ControlMode, Finding, LifecycleState, Location, Severity
from bastion.store.dedup import DedupIndex
from bastion.store.import_run import Known, ids_in, insert_many
from bastion.store.lifecycle import PreviousFinding
from bastion.store.sources import FindingSourceRow
from bastion.store.tables import FindingRow, RunFindingRow

if TYPE_CHECKING:
    from bastion.store.imports import ImportBatch

__all__ = ["LazyIndex", "Source", "known_findings", "known_sources", "reads_in_id_order", "write_sources"]

_SOURCES = cast("Table", FindingSourceRow.__table__)


def known_findings(
    session: Session, project_id: int, previous_run: int | None, *, in_id_order: bool | None = None
) -> tuple[Known, list[PreviousFinding]]:
    """Every finding of the project (fingerprint to id and severity), and those open in ``previous_run``.

    One query: the findings joined to their state in the previous run (what ``recording.previous_open`` reads:
    the open ones, in the order of their ids). ``in_id_order`` is ``reads_in_id_order``, if the caller has it.
    """
    connection = session.connection()
    rf = cast("Table", RunFindingRow.__table__)
    f = cast("Table", FindingRow.__table__)
    project = _project_column(connection, f, project_id, in_id_order)
    if previous_run is None:  # the branch's first run: nothing was open
        only = select(f.c.fingerprint, f.c.id, f.c.severity).where(project == project_id)
        fingerprints, ids, severities = _columns(connection.execute(only).all(), 3)
        return Known.of(fingerprints, ids, severities), []
    open_in = and_(rf.c.finding_id == f.c.id, rf.c.run_id == previous_run, rf.c.state != LifecycleState.FIXED.value)
    query = (
        select(f.c.fingerprint, f.c.id, f.c.severity, f.c.control, f.c.path, rf.c.mode)
        .select_from(f.outerjoin(rf, open_in))
        .where(project == project_id)
        .order_by(f.c.id)
    )
    rows = connection.execute(query).all()  # one fetchall: a big project has many findings
    fingerprints, ids, severities, _, _, _ = _columns(rows, 6)
    modes = {mode.value: mode for mode in ControlMode}
    before = [
        PreviousFinding(fp, control, path, modes[mode]) for fp, _, _, control, path, mode in rows if mode is not None
    ]
    return Known.of(fingerprints, ids, severities), before


def _columns(rows: Sequence[Any], width: int) -> list[Sequence[Any]]:
    """The columns of ``rows`` (transposed in C), or ``width`` empty ones."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


def known_sources(session: Session, project_id: int, *, in_id_order: bool | None = None) -> dict[str, Source]:
    """Every source of the project, by its native fingerprint (``in_id_order`` as for ``known_findings``)."""
    connection = session.connection()
    s = _SOURCES
    project = _project_column(connection, s, project_id, in_id_order)
    query = select(s.c.id, s.c.finding_id, s.c.digest, s.c.tool, s.c.native_fingerprint).where(project == project_id)
    rows = connection.execute(query).all()  # one fetchall, not a fetchone per row
    # ``Source``'s fields are the row's columns: each row becomes one without a Python-level call.
    return dict(zip(map(itemgetter(4), rows), map(partial(tuple.__new__, Source), rows), strict=True))


def _project_column(
    connection: Connection, table: Table, project_id: int, in_id_order: bool | None
) -> ColumnElement[int]:
    """``table.c.project_id``, or ``project_id + 0`` when the table is better read in id order (``+ 0`` keeps
    SQLite off the ``(project_id, ...)`` index)."""
    column: ColumnElement[int] = table.c.project_id
    if in_id_order is None:
        in_id_order = reads_in_id_order(connection, project_id)
    return column + 0 if in_id_order else column


def reads_in_id_order(connection: Connection, project_id: int) -> bool:
    """Whether the project's findings and sources are better read in order of ids than through their
    ``(project_id, ...)`` indexes: on SQLite, when the project holds at least half the findings table (by its
    highest id: an estimate). Reading the table in order is then several times faster than fetching each row by
    a second lookup."""
    if connection.dialect.name != "sqlite":
        return False
    f = cast("Table", FindingRow.__table__)
    count = connection.execute(select(func.count()).where(f.c.project_id == project_id)).scalar_one()
    highest = connection.execute(select(func.max(f.c.id))).scalar_one_or_none() or 0
    return bool(count) and 2 * int(count) >= int(highest)


class LazyIndex:
    """The project's dedup index, built on first use: a re-import, whose findings all have sources, skips it."""

    def __init__(self, session: Session, project_id: int, sources: dict[str, Source]) -> None:
        self._session, self._project_id, self._sources = session, project_id, sources
        self._index: DedupIndex | None = None

    def get(self) -> DedupIndex:
        """The index, built now if it was not yet."""
        if self._index is not None:
            return self._index
        index = DedupIndex()
        columns = (
            FindingRow.id,
            FindingRow.fingerprint,
            FindingRow.tool,
            FindingRow.rule_id,
            FindingRow.cwe,
            FindingRow.aliases,
            FindingRow.path,
            FindingRow.start_line,
            FindingRow.end_line,
            FindingRow.package,
            FindingRow.message,
        )
        query = select(*columns).where(FindingRow.project_id == self._project_id).order_by(FindingRow.id)
        fingerprints: dict[int, str] = {}
        rows = self._session.connection().execute(query).all()
        for row_id, fp, tool, rule, cwe, aliases, path, start, end, package, message in rows:
            fingerprints[row_id] = fp
            location = Location(path=path, start_line=start, end_line=end, package=package)
            finding = Finding(
                control="",
                tool=tool,
                rule_id=rule,
                title="",
                severity=Severity.INFO,
                location=location,
                message=message,
                cwe=tuple(cwe),
                aliases=tuple(aliases),
            )
            index.add(finding, fp)
        for source in self._sources.values():
            index.add_tool(fingerprints[source.finding_id], source.tool)
        self._index = index
        return index


class Source(NamedTuple):
    """A source row as an import needs it."""

    id: int
    finding_id: int
    digest: str
    tool: str
    native_fingerprint: str


def write_sources(
    session: Session,
    batch: ImportBatch,
    project_id: int,
    import_id: int,
    canonical: dict[str, str],
    ids: dict[str, int],
    digests: dict[str, str],
    sources: dict[str, Source],
) -> None:
    """Insert new sources, rewrite changed ones, and mark the unchanged ones seen (set-based, for speed)."""
    seen_at = batch.started_at.astimezone(UTC)
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    unchanged: list[int] = []
    done: set[str] = set()
    for finding in batch.findings:
        native = finding.fingerprint
        if native in done:
            continue
        done.add(native)
        known = sources.get(native)
        if known is not None and known.digest == digests[native]:
            unchanged.append(known.id)
            continue
        values: dict[str, Any] = {
            "finding_id": ids[canonical[native]],
            "tool": finding.tool,
            "rule_id": finding.rule_id[:255],
            "severity": finding.severity.value,
            "path": finding.location.path,
            "start_line": finding.location.start_line,
            "package": finding.location.package,
            "digest": digests[native],
            "last_seen_at": seen_at,
            "last_import_id": import_id,
        }
        if known is not None:
            changed.append({"b_id": known.id, **values})
        else:
            fresh.append(
                {
                    "project_id": project_id,
                    "native_fingerprint": native,
                    "format": batch.format,
                    "first_seen_at": seen_at,
                    **values,
                }
            )
    connection = session.connection()
    insert_many(connection, _SOURCES, fresh)
    if changed:
        connection.execute(update(_SOURCES).where(_SOURCES.c.id == bindparam("b_id")), changed)
    for condition in ids_in(connection, _SOURCES.c.id, unchanged):
        connection.execute(update(_SOURCES).where(condition).values(last_seen_at=seen_at, last_import_id=import_id))
