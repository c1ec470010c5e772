"""Join the correspondence and letters (0023_correspondence, on the documents) with the case file
as main joined it (0025_merge_notes: the documents, the parties and the notes), built in parallel.

Revision ID: 0026_merge_correspondence
Revises: 0025_merge_notes, 0023_correspondence
"""

from __future__ import annotations

revision = "0026_merge_correspondence"
down_revision = ("0025_merge_notes", "0023_correspondence")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
