"""Statements and their comment rounds: `case_statements` (drafted from templates, their DOCX and
PDF documents of the case, published once), `comment_rounds` (a draft circulated to parties with
a window), `round_comments` (comments received) and `round_alerts` (each rung of a window fired
once: the lead's alerts and the parties' reminder).

Revision ID: 0027_statements
Revises: 0026_merge_correspondence
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_statements"
down_revision = "0026_merge_correspondence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_statements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("docx_document", sa.Integer(), nullable=False),
        sa.Column("pdf_document", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Text(), nullable=True),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("fired", sa.String(), nullable=True),
        sa.UniqueConstraint("case_id", "number", name="uq_case_statements_number"),
    )
    op.create_index("ix_case_statements_case_id", "case_statements", ["case_id"])
    op.create_table(
        "comment_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Integer(), nullable=False),
        sa.Column("document", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("parties", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=True),
        sa.UniqueConstraint("case_id", "number", name="uq_comment_rounds_number"),
    )
    op.create_index("ix_comment_rounds_case_id", "comment_rounds", ["case_id"])
    op.create_table(
        "round_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("via", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("document", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_round_comments_number"),
    )
    op.create_index("ix_round_comments_case_id", "round_comments", ["case_id"])
    op.create_table(
        "round_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("comment_rounds.id"), nullable=False),
        sa.Column("rung", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "rung", "due_on", name="uq_round_alerts_once"),
    )
    op.create_index("ix_round_alerts_round_id", "round_alerts", ["round_id"])


def downgrade() -> None:
    op.drop_index("ix_round_alerts_round_id", table_name="round_alerts")
    op.drop_table("round_alerts")
    op.drop_index("ix_round_comments_case_id", table_name="round_comments")
    op.drop_table("round_comments")
    op.drop_index("ix_comment_rounds_case_id", table_name="comment_rounds")
    op.drop_table("comment_rounds")
    op.drop_index("ix_case_statements_case_id", table_name="case_statements")
    op.drop_table("case_statements")
