"""External mediators: the register, their assignments to cases and the mediation sessions; a
user of role mediator names the mediator it is.

Revision ID: 0031_mediators
Revises: 0026_merge_correspondence
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_mediators"
down_revision = "0026_merge_correspondence"
branch_labels = None
depends_on = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("users", sa.Column("mediator_id", sa.String(), nullable=True))
    op.create_table(
        "mediators",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("competence", sa.Text(), nullable=True),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("soft_conflicts", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
    )
    op.create_table(
        "mediator_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("mediator_id", sa.String(), sa.ForeignKey("mediators.id"), nullable=False),
        sa.Column("assigned_at", _ts(), nullable=False),
        sa.Column("assigned_by", sa.Text(), nullable=False),
        sa.Column("override", sa.Text(), nullable=True),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("ended_at", _ts(), nullable=True),
        sa.Column("ended_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_mediator_assignments_case_id", "mediator_assignments", ["case_id"])
    op.create_index("ix_mediator_assignments_mediator_id", "mediator_assignments", ["mediator_id"])
    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", _ts(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("interpreters", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", _ts(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_mediation_sessions_number"),
    )
    op.create_index("ix_mediation_sessions_case_id", "mediation_sessions", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_mediation_sessions_case_id", table_name="mediation_sessions")
    op.drop_table("mediation_sessions")
    op.drop_index("ix_mediator_assignments_mediator_id", table_name="mediator_assignments")
    op.drop_index("ix_mediator_assignments_case_id", table_name="mediator_assignments")
    op.drop_table("mediator_assignments")
    op.drop_table("mediators")
    op.drop_column("users", "mediator_id")
