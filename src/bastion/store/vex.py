"""VEX statements as the store keeps them: a finding's exploitability status from an imported VEX document.

One row per finding and vulnerability: the latest statement wins. ``not_affected`` statements carry the OpenVEX
justification (``vulnerable_code_not_present``...) or an impact statement; ``document`` names where it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.dedup import normalise_purl
from bastion.store.tables import Base, FindingRow, ProjectRow

if TYPE_CHECKING:
    from bastion.importers.vex import VexStatement

__all__ = ["VexRecord", "VexStatementRow", "apply_statements", "vex_records"]


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


def apply_statements(
    session: Session, project: str, statements: Sequence[VexStatement], *, document: str, author: str
) -> list[str]:
    """Record each statement on the project's matching dependency findings; their fingerprints, in order."""
    project_id = session.scalar(select(ProjectRow.id).where(ProjectRow.name == project))
    if project_id is None:
        raise StoreError(f"no project named '{project}'")
    query = select(
        FindingRow.id, FindingRow.fingerprint, FindingRow.rule_id, FindingRow.aliases, FindingRow.package
    ).where(FindingRow.project_id == project_id, FindingRow.package.is_not(None))
    findings = list(session.execute(query))
    existing = {
        (r.finding_id, r.vulnerability): r
        for r in session.scalars(select(VexStatementRow).where(VexStatementRow.project_id == project_id))
    }
    now = datetime.now(UTC)
    matched: list[str] = []
    for statement in statements:
        names = {statement.vulnerability.upper(), *(a.upper() for a in statement.aliases)}
        products = [_product(p) for p in statement.products]
        for finding_id, fingerprint, rule_id, aliases, package in findings:
            ids = {rule_id.upper(), *(str(a).upper() for a in aliases)}
            if not names & ids or not any(_covers(p, normalise_purl(package)) for p in products):
                continue
            row = existing.get((finding_id, statement.vulnerability))
            if row is None:
                row = VexStatementRow(
                    project_id=project_id, finding_id=finding_id, vulnerability=statement.vulnerability
                )
                session.add(row)
                existing[(finding_id, statement.vulnerability)] = row
            row.product = package
            row.status = statement.status.value
            row.justification = statement.justification.value if statement.justification else None
            row.impact_statement = statement.impact_statement
            row.action_statement = statement.action_statement
            row.document = document
            row.author = author
            row.stated_at = now
            matched.append(fingerprint)
    return matched


def _product(purl: str) -> tuple[str, str | None]:
    name, _, version = normalise_purl(purl).partition("@")
    return name, version or None


def _covers(product: tuple[str, str | None], package: str) -> bool:
    name, _, version = package.partition("@")
    return name == product[0] and (product[1] is None or product[1] == version)
