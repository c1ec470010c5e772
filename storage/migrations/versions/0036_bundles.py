"""Case bundles between NCPs (`case_bundles`): each bundle sent or received, append-only.

One row per bundle: the local case, sent or received, the other NCP and its reference, the
bundle's kind, its sequence within the case pair and the SHA-256 of the file, with the hash of
the bundle before it (states/bundles.py). Never changed or removed: UPDATE, DELETE and TRUNCATE
are refused by triggers on both backends.

Revision ID: 0036_bundles
Revises: 0035_case_ncps (slice A's, merged into this branch)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_bundles"
down_revision = "0035_case_ncps"
branch_labels = None
depends_on = None

TABLE = "case_bundles"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("peer", sa.String(), nullable=False),
        sa.Column("peer_reference", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("previous", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "peer", "direction", "sequence", name="uq_case_bundles_sequence"),
        sa.UniqueConstraint("direction", "sha256", name="uq_case_bundles_sha256"),
    )
    op.create_index(f"ix_{TABLE}_case_id", TABLE, ["case_id"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {verb} refused'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION case_bundles_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION case_bundles_refuse()"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_bundles_refuse()"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP TRIGGER {TABLE}_no_change ON {TABLE}")
    op.drop_index(f"ix_{TABLE}_case_id", table_name=TABLE)
    op.drop_table(TABLE)
    if not sqlite:
        op.execute("DROP FUNCTION case_bundles_refuse()")
