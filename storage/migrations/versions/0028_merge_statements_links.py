"""Join the statements (0027_statements) and the party links (0028_party_links), built in
parallel on 0026_merge_correspondence: the party's pages read the drafts circulated to it.

Revision ID: 0028_merge_statements_links
Revises: 0027_statements, 0028_party_links
"""

from __future__ import annotations

revision = "0028_merge_statements_links"
down_revision = ("0027_statements", "0028_party_links")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to undo here: each branch's own migration drops its tables."""
