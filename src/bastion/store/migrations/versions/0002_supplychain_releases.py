"""Supply chain: the release ledger (what shipped where and when) and the packages each release contains.

Revision ID: 0002_supplychain
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_supplychain"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("supplychain",)
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing ``bastion.store.releases``.
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``releases`` and ``release_components`` with the index the package query uses."""
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.Column("environment", sa.String(length=64), nullable=False),
        sa.Column("artifact_name", sa.Text(), nullable=False),
        sa.Column("artifact_digest", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.Column("gate_outcome", sa.String(length=16), nullable=True),
        sa.Column("gate", sa.JSON(), nullable=True),
        sa.Column("sbom_format", sa.String(length=16), nullable=True),
        sa.Column("sbom", sa.JSON(), nullable=True),
        sa.Column("attestations", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
    )
    op.create_index(
        op.f("ix_releases_project_environment_recorded_at"), "releases", ["project", "environment", "recorded_at"]
    )
    op.create_table(
        "release_components",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("purl", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("short_name", sa.String(length=500), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name=op.f("fk_release_components_release_id_releases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("release_id", "purl", name=op.f("pk_release_components")),
    )
    op.create_index(op.f("ix_release_components_name_version"), "release_components", ["name", "version"])
    op.create_index(op.f("ix_release_components_short_name_version"), "release_components", ["short_name", "version"])


def downgrade() -> None:
    """Drop the ledger."""
    op.drop_table("release_components")
    op.drop_table("releases")
