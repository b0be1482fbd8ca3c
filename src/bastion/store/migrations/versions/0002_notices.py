"""Notifications: which SLA breaches and expiring exceptions the webhooks were already sent.

Revision ID: 0002_notices
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_notices"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("notices",)
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing ``bastion.store.notices``.
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``webhook_notices``."""
    op.create_table(
        "webhook_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=True),
        sa.Column("notified_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_notices")),
        sa.UniqueConstraint("event", "key", name=op.f("uq_webhook_notices_event_key")),
    )
    op.create_index(op.f("ix_webhook_notices_project"), "webhook_notices", ["project"])


def downgrade() -> None:
    """Drop ``webhook_notices``."""
    op.drop_index(op.f("ix_webhook_notices_project"), table_name="webhook_notices")
    op.drop_table("webhook_notices")
