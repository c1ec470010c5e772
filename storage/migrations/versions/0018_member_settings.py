"""Members' leave periods and declared conflicts set in the browser (`member_settings`), kept
beside what config.toml declares: `members sync` replaces config's values and never these.

Revision ID: 0018_member_settings
Revises: 0015_issue_precision
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_member_settings"
down_revision = "0015_issue_precision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.String(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("party_name", sa.Text(), nullable=True),
        sa.Column("org_number", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_member_settings_member_id", "member_settings", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_member_settings_member_id", table_name="member_settings")
    op.drop_table("member_settings")
