"""Every result a case holds (`cases.results`), and the precision of its date of receipt
(`cases.received_precision`).

`results` is JSON text of result field -> outcome (states/results.py): an examined case keeps
its mediation result beside the determination. Existing rows are filled in from the audit log:
each `transitioned` entry that recorded an outcome sets the field its data names (`sets`), or
the one states/results.py infers from the trigger and the state left. A row whose audit entries
record no outcome but which has one keeps it under `outcome`.

`received_precision` is `day`, or `month` for a case imported with a date of receipt such as
`2007-02`; existing rows are filled in from their `opened` entry's `imported.precision`.

Revision ID: 0014_case_results
Revises: 0013_merge_imports
Create Date: 2026-12-01
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0014_case_results"
down_revision = "0013_merge_imports"
branch_labels = None
depends_on = None


def _field(trigger: str, source: str | None, sets: str | None) -> str:
    # states/results.py's result_field, as it stood at this revision (a migration does not
    # follow later changes of the code).
    if sets:
        return sets
    if trigger == "examine" or (trigger == "conclude" and source == "good_offices"):
        return "mediation_result"
    if trigger == "conclude" and source == "examination":
        return "determination"
    return "outcome"


def upgrade() -> None:
    op.add_column("cases", sa.Column("results", sa.Text(), nullable=False, server_default="{}"))
    op.add_column("cases", sa.Column("received_precision", sa.String(), nullable=False, server_default="day"))
    bind = op.get_bind()
    results: dict[str, dict[str, str]] = {}
    month: set[str] = set()
    rows = bind.execute(
        sa.text(
            "SELECT case_ref, kind, from_state, data FROM audit_log "
            "WHERE kind IN ('transitioned', 'opened') AND case_ref IS NOT NULL ORDER BY seq"
        )
    )
    for ref, kind, source, data in rows:
        body = json.loads(data)
        if kind == "opened":
            if (body.get("imported") or {}).get("precision") == "month":
                month.add(ref)
            continue
        outcome = body.get("outcome")
        if outcome:
            field = _field(body.get("trigger", ""), source, body.get("sets"))
            results.setdefault(ref, {})[field] = outcome
    cases = bind.execute(sa.text("SELECT reference, outcome FROM cases")).all()
    update = sa.text(
        "UPDATE cases SET results = :results, received_precision = :precision WHERE reference = :ref"
    )
    for ref, outcome in cases:
        found = results.get(ref) or ({"outcome": outcome} if outcome else {})
        precision = "month" if ref in month else "day"
        if found or precision != "day":
            bind.execute(
                update, {"results": json.dumps(found, sort_keys=True), "precision": precision, "ref": ref}
            )


def downgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy of `cases` would trip the
    # foreign keys pointing at it.
    for column in ("received_precision", "results"):
        op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
