"""Policy: time-boxed exceptions to the gate, per project.

Revision ID: 0002_policy
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_policy"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("policy",)
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing ``bastion.store.exceptions``.
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``policy_exceptions``."""
    op.create_table(
        "policy_exceptions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("expires", sa.Date(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("removed_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_exceptions")),
    )
    op.create_index(op.f("ix_policy_exceptions_project_removed_at"), "policy_exceptions", ["project", "removed_at"])


def downgrade() -> None:
    """Drop the exceptions."""
    op.drop_table("policy_exceptions")
