"""Join the correspondence (0023_correspondence, on the documents) with the documents and the
parties as main joined them (0022_merge_documents_parties), built in parallel; the case file's
final merge takes this one's place.

Revision ID: 0023m_merge_parties
Revises: 0022_merge_documents_parties, 0023_correspondence
"""

from __future__ import annotations

revision = "0023m_merge_parties"
down_revision = ("0022_merge_documents_parties", "0023_correspondence")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
