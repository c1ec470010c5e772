"""Join the search index with the calendar feeds and the members' browser-set values, built in
parallel.

Revision ID: 0020_merge_search
Revises: 0019_merge_heads, 0016_case_search
"""

from __future__ import annotations

revision = "0020_merge_search"
down_revision = ("0019_merge_heads", "0016_case_search")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
