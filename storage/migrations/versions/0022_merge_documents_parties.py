"""Join the documents and the parties of a case, built in parallel.

Revision ID: 0022_merge_documents_parties
Revises: 0021_documents, 0022_parties
"""

from __future__ import annotations

revision = "0022_merge_documents_parties"
down_revision = ("0021_documents", "0022_parties")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
