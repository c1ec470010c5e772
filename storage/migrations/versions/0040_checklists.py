"""Stage checklists (`checklist_marks`): each tick or untick of a checklist item on a case, who
made it and when (states/checklists.py); the checklist now is derived from the last mark of each
item. Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers on both backends. On
PostgreSQL the table joins the tenancy (storage/tenancy.py `enrol`).

Revision ID: 0040_checklists
Revises: 0039_search_under_rls
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage import tenancy

revision = "0040_checklists"
down_revision = "0039_search_under_rls"
branch_labels = None
depends_on = None

TABLE = "checklist_marks"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("ticked", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_checklist_marks_case_id", TABLE, ["case_id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {verb} refused'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION checklist_marks_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION checklist_marks_refuse()"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION checklist_marks_refuse()"
    )
    tenancy.enrol(bind, TABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP TRIGGER {TABLE}_no_change ON {TABLE}")
    op.drop_index("ix_checklist_marks_case_id", table_name=TABLE)
    op.drop_table(TABLE)
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION checklist_marks_refuse()")
