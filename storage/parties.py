"""The parties of a case and their contacts on SQL (`parties`, `party_contacts`), and what
redaction protects: every party whose identity is withheld or which is at risk of reprisal,
with its contacts' names, e-mail and postal addresses.

A party's place in its case (`position`) never changes and parties are never removed, so its
key (`states.parties.party_keys`) is stable; a party added later comes last. Every write raises
`party_revision`, and tells the search index which cases to index again (storage/search.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from states.case import Party
from states.contacts import Channel, Contact, ContactRole
from states.errors import CaseNotFoundError
from states.redaction import Protected
from storage.db import Db, columns, read_instant
from storage.rows import PartyContactRow

if TYPE_CHECKING:
    from storage.search import SqlSearchIndex

_CONTACT_COLUMNS = columns(PartyContactRow, "k.")
_CHUNK = 500


# A party's number within its role, in the case's order: its key is `{role}-{nth}`.
_NTH = (
    "(SELECT COUNT(*) FROM parties q WHERE q.case_id = p.case_id AND q.role = p.role "
    "AND q.position <= p.position)"
)
_PROTECTED = (
    f"SELECT p.id, c.reference, c.lead_member, p.role, p.name, p.org_number, p.reprisal_risk, {_NTH} "
    "FROM parties p JOIN cases c ON c.id = p.case_id WHERE"
)


def protected_parties(db: Db) -> list[Protected]:
    """Every protected party of every case (identity withheld, or at risk of reprisal: the
    partial indexes keep this short) and its contacts' details, removed ones included, and the
    names, numbers and details they had before a change (all of them stay in the audit log)."""
    found: list[Protected] = []
    by_id: dict[int, Protected] = {}
    for party_id, reference, lead, role, name, org_number, risk, nth in db.all(
        f"{_PROTECTED} p.confidential UNION {_PROTECTED} p.reprisal_risk ORDER BY 2, 1"
    ):
        party = Protected(reference, name, org_number, kind=role, reprisal_risk=bool(risk), lead=lead)
        found.append(party)
        by_id[party_id] = replace(party, owner=f"{role}-{nth}")  # the party's key, for what follows
    owners: dict[tuple[str, str, int], Protected] = {}  # (reference, party key, number) -> contact
    ids = list(by_id)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        for party_id, number, name, email, address in db.all(
            "SELECT party_id, number, name, email, address FROM party_contacts "
            f"WHERE party_id IN ({marks}) ORDER BY party_id, number",
            {f"i{n}": value for n, value in enumerate(chunk)},
        ):
            party = by_id[party_id]
            contact = replace(party, name=name, org_number=None, kind="contact", owner=name)
            owners[(party.reference, party.owner or "", int(number))] = contact
            found.extend(replace(contact, name=detail) for detail in (name, email, address) if detail)
    found.extend(_earlier(db, {(p.reference, p.owner or ""): p for p in by_id.values()}, owners))
    return found


def _earlier(
    db: Db, parties: dict[tuple[str, str], Protected], contacts: dict[tuple[str, str, int], Protected]
) -> list[Protected]:
    """What the protected parties (by reference and key) and their contacts were called before a
    change (`party_changed`, `contact_changed`: the values changed from)."""
    found: list[Protected] = []
    refs = sorted({reference for reference, _ in parties})
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start : start + _CHUNK]
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        for reference, kind, data in db.all(
            f"SELECT case_ref, kind, data FROM audit_log WHERE case_ref IN ({marks}) "
            "AND kind IN ('party_changed', 'contact_changed') ORDER BY seq",
            {f"r{n}": ref for n, ref in enumerate(chunk)},
        ):
            body = json.loads(data)
            changes = body.get("changes") if isinstance(body, dict) else None
            if not isinstance(changes, dict):
                continue
            before: dict[str, str] = {
                field: str(change["from"])
                for field, change in changes.items()
                if isinstance(change, dict) and isinstance(change.get("from"), str) and change["from"]
            }
            if kind == "party_changed" and (party := parties.get((reference, str(body.get("key"))))):
                if "name" in before:
                    found.append(replace(party, name=before["name"], owner=None))
                if "org_number" in before:
                    found.append(replace(party, org_number=before["org_number"], owner=None))
            contact = contacts.get((reference, str(body.get("party")), body.get("number") or 0))
            if kind == "contact_changed" and contact is not None:
                found.extend(
                    replace(contact, name=before[field])
                    for field in ("name", "email", "address")
                    if field in before
                )
    return found


def _to_contact(row: PartyContactRow) -> Contact:
    return Contact(
        number=int(row.number),
        role=ContactRole(row.role),
        name=row.name,
        email=row.email,
        address=row.address,
        language=row.language,
        channel=Channel(row.channel),
        removed_at=read_instant(row.removed_at),
    )


def _details(reference: str, contact: Contact) -> list[Protected]:
    return [Protected(reference, text) for text in (contact.name, contact.email, contact.address) if text]


class SqlPartyStore:
    def __init__(self, db: Db, index: Callable[[], SqlSearchIndex]) -> None:
        self._db = db
        self._index = index

    # -- reading -----------------------------------------------------------------------------
    def contacts(self, reference: str) -> dict[int, list[Contact]]:
        """The contacts of each party of the case (by its position), removed ones included,
        by number."""
        return self.contacts_of([reference]).get(reference, {})

    def contacts_of(self, references: Sequence[str]) -> dict[str, dict[int, list[Contact]]]:
        """`contacts` of several cases in one query per chunk."""
        found: dict[str, dict[int, list[Contact]]] = defaultdict(lambda: defaultdict(list))
        refs = list(dict.fromkeys(references))
        for start in range(0, len(refs), _CHUNK):
            chunk = refs[start : start + _CHUNK]
            marks = ", ".join(f":r{n}" for n in range(len(chunk)))
            for reference, position, *rest in self._db.all(
                f"SELECT c.reference, p.position, {_CONTACT_COLUMNS} FROM party_contacts k "
                "JOIN parties p ON p.id = k.party_id JOIN cases c ON c.id = p.case_id "
                f"WHERE c.reference IN ({marks}) ORDER BY c.reference, p.position, k.number",
                {f"r{n}": ref for n, ref in enumerate(chunk)},
            ):
                found[reference][int(position)].append(_to_contact(PartyContactRow._make(rest)))
        return {ref: dict(parties) for ref, parties in found.items()}

    # -- writing -----------------------------------------------------------------------------
    def add_party(self, reference: str, party: Party) -> int:
        """Add `party` last among the case's parties; its position."""
        case_id = self._case_id(reference)
        position = self._db.scalar(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM parties WHERE case_id = :c", {"c": case_id}
        )
        self._db.execute(
            "INSERT INTO parties (case_id, position, role, name, type, confidential, org_number, "
            "reprisal_risk, measures) VALUES (:c, :position, :role, :name, :type, :confidential, "
            ":org_number, :reprisal_risk, :measures)",
            {"c": case_id, "position": position, "role": party.role.value, **self._values(party)},
        )
        self._changed(case_id, [Protected(reference, party.name, party.org_number)])
        return int(position)

    def save_party(self, reference: str, position: int, party: Party) -> None:
        """The party at `position` as `party` holds it (its role never changes)."""
        case_id = self._case_id(reference)
        old = self._db.one(
            "SELECT name, org_number FROM parties WHERE case_id = :c AND position = :position",
            {"c": case_id, "position": position},
        )
        self._db.execute(
            "UPDATE parties SET name = :name, type = :type, confidential = :confidential, "
            "org_number = :org_number, reprisal_risk = :reprisal_risk, measures = :measures "
            "WHERE case_id = :c AND position = :position",
            {"c": case_id, "position": position, **self._values(party)},
        )
        before = [Protected(reference, old[0], old[1])] if old is not None else []
        self._changed(case_id, [*before, Protected(reference, party.name, party.org_number)])

    def add_contact(self, reference: str, position: int, contact: Contact, *, at: datetime) -> None:
        case_id = self._case_id(reference)
        self._db.execute(
            "INSERT INTO party_contacts (party_id, number, role, name, email, address, language, "
            "channel, created_at, removed_at) SELECT id, :number, :role, :name, :email, :address, "
            ":language, :channel, :at, NULL FROM parties WHERE case_id = :c AND position = :position",
            {**self._contact(contact), "at": self._db.instant(at), "c": case_id, "position": position},
        )
        self._changed(case_id, _details(reference, contact))

    def save_contact(self, reference: str, position: int, contact: Contact) -> None:
        """Contact `contact.number` of the party at `position` as `contact` holds it (removed
        when its `removed_at` is set)."""
        case_id = self._case_id(reference)
        old = self._db.one(
            "SELECT k.name, k.email, k.address FROM party_contacts k JOIN parties p ON p.id = k.party_id "
            "WHERE p.case_id = :c AND p.position = :position AND k.number = :number",
            {"c": case_id, "position": position, "number": contact.number},
        )
        self._db.execute(
            "UPDATE party_contacts SET role = :role, name = :name, email = :email, address = :address, "
            "language = :language, channel = :channel, removed_at = :removed_at "
            "WHERE number = :number AND party_id = "
            "(SELECT id FROM parties WHERE case_id = :c AND position = :position)",
            {
                **self._contact(contact),
                "removed_at": self._db.instant(contact.removed_at),
                "c": case_id,
                "position": position,
            },
        )
        before = [Protected(reference, text) for text in old or () if text]
        self._changed(case_id, [*before, *_details(reference, contact)])

    # -- helpers -----------------------------------------------------------------------------
    def _case_id(self, reference: str) -> int:
        case_id = self._db.scalar("SELECT id FROM cases WHERE reference = :ref", {"ref": reference})
        if case_id is None:
            raise CaseNotFoundError(reference)
        return int(case_id)

    def _changed(self, case_id: int, details: Sequence[Protected]) -> None:
        """A party or contact of case `case_id` changed (`details`: its texts before and
        after): the revision raised (no cached redaction is current any more), the search
        index told."""
        self._db.execute("UPDATE party_revision SET revision = revision + 1 WHERE id = 1")
        self._index().parties_changed(case_id, details)

    @staticmethod
    def _values(party: Party) -> dict[str, object]:
        return {
            "name": party.name,
            "type": party.type,
            "confidential": party.confidential,
            "org_number": party.org_number,
            "reprisal_risk": party.reprisal_risk,
            "measures": party.measures,
        }

    @staticmethod
    def _contact(contact: Contact) -> dict[str, object]:
        return {
            "number": contact.number,
            "role": contact.role.value,
            "name": contact.name,
            "email": contact.email,
            "address": contact.address,
            "language": contact.language,
            "channel": contact.channel.value,
        }
