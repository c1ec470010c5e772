"""Join the correspondence and the notes, built in parallel (issue 14).

Revision ID: 0026_merge_walk
Revises: 0023m_merge_parties, 0025_merge_notes
"""

from __future__ import annotations

revision = "0026_merge_walk"
down_revision = ("0023m_merge_parties", "0025_merge_notes")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: every branch's tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
