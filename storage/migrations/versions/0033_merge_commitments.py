"""Join the follow-up of commitments (0029_commitments) with main as it stands (0030_merge_links:
statements, party links and company engagement), built in parallel on 0026_merge_correspondence.

Revision ID: 0033_merge_commitments
Revises: 0030_merge_links, 0029_commitments
"""

from __future__ import annotations

revision = "0033_merge_commitments"
down_revision = ("0030_merge_links", "0029_commitments")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
