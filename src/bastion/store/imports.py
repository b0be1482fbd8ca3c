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
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bastion.memory import gc_paused
from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    RunId,
    RunRecord,
    Stage,
)
from bastion.store.import_run import record_bulk_run
from bastion.store.import_state import LazyIndex, known_findings, known_sources, reads_in_id_order, write_sources
from bastion.store.recording import locked_project, previous_run
from bastion.store.sources import ImportRow
from bastion.store.tables import ProjectRow

__all__ = ["ImportBatch", "ImportOutcome", "digest_of", "record_import", "repeated_import"]

_SQLITE_CACHE_KIB = 128 * 1024


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
    """Hash of everything a tool said about a finding, to tell an updated source from an unchanged one.

    The SHA-256 of the fields' text, each followed by a NUL (``None`` as empty): stored digests stay valid.
    Joined in one call: severity and confidence are ``StrEnum`` members, whose text is their value.
    """
    loc = finding.location
    start, end, column = loc.start_line, loc.end_line, loc.start_column
    text = "\0".join(
        (
            finding.tool,
            finding.rule_id,
            finding.title,
            finding.severity,
            finding.confidence,
            loc.path or "",
            "" if start is None else str(start),
            "" if end is None else str(end),
            "" if column is None else str(column),
            loc.commit or "",
            loc.package or "",
            finding.message,
            ",".join(map(str, finding.cwe)) if finding.cwe else "",
            ",".join(finding.aliases) if finding.aliases else "",
            finding.remediation,
            finding.evidence,
            finding.help_uri,
            ",".join(finding.tags) if finding.tags else "",
            "",
        )
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def repeated_import(
    session: Session, project: str, branch: str, control: str, sha256: str
) -> tuple[ImportOutcome, int] | None:
    """When the latest import of ``control`` on the branch was this very report: what it recorded, and its size.

    Importing it again would observe the same findings from the same source: nothing to change or record.
    """
    query = (
        select(ImportRow)
        .join(ProjectRow, ProjectRow.id == ImportRow.project_id)
        .where(ProjectRow.name == project, ImportRow.branch == branch, ImportRow.control == control)
        .order_by(ImportRow.created_at.desc(), ImportRow.id.desc())
        .limit(1)
    )
    last = session.scalars(query).one_or_none()
    if last is None or last.sha256 != sha256 or last.run_id is None:
        return None
    findings = last.findings_new + last.findings_updated + last.findings_unchanged
    outcome = ImportOutcome(
        run_id=RunId(last.run_id),
        import_id=last.id,
        findings_new=0,
        findings_updated=0,
        findings_unchanged=findings,
        sources_new=0,
        sources_updated=0,
        sources_unchanged=last.sources_seen,
        new_findings=(),
    )
    return outcome, last.reported


def record_import(session: Session, batch: ImportBatch) -> ImportOutcome:
    """Dedup, record and count ``batch``; the caller commits (or rolls everything back)."""
    with gc_paused(), _sqlite_cache(session):
        return _record_import(session, batch)


@contextmanager
def _sqlite_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache of up to ``_SQLITE_CACHE_KIB`` while an import writes (the default is 2 MiB).

    A big import writes tens of megabytes of rows and index pages in its one transaction; with the default
    cache SQLite spills pages to the write-ahead log and reads them back before the commit. Durability is
    unchanged: the setting only bounds memory, and the connection's own is restored afterwards.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):
            connection.exec_driver_sql(f"PRAGMA cache_size={before}")


def _record_import(session: Session, batch: ImportBatch) -> ImportOutcome:
    project = locked_project(session, batch.project)
    previous = previous_run(session, project.id, batch.branch, batch.started_at)
    in_id_order = reads_in_id_order(session.connection(), project.id)  # asked once for both reads
    known, before = known_findings(session, project.id, previous, in_id_order=in_id_order)
    fingerprints, known_ids = known.fingerprints, known.ids
    sources = known_sources(session, project.id, in_id_order=in_id_order)
    lazy = LazyIndex(session, project.id, sources)

    canonical: dict[str, str] = {}
    observed: list[Finding] = []
    keep: set[str] = set()  # existing findings whose data this import must not rewrite
    for finding in batch.findings:
        native = finding.fingerprint
        if native in canonical:
            target = canonical[native]
        elif native in sources:
            target = fingerprints[sources[native].finding_id]
        elif native in known_ids:
            target = native
            keep.add(native)  # recorded by a run, not created by this source
        else:
            target = lazy.get().resolve(finding)
        canonical[native] = target
        if target != native and target in known_ids:
            keep.add(target)
        observed.append(finding if target == native else dataclasses.replace(finding, fingerprint=target))

    observations = observed
    digests = {f.fingerprint: digest_of(f) for f in batch.findings}
    new_sources = [n for n in digests if n not in sources]
    changed_sources = [n for n, d in digests.items() if n in sources and sources[n].digest != d]
    targets = set(canonical.values())
    created = {t for t in targets if t not in known_ids}
    # A finding's data is rewritten only by the source that created it, and only when that source changed.
    rewrite = {canonical[n] for n in changed_sources if canonical[n] == n and n not in keep}
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
    run_id, new_ids = record_bulk_run(session, project.id, record, known, before, rewrite)
    ids = known_ids | new_ids

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
        branch=batch.branch,
        control=batch.control,
        reported=len(batch.findings),
        sources_seen=len(digests),
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
    write_sources(session, batch, project.id, imported.id, canonical, ids, digests, sources)
    return dataclasses.replace(outcome, import_id=imported.id)
