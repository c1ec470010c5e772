"""The NCPs of each case: the lead (one, or two jointly) and the supporting NCPs each in a role
(`case_ncps`), the complainant's preference for the lead (`lead_preferences`), and supporting
NCPs' review tasks on statement drafts with their once-only alert claims (`review_tasks`,
`review_task_alerts`). Each code in an existing case's `supporting_ncps` becomes a supporting
NCP in the role `consulted`; no lead is recorded, so `[ncp] country` leads those cases.

Revision ID: 0035_case_ncps
Revises: 0034_merge_followup_mediators
Create Date: 2026-12-02
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0035_case_ncps"
down_revision = "0034_merge_followup_mediators"
branch_labels = None
depends_on = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    case_ncps = op.create_table(
        "case_ncps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("ncp", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("case_id", "ncp", name="uq_case_ncps"),
    )
    op.create_index("ix_case_ncps_case_id", "case_ncps", ["case_id"])
    op.create_table(
        "lead_preferences",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("ncp", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", _ts(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
    )
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("ncp", sa.String(), nullable=False),
        sa.Column("statement", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("requested_at", _ts(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("answered_at", _ts(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.UniqueConstraint("case_id", "number", name="uq_review_tasks_number"),
    )
    op.create_index("ix_review_tasks_case_id", "review_tasks", ["case_id"])
    op.create_table(
        "review_task_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("task", sa.Integer(), nullable=False),
        sa.Column("rung", sa.String(), nullable=False),
        sa.Column("alerted_at", _ts(), nullable=False),
        sa.UniqueConstraint("case_id", "task", "rung", name="uq_review_task_alerts"),
    )
    op.create_index("ix_review_task_alerts_case_id", "review_task_alerts", ["case_id"])
    # The supporting NCPs recorded so far (codes only) each become `consulted`.
    found = op.get_bind().execute(sa.text("SELECT id, supporting_ncps FROM cases ORDER BY id")).all()
    rows = [
        {"case_id": case_id, "ncp": code, "role": "consulted", "position": n}
        for case_id, codes in found
        for n, code in enumerate(dict.fromkeys(json.loads(codes or "[]")))
    ]
    if rows:
        op.bulk_insert(case_ncps, rows)


def downgrade() -> None:
    op.drop_index("ix_review_task_alerts_case_id", table_name="review_task_alerts")
    op.drop_table("review_task_alerts")
    op.drop_index("ix_review_tasks_case_id", table_name="review_tasks")
    op.drop_table("review_tasks")
    op.drop_table("lead_preferences")
    op.drop_index("ix_case_ncps_case_id", table_name="case_ncps")
    op.drop_table("case_ncps")
