"""Join the statements (0027_statements) with company engagement (0030_engagement), as the register
branch holds both: the register itself needs no table of its own (it reads cases, the audit log,
documents and statements). A merge only; the lead's own merge of these heads replaces it.

Revision ID: 0032_register
Revises: 0027_statements, 0030_engagement
"""

from __future__ import annotations

revision = "0032_register"
down_revision = ("0027_statements", "0030_engagement")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to do."""
