"""Join the case issues (0008_case_issues) and the imported cases (0009_imports) into one head.

No schema change: both branches start at 0006_merge_heads; `upgrade head` reaches both.

Revision ID: 0009_merge_issues_imports
Revises: 0008_case_issues, 0009_imports
Create Date: 2026-12-01
"""

revision = "0009_merge_issues_imports"
down_revision = ("0008_case_issues", "0009_imports")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
