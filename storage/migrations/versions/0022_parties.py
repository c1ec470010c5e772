"""Parties and their contacts: a party's identity withheld (`confidential`, now of any party),
reprisal risk with the measures taken (`parties.reprisal_risk`, `parties.measures`); each party's
representatives and contacts (`party_contacts`); `party_revision`, raised by every change to a
party or a contact (the redaction cache's key, storage/search.py).

Revision ID: 0022_parties
Revises: 0020_merge_search
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_parties"
down_revision = "0020_merge_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "parties", sa.Column("reprisal_risk", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("parties", sa.Column("measures", sa.Text(), nullable=True))
    # Redaction reads every party at risk of reprisal, as it reads the confidential ones.
    op.create_index(
        "ix_parties_reprisal_risk",
        "parties",
        ["case_id"],
        sqlite_where=sa.text("reprisal_risk"),
        postgresql_where=sa.text("reprisal_risk"),
    )
    op.create_table(
        "party_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("party_id", "number", name="uq_party_contacts_number"),
    )
    op.create_index("ix_party_contacts_party_id", "party_contacts", ["party_id"])
    op.create_table(
        "party_revision",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO party_revision (id, revision) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("party_revision")
    op.drop_index("ix_party_contacts_party_id", table_name="party_contacts")
    op.drop_table("party_contacts")
    op.drop_index("ix_parties_reprisal_risk", table_name="parties")
    op.drop_column("parties", "measures")
    op.drop_column("parties", "reprisal_risk")
