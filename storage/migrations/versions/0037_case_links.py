"""Related instances (`case_links`, `case_link_removals`): append-only, like the audit log that
proves them (states/case_links.py).

A link made on a case to another case here, or to a case at another NCP (its country code,
its reference, an address); a link's removal is a row of its own, at most one per link. Neither
is ever changed or removed: UPDATE, DELETE and TRUNCATE are refused by triggers on both
backends. A check keeps each link to exactly one other end, and never the case itself.

Revision ID: 0037_case_links
Revises: 0036_bundles
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_case_links"
down_revision = "0036_bundles"
branch_labels = None
depends_on = None

TABLES = ("case_links", "case_link_removals")


def upgrade() -> None:
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False),  # 1, 2, ... across the NCP
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("other_case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("ncp", sa.String(), nullable=True),
        sa.Column("external_reference", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("number", name="uq_case_links_number"),
        sa.CheckConstraint(
            "(other_case_id IS NOT NULL AND ncp IS NULL AND external_reference IS NULL AND url IS NULL "
            "AND other_case_id <> case_id) OR "
            "(other_case_id IS NULL AND ncp IS NOT NULL AND external_reference IS NOT NULL)",
            name="ck_case_links_one_other_end",
        ),
    )
    op.create_index("ix_case_links_case_id", "case_links", ["case_id"])
    op.create_index("ix_case_links_other_case_id", "case_links", ["other_case_id"])
    op.create_table(
        "case_link_removals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("case_links.id"), nullable=False, unique=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(
            "CREATE FUNCTION case_links_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
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
                "FOR EACH ROW EXECUTE FUNCTION case_links_refuse()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION case_links_refuse()"
            )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(TABLES):
        if not sqlite:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
    op.drop_table("case_link_removals")
    op.drop_index("ix_case_links_other_case_id", table_name="case_links")
    op.drop_index("ix_case_links_case_id", table_name="case_links")
    op.drop_table("case_links")
    if not sqlite:
        op.execute("DROP FUNCTION case_links_refuse()")
