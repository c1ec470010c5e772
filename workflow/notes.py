"""Use cases on a case's internal notes: write one down, list them.

Adding a note is one write transaction: the note's row and its `note_added` audit entry, which
holds the note's sha256 and length, never its text (states/notes.py). Listing them is for
readers who may read NCP-internal material (`Action.READ_INTERNAL`): a user without it is
refused, whatever the entry point. The logs never hold a note's text either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from states import notes as rules
from states import records
from states.errors import ACTOR, InvalidInputError
from states.limits import NAME_MAX, NOTE_MAX, check_text
from states.messages import N_
from states.notes import Note
from states.permissions import Action, require
from states.users import User
from workflow import inputs, read_models
from workflow import redaction as redactions
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise
from workflow.views import redacted

log = get_logger("ncpflow.notes")


def add_note(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    text: str,
    actor: str,
    at: date | datetime | None = None,
    replaces: int | None = None,
) -> Note:
    """A new note on the case, written at `at` (default now; not in the future, not before the
    case was received); `replaces`: the earlier note it corrects. An actor who is a user must
    be allowed to write notes."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_text(text, rules.TEXT, limit=NOTE_MAX)  # bad input refused before any read
    with uow.write() as tx:
        authorise(tx, actor, Action.WRITE_NOTE)
        now = clock.now()
        case = tx.cases.get(reference)
        when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=inputs.AT)
        if when < case.received_at:
            raise InvalidInputError(
                N_("{what} {value} is before the case was received ({received})"),
                what=inputs.AT,
                value=when.isoformat(),
                received=case.received_at.isoformat(),
            )
        note = rules.new_note(
            tx.notes.of_case(reference),
            text=text,
            author=actor,
            at=when,
            recorded_at=now,
            reference=reference,
            replaces=replaces,
        )
        tx.notes.add(reference, note)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state,
            to_state=case.state,
            reason=None,
            record=records.NoteAdded(note.number, note.sha256, note.length, now, note.replaces),
        )
    log.info("note_added", case=reference, number=note.number, length=note.length, actor=actor)
    return note


def may_read(tx: Transaction, viewer: User | None, actor: str | None) -> User | None:
    """The reader: `viewer`, else the user `actor` names (an operator at the command line who
    is no user: None); refused (PermissionDeniedError) unless they may read internal material."""
    reader = viewer if viewer is not None else tx.users.get(actor) if actor is not None else None
    if reader is not None:
        require(reader.role, Action.READ_INTERNAL)
    return reader


def note_views(notes: Sequence[Note]) -> list[read_models.Note]:
    """The notes as the read side shows them, each with the note that replaces it."""
    later = rules.replaced_by(notes)
    return [
        read_models.Note(
            number=n.number,
            text=n.text,
            author=n.author,
            at=n.at.isoformat(),
            recorded_at=n.recorded_at.isoformat(),
            sha256=n.sha256,
            length=n.length,
            replaces=n.replaces,
            replaced_by=later.get(n.number),
        )
        for n in notes
    ]


def list_notes(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, actor: str | None = None
) -> read_models.CaseNotes:
    """The case's notes by number, for `viewer` (or the user `actor` names), redacted as they
    may see identities; refused for a reader who may not read internal material."""
    with uow.read() as tx:
        reader = may_read(tx, viewer, actor)
        tx.cases.get(reference)  # an unknown reference is an error, not an empty list
        found = tx.notes.of_case(reference)
        redaction = redactions.for_viewer(tx, reader) if reader is not None else None
    shown = read_models.CaseNotes(reference=reference, notes=note_views(found))
    return shown if redaction is None else redacted(shown, redaction, reference)
