"""Party links (`party_links`): a signed, expiring, revocable link per party to one case.

One row per link issued: its number (in the link's signed token), the case, the party's key,
the sha256 of the token (never the token), when it was issued and expires, who issued it and,
once revoked, when and by whom.

Revision ID: 0028_party_links
Revises: 0026_merge_correspondence
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_party_links"
down_revision = "0026_merge_correspondence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_party_links_case_id", "party_links", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_party_links_case_id", table_name="party_links")
    op.drop_table("party_links")
