"""Findings service: triage decisions and history, API tokens, project rules, exploit signals, the audit log.

Revision ID: 0002_service
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_service"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("service",)
depends_on: str | Sequence[str] | None = None

# Migrations are frozen snapshots: they spell types out instead of importing the store's modules.
_TIMESTAMP = sa.DateTime(timezone=True)
_GENESIS = "0" * 64


def _decision_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("decided_at", _TIMESTAMP, nullable=False),
        sa.Column("expires_at", _TIMESTAMP, nullable=True),
        sa.Column("approver", sa.String(length=200), nullable=True),
    ]


def _refuse_changes_to_the_audit_log() -> None:
    # Defence in depth: the database itself refuses UPDATE and DELETE (and TRUNCATE) on the log. Someone with
    # DDL rights can drop the triggers; the hash chain still shows what they changed.
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bastion_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION bastion_audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION bastion_audit_log_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def upgrade() -> None:
    """Create the service's tables and the audit log's head row."""
    op.create_table(
        "finding_triage",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        *_decision_columns(),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_finding_triage_finding_id_findings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_finding_triage")),
    )
    op.create_table(
        "triage_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("previous_state", sa.String(length=32), nullable=False),
        *_decision_columns(),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_triage_events_finding_id_findings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_events")),
    )
    op.create_index(op.f("ix_triage_events_finding_id"), "triage_events", ["finding_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("shown", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("expires_at", _TIMESTAMP, nullable=True),
        sa.Column("revoked_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "project_rules",
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("codeowners", sa.Text(), nullable=False),
        sa.Column("owner_rules", sa.JSON(), nullable=False),
        sa.Column("sla", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("project", name=op.f("pk_project_rules")),
    )
    op.create_table(
        "kev_entries",
        sa.Column("cve", sa.String(length=32), nullable=False),
        sa.Column("date_added", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("cve", name=op.f("pk_kev_entries")),
    )
    op.create_table(
        "epss_scores",
        sa.Column("cve", sa.String(length=32), nullable=False),
        sa.Column("epss", sa.Float(), nullable=False),
        sa.Column("percentile", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("cve", name=op.f("pk_epss_scores")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", _TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    _refuse_changes_to_the_audit_log()
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": _GENESIS}])


def downgrade() -> None:
    """Drop the service's tables."""
    for table in (
        "audit_head",
        "audit_log",
        "epss_scores",
        "kev_entries",
        "project_rules",
        "api_tokens",
        "triage_events",
        "finding_triage",
    ):
        op.drop_table(table)
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bastion_audit_log_append_only()")
