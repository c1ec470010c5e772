"""Checkpoints signed with Ed25519: the signature and the signing key's fingerprint.

Older rows keep their HMAC in `mac` and have neither; new rows have both and an empty `mac`.

Revision ID: 0005_signed_checkpoints
Revises: 0004_audit
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_signed_checkpoints"
down_revision = "0004_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_checkpoints", sa.Column("sig", sa.String(), nullable=True))
    op.add_column("audit_checkpoints", sa.Column("key_id", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_checkpoints", "key_id")
    op.drop_column("audit_checkpoints", "sig")
