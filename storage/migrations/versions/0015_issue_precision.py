"""The precision of an issue's dates (`case_issues.decided_precision`, `outcome_precision`).

Each is `day`, or `month` for an issue imported as decided (or concluded) `2007-09`: the date
column then holds the month's first day, not a known day. Existing rows are filled in from their
`issue_decided` / `issue_concluded` entries' `imported.precision` (the last entry per issue wins).

Revision ID: 0015_issue_precision
Revises: 0014_case_results
Create Date: 2026-12-01
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0015_issue_precision"
down_revision = "0014_case_results"
branch_labels = None
depends_on = None

_COLUMN = {"issue_decided": "decided_precision", "issue_concluded": "outcome_precision"}


def upgrade() -> None:
    for column in _COLUMN.values():
        op.add_column("case_issues", sa.Column(column, sa.String(), nullable=False, server_default="day"))
    bind = op.get_bind()
    found: dict[tuple[str, int, str], str] = {}
    rows = bind.execute(
        sa.text(
            "SELECT case_ref, kind, data FROM audit_log "
            "WHERE kind IN ('issue_decided', 'issue_concluded') AND case_ref IS NOT NULL ORDER BY seq"
        )
    )
    for ref, kind, data in rows:
        body = json.loads(data)
        precision = (body.get("imported") or {}).get("precision") or "day"
        found[(ref, int(body["number"]), _COLUMN[kind])] = precision
    for (ref, number, column), precision in found.items():
        if precision != "day":
            bind.execute(
                sa.text(
                    f"UPDATE case_issues SET {column} = :precision WHERE number = :number "
                    "AND case_id = (SELECT id FROM cases WHERE reference = :ref)"
                ),
                {"precision": precision, "number": number, "ref": ref},
            )


def downgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL), as 0014 does.
    for column in _COLUMN.values():
        op.execute(f"ALTER TABLE case_issues DROP COLUMN {column}")
