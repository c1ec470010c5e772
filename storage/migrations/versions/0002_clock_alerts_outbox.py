"""Pauses, extensions, fired alerts, the e-mail outbox, and a partial index on open deadlines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pauses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("started_at", _ts(), nullable=False),
        sa.Column("ended_at", _ts(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=True),
        sa.Column("ended_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_pauses_case_id", "pauses", ["case_id"])

    op.create_table(
        "extensions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id"), nullable=False),
        sa.Column("amount", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("at", _ts(), nullable=True),
    )
    op.create_index("ix_extensions_deadline_id", "extensions", ["deadline_id"])

    # The claim: inserting (deadline, rung, due date) succeeds once; a second sweeper's insert
    # finds the row and sends nothing.
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id"), nullable=False),
        sa.Column("rung", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("fired_at", _ts(), nullable=False),
        sa.UniqueConstraint("deadline_id", "rung", "due_on", name="uq_alerts_once"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.String(), nullable=False, unique=True),
        sa.Column("case_ref", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("next_attempt_at", _ts(), nullable=False),
        sa.Column("lease_until", _ts(), nullable=True),
        sa.Column("sent_at", _ts(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_outbox_status_next", "outbox", ["status", "next_attempt_at"])

    # "Open deadlines due before X" stays fast however many closed cases pile up.
    op.drop_index("ix_deadlines_open_due", table_name="deadlines")
    op.create_index("ix_deadlines_open_due", "deadlines", ["due_on"],
                    sqlite_where=sa.text("met_at IS NULL"),
                    postgresql_where=sa.text("met_at IS NULL"))


def downgrade() -> None:
    raise RuntimeError("not reversible: alerts and outbox rows are part of the audit trail")
