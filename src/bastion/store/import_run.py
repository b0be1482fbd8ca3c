"""Recording an import's run in bulk: the same lifecycle as ``recording.record_run``, with set-based writes.

A report can hold a hundred thousand findings. ``record_run`` builds an ORM object per finding and reads every
finding row back in full, which is right for pipeline runs and far too slow for such imports. This module
applies the same rules (``lifecycle.observe`` and ``lifecycle.transitions``, the previous run and the branch's
history as ``recording.py`` defines them) but writes with multi-row ``INSERT``s and ``UPDATE``s, and rewrites
a finding's data only when it changed. The caller has already loaded the project's findings (``Known``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from bastion.model import Finding, RunId, RunRecord
from bastion.store.lifecycle import observe, transitions
from bastion.store.recording import _check_times, _previous_open, _previous_run, run_status
from bastion.store.rows import control_run_row
from bastion.store.tables import FindingRow, ProjectRow, RunFindingRow, RunRow

__all__ = ["Known", "record_bulk_run", "row_values"]

_CHUNK = 500
# Core tables: multi-row statements without an ORM object per row.
_FINDINGS = cast("Table", FindingRow.__table__)
_RUN_FINDINGS = cast("Table", RunFindingRow.__table__)


@dataclass(frozen=True, slots=True)
class Known:
    """What the caller knows of an existing finding row."""

    id: int
    severity: str


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


def _seen_on_branch(session: Session, project: ProjectRow, record: RunRecord) -> set[int]:
    query = (
        select(RunFindingRow.finding_id)
        .join(RunRow, RunRow.id == RunFindingRow.run_id)
        .where(RunRow.project_id == project.id, RunRow.branch == record.branch)
        .where(RunRow.started_at <= record.started_at)
        .distinct()
    )
    return set(session.scalars(query))


def record_bulk_run(
    session: Session, project: ProjectRow, record: RunRecord, known: dict[str, Known], rewrite: Iterable[str]
) -> tuple[RunId, dict[str, int]]:
    """Record ``record`` (new findings inserted, ``rewrite`` fingerprints' data replaced); ids of new findings."""
    _check_times(record)
    observed = observe(record.controls)
    previous_open = _previous_open(session, _previous_run(session, project, record))
    seen_ids = _seen_on_branch(session, project, record)
    seen_before = {fp for fp in observed if fp in known and known[fp].id in seen_ids}
    changes = transitions(observed, previous_open, seen_before, record.controls)

    run = RunRow(
        project_id=project.id,
        branch=record.branch,
        commit=record.commit,
        root=record.root,
        started_at=record.started_at,
        finished_at=record.finished_at,
        status=run_status(record.controls).value,
    )
    session.add(run)
    session.flush()
    session.add_all(control_run_row(run.id, control) for control in record.controls)
    session.flush()

    seen_at = record.started_at.astimezone(UTC)
    connection = session.connection()
    fresh = [
        {
            "project_id": project.id,
            "fingerprint": fp,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            **row_values(observation.finding),
        }
        for fp, observation in observed.items()
        if fp not in known
    ]
    created: dict[str, int] = {}
    if fresh:
        # A plain executemany is the driver's C loop; RETURNING would build multi-row VALUES in Python.
        connection.execute(insert(_FINDINGS), fresh)
        query = select(_FINDINGS.c.fingerprint, _FINDINGS.c.id).where(_FINDINGS.c.project_id == project.id)
        created = {str(fp): int(row_id) for fp, row_id in connection.execute(query) if fp not in known}
    rewritten = set(rewrite)
    _touch(connection, [known[fp].id for fp in observed if fp in known], seen_at)
    changed = [{"b_id": known[fp].id, **row_values(observed[fp].finding)} for fp in rewritten if fp in observed]
    if changed:
        table = _FINDINGS
        connection.execute(update(table).where(table.c.id == bindparam("b_id")), changed)

    severity = {fp: o.finding.severity.value for fp, o in observed.items() if fp in created or fp in rewritten}
    states = []
    for change in changes:
        fp = change.fingerprint
        row_id = created[fp] if fp in created else known[fp].id
        states.append(
            {
                "run_id": run.id,
                "finding_id": row_id,
                "state": change.state.value,
                "carried": change.carried,
                "mode": change.mode.value,
                "severity": severity.get(fp) or known[fp].severity,
            }
        )
    if states:
        connection.execute(insert(_RUN_FINDINGS), states)
    return RunId(run.id), created


def _touch(connection: Any, ids: list[int], seen_at: datetime) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        connection.execute(update(_FINDINGS).where(_FINDINGS.c.id.in_(chunk)).values(last_seen_at=seen_at))
