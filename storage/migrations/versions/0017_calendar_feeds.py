"""Personal calendar subscription URLs (`calendar_feeds`).

One row per URL a user made: the sha256 of the secret token in the URL (never the token), the
feed's language and scope, when it was made and revoked. A user has at most one unrevoked row:
making a new URL revokes the one before.

Revision ID: 0017_calendar_feeds
Revises: 0015_issue_precision
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_calendar_feeds"
down_revision = "0015_issue_precision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.String(), primary_key=True),  # first 12 hex digits of the hash
        sa.Column("user_name", sa.String(), nullable=False, index=True),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("calendar_feeds")
