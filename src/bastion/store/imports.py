"""Recording an imported report: dedup into the project's findings, the run, and the sources, in one transaction.

An import is recorded as a run of the project and branch with one control (the importing tool), so lifecycle
(new, existing, reopened, fixed) works as for ``bastion run``: findings of other controls are carried, not
fixed. Each imported finding is first looked up by its own fingerprint among the project's sources (a re-import
finds every finding where it left it), then among the findings, then by the dedup rule (``dedup.py``). A finding
joined to one reported earlier by another tool keeps the earlier finding's data; its report becomes a further
source. A finding's data is rewritten only by the source that created it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bastion.model import (
    Confidence,
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    Location,
    RunId,
    RunRecord,
    Severity,
    Stage,
    fingerprint_of,
)
from bastion.store.dedup import DedupIndex
from bastion.store.recording import record_run
from bastion.store.rows import finding_of
from bastion.store.sources import FindingSourceRow, ImportRow
from bastion.store.tables import FindingRow, ProjectRow

__all__ = ["ImportBatch", "ImportOutcome", "digest_of", "record_import"]

_CHUNK = 500
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """A parsed report ready to record: every finding has its own (native) fingerprint."""

    project: str
    branch: str
    format: str
    source: str
    sha256: str
    control: str
    findings: tuple[Finding, ...]
    started_at: datetime
    stage: Stage = Stage.CODE
    mode: ControlMode = ControlMode.MANDATORY
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What recording the batch did."""

    run_id: RunId
    import_id: int
    findings_new: int
    findings_updated: int
    findings_unchanged: int
    sources_new: int
    sources_updated: int
    sources_unchanged: int
    new_findings: tuple[Finding, ...]
    """The findings this import created, for notifications."""


def digest_of(finding: Finding) -> str:
    """Hash of everything a tool said about a finding, to tell an updated source from an unchanged one."""
    loc = finding.location
    return fingerprint_of(
        finding.tool,
        finding.rule_id,
        finding.title,
        finding.severity.value,
        finding.confidence.value,
        loc.path,
        loc.start_line,
        loc.end_line,
        loc.start_column,
        loc.commit,
        loc.package,
        finding.message,
        ",".join(map(str, finding.cwe)),
        ",".join(finding.aliases),
        finding.remediation,
        finding.evidence,
        finding.help_uri,
        ",".join(finding.tags),
    )


def _chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _project(session: Session, name: str) -> ProjectRow:
    query = select(ProjectRow).where(ProjectRow.name == name).with_for_update()
    project = session.scalars(query).one_or_none()
    if project is None:
        try:
            with session.begin_nested():
                session.add(ProjectRow(name=name, created_at=datetime.now(UTC)))
        except IntegrityError:
            pass  # another writer created it first
        project = session.scalars(query).one()
    return project


def _index(session: Session, project_id: int) -> tuple[DedupIndex, dict[str, int], dict[int, str]]:
    index = DedupIndex()
    ids: dict[str, int] = {}
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
    query = select(*columns).where(FindingRow.project_id == project_id).order_by(FindingRow.id)
    for row_id, fp, tool, rule, cwe, aliases, path, start, end, package, message in session.execute(query):
        ids[fp] = row_id
        finding = Finding(
            control="",
            tool=tool,
            rule_id=rule,
            title="",
            severity=Severity.INFO,
            location=Location(path=path, start_line=start, end_line=end, package=package),
            message=message,
            cwe=tuple(cwe),
            aliases=tuple(aliases),
            confidence=Confidence.MEDIUM,
        )
        index.add(finding, fp)
    return index, ids, {row_id: fp for fp, row_id in ids.items()}


def record_import(session: Session, batch: ImportBatch) -> ImportOutcome:
    """Dedup, record and count ``batch``; the caller commits (or rolls everything back)."""
    project = _project(session, batch.project)
    index, ids, fingerprints = _index(session, project.id)
    query = select(
        FindingSourceRow.native_fingerprint, FindingSourceRow.finding_id, FindingSourceRow.digest, FindingSourceRow.tool
    ).where(FindingSourceRow.project_id == project.id)
    sources: dict[str, tuple[int, str]] = {}
    for native, finding_id, digest, tool in session.execute(query):
        sources[native] = (finding_id, digest)
        index.add_tool(fingerprints[finding_id], tool)

    canonical: dict[str, str] = {}
    observed: list[Finding] = []
    keep: set[str] = set()  # existing findings whose data this import must not rewrite
    for finding in batch.findings:
        native = finding.fingerprint
        if native in canonical:
            target = canonical[native]
        elif native in sources:
            target = fingerprints[sources[native][0]]
        elif native in ids:
            target = native
            keep.add(native)  # recorded by a run, not created by this source
        else:
            target = index.match(finding) or native
            if target == native:
                index.add(finding, native)
            else:
                index.add_tool(target, finding.tool)
        canonical[native] = target
        if target != native and target in ids:
            keep.add(target)
        observed.append(dataclasses.replace(finding, fingerprint=target))

    rows = _rows(session, project.id, sorted(keep))
    observations = [finding_of(rows[f.fingerprint]) if f.fingerprint in keep else f for f in observed]

    digests = {f.fingerprint: digest_of(f) for f in batch.findings}
    new_sources = [n for n in digests if n not in sources]
    changed_sources = [n for n, d in digests.items() if n in sources and sources[n][1] != d]
    targets = set(canonical.values())
    created = {t for t in targets if t not in ids}
    touched = {canonical[n] for n in [*new_sources, *changed_sources]} - created

    control = ControlResult(
        control=batch.control,
        stage=batch.stage,
        uses=f"import:{batch.format}",
        mode=batch.mode,
        status=ControlStatus.SUCCEEDED,
        started_at=batch.started_at,
        duration_s=0.0,
        findings=tuple(observations),
        files_scanned=0,
    )
    record = RunRecord(
        project=batch.project,
        branch=batch.branch,
        commit=batch.commit,
        started_at=batch.started_at,
        finished_at=datetime.now(UTC),
        controls=(control,),
    )
    run_id, _ = record_run(session, record)
    ids.update(_ids(session, project.id, sorted(created)))

    outcome = ImportOutcome(
        run_id=run_id,
        import_id=0,
        findings_new=len(created),
        findings_updated=len(touched),
        findings_unchanged=len(targets) - len(created) - len(touched),
        sources_new=len(new_sources),
        sources_updated=len(changed_sources),
        sources_unchanged=len(digests) - len(new_sources) - len(changed_sources),
        new_findings=tuple({f.fingerprint: f for f in observations if f.fingerprint in created}.values()),
    )
    imported = ImportRow(
        project_id=project.id,
        run_id=run_id,
        format=batch.format,
        source=batch.source,
        sha256=batch.sha256,
        created_at=batch.started_at,
        findings_new=outcome.findings_new,
        findings_updated=outcome.findings_updated,
        findings_unchanged=outcome.findings_unchanged,
        sources_new=outcome.sources_new,
    )
    session.add(imported)
    session.flush()
    _write_sources(session, batch, project.id, imported.id, canonical, ids, digests, set(sources))
    return dataclasses.replace(outcome, import_id=imported.id)


def _rows(session: Session, project_id: int, fingerprints: Sequence[str]) -> dict[str, FindingRow]:
    rows: dict[str, FindingRow] = {}
    for chunk in _chunks(fingerprints):
        query = select(FindingRow).where(FindingRow.project_id == project_id, FindingRow.fingerprint.in_(chunk))
        rows.update((row.fingerprint, row) for row in session.scalars(query))
    return rows


def _ids(session: Session, project_id: int, fingerprints: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(fingerprints):
        query = select(FindingRow.fingerprint, FindingRow.id).where(
            FindingRow.project_id == project_id, FindingRow.fingerprint.in_(chunk)
        )
        ids.update((fp, row_id) for fp, row_id in session.execute(query))
    return ids


def _write_sources(
    session: Session,
    batch: ImportBatch,
    project_id: int,
    import_id: int,
    canonical: dict[str, str],
    ids: dict[str, int],
    digests: dict[str, str],
    known: set[str],
) -> None:
    seen_at = batch.started_at.astimezone(UTC)
    fresh: list[dict[str, Any]] = []
    again: list[dict[str, Any]] = []
    done: set[str] = set()
    for finding in batch.findings:
        native = finding.fingerprint
        if native in done:
            continue
        done.add(native)
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
        if native in known:
            again.append({"b_native": native, **values})
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
    if fresh:
        session.execute(insert(FindingSourceRow), fresh)
    if again:
        statement = (
            update(FindingSourceRow)
            .where(FindingSourceRow.project_id == project_id)
            .where(FindingSourceRow.native_fingerprint == bindparam("b_native"))
        )
        session.connection().execute(statement, again)
