"""The correspondence log: log a communication with a party, list a case's log.

Logging is one write transaction: the entry and its audit entry (`correspondence_logged`), or
nothing. `record` does the same inside a transaction already open (a letter sent logs its
entry in the send's own transaction). The list is read as the viewer may see it: subjects and
party names are free text, redacted for readers who may not see protected identities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from states import correspondence as rules
from states import records
from states.case import Case
from states.correspondence import Entry
from states.errors import ACTOR
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.parties import find_party, party_keys
from states.users import User
from workflow import inputs, read_models
from workflow import redaction as redactions
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

log = get_logger("ncpflow.correspondence")


def check(direction: str, channel: str, subject: str) -> None:
    """The inputs that need no case, refused before any read."""
    inputs.one_of(rules.DIRECTIONS, direction, N_("direction"), "direction")
    inputs.one_of(rules.CHANNELS, channel, N_("channel"), "channel")
    rules.check_subject(subject)


def record(
    tx: Transaction,
    *,
    case: Case,
    actor: str,
    now: datetime,
    at: datetime,
    direction: str,
    party: str,
    channel: str,
    subject: str,
    documents: Sequence[int] = (),
    known_documents: Sequence[int] | None = None,
    letter: int | None = None,
) -> Entry:
    """Log an entry in the open transaction `tx`, with its audit entry; `party` a key or name."""
    check(direction, channel, subject)
    key = find_party(case.parties, party, reference=case.reference)
    entry = Entry(
        number=tx.correspondence.next_number(case.reference),
        at=at,
        direction=direction,
        party=key,
        channel=channel,
        subject=subject,
        documents=rules.check_documents(documents, known=known_documents, reference=case.reference),
        letter=letter,
        recorded_at=now,
        recorded_by=actor,
    )
    tx.correspondence.add(case.reference, entry)
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=records.CorrespondenceLogged(
            entry.number, direction, key, channel, subject, entry.documents, now, letter
        ),
    )
    log.info(
        "correspondence_logged",
        case=case.reference,
        number=entry.number,
        direction=direction,
        party=key,
        channel=channel,
        actor=actor,
    )
    return entry


def log_entry(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    direction: str,
    party: str,
    channel: str,
    subject: str,
    at: date | datetime | None = None,
    documents: Sequence[int] = (),
) -> Entry:
    """Log a communication with a party of the case: when (`at`, default now; never in the
    future), which way, over which channel, about what, with which of the case's documents."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    check(direction, channel, subject)
    rules.check_documents(documents, reference=reference)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=inputs.AT)
        return record(
            tx,
            case=case,
            actor=actor,
            now=now,
            at=when,
            direction=direction,
            party=party,
            channel=channel,
            subject=subject,
            documents=documents,
            known_documents=_document_numbers(tx, reference),
        )


def _document_numbers(tx: Transaction, reference: str) -> list[int]:
    """The numbers of the case's documents."""
    return sorted({document.number for document in tx.documents.of_case(reference)})


def entry_view(entry: Entry, names: dict[str, str]) -> read_models.CorrespondenceEntry:
    recorded = entry.recorded_at
    return read_models.CorrespondenceEntry(
        number=entry.number,
        at=entry.at.isoformat(),
        direction=entry.direction,
        party=entry.party,
        party_name=names.get(entry.party, entry.party),
        channel=entry.channel,
        subject=entry.subject,
        documents=list(entry.documents),
        letter=entry.letter,
        recorded_at=recorded.isoformat() if recorded else None,
        recorded_by=entry.recorded_by,
    )


def case_log(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.CaseCorrespondence:
    """The case's correspondence log, oldest first; for a `viewer` who may not see protected
    identities, names and subjects redacted (pseudonyms in `language`)."""
    from workflow.views import redacted

    with uow.read() as tx:
        case = tx.cases.get(reference)
        entries = tx.correspondence.of_case(reference)
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else None
    names = {key: party.name for key, party in party_keys(case.parties)}
    found = read_models.CaseCorrespondence(
        reference=reference, entries=[entry_view(e, names) for e in entries]
    )
    return found if redaction is None else redacted(found, redaction, reference)
