"""Merge the two branches after 0006 (procedure versions; case issues) into one head.

No schema change: a database that reached either branch upgrades to this one revision.

Revision ID: 0009_merge_heads
Revises: 0007_procedure_versions, 0008_case_issues
Create Date: 2026-12-01
"""

revision = "0009_merge_heads"
down_revision = ("0007_procedure_versions", "0008_case_issues")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
