"""Signed checkpoints of the audit chain head (append-only, like the log); case fields
guidelines_edition and supporting_ncps.

Revision ID: 0004_audit
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_audit"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Case fields the OECD database shows: the Guidelines edition and the supporting NCPs.
    op.add_column("cases", sa.Column("guidelines_edition", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("supporting_ncps", sa.Text(), nullable=False,
                                     server_default="[]"))
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("mac", sa.String(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_checkpoints_no_{verb.lower()} BEFORE {verb} ON "
                f"audit_checkpoints BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is "
                f"append-only: {verb} refused'); END"
            )
    else:
        op.execute(
            "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON "
            "audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()"
        )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
    op.drop_column("cases", "supporting_ncps")
    op.drop_column("cases", "guidelines_edition")
