"""A case's statements, comment rounds, comments received and the rounds' fired rungs on SQL
(`case_statements`, `comment_rounds`, `round_comments`, `round_alerts`)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from states.statements import Comment, Round, Statement, StatementStatus
from storage.db import Db, columns, read_day, read_instant
from storage.rows import CommentRoundRow, RoundCommentRow, StatementRow

_STATEMENT_COLUMNS = columns(StatementRow, "s.")
_ROUND_COLUMNS = columns(CommentRoundRow, "r.")
_COMMENT_COLUMNS = columns(RoundCommentRow, "k.")
_CASE = "(SELECT id FROM cases WHERE reference = :ref)"


def _instant(value: Any) -> datetime:
    found = read_instant(value)
    assert found is not None
    return found


def _day(value: Any) -> date:
    found = read_day(value)
    assert found is not None
    return found


def _to_statement(row: StatementRow) -> Statement:
    return Statement(
        number=int(row.number),
        kind=row.kind,
        language=row.language,
        status=StatementStatus(row.status),
        docx_document=int(row.docx_document),
        pdf_document=int(row.pdf_document),
        created_at=_instant(row.created_at),
        created_by=row.created_by,
        published_at=read_instant(row.published_at),
        published_by=row.published_by,
        published_version=None if row.published_version is None else int(row.published_version),
        fired=row.fired,
    )


def _to_round(row: CommentRoundRow) -> Round:
    return Round(
        number=int(row.number),
        statement=int(row.statement),
        document=int(row.document),
        version=int(row.version),
        parties=tuple(json.loads(row.parties)),
        days=int(row.days),
        opened_on=_day(row.opened_on),
        due_on=_day(row.due_on),
        opened_at=_instant(row.opened_at),
        opened_by=row.opened_by,
        closed_at=read_instant(row.closed_at),
        closed_by=row.closed_by,
    )


def _to_comment(row: RoundCommentRow) -> Comment:
    return Comment(
        number=int(row.number),
        round=int(row.round),
        party=row.party,
        via=row.via,
        received_at=_instant(row.received_at),
        recorded_by=row.recorded_by,
        text=row.text,
        document=None if row.document is None else int(row.document),
    )


class SqlStatementStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- statements --------------------------------------------------------------------------------

    def statements(self, reference: str) -> list[Statement]:
        """The case's statements, by number."""
        rows = self._db.records(
            StatementRow,
            f"SELECT {_STATEMENT_COLUMNS} FROM case_statements s JOIN cases c ON c.id = s.case_id "
            "WHERE c.reference = :ref ORDER BY s.number",
            {"ref": reference},
        )
        return [_to_statement(row) for row in rows]

    def add_statement(self, reference: str, statement: Statement) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_statements (case_id, number, kind, language, status, docx_document, "
            "pdf_document, created_at, created_by, published_at, published_by, published_version, fired) "
            f"VALUES ({_CASE}, :number, :kind, :language, :status, :docx_document, :pdf_document, "
            ":created_at, :created_by, :published_at, :published_by, :published_version, :fired)",
            {**self._statement_values(statement), "ref": reference},
        )

    def save_statement(self, reference: str, statement: Statement) -> None:
        """The statement's status and publication, as `statement` holds them."""
        self._db.execute(
            "UPDATE case_statements SET status = :status, published_at = :published_at, "
            "published_by = :published_by, published_version = :published_version, fired = :fired "
            f"WHERE number = :number AND case_id = {_CASE}",
            {**self._statement_values(statement), "ref": reference},
        )

    def _statement_values(self, statement: Statement) -> dict[str, object]:
        db = self._db
        return {
            "number": statement.number,
            "kind": statement.kind,
            "language": statement.language,
            "status": statement.status.value,
            "docx_document": statement.docx_document,
            "pdf_document": statement.pdf_document,
            "created_at": db.instant(statement.created_at),
            "created_by": statement.created_by,
            "published_at": db.instant(statement.published_at),
            "published_by": statement.published_by,
            "published_version": statement.published_version,
            "fired": statement.fired,
        }

    # -- rounds ------------------------------------------------------------------------------------

    def rounds(self, reference: str) -> list[Round]:
        """The case's comment rounds, by number."""
        rows = self._db.records(
            CommentRoundRow,
            f"SELECT {_ROUND_COLUMNS} FROM comment_rounds r JOIN cases c ON c.id = r.case_id "
            "WHERE c.reference = :ref ORDER BY r.number",
            {"ref": reference},
        )
        return [_to_round(row) for row in rows]

    def add_round(self, reference: str, found: Round) -> None:
        db = self._db
        db.execute(
            "INSERT INTO comment_rounds (case_id, number, statement, document, version, parties, days, "
            "opened_on, due_on, opened_at, opened_by, closed_at, closed_by) "
            f"VALUES ({_CASE}, :number, :statement, :document, :version, :parties, :days, :opened_on, "
            ":due_on, :opened_at, :opened_by, :closed_at, :closed_by)",
            {
                "ref": reference,
                "number": found.number,
                "statement": found.statement,
                "document": found.document,
                "version": found.version,
                "parties": json.dumps(list(found.parties)),
                "days": found.days,
                "opened_on": db.day(found.opened_on),
                "due_on": db.day(found.due_on),
                "opened_at": db.instant(found.opened_at),
                "opened_by": found.opened_by,
                "closed_at": db.instant(found.closed_at),
                "closed_by": found.closed_by,
            },
        )

    def close_round(self, reference: str, number: int, *, at: datetime, by: str) -> bool:
        """Close round `number` if it is open; False when it was closed already."""
        db = self._db
        row = db.one(
            "UPDATE comment_rounds SET closed_at = :at, closed_by = :by "
            f"WHERE number = :number AND closed_at IS NULL AND case_id = {_CASE} RETURNING id",
            {"ref": reference, "number": number, "at": db.instant(at), "by": by},
        )
        return row is not None

    def open_rounds(self) -> list[tuple[int, str, Round, frozenset[str]]]:
        """Every open round of a case not closed: (its id, the case's reference, the round, the
        rungs already fired for its due date)."""
        rows = self._db.all(
            f"SELECT r.id, c.reference, {_ROUND_COLUMNS} FROM comment_rounds r "
            "JOIN cases c ON c.id = r.case_id WHERE r.closed_at IS NULL AND c.state <> 'closed' "
            "ORDER BY r.due_on, r.id"
        )
        fired: dict[int, set[str]] = {}
        if rows:
            for round_id, rung in self._db.all(
                "SELECT a.round_id, a.rung FROM round_alerts a JOIN comment_rounds r ON r.id = a.round_id "
                "WHERE r.closed_at IS NULL AND a.due_on = r.due_on"
            ):
                fired.setdefault(int(round_id), set()).add(rung)
        return [
            (
                int(row[0]),
                row[1],
                _to_round(CommentRoundRow(*row[2:])),
                frozenset(fired.get(int(row[0]), ())),
            )
            for row in rows
        ]

    def claim(self, *, round_id: int, rung: str, due: date, at: datetime) -> bool:
        """Insert the (round, rung, due date) row; False when it was already there."""
        db = self._db
        row = db.one(
            "INSERT INTO round_alerts (round_id, rung, due_on, fired_at) VALUES (:r, :rung, :due, :at) "
            "ON CONFLICT (round_id, rung, due_on) DO NOTHING RETURNING id",
            {"r": round_id, "rung": rung, "due": db.day(due), "at": db.instant(at)},
        )
        return row is not None

    # -- comments ----------------------------------------------------------------------------------

    def comments(self, reference: str) -> list[Comment]:
        """The comments received in the case's rounds, by number."""
        rows = self._db.records(
            RoundCommentRow,
            f"SELECT {_COMMENT_COLUMNS} FROM round_comments k JOIN cases c ON c.id = k.case_id "
            "WHERE c.reference = :ref ORDER BY k.number",
            {"ref": reference},
        )
        return [_to_comment(row) for row in rows]

    def add_comment(self, reference: str, comment: Comment) -> None:
        db = self._db
        db.execute(
            "INSERT INTO round_comments (case_id, number, round, party, via, text, document, "
            f"received_at, recorded_by) VALUES ({_CASE}, :number, :round, :party, :via, :text, "
            ":document, :received_at, :recorded_by)",
            {
                "ref": reference,
                "number": comment.number,
                "round": comment.round,
                "party": comment.party,
                "via": comment.via,
                "text": comment.text,
                "document": comment.document,
                "received_at": db.instant(comment.received_at),
                "recorded_by": comment.recorded_by,
            },
        )
