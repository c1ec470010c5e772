"""Join the imported cases (0009_imports) to the head of the other issue-12 branches (0012).

No schema change: 0009_imports starts at 0006_merge_heads like the others; `upgrade head`
reaches every revision. (The lead may replace this with the merge of every issue-12 branch.)

Revision ID: 0013_merge_imports
Revises: 0012_merge_heads, 0009_imports
Create Date: 2026-12-01
"""

revision = "0013_merge_imports"
down_revision = ("0012_merge_heads", "0009_imports")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
