"""Cases brought in by `ncpflow case import`: one row per external id.

- `case_imports`: the external id (the import's key), the case's reference, the sha256 of the
  line's content (importing the same content again changes nothing; other content under the
  same id is a conflict), the source, the line, the importing actor and when.

Revision ID: 0009_imports
Revises: 0006_merge_heads
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_imports"
down_revision = "0006_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_imports",
        sa.Column("external_id", sa.String(), primary_key=True),
        sa.Column("reference", sa.String(), nullable=False, unique=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_imports")
