"""Party links on SQL (`party_links`): the sha256 of each link's token (never the token), its
case and party, when it was issued and expires, and its revocation."""

from __future__ import annotations

from datetime import datetime

from states.party_links import PartyLink
from storage.db import Db, columns, read_instant
from storage.rows import PartyLinkRow

_COLUMNS = columns(PartyLinkRow, "l.")
_SELECT = f"SELECT {_COLUMNS}, c.reference FROM party_links l JOIN cases c ON c.id = l.case_id"
_WIDTH = len(PartyLinkRow._fields)


def _instant(value: object) -> datetime:
    instant = read_instant(value)
    assert instant is not None  # NOT NULL columns
    return instant


def _link(row: tuple[object, ...]) -> PartyLink:
    link = PartyLinkRow._make(row[:_WIDTH])
    return PartyLink(
        id=int(link.id),
        reference=str(row[_WIDTH]),
        party=str(link.party),
        issued_at=_instant(link.issued_at),
        expires_at=_instant(link.expires_at),
        issued_by=str(link.issued_by),
        revoked_at=read_instant(link.revoked_at),
        revoked_by=None if link.revoked_by is None else str(link.revoked_by),
    )


class SqlPartyLinkStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(
        self,
        reference: str,
        party: str,
        token_hash: str,
        *,
        issued_at: datetime,
        expires_at: datetime,
        issued_by: str,
    ) -> int:
        """A new link of case `reference`; its number."""
        db = self._db
        row = db.one(
            "INSERT INTO party_links (case_id, party, token_hash, issued_at, expires_at, issued_by) "
            "SELECT id, :party, :h, :issued_at, :expires_at, :by FROM cases WHERE reference = :ref "
            "RETURNING id",
            {
                "ref": reference,
                "party": party,
                "h": token_hash,
                "issued_at": db.instant(issued_at),
                "expires_at": db.instant(expires_at),
                "by": issued_by,
            },
        )
        assert row is not None  # the caller read the case in this transaction
        return int(row[0])

    def set_token_hash(self, link: int, token_hash: str) -> None:
        """The hash of the token signed once the link's number is known."""
        self._db.execute(
            "UPDATE party_links SET token_hash = :h WHERE id = :id", {"h": token_hash, "id": link}
        )

    def get(self, link: int) -> tuple[PartyLink, str] | None:
        """Link `link` and its token's hash."""
        row = self._db.one(f"{_SELECT} WHERE l.id = :id", {"id": link})
        return None if row is None else (_link(row), str(PartyLinkRow._make(row[:_WIDTH]).token_hash))

    def of_case(self, reference: str) -> list[PartyLink]:
        """The case's links, oldest first."""
        rows = self._db.all(f"{_SELECT} WHERE c.reference = :ref ORDER BY l.id", {"ref": reference})
        return [_link(row) for row in rows]

    def revoke(self, link: int, *, at: datetime, by: str) -> None:
        self._db.execute(
            "UPDATE party_links SET revoked_at = :at, revoked_by = :by WHERE id = :id AND revoked_at IS NULL",
            {"at": self._db.instant(at), "by": by, "id": link},
        )
