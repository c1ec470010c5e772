"""Company engagement (`engagement_invitations`, `engagement_responses`, `good_faith_concerns`):
append-only, like the audit log that proves them (states/engagement.py).

An invitation to an enterprise party of a case, the responses to it (the latest stands), and
concerns about good faith raised by either side. None is ever changed or removed: UPDATE, DELETE
and TRUNCATE are refused by triggers on both backends.

Revision ID: 0030_engagement
Revises: 0026_merge_correspondence
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_engagement"
down_revision = "0026_merge_correspondence"
branch_labels = None
depends_on = None

TABLES = ("engagement_invitations", "engagement_responses", "good_faith_concerns")


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),  # 1, 2, ... within the case
    ]


def _recorded() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "engagement_invitations",
        *_common(),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("invited_to", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.Date(), nullable=False),
        *_recorded(),
        sa.UniqueConstraint("case_id", "number", name="uq_engagement_invitations_number"),
    )
    op.create_table(
        "engagement_responses",
        *_common(),
        sa.Column("invitation", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_recorded(),
        sa.UniqueConstraint("case_id", "number", name="uq_engagement_responses_number"),
    )
    op.create_table(
        "good_faith_concerns",
        *_common(),
        sa.Column("side", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_recorded(),
        sa.UniqueConstraint("case_id", "number", name="uq_good_faith_concerns_number"),
    )
    for table in TABLES:
        op.create_index(f"ix_{table}_case_id", table, ["case_id"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(
            "CREATE FUNCTION engagement_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
        )
    for table in TABLES:
        if sqlite:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
                )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION engagement_refuse()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION engagement_refuse()"
            )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(TABLES):
        if not sqlite:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
        op.drop_index(f"ix_{table}_case_id", table_name=table)
        op.drop_table(table)
    if not sqlite:
        op.execute("DROP FUNCTION engagement_refuse()")
