"""Members, lead decisions (the rotation state), duty periods, once-only lead alerts; party org numbers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    # Declared conflicts may name a party by organisation number as well as by name.
    op.add_column("parties", sa.Column("org_number", sa.String(), nullable=True))

    # Members as config.toml last brought them in. A member removed from config is deactivated,
    # never deleted, so every case they led stays readable.
    op.create_table(
        "members",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("soft_conflicts", sa.Text(), nullable=False),
        sa.Column("leave", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
    )

    # One row each time a case gets a lead (or finds none). The id is the rotation's clock:
    # "least recently led" is the member whose latest standing row has the smallest id.
    op.create_table(
        "lead_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_ref", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        sa.Column("given_up_at", _ts(), nullable=True),
        sa.Column("given_up_kind", sa.String(), nullable=True),
    )
    op.create_index("ix_lead_decisions_case_ref", "lead_decisions", ["case_ref"])
    op.create_index("ix_lead_decisions_member_id", "lead_decisions", ["member_id"])

    op.create_table(
        "duty_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("started_at", _ts(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
    )

    # The claim for "the lead of this case is now conflicted or away": the chair hears once
    # per (case, lead, problem), however often the check runs.
    op.create_table(
        "lead_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_ref", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("fired_at", _ts(), nullable=False),
        sa.UniqueConstraint("case_ref", "member_id", "problem", name="uq_lead_alerts_once"),
    )


def downgrade() -> None:
    raise RuntimeError("not reversible: lead decisions are part of the audit trail")
