"""Join the notes with the documents and parties, built in parallel (issue 14).

Revision ID: 0025_merge_notes
Revises: 0022_merge_documents_parties, 0024_notes
"""

from __future__ import annotations

revision = "0025_merge_notes"
down_revision = ("0022_merge_documents_parties", "0024_notes")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: every branch's tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
