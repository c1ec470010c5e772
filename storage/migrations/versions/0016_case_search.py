"""Full-text search of cases (`case_search`); partial indexes on confidential parties, on each
case's open deadlines (the dashboard's order, the "overdue" filter) and on the audit log's actors
("my cases": the cases a user made a step on).

`case_search` holds each case's search terms (storage/search.py, states/search.py). SQLite
indexes them in the FTS5 table `case_search_fts` (external content, kept in step by triggers);
PostgreSQL in two GIN indexes over `array_to_tsvector` of the terms: every column, and the
redacted columns a reader without identities matches. The rows of existing cases are built from
the stored cases, parties and audit log by the index's own rebuild, so they hold exactly what
the running code would have written.

Revision ID: 0016_case_search
Revises: 0015_issue_precision
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_case_search"
down_revision = "0015_issue_precision"
branch_labels = None
depends_on = None

_COLUMNS = ("head", "body", "head_secret", "body_secret")
# Partial indexes: every confidential submitter (redaction); each case's open deadlines (the
# dashboard's order, "overdue"); the cases a user made a step on ("my cases").
_INDEXES = [
    ("ix_parties_confidential", "parties", ["case_id"], "confidential"),
    ("ix_deadlines_open_case", "deadlines", ["case_id", "due_on"], "met_at IS NULL"),
    ("ix_audit_log_actor_case", "audit_log", ["actor", "case_ref"], "case_ref IS NOT NULL"),
]
_SQLITE = [
    "CREATE VIRTUAL TABLE case_search_fts USING fts5(head, body, head_secret, body_secret, "
    "content='case_search', content_rowid='case_id', tokenize='ascii', detail='column', "
    "prefix='1 2 3')",
    "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN "
    "INSERT INTO case_search_fts (rowid, head, body, head_secret, body_secret) "
    "VALUES (new.case_id, new.head, new.body, new.head_secret, new.body_secret); END",
    "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN "
    "INSERT INTO case_search_fts (case_search_fts, rowid, head, body, head_secret, body_secret) "
    "VALUES ('delete', old.case_id, old.head, old.body, old.head_secret, old.body_secret); END",
    "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN "
    "INSERT INTO case_search_fts (case_search_fts, rowid, head, body, head_secret, body_secret) "
    "VALUES ('delete', old.case_id, old.head, old.body, old.head_secret, old.body_secret); "
    "INSERT INTO case_search_fts (rowid, head, body, head_secret, body_secret) "
    "VALUES (new.case_id, new.head, new.body, new.head_secret, new.body_secret); END",
]


def _vector(columns: tuple[str, ...]) -> str:
    # storage/search.py's `vector`, as it stood at this revision: the queries spell the same.
    return " || ".join(f"array_to_tsvector(string_to_array({c}, ' '))" for c in columns)


def upgrade() -> None:
    op.create_table(
        "case_search",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True, autoincrement=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in _COLUMNS),
    )
    for name, table, columns, where in _INDEXES:
        op.create_index(name, table, columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for statement in _SQLITE:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX ix_case_search_all ON case_search USING gin (({_vector(_COLUMNS)}))")
        op.execute(
            f"CREATE INDEX ix_case_search_shown ON case_search USING gin (({_vector(('head', 'body'))}))"
        )

    from states.redaction import Protected, Redaction
    from storage.db import Db
    from storage.search import SqlSearchIndex

    # What redaction protected at this revision: confidential submitters (later revisions add
    # columns and tables the running code's redaction reads, which do not exist yet here).
    db = Db(bind.connection.driver_connection, sqlite)
    protected = [
        Protected(reference, name, org_number)
        for reference, name, org_number in db.all(
            "SELECT c.reference, p.name, p.org_number FROM parties p JOIN cases c ON c.id = p.case_id "
            "WHERE p.confidential AND p.role = 'submitter' ORDER BY c.reference, p.position"
        )
    ]
    SqlSearchIndex(db).rebuild(redaction=Redaction(protected))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("case_search_ai", "case_search_ad", "case_search_au"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE case_search_fts")
    for name, table, _, _ in _INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table("case_search")
