"""Internal notes on cases (`case_notes`): append-only, like the audit log that proves them.

One row per note: its number within the case, text, author, when it was written and recorded,
and the number of the earlier note it corrects. A note is never changed or removed (a
correction is a new note): UPDATE and DELETE are refused by triggers on both backends.

Revision ID: 0024_notes
Revises: 0020_merge_search
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_notes"
down_revision = "0020_merge_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),  # 1, 2, ... within the case
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaces", sa.Integer(), nullable=True),
        sa.UniqueConstraint("case_id", "number", name="uq_case_notes_number"),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER case_notes_no_{verb.lower()} BEFORE {verb} ON case_notes "
                f"BEGIN SELECT RAISE(ABORT, 'case_notes is append-only: {verb} refused'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION case_notes_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'case_notes is append-only: % refused', TG_OP; END $$"
        )
        op.execute(
            "CREATE TRIGGER case_notes_no_change BEFORE UPDATE OR DELETE ON case_notes "
            "FOR EACH ROW EXECUTE FUNCTION case_notes_refuse()"
        )
        op.execute(
            "CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON case_notes "
            "FOR EACH STATEMENT EXECUTE FUNCTION case_notes_refuse()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER case_notes_no_truncate ON case_notes")
        op.execute("DROP TRIGGER case_notes_no_change ON case_notes")
        op.execute("DROP FUNCTION case_notes_refuse()")
    op.drop_index("ix_case_notes_case_id", table_name="case_notes")
    op.drop_table("case_notes")
