"""Merge the two branches (users and sessions; signed audit checkpoints) into one head.

No schema change: every database, whichever branch it reached first, upgrades to this one
revision, and later migrations chain after it.

Revision ID: 0006_merge_heads
Revises: 0005_signed_checkpoints, 0005_sessions
Create Date: 2026-12-01
"""

revision = "0006_merge_heads"
down_revision = ("0005_signed_checkpoints", "0005_sessions")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
