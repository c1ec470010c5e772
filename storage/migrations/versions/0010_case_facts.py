"""Dated facts of a case (`case_facts`): the publication of the initial assessment, the parties'
agreement to mediate, interim and later agreements, a procedural review requested and concluded.

Revision ID: 0010_case_facts
Revises: 0006_merge_heads
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_case_facts"
down_revision = "0006_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_facts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_whom", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_case_facts_case_id", "case_facts", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_facts_case_id", table_name="case_facts")
    op.drop_table("case_facts")
