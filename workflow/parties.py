"""Use cases on a case's parties and their contacts: add a party to an open case, change one
(name, type, organisation number, identity withheld, reprisal risk and measures), and add,
change or remove a party's representatives and contacts; the read models of a case's parties
as a reader may see them, and who a letter to a party goes to.

Each write is one transaction: the row and its audit entry (`party_added`, `party_changed`,
`contact_added`, `contact_changed`, `contact_removed`), or nothing. Inputs are checked before
any read (`states.parties.checked`, `states.contacts`); a closed case's parties no longer
change (StepRefusedError). A party is named by its key or its name (`states.parties.find_party`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from enum import Enum
from typing import Any

from states import contacts as contact_rules
from states import parties as party_rules
from states import records
from states.case import Case, Party, require_actor
from states.contacts import Contact, Recipient
from states.errors import REASON, InvalidInputError, StepRefusedError
from states.limits import check_optional
from states.messages import N_
from states.parties import find_party, party_keys
from states.pseudonyms import pseudonym
from states.users import User
from translations import translator
from workflow import read_models
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

log = get_logger("ncpflow.parties")

_UNSET: Any = object()


def _check(actor: str, reason: str | None) -> None:
    require_actor(actor)
    check_optional(reason, REASON)


def _open(case: Case) -> None:
    if case.is_terminal:
        raise StepRefusedError(
            reference=case.reference,
            state=case.state,
            problem=N_("a closed case's parties and contacts no longer change"),
        )


def _position(case: Case, key: str) -> int:
    return next(n for n, (k, _party) in enumerate(party_keys(case.parties)) if k == key)


def _append(
    tx: Transaction, case: Case, actor: str, at: datetime, reason: str | None, record: records.AuditRecord
) -> None:
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=reason or None,
        record=record,
    )


# -- parties ------------------------------------------------------------------------------------


def add_party(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    role: str,
    name: str,
    type: str | None = None,
    org_number: str | None = None,
    withheld: bool = False,
    reprisal_risk: bool = False,
    measures: str | None = None,
    reason: str | None = None,
) -> str:
    """A new party of an open case, last in its order: its key (the next number of its role)."""
    _check(actor, reason)
    party = party_rules.checked(
        Party(party_rules.party_role(role), name, type, withheld, org_number, reprisal_risk, measures)
    )
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        _open(case)
        tx.parties.add_party(reference, party)
        key = party_keys((*case.parties, party))[-1][0]
        _append(
            tx,
            case,
            actor,
            now,
            reason,
            records.PartyAdded(key, records.PartyData.of(party), party.reprisal_risk, now, party.measures),
        )
    log.info("party_added", case=reference, party=key, actor=actor)
    return key


def change_party(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    party: str,
    actor: str,
    name: str | None = None,
    type: str | None = None,
    org_number: str | None = None,
    withheld: bool | None = None,
    reprisal_risk: bool | None = None,
    measures: str | None = None,
    reason: str | None = None,
) -> str:
    """Change what is given of party `party` (None: as it is; "" clears a type, organisation
    number or measures); turning reprisal risk off clears the measures. Its key."""
    _check(actor, reason)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        _open(case)
        key = find_party(case.parties, party, reference=reference)
        position = _position(case, key)
        old = case.parties[position]
        risk = old.reprisal_risk if reprisal_risk is None else reprisal_risk
        kept_measures = old.measures if risk else None
        new = party_rules.checked(
            replace(
                old,
                name=old.name if name is None else name,
                type=old.type if type is None else (type or None),
                org_number=old.org_number if org_number is None else (org_number or None),
                confidential=old.confidential if withheld is None else withheld,
                reprisal_risk=risk,
                measures=kept_measures if measures is None else (measures or None),
            )
        )
        changes = _changes(old, new, records.PartyChanged.FIELDS)
        if not changes:
            raise InvalidInputError(N_("{reference}: nothing to change"), reference=reference)
        tx.parties.save_party(reference, position, new)
        _append(tx, case, actor, now, reason, records.PartyChanged(key, changes, now))
    log.info("party_changed", case=reference, party=key, fields=sorted(changes), actor=actor)
    return key


def _changes(old: Any, new: Any, fields: tuple[str, ...]) -> dict[str, records.Change]:
    values = [(name, getattr(old, name), getattr(new, name)) for name in fields]
    return {name: records.Change(_spelled(a), _spelled(b)) for name, a, b in values if a != b}


def _spelled(value: Any) -> records.FieldValue:
    spelled: records.FieldValue = value.value if isinstance(value, Enum) else value
    return spelled


# -- contacts -----------------------------------------------------------------------------------


def add_contact(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    party: str,
    actor: str,
    name: str,
    email: str | None = None,
    address: str | None = None,
    language: str = "en",
    channel: str = "email",
    role: str = "contact",
    reason: str | None = None,
) -> Contact:
    """A new representative or contact of party `party`, numbered after its last one."""
    _check(actor, reason)

    def made(existing: list[Contact]) -> Contact:
        return contact_rules.new_contact(
            existing, name=name, email=email, address=address, language_=language, channel_=channel, role=role
        )

    made([])  # bad input refused before any read
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        _open(case)
        key = find_party(case.parties, party, reference=reference)
        position = _position(case, key)
        existing = tx.parties.contacts(reference).get(position, [])
        contact = made(existing)
        tx.parties.add_contact(reference, position, contact, at=now)
        _append(
            tx,
            case,
            actor,
            now,
            reason,
            records.ContactAdded(
                key,
                contact.number,
                contact.role.value,
                contact.name,
                contact.email,
                contact.address,
                contact.language,
                contact.channel.value,
                now,
            ),
        )
    log.info("contact_added", case=reference, party=key, number=contact.number, actor=actor)
    return contact


def change_contact(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    party: str,
    number: int,
    actor: str,
    name: str | None = None,
    email: str | None = None,
    address: str | None = None,
    language: str | None = None,
    channel: str | None = None,
    role: str | None = None,
    reason: str | None = None,
) -> Contact:
    """Change what is given of contact `number` of party `party` (None: as it is; "" clears
    an e-mail or postal address)."""

    def change(old: Contact, now: datetime) -> Contact:
        return contact_rules.checked(
            replace(
                old,
                name=old.name if name is None else name,
                email=old.email if email is None else (email or None),
                address=old.address if address is None else (address or None),
                language=old.language if language is None else contact_rules.language(language),
                channel=old.channel if channel is None else contact_rules.channel(channel),
                role=old.role if role is None else contact_rules.contact_role(role),
            )
        )

    def record(key: str, old: Contact, new: Contact, now: datetime) -> records.AuditRecord:
        changes = _changes(old, new, records.ContactChanged.FIELDS)
        if not changes:
            raise InvalidInputError(N_("{reference}: nothing to change"), reference=reference)
        return records.ContactChanged(key, number, changes, now)

    return _contact_step(
        uow=uow,
        clock=clock,
        reference=reference,
        party=party,
        number=number,
        actor=actor,
        reason=reason,
        change=change,
        record=record,
    )


def remove_contact(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    party: str,
    number: int,
    actor: str,
    reason: str | None = None,
) -> Contact:
    """Remove contact `number` of party `party` (its number is not given again)."""

    def remove(old: Contact, now: datetime) -> Contact:
        return replace(old, removed_at=now)

    def record(key: str, old: Contact, new: Contact, now: datetime) -> records.AuditRecord:
        return records.ContactRemoved(key, number, old.name, now)

    return _contact_step(
        uow=uow,
        clock=clock,
        reference=reference,
        party=party,
        number=number,
        actor=actor,
        reason=reason,
        change=remove,
        record=record,
    )


def _contact_step(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    party: str,
    number: int,
    actor: str,
    reason: str | None,
    change: Callable[[Contact, datetime], Contact],
    record: Callable[[str, Contact, Contact, datetime], records.AuditRecord],
) -> Contact:
    """One step on contact `number` of party `party`: the contact as `change` makes it and the
    entry `record` gives, in one write transaction."""
    _check(actor, reason)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        _open(case)
        key = find_party(case.parties, party, reference=reference)
        position = _position(case, key)
        old = contact_rules.find_contact(
            tx.parties.contacts(reference).get(position, []), number, reference=reference, party=key
        )
        new = change(old, now)
        entry = record(key, old, new, now)
        tx.parties.save_contact(reference, position, new)
        _append(tx, case, actor, now, reason, entry)
    log.info(entry.kind, case=reference, party=key, number=number, actor=actor)
    return new


# -- reading ------------------------------------------------------------------------------------


def leads(viewer: User, case: Case) -> bool:
    """Whether `viewer` is the member user linked to the case's lead member."""
    return viewer.member_id is not None and viewer.member_id == case.lead_member


def parties_view(
    *, case: Case, contacts: Mapping[int, list[Contact]], viewer: User | None, language: str = "en"
) -> read_models.CaseParties:
    """The case's parties with their keys, flags and current contacts; a party the viewer may
    not see (`states.parties.may_see`) shows its pseudonym (in `language`'s word), its flags
    and nothing else. No viewer (the command line): every party as stored."""
    tr = translator(language)
    items = []
    for position, (key, party) in enumerate(party_keys(case.parties)):
        shown = viewer is None or party_rules.may_see(party, role=viewer.role, leads=leads(viewer, case))
        current = [c for c in contacts.get(position, []) if not c.removed] if shown else []
        items.append(
            read_models.CaseParty(
                key=key,
                role=party.role,
                name=party.name if shown else pseudonym(case.reference, party.name, tr, party.role.value),
                type=party.type,
                org_number=party.org_number if shown else None,
                withheld=party.confidential,
                reprisal_risk=party.reprisal_risk,
                measures=party.measures if shown else None,
                shown=shown,
                contacts=[contact_view(c) for c in current],
            )
        )
    return read_models.CaseParties(reference=case.reference, closed=case.is_terminal, parties=items)


def contact_view(contact: Contact) -> read_models.Contact:
    return read_models.Contact(
        number=contact.number,
        role=contact.role.value,
        name=contact.name,
        email=contact.email,
        address=contact.address,
        language=contact.language,  # type: ignore[arg-type]  # one of contacts.LANGUAGES
        channel=contact.channel.value,
    )


def list_parties(
    *, uow: UnitOfWork, reference: str, viewer: User | None, language: str = "en"
) -> read_models.CaseParties:
    """`parties_view` of case `reference` in one read."""
    with uow.read() as tx:
        case = tx.cases.get(reference)
        contacts = tx.parties.contacts(reference)
    return parties_view(case=case, contacts=contacts, viewer=viewer, language=language)


def recipients(*, uow: UnitOfWork, reference: str, party: str) -> list[Recipient]:
    """Who a letter to party `party` (a key or a name) of case `reference` goes to: its current
    contacts, representatives first, those preferring e-mail before those preferring post, each
    with its language and channel (`states.contacts.recipients`); empty when it has none."""
    with uow.read() as tx:
        case = tx.cases.get(reference)
        key = find_party(case.parties, party, reference=reference)
        contacts = tx.parties.contacts(reference).get(_position(case, key), [])
    return contact_rules.recipients(key, contacts)
