"""Related instances on SQL (`case_links`, `case_link_removals`): appended, never changed
(states/case_links.py). A link is read with both its cases' references and its removal, if any."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from states.case_links import CaseLink
from storage.db import Db, read_instant

_SELECT = (
    "SELECT l.number, l.kind, c.reference, o.reference, l.ncp, l.external_reference, l.url, "
    "l.linked_at, l.linked_by, r.removed_at, r.removed_by, r.reason "
    "FROM case_links l JOIN cases c ON c.id = l.case_id "
    "LEFT JOIN cases o ON o.id = l.other_case_id "
    "LEFT JOIN case_link_removals r ON r.link_id = l.id"
)


def _link(row: Sequence[Any]) -> CaseLink:
    number, kind, case, other, ncp, external, url, linked_at, linked_by, removed_at, removed_by, because = row
    made = read_instant(linked_at)
    assert made is not None  # NOT NULL
    return CaseLink(
        number=int(number),
        kind=kind,
        case=case,
        other=other,
        ncp=ncp,
        external_reference=external,
        url=url,
        linked_at=made,
        linked_by=linked_by,
        removed_at=read_instant(removed_at),
        removed_by=removed_by,
        removed_because=because,
    )


class SqlCaseLinkStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[CaseLink]:
        """Every link showing on case `reference` (made on it or to it), removed ones too, by
        number."""
        rows = self._db.all(
            f"{_SELECT} WHERE c.reference = :ref OR o.reference = :ref ORDER BY l.number", {"ref": reference}
        )
        return [_link(row) for row in rows]

    def of_cases(self, references: Iterable[str]) -> dict[str, list[CaseLink]]:
        """`of_case` for each of `references` in one read (a page of cases)."""
        wanted = sorted(set(references))
        found: dict[str, list[CaseLink]] = {reference: [] for reference in wanted}
        if not wanted:
            return found
        names = {f"r{i}": reference for i, reference in enumerate(wanted)}
        inside = ", ".join(f":{name}" for name in names)
        rows = self._db.all(
            f"{_SELECT} WHERE c.reference IN ({inside}) OR o.reference IN ({inside}) ORDER BY l.number",
            names,
        )
        for row in rows:
            link = _link(row)
            for reference in {link.case, link.other}:
                if reference in found:
                    found[reference].append(link)
        return found

    def titles(self, references: Iterable[str]) -> dict[str, str]:
        """The titles of the cases `references` names (those that exist)."""
        names = {f"r{i}": reference for i, reference in enumerate(sorted(set(references)))}
        if not names:
            return {}
        inside = ", ".join(f":{name}" for name in names)
        rows = self._db.all(f"SELECT reference, title FROM cases WHERE reference IN ({inside})", names)
        return {reference: title for reference, title in rows}

    def next_number(self) -> int:
        """The number the next link takes (writers take turns: storage/sql.py)."""
        return int(self._db.scalar("SELECT COALESCE(MAX(number), 0) FROM case_links")) + 1

    def add(self, link: CaseLink) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_links (number, case_id, kind, other_case_id, ncp, external_reference, url, "
            "linked_at, linked_by) SELECT :number, c.id, :kind, "
            "(SELECT o.id FROM cases o WHERE o.reference = :other), :ncp, :external, :url, :at, :by "
            "FROM cases c WHERE c.reference = :ref",
            {
                "number": link.number,
                "ref": link.case,
                "kind": link.kind,
                "other": link.other,
                "ncp": link.ncp,
                "external": link.external_reference,
                "url": link.url,
                "at": db.instant(link.linked_at),
                "by": link.linked_by,
            },
        )

    def remove(self, number: int, *, at: datetime, by: str, reason: str | None) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_link_removals (link_id, removed_at, removed_by, reason) "
            "SELECT id, :at, :by, :reason FROM case_links WHERE number = :number",
            {"number": number, "at": db.instant(at), "by": by, "reason": reason},
        )
