"""Join the follow-up of commitments (0033_merge_commitments) with the external mediators
(0031_merge_mediators), both built in parallel on main.

Revision ID: 0034_merge_followup_mediators
Revises: 0033_merge_commitments, 0031_merge_mediators
"""

from __future__ import annotations

revision = "0034_merge_followup_mediators"
down_revision = ("0033_merge_commitments", "0031_merge_mediators")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
