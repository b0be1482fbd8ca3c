"""Finding sources: each tool report that reported a finding, kept when dedup joins several into one.

- ``imports``: one row per imported report: branch, control, format, where it came from (``source``: a file
  name or an API client's label), the SHA-256 of its bytes, the run it was recorded as, and its counts.
- ``finding_sources``: one row per tool finding that was imported, identified in a project by its own
  fingerprint (``native_fingerprint``, from the tool's report), pointing at the finding it was deduplicated
  into. ``digest`` hashes the tool's data for the finding, so a re-import can tell unchanged from updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.store.tables import Base, FindingRow, ProjectRow

__all__ = ["FindingSource", "FindingSourceRow", "ImportRow", "sources_of"]


class ImportRow(Base):
    """One imported report."""

    __tablename__ = "imports"
    __table_args__ = (Index(None, "project_id", "format", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    branch: Mapped[str] = mapped_column(String(255))
    control: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    reported: Mapped[int] = mapped_column(Integer, default=0)
    """Findings in the report, before dedup."""
    sources_seen: Mapped[int] = mapped_column(Integer, default=0)
    """Distinct tool findings (sources) in the report."""
    findings_new: Mapped[int] = mapped_column(Integer, default=0)
    findings_updated: Mapped[int] = mapped_column(Integer, default=0)
    findings_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    sources_new: Mapped[int] = mapped_column(Integer, default=0)


class FindingSourceRow(Base):
    """One tool's report of a finding."""

    __tablename__ = "finding_sources"
    __table_args__ = (
        UniqueConstraint("project_id", "native_fingerprint"),
        Index(None, "finding_id"),
        # Half-full pages on PostgreSQL: every import updates every source it observes, in place (migration 0003).
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    native_fingerprint: Mapped[str] = mapped_column(String(64))
    tool: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(255))
    severity: Mapped[str] = mapped_column(String(16))
    path: Mapped[str | None] = mapped_column(Text)
    start_line: Mapped[int | None]
    package: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))


@dataclass(frozen=True, slots=True)
class FindingSource:
    """A tool's report of a finding, as the API and CLI show it."""

    tool: str
    format: str
    rule_id: str
    severity: str
    path: str | None
    start_line: int | None
    package: str | None
    first_seen: datetime
    last_seen: datetime


def sources_of(session: Session, project: str, fingerprint: str) -> list[FindingSource]:
    """Every imported source of the finding ``fingerprint`` in ``project``, oldest first."""
    query = (
        select(FindingSourceRow)
        .join(FindingRow, FindingRow.id == FindingSourceRow.finding_id)
        .join(ProjectRow, ProjectRow.id == FindingSourceRow.project_id)
        .where(ProjectRow.name == project, FindingRow.fingerprint == fingerprint)
        .order_by(FindingSourceRow.first_seen_at, FindingSourceRow.id)
    )
    return [
        FindingSource(
            tool=row.tool,
            format=row.format,
            rule_id=row.rule_id,
            severity=row.severity,
            path=row.path,
            start_line=row.start_line,
            package=row.package,
            first_seen=row.first_seen_at,
            last_seen=row.last_seen_at,
        )
        for row in session.scalars(query)
    ]
