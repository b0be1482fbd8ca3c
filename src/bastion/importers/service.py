"""The import service: a tool's report in, findings recorded with dedup and lifecycle, a summary out.

``import_report`` is what ``bastion import`` and ``POST /api/v1/imports`` call. It checks the size, parses the
whole report (any problem raises ``ImporterError`` before anything is written), completes fingerprints
(``identity.py``) and records everything in one transaction (``store.imports``): either the whole report is
imported or nothing is. New findings at or above ``blocking`` severity are then handed to ``notify`` (webhooks),
which must not block.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bastion.errors import ImporterError
from bastion.importers.identity import complete_fingerprints
from bastion.importers.registry import BUILTIN, importer_for
from bastion.memory import gc_paused
from bastion.model import ControlMode, Finding, Severity, Stage

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bastion.scanners.protocol import Importer
    from bastion.store import Store
    from bastion.store.imports import ImportOutcome

__all__ = ["DEFAULT_MAX_BYTES", "ImportSummary", "check_size", "import_report"]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""Reports larger than this are refused unless the caller sets a higher limit."""

_STAGES = {"trivy": Stage.BUILD, "pip-audit": Stage.BUILD, "checkov": Stage.BUILD, "zap": Stage.TEST}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: findings created, updated (changed data or a new source) or unchanged, and sources."""

    project: str
    branch: str
    format: str
    source: str
    run_id: int
    import_id: int
    reported: int
    """Findings in the report (before dedup)."""
    findings_new: int
    findings_updated: int
    findings_unchanged: int
    sources_new: int
    sources_updated: int
    sources_unchanged: int
    new_findings: tuple[Finding, ...] = ()
    repeated: bool = False
    """True when this exact report was the control's latest import: nothing was parsed or written."""

    @property
    def changed_nothing(self) -> bool:
        """True for a re-import of a report already imported: no finding or source created or changed."""
        return not (self.findings_new or self.findings_updated or self.sources_new or self.sources_updated)

    def as_document(self) -> dict[str, Any]:
        """The summary as a JSON-ready mapping (CLI ``--json`` and the API)."""
        return {
            "project": self.project,
            "branch": self.branch,
            "format": self.format,
            "source": self.source,
            "run_id": self.run_id,
            "import_id": self.import_id,
            "reported": self.reported,
            "repeated": self.repeated,
            "findings": {
                "new": self.findings_new,
                "updated": self.findings_updated,
                "unchanged": self.findings_unchanged,
            },
            "sources": {"new": self.sources_new, "updated": self.sources_updated, "unchanged": self.sources_unchanged},
        }


def check_size(source: str, size: int, max_bytes: int) -> None:
    """``ImporterError`` when a report of ``size`` bytes is over the limit: the import's own check, and the CLI's
    before it reads a file."""
    if size > max_bytes:
        raise ImporterError(
            f"{source}: the report is {size} bytes, over the import limit of {max_bytes} bytes",
            hint="raise the limit with --max-bytes (or BASTION_IMPORT_MAX_BYTES)",
        )


def import_report(
    store: Store,
    data: bytes,
    fmt: str,
    *,
    project: str,
    source: str,
    branch: str = "main",
    control: str | None = None,
    root: Path | None = None,
    commit: str | None = None,
    mode: ControlMode = ControlMode.MANDATORY,
    max_bytes: int = DEFAULT_MAX_BYTES,
    blocking: Severity = Severity.HIGH,
    notify: Callable[[str, str, list[Finding]], None] | None = None,
    force: bool = False,
    audit: Callable[[Session, ImportOutcome], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Parse ``data`` as format ``fmt`` and record it in ``project`` as one transaction.

    ``source`` names the report in errors and in the store (a file name, an upload's name). ``root`` is the
    repository, when at hand, for code-based fingerprints. ``notify(event, project, findings)`` receives the new
    findings at or above ``blocking`` as ``finding.new_blocking`` once the import is committed. ``audit(session,
    outcome)`` runs inside the import's transaction (its audit entry commits with the import or not at all).
    ``progress(phase)`` hears each phase of the work as it starts (``parsing``, ``recording N findings``), for a
    display: a big report takes seconds.

    When the latest import of the same control on the branch was this very report (same SHA-256), nothing is
    parsed or written and the summary reports everything unchanged; ``force`` processes it in full regardless.
    """
    from bastion.store.imports import repeated_import

    check_size(source, len(data), max_bytes)
    importer = importer_for(fmt)
    name = control or fmt
    digest = hashlib.sha256(data).hexdigest()
    if not force:
        repeated = store.read(lambda session: repeated_import(session, project, branch, name, digest))
        if repeated is not None:
            outcome, reported = repeated
            return _summary(project, branch, fmt, source, reported, outcome, repeated=True)
    # No cyclic collection from parsing to the commit: the report's objects are acyclic and freed by reference
    # counting, and each collection in between would walk all of them again.
    with gc_paused():
        outcome, reported = _parse_and_record(
            store, importer, data, project, branch, fmt, source, name, digest, root, commit, mode, audit, progress
        )
    summary = _summary(project, branch, fmt, source, reported, outcome, repeated=False)
    blocking_new = [f for f in outcome.new_findings if f.severity.at_least(blocking)]
    if notify is not None and blocking_new:
        notify("finding.new_blocking", project, blocking_new)
    return summary


def _parse_and_record(
    store: Store,
    importer: Importer,
    data: bytes,
    project: str,
    branch: str,
    fmt: str,
    source: str,
    control: str,
    digest: str,
    root: Path | None,
    commit: str | None,
    mode: ControlMode,
    audit: Callable[[Session, ImportOutcome], None] | None,
    progress: Callable[[str], None] | None,
) -> tuple[ImportOutcome, int]:
    """Parse the report, complete fingerprints and record it in one transaction; the outcome and the count."""
    from bastion.store.imports import ImportBatch, record_import

    # Built-in importers build fresh findings on every parse, so their fingerprints can be filled in place; a
    # third-party importer might hand out findings it keeps, which must not change under it.
    owned = fmt in BUILTIN
    if progress is not None:
        progress("parsing")
    findings = complete_fingerprints(importer.parse(data, source=source, control=control), root, owned=owned)
    batch = ImportBatch(
        project=project,
        branch=branch,
        format=fmt,
        source=source,
        sha256=digest,
        control=control,
        findings=tuple(findings),
        started_at=datetime.now(UTC),
        stage=_STAGES.get(fmt, Stage.CODE),
        mode=mode,
        commit=commit,
    )

    # The store's one writing transaction: recording the import (and its audit entry) fails or succeeds as a whole.
    def write(session: Session) -> ImportOutcome:
        recorded = record_import(session, batch)
        if audit is not None:
            audit(session, recorded)
        return recorded

    if progress is not None:
        progress(f"recording {len(findings):,} findings")
    return store.write(write), len(findings)


def _summary(
    project: str, branch: str, fmt: str, source: str, reported: int, outcome: ImportOutcome, *, repeated: bool
) -> ImportSummary:
    return ImportSummary(
        project=project,
        branch=branch,
        format=fmt,
        source=source,
        run_id=outcome.run_id,
        import_id=outcome.import_id,
        reported=reported,
        findings_new=outcome.findings_new,
        findings_updated=outcome.findings_updated,
        findings_unchanged=outcome.findings_unchanged,
        sources_new=outcome.sources_new,
        sources_updated=outcome.sources_updated,
        sources_unchanged=outcome.sources_unchanged,
        new_findings=outcome.new_findings,
        repeated=repeated,
    )
