"""Users of the web app and API: role, member link, API token hash, password hash.

Revision ID: 0004_users
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_users"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=True),
        # sha256 of the API token (tokens are 256-bit random, so a fast hash is enough).
        sa.Column("token_hash", sa.String(), nullable=True, unique=True),
        # argon2id, in its own encoded form.
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("users")
