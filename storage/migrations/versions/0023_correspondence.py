"""The correspondence log of each case (`case_correspondence`); files carried by outbox
messages (`outbox_attachments`: stored content by sha256, read when the message is sent); the
reminders that a party has had no word (`party_reminders`: one per party and silent period); the
letters to the parties (`case_letters`: drafted, edited, sent; their DOCX and PDF are documents).

Revision ID: 0023_correspondence
Revises: 0021_documents
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_correspondence"
down_revision = "0021_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_correspondence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),  # 1, 2, ... within the case
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),  # JSON list of document numbers
        sa.Column("letter", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_case_correspondence_number"),
    )
    op.create_index("ix_case_correspondence_case_id", "case_correspondence", ["case_id"])
    op.create_table(
        "outbox_attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("outbox_id", "position", name="uq_outbox_attachments_position"),
    )
    op.create_index("ix_outbox_attachments_outbox_id", "outbox_attachments", ["outbox_id"])
    op.create_table(
        "party_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "party", "since", name="uq_party_reminders_period"),
    )
    op.create_index("ix_party_reminders_case_id", "party_reminders", ["case_id"])
    op.create_table(
        "case_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("docx_document", sa.Integer(), nullable=False),
        sa.Column("pdf_document", sa.Integer(), nullable=False),
        sa.Column("docx_sha256", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("paragraphs", sa.Text(), nullable=False),
        sa.Column("letter_values", sa.Text(), nullable=False),
        sa.Column("notice", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_by", sa.Text(), nullable=True),
        sa.UniqueConstraint("case_id", "number", name="uq_case_letters_number"),
    )
    op.create_index("ix_case_letters_case_id", "case_letters", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_letters_case_id", table_name="case_letters")
    op.drop_table("case_letters")
    op.drop_index("ix_party_reminders_case_id", table_name="party_reminders")
    op.drop_table("party_reminders")
    op.drop_index("ix_outbox_attachments_outbox_id", table_name="outbox_attachments")
    op.drop_table("outbox_attachments")
    op.drop_index("ix_case_correspondence_case_id", table_name="case_correspondence")
    op.drop_table("case_correspondence")
