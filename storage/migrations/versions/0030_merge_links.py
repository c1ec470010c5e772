"""Join the branches built in parallel on 0026_merge_correspondence that the party links meet:
the statements (0027_statements: the party's pages read the drafts circulated to it), the party
links (0028_party_links) and, as main joined it, company engagement (0030_engagement).

Revision ID: 0030_merge_links
Revises: 0027_statements, 0028_party_links, 0030_engagement
"""

from __future__ import annotations

revision = "0030_merge_links"
down_revision = ("0027_statements", "0028_party_links", "0030_engagement")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: every branch's tables already exist."""


def downgrade() -> None:
    """Nothing to undo here: each branch's own migration drops its tables."""
