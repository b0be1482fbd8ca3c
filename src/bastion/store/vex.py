"""VEX statements as the store keeps them: a finding's exploitability status from an imported VEX document.

One row per finding and vulnerability: the latest statement wins. ``not_affected`` statements carry the OpenVEX
justification (``vulnerable_code_not_present``...) or an impact statement; ``document`` names where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.store.tables import Base, FindingRow, ProjectRow

__all__ = ["VexRecord", "VexStatementRow", "vex_records"]


class VexStatementRow(Base):
    """A VEX status applied to a finding."""

    __tablename__ = "vex_statements"
    __table_args__ = (UniqueConstraint("finding_id", "vulnerability"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    vulnerability: Mapped[str] = mapped_column(String(255))
    product: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    justification: Mapped[str | None] = mapped_column(String(64))
    impact_statement: Mapped[str] = mapped_column(Text, default="")
    action_statement: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    stated_at: Mapped[datetime]


@dataclass(frozen=True, slots=True)
class VexRecord:
    """A stored statement with the finding it applies to."""

    fingerprint: str
    vulnerability: str
    product: str
    status: str
    justification: str | None
    impact_statement: str
    action_statement: str
    document: str
    author: str
    stated_at: datetime


def vex_records(session: Session, project: str) -> list[VexRecord]:
    """Every statement stored for ``project``'s findings."""
    query = (
        select(VexStatementRow, FindingRow.fingerprint)
        .join(FindingRow, FindingRow.id == VexStatementRow.finding_id)
        .join(ProjectRow, ProjectRow.id == VexStatementRow.project_id)
        .where(ProjectRow.name == project)
        .order_by(VexStatementRow.id)
    )
    return [
        VexRecord(
            fp,
            r.vulnerability,
            r.product,
            r.status,
            r.justification,
            r.impact_statement,
            r.action_statement,
            r.document,
            r.author,
            r.stated_at,
        )
        for r, fp in session.execute(query)
    ]
