"""The store's schema: SQLAlchemy tables for projects, runs, control runs, findings and run findings.

- ``projects``: one row per project name.
- ``runs``: one execution of the pipeline on a project, branch and commit; ``status`` is the worst control
  status (``errored`` > ``partial`` > ``succeeded``); the gate's decision (outcome and JSON) comes afterwards.
- ``control_runs``: what each control did in a run, with the files it could not analyse as JSON.
- ``findings``: one row per problem per project, identified by ``(project, fingerprint)``. It holds the latest
  data any run observed, and when the problem was first and last observed in the project (any branch).
- ``run_findings``: a finding's lifecycle state in one run (open: new, existing, reopened; or fixed), whether
  it was carried (still open, not observed because its control errored or skipped its file), the mode of its
  control, and its severity at that run so past summaries stay true when a rule is re-rated.

Timestamps are timezone-aware UTC on the way in and out, on every backend (``UtcDateTime``). These classes
never leave the package: ``rows.py`` maps them to and from ``bastion.model``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "ControlRunRow", "FindingRow", "ProjectRow", "RunFindingRow", "RunRow", "UtcDateTime"]


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware, also on SQLite, which has no time zones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; on SQLite drop the offset so every stored value sorts as text."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach (or convert to) UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    # Named constraints, so that later migrations can alter them on SQLite (batch mode recreates tables).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class ProjectRow(Base):
    """A project: the unit findings are tracked in (usually one repository)."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class RunRow(Base):
    """One execution of the pipeline."""

    __tablename__ = "runs"
    __table_args__ = (Index(None, "project_id", "branch", "started_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    branch: Mapped[str] = mapped_column(String(255))
    commit: Mapped[str | None] = mapped_column(String(64))
    root: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    decision_outcome: Mapped[str | None] = mapped_column(String(16))
    decision: Mapped[dict[str, Any] | None]


class ControlRunRow(Base):
    """What one control did in one run."""

    __tablename__ = "control_runs"
    __table_args__ = (UniqueConstraint("run_id", "control"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    control: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    uses: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime]
    duration_s: Mapped[float]
    files_scanned: Mapped[int] = mapped_column(Integer, default=0)
    unanalysed: Mapped[list[Any]]
    """``[{"path": ..., "reason": ...}, ...]``."""


class FindingRow(Base):
    """A problem in a project, with the latest data observed for it."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("project_id", "fingerprint"),
        # Short-id lookups across projects are range scans on this index (see ``history.py``).
        Index(None, "fingerprint"),
        # Half-full pages on PostgreSQL: every import updates every finding it observes, in place (migration 0003).
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    control: Mapped[str] = mapped_column(String(200))
    tool: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[str] = mapped_column(String(16))
    cwe: Mapped[list[Any]]
    aliases: Mapped[list[Any]]
    path: Mapped[str | None] = mapped_column(Text)
    start_line: Mapped[int | None]
    end_line: Mapped[int | None]
    start_column: Mapped[int | None]
    commit: Mapped[str | None] = mapped_column(String(64))
    package: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    remediation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    """Masked by the scanner; the store never receives a secret in full."""
    help_uri: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class RunFindingRow(Base):
    """A finding's state in one run."""

    __tablename__ = "run_findings"
    __table_args__ = (Index(None, "finding_id", "run_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    carried: Mapped[bool]
    mode: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
