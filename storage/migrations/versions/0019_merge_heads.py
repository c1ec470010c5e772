"""Join the calendar feeds and the members' browser-set values, built in parallel.

Revision ID: 0019_merge_heads
Revises: 0017_calendar_feeds, 0018_member_settings
"""

from __future__ import annotations

revision = "0019_merge_heads"
down_revision = ("0017_calendar_feeds", "0018_member_settings")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
