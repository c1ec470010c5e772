"""Server-side sessions, API tokens of their own, disabled users, TOTP.

- `sessions`: one row per sign-in; the cookie holds a random id, the table its sha256. Sign-out
  and a new password revoke rows, so a replayed cookie stops working at once.
- `api_tokens`: a user may hold several tokens, each listed and revoked on its own; the
  existing `users.token_hash` values move here.
- `users.disabled`, `users.stamp` (raised by every change that ends sessions or tokens, so a
  cached token is checked with one indexed read), `users.totp_secret`, `users.totp_last_step`.

Revision ID: 0005_sessions
Revises: 0004_users
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_sessions"
down_revision = "0004_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(), primary_key=True),  # sha256 of the cookie's id
        sa.Column("user_name", sa.String(), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(), primary_key=True),  # first 12 hex digits of the hash
        sa.Column("user_name", sa.String(), nullable=False, index=True),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.execute("INSERT INTO api_tokens (id, user_name, token_hash, created_at) "
               "SELECT substr(token_hash, 1, 12), name, token_hash, created_at FROM users "
               "WHERE token_hash IS NOT NULL")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("stamp", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("totp_secret", sa.Text(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.drop_column("token_hash")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(), nullable=True, unique=True))
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
        batch.drop_column("stamp")
        batch.drop_column("disabled")
    op.drop_table("api_tokens")
    op.drop_table("sessions")
