"""Company engagement on SQL (`engagement_invitations`, `engagement_responses`,
`good_faith_concerns`): appended, never changed (states/engagement.py)."""

from __future__ import annotations

import json
from datetime import date, datetime

from states.engagement import Concern, Invitation, Response
from storage.db import Db, columns, read_day, read_instant
from storage.rows import EngagementInvitationRow, EngagementResponseRow, GoodFaithConcernRow

_INVITATIONS = columns(EngagementInvitationRow, "e.")
_RESPONSES = columns(EngagementResponseRow, "e.")
_CONCERNS = columns(GoodFaithConcernRow, "e.")


def _instant(value: object) -> datetime:
    instant = read_instant(value)
    assert instant is not None  # NOT NULL columns
    return instant


def _day(value: object) -> date:
    day = read_day(value)
    assert day is not None
    return day


def _invitation(row: EngagementInvitationRow) -> Invitation:
    return Invitation(
        number=int(row.number),
        party=row.party,
        to=row.invited_to,
        channel=row.channel,
        at=_instant(row.at),
        respond_by=_day(row.respond_by),
        recorded_at=_instant(row.recorded_at),
        recorded_by=row.recorded_by,
    )


def _response(row: EngagementResponseRow) -> Response:
    return Response(
        number=int(row.number),
        invitation=int(row.invitation),
        response=row.response,
        reasons=tuple(json.loads(row.reasons)),
        at=_instant(row.at),
        recorded_at=_instant(row.recorded_at),
        recorded_by=row.recorded_by,
    )


def _concern(row: GoodFaithConcernRow) -> Concern:
    return Concern(
        number=int(row.number),
        side=row.side,
        text=row.text,
        at=_instant(row.at),
        recorded_at=_instant(row.recorded_at),
        recorded_by=row.recorded_by,
    )


_OF_CASE = "JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref ORDER BY e.number"
_INTO_CASE = "FROM cases WHERE reference = :ref"


class SqlEngagementStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def invitations(self, reference: str) -> list[Invitation]:
        """The case's invitations by number."""
        rows = self._db.records(
            EngagementInvitationRow,
            f"SELECT {_INVITATIONS} FROM engagement_invitations e {_OF_CASE}",
            {"ref": reference},
        )
        return [_invitation(row) for row in rows]

    def responses(self, reference: str) -> list[Response]:
        """The case's responses by number (the order recorded)."""
        rows = self._db.records(
            EngagementResponseRow,
            f"SELECT {_RESPONSES} FROM engagement_responses e {_OF_CASE}",
            {"ref": reference},
        )
        return [_response(row) for row in rows]

    def concerns(self, reference: str) -> list[Concern]:
        """The case's concerns about good faith by number."""
        rows = self._db.records(
            GoodFaithConcernRow,
            f"SELECT {_CONCERNS} FROM good_faith_concerns e {_OF_CASE}",
            {"ref": reference},
        )
        return [_concern(row) for row in rows]

    def every(self) -> list[tuple[str, str | None, Invitation, list[Response]]]:
        """Every invitation of every case with its case's reference and sector and its
        responses, for the report: two reads, whatever the number of cases."""
        db = self._db
        sectors: dict[int, tuple[str, str | None]] = {
            int(case_id): (reference, sector)
            for case_id, reference, sector in db.all(
                "SELECT c.id, c.reference, c.sector FROM cases c "
                "WHERE EXISTS (SELECT 1 FROM engagement_invitations e WHERE e.case_id = c.id)"
            )
        }
        responses: dict[tuple[int, int], list[Response]] = {}
        for answer in db.records(
            EngagementResponseRow, f"SELECT {_RESPONSES} FROM engagement_responses e ORDER BY e.number"
        ):
            responses.setdefault((int(answer.case_id), int(answer.invitation)), []).append(_response(answer))
        found = []
        for row in db.records(
            EngagementInvitationRow,
            f"SELECT {_INVITATIONS} FROM engagement_invitations e ORDER BY e.case_id, e.number",
        ):
            reference, sector = sectors[int(row.case_id)]
            found.append(
                (reference, sector, _invitation(row), responses.get((int(row.case_id), int(row.number)), []))
            )
        return found

    def add_invitation(self, reference: str, invitation: Invitation) -> None:
        db = self._db
        db.execute(
            "INSERT INTO engagement_invitations (case_id, number, party, invited_to, channel, at, "
            "respond_by, recorded_at, recorded_by) SELECT id, :number, :party, :to, :channel, :at, "
            f":respond_by, :recorded_at, :recorded_by {_INTO_CASE}",
            {
                "ref": reference,
                "number": invitation.number,
                "party": invitation.party,
                "to": invitation.to,
                "channel": invitation.channel,
                "at": db.instant(invitation.at),
                "respond_by": db.day(invitation.respond_by),
                "recorded_at": db.instant(invitation.recorded_at),
                "recorded_by": invitation.recorded_by,
            },
        )

    def add_response(self, reference: str, response: Response) -> None:
        db = self._db
        db.execute(
            "INSERT INTO engagement_responses (case_id, number, invitation, response, reasons, at, "
            "recorded_at, recorded_by) SELECT id, :number, :invitation, :response, :reasons, :at, "
            f":recorded_at, :recorded_by {_INTO_CASE}",
            {
                "ref": reference,
                "number": response.number,
                "invitation": response.invitation,
                "response": response.response,
                "reasons": json.dumps(list(response.reasons)),
                "at": db.instant(response.at),
                "recorded_at": db.instant(response.recorded_at),
                "recorded_by": response.recorded_by,
            },
        )

    def add_concern(self, reference: str, concern: Concern) -> None:
        db = self._db
        db.execute(
            "INSERT INTO good_faith_concerns (case_id, number, side, text, at, recorded_at, "
            f"recorded_by) SELECT id, :number, :side, :text, :at, :recorded_at, :recorded_by {_INTO_CASE}",
            {
                "ref": reference,
                "number": concern.number,
                "side": concern.side,
                "text": concern.text,
                "at": db.instant(concern.at),
                "recorded_at": db.instant(concern.recorded_at),
                "recorded_by": concern.recorded_by,
            },
        )
