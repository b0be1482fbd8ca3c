"""Recording an import in bulk: the same lifecycle as ``record_run``, and set-based writes that bind like the ORM."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import Table, insert, select

from bastion.importers import import_report
from bastion.model import LifecycleState
from bastion.store import Store
from bastion.store.import_run import insert_many
from bastion.store.tables import FindingRow, ProjectRow

_FINDINGS = cast("Table", FindingRow.__table__)


def _sarif(lines: list[int], message: str = "x") -> bytes:
    results = [
        {
            "ruleId": "R1",
            "message": {"text": f"{message} {line}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": line}}}],
        }
        for line in lines
    ]
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "tool"}}, "results": results}]}
    return json.dumps(log).encode()


def _states(store: Store) -> dict[int | None, LifecycleState]:
    tracked = store.list_findings(project="p", states=set(LifecycleState))
    return {t.finding.location.start_line: t.state for t in tracked}


def test_a_finding_fixed_by_one_import_and_reported_again_is_reopened(store: Store) -> None:
    import_report(store, _sarif([1, 2, 3]), "sarif", project="p", source="a.sarif")
    import_report(store, _sarif([1, 2]), "sarif", project="p", source="b.sarif")
    assert _states(store) == {1: LifecycleState.EXISTING, 2: LifecycleState.EXISTING, 3: LifecycleState.FIXED}
    again = import_report(store, _sarif([1, 2, 3, 4]), "sarif", project="p", source="c.sarif")
    assert _states(store) == {
        1: LifecycleState.EXISTING,
        2: LifecycleState.EXISTING,
        3: LifecycleState.REOPENED,
        4: LifecycleState.NEW,
    }
    assert (again.findings_new, again.findings_unchanged) == (1, 3)


def test_a_reimport_keeps_first_seen_and_moves_last_seen(store: Store) -> None:
    import_report(store, _sarif([1]), "sarif", project="p", source="a.sarif")
    (first,) = store.list_findings(project="p")
    import_report(store, _sarif([1]), "sarif", project="p", source="a.sarif", force=True)
    (second,) = store.list_findings(project="p")
    assert second.first_seen == first.first_seen and second.last_seen > first.last_seen


def _rows(store: Store) -> list[tuple[Any, ...]]:
    columns = [column for column in _FINDINGS.c if column.name != "id"]
    return [tuple(row) for row in store.read(lambda s: s.execute(select(*columns).order_by(_FINDINGS.c.id)).all())]


def test_insert_many_binds_values_as_sqlalchemy_does(store: Store) -> None:
    seen = datetime(2026, 11, 24, 9, 30, tzinfo=UTC) + timedelta(microseconds=7)
    elsewhere = seen.astimezone(timezone(timedelta(hours=5)))

    def row(project_id: int, fingerprint: str, cwe: list[int], commit: str | None) -> dict[str, Any]:
        return {
            "project_id": project_id,
            "fingerprint": fingerprint,
            "control": "c",
            "tool": "t",
            "rule_id": "r",
            "title": "title",
            "severity": "high",
            "confidence": "medium",
            "cwe": cwe,
            "aliases": ["CVE-2026-1"],
            "path": None,
            "start_line": 3,
            "end_line": None,
            "start_column": None,
            "commit": commit,
            "package": "pkg:pypi/ü@1",
            "message": "ünïcode",
            "remediation": "",
            "evidence": "",
            "help_uri": "",
            "tags": [],
            "first_seen_at": seen,
            "last_seen_at": elsewhere,  # the same instant in another zone
        }

    def write(session: Any) -> None:
        ours = ProjectRow(name="ours", created_at=seen)
        theirs = ProjectRow(name="theirs", created_at=seen)
        session.add_all([ours, theirs])
        session.flush()
        session.execute(insert(_FINDINGS), [row(theirs.id, "a", [89], None), row(theirs.id, "b", [], "c1")])
        insert_many(session.connection(), _FINDINGS, [row(ours.id, "a", [89], None), row(ours.id, "b", [], "c1")])

    store.write(write)
    rows = _rows(store)  # project_id first: SQLAlchemy's rows (project 2), then insert_many's (project 1)
    assert [row[0] for row in rows] == [2, 2, 1, 1]
    assert [row[1:] for row in rows[:2]] == [row[1:] for row in rows[2:]]
    assert rows[2][-2:] == (seen, seen) and rows[2][8] == [89] and rows[3][14] == "c1"


def test_known_findings_reads_the_open_states_of_previous_open_whichever_way_it_reads_the_table(store: Store) -> None:
    from bastion.store.import_state import known_findings, known_sources
    from bastion.store.recording import previous_open, previous_run
    from bastion.store.sources import FindingSourceRow

    # Project "p" holds a minority of the findings first (SQLite reads its index), then most (SQLite scans).
    import_report(store, _sarif(list(range(1, 30))), "sarif", project="big", source="big.sarif")
    import_report(store, _sarif([1, 2, 3]), "sarif", project="p", source="a.sarif")
    import_report(store, _sarif([2, 3, 4]), "sarif", project="p", source="b.sarif")
    for lines in ([2, 3, 4], list(range(1, 80))):
        import_report(store, _sarif(lines), "sarif", project="p", source=f"{len(lines)}.sarif")

        def check(session: Any) -> None:
            project = session.scalars(select(ProjectRow).where(ProjectRow.name == "p")).one()
            later = datetime.now(UTC) + timedelta(seconds=1)
            finding_rows = session.scalars(select(FindingRow).where(FindingRow.project_id == project.id)).all()
            source_rows = session.scalars(
                select(FindingSourceRow).where(FindingSourceRow.project_id == project.id)
            ).all()
            known, before = known_findings(session, project.id, previous_run(session, project.id, "main", later))
            assert known.ids == {row.fingerprint: row.id for row in finding_rows}
            assert known.severities == {row.fingerprint: row.severity for row in finding_rows}
            assert known.fingerprints == {row.id: row.fingerprint for row in finding_rows}
            record = _record_at(later)
            assert before == previous_open(session, project.id, record)
            assert {
                n: (s.id, s.finding_id, s.digest, s.tool, s.native_fingerprint)
                for n, s in known_sources(session, project.id).items()
            } == {
                row.native_fingerprint: (row.id, row.finding_id, row.digest, row.tool, row.native_fingerprint)
                for row in source_rows
            }
            assert known_findings(session, project.id, None) == (known, [])

        store.read(check)


def _record_at(when: datetime) -> Any:
    from bastion.model import RunRecord

    return RunRecord(project="p", branch="main", commit=None, started_at=when, finished_at=when, controls=())
