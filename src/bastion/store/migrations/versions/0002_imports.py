"""Imports: imported reports, the sources of deduplicated findings, VEX statements and webhook subscriptions.

Revision ID: 0002_imports
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_imports"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("imports",)
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing the store's modules.
_TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


def upgrade() -> None:
    """Create ``imports``, ``finding_sources``, ``vex_statements`` and ``webhooks``."""
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("branch", sa.String(length=255), nullable=False),
        sa.Column("control", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("reported", sa.Integer(), nullable=False),
        sa.Column("sources_seen", sa.Integer(), nullable=False),
        sa.Column("findings_new", sa.Integer(), nullable=False),
        sa.Column("findings_updated", sa.Integer(), nullable=False),
        sa.Column("findings_unchanged", sa.Integer(), nullable=False),
        sa.Column("sources_new", sa.Integer(), nullable=False),
        _fk("imports", "project_id", "projects", "CASCADE"),
        _fk("imports", "run_id", "runs", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index(op.f("ix_imports_project_id_format_created_at"), "imports", ["project_id", "format", "created_at"])
    op.create_table(
        "finding_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("native_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("tool", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=255), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("start_line", sa.Integer(), nullable=True),
        sa.Column("package", sa.Text(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", _TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", _TIMESTAMP, nullable=False),
        sa.Column("last_import_id", sa.Integer(), nullable=True),
        _fk("finding_sources", "project_id", "projects", "CASCADE"),
        _fk("finding_sources", "finding_id", "findings", "CASCADE"),
        _fk("finding_sources", "last_import_id", "imports", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_sources")),
        sa.UniqueConstraint(
            "project_id", "native_fingerprint", name=op.f("uq_finding_sources_project_id_native_fingerprint")
        ),
    )
    op.create_index(op.f("ix_finding_sources_finding_id"), "finding_sources", ["finding_id"])
    op.create_table(
        "vex_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.String(length=255), nullable=False),
        sa.Column("product", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("justification", sa.String(length=64), nullable=True),
        sa.Column("impact_statement", sa.Text(), nullable=False),
        sa.Column("action_statement", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("stated_at", _TIMESTAMP, nullable=False),
        _fk("vex_statements", "project_id", "projects", "CASCADE"),
        _fk("vex_statements", "finding_id", "findings", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vex_statements")),
        sa.UniqueConstraint("finding_id", "vulnerability", name=op.f("uq_vex_statements_finding_id_vulnerability")),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret_env", sa.String(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("webhooks")
    op.drop_table("vex_statements")
    op.drop_table("finding_sources")
    op.drop_table("imports")
