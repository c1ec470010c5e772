"""Documents of a case: content-addressed content in 1 MiB chunks (a BLOB on SQLite, bytea on
PostgreSQL) and each document's versions with their metadata. Append-only like the audit log:
the database refuses UPDATE and DELETE on the three tables.

Revision ID: 0021_documents
Revises: 0020_merge_search
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_documents"
down_revision = "0020_merge_search"
branch_labels = None
depends_on = None

TABLES = ("document_contents", "document_chunks", "case_documents")


def upgrade() -> None:
    op.create_table(
        "document_contents",
        sa.Column("sha256", sa.String(), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "document_chunks",
        sa.Column("sha256", sa.String(), sa.ForeignKey("document_contents.sha256"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=True),
        sa.Column("access", sa.String(), nullable=False),
        sa.Column("exemption", sa.Text(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(), sa.ForeignKey("document_contents.sha256"), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("case_id", "number", "version", name="uq_case_documents_version"),
    )
    op.create_index("ix_case_documents_case_id", "case_documents", ["case_id"])
    op.create_index("ix_case_documents_sha256", "case_documents", ["sha256"])

    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION documents_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION documents_refuse()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION documents_refuse()"
        )


def downgrade() -> None:
    # Going back would lose filed documents: refused when there are any, else the tables go.
    if op.get_bind().execute(sa.text("SELECT 1 FROM document_contents LIMIT 1")).first():
        raise RuntimeError("documents are append-only; a database holding documents is not downgraded")
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION documents_refuse()")
    op.drop_index("ix_case_documents_sha256", table_name="case_documents")
    op.drop_index("ix_case_documents_case_id", table_name="case_documents")
    for table in reversed(TABLES):
        op.drop_table(table)
