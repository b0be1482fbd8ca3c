"""Supply chain: the keyless Sigstore bundles of each recorded release, kept as written.

Revision ID: 0003_release_sigstore
Revises: 0002_supplychain
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_release_sigstore"
down_revision: str | None = "0002_supplychain"
branch_labels: str | Sequence[str] | None = None  # on the ``supplychain`` branch
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing ``bastion.store.releases``.


def upgrade() -> None:
    """Create ``release_sigstore_bundles``; releases recorded before it simply have none."""
    op.create_table(
        "release_sigstore_bundles",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=200), nullable=False),
        sa.Column("bundle", sa.Text(), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("log_index", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name=op.f("fk_release_sigstore_bundles_release_id_releases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("release_id", "kind", name=op.f("pk_release_sigstore_bundles")),
    )


def downgrade() -> None:
    """Drop the Sigstore bundles (the releases keep their DSSE envelopes)."""
    op.drop_table("release_sigstore_bundles")
