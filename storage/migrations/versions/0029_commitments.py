"""Follow-up of commitments: `case_commitments`, `commitment_status` (the status history),
`update_requests` (requests to parties for news, each with its due date), all append-only, and
`update_request_alerts` (the alerts to the lead about a request's due date, once per `[alerts]`
rung).

Revision ID: 0029_commitments
Revises: 0026_merge_correspondence
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_commitments"
down_revision = "0026_merge_correspondence"
branch_labels = None
depends_on = None

APPEND_ONLY = ("case_commitments", "commitment_status", "update_requests")


def _instant(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _case() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "case_commitments",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("document", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("made_on", sa.Date(), nullable=False),
        _instant("recorded_at"),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_case_commitments_number"),
    )
    op.create_index("ix_case_commitments_case_id", "case_commitments", ["case_id"])
    op.create_table(
        "commitment_status",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("commitment", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("holds_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        _instant("recorded_at"),
        sa.UniqueConstraint("case_id", "commitment", "seq", name="uq_commitment_status_seq"),
    )
    op.create_index("ix_commitment_status_case_id", "commitment_status", ["case_id"])
    op.create_table(
        "update_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("commitments", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        _instant("requested_at"),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_update_requests_number"),
    )
    op.create_index("ix_update_requests_case_id", "update_requests", ["case_id"])
    op.create_index("ix_update_requests_due_on", "update_requests", ["due_on"])
    op.create_table(
        "update_request_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("request", sa.Integer(), nullable=False),
        sa.Column("rung", sa.String(), nullable=False),
        _instant("alerted_at"),
        sa.UniqueConstraint("case_id", "request", "rung", name="uq_update_request_alerts"),
    )
    op.create_index("ix_update_request_alerts_case_id", "update_request_alerts", ["case_id"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        if sqlite:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
                )
            continue
        op.execute(
            f"CREATE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP FUNCTION {table}_refuse()")
    for table in ("update_request_alerts", "update_requests", "commitment_status", "case_commitments"):
        op.drop_table(table)
