"""Merge the case issues (0008) and case facts (0010) branches into one head.

No schema change. (The lead may replace this with the merge of every issue-12 branch.)

Revision ID: 0011_merge_issues_facts
Revises: 0008_case_issues, 0010_case_facts
Create Date: 2026-12-01
"""

revision = "0011_merge_issues_facts"
down_revision = ("0008_case_issues", "0010_case_facts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
