"""Join the external mediators (0031_mediators, built on 0026_merge_correspondence) with main as
it joined the statements, the party links and company engagement (0030_merge_links).

Revision ID: 0031_merge_mediators
Revises: 0030_merge_links, 0031_mediators
"""

from __future__ import annotations

revision = "0031_merge_mediators"
down_revision = ("0030_merge_links", "0031_mediators")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
