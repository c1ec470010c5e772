"""A case's issues: each tied to Guidelines chapters, accepted or not, with its own outcome.

Revision ID: 0008_case_issues
Revises: 0006_merge_heads
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_case_issues"
down_revision = "0006_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_issues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),  # 1, 2, ... within the case
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("chapters", sa.Text(), nullable=False),  # JSON list of chapter ids
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_case_issues_number"),
    )
    op.create_index("ix_case_issues_case_id", "case_issues", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_issues_case_id", table_name="case_issues")
    op.drop_table("case_issues")
