"""Join the procedure-versions branch (0009) and the issues-and-facts branch (0011) into one head.

No schema change: issue 12's slices were built in parallel, each from 0006_merge_heads.

Revision ID: 0012_merge_heads
Revises: 0009_merge_heads, 0011_merge_issues_facts
Create Date: 2026-12-01
"""

revision = "0012_merge_heads"
down_revision = ("0009_merge_heads", "0011_merge_issues_facts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
