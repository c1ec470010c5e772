"""Case bundles on SQL (`case_bundles`): each bundle sent or received, appended, never changed
(states/bundles.py)."""

from __future__ import annotations

from datetime import datetime

from states.bundles import Link
from storage.db import Db, columns, read_instant
from storage.rows import CaseBundleRow

_COLUMNS = columns(CaseBundleRow, "b.")
_SELECT = f"SELECT c.reference, {_COLUMNS} FROM case_bundles b JOIN cases c ON c.id = b.case_id "


def _instant(value: object) -> datetime:
    instant = read_instant(value)
    assert instant is not None  # NOT NULL column
    return instant


def _link(reference: str, row: CaseBundleRow) -> Link:
    return Link(
        reference=reference,
        direction=row.direction,
        peer=row.peer,
        peer_reference=row.peer_reference,
        kind=row.kind,
        sequence=int(row.sequence),
        sha256=row.sha256,
        previous=row.previous,
        at=_instant(row.at),
        actor=row.actor,
    )


class SqlBundleStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def _links(self, where: str, params: dict[str, object]) -> list[Link]:
        rows = self._db.all(_SELECT + where + " ORDER BY b.id", params)
        return [_link(row[0], CaseBundleRow._make(row[1:])) for row in rows]

    def of_case(self, reference: str) -> list[Link]:
        """The case's bundles, sent and received, in the order they were recorded."""
        return self._links("WHERE c.reference = :ref", {"ref": reference})

    def linked(self, peer: str, peer_reference: str) -> str | None:
        """The local case linked to `peer`'s case `peer_reference` by an earlier bundle."""
        found = self._db.one(
            "SELECT c.reference FROM case_bundles b JOIN cases c ON c.id = b.case_id "
            "WHERE b.peer = :peer AND b.peer_reference = :pref ORDER BY b.id LIMIT 1",
            {"peer": peer, "pref": peer_reference},
        )
        return str(found[0]) if found else None

    def with_sha256(self, sha256: str) -> list[Link]:
        return self._links("WHERE b.sha256 = :sha", {"sha": sha256})

    def add(self, link: Link) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_bundles (case_id, direction, peer, peer_reference, kind, sequence, "
            "sha256, previous, at, actor) SELECT id, :direction, :peer, :pref, :kind, :sequence, "
            ":sha256, :previous, :at, :actor FROM cases WHERE reference = :ref",
            {
                "ref": link.reference,
                "direction": link.direction,
                "peer": link.peer,
                "pref": link.peer_reference,
                "kind": link.kind,
                "sequence": link.sequence,
                "sha256": link.sha256,
                "previous": link.previous,
                "at": db.instant(link.at),
                "actor": link.actor,
            },
        )
