"""Internal notes on a case (pure): what a note is, the rules for a new one, and its digest.

A note is NCP-internal: the notes of a meeting, a telephone call, a thought on the case. Only
readers who may read NCP-internal material (`states.permissions.Action.READ_INTERNAL`) see its
text; nothing a party or the public sees holds it, and the audit log (read by auditors) holds
only its sha256 and its length (`states.records.NoteAdded`), so the chain still proves the text.

A note is never changed or removed. A correction is a new note that replaces an earlier one
(`replaces`); the earlier one stays, shown as replaced. A note replaced once is not replaced
again: its replacement is the one to correct. Notes are numbered 1, 2, ... within a case, in
the order written down.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from states.errors import Input, InvalidInputError
from states.limits import NOTE_MAX, check_text
from states.messages import N_

TEXT = Input(N_("the note's text"), "text")
REPLACES = Input(N_("the note it replaces"), "replaces")
NOTES_MAX = 100_000
"""At most this many notes in one case."""


def digest(text: str) -> str:
    """The sha256 of a note's text (UTF-8), as its audit entry holds it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Note:
    """A note of a case: its number, text and author; `at` when it was written (UTC; it may
    be earlier than `recorded_at`, when it was put into ncpflow); `replaces`, the number of the
    earlier note it corrects."""

    number: int
    text: str
    author: str
    at: datetime
    recorded_at: datetime
    replaces: int | None = None

    @property
    def sha256(self) -> str:
        return digest(self.text)

    @property
    def length(self) -> int:
        """The text's length in characters."""
        return len(self.text)


def replaced_by(notes: Sequence[Note]) -> Mapping[int, int]:
    """Each replaced note's number -> the number of the note that replaces it."""
    return {n.replaces: n.number for n in notes if n.replaces is not None}


def new_note(
    notes: Sequence[Note],
    *,
    text: str,
    author: str,
    at: datetime,
    recorded_at: datetime,
    reference: str,
    replaces: int | None = None,
) -> Note:
    """The case's next note, after checking its text (not blank, at most NOTE_MAX characters,
    no NUL) and the note it replaces (one of the case's, not replaced already)."""
    check_text(text, TEXT, limit=NOTE_MAX)
    if len(notes) >= NOTES_MAX:
        raise InvalidInputError(
            N_("case {reference} already has {count} notes, the most one case may hold"),
            reference=reference,
            count=NOTES_MAX,
        )
    if replaces is not None:
        numbers = {n.number for n in notes}
        if replaces not in numbers:
            raise InvalidInputError(
                N_("{what}: case {reference} has no note {number}"),
                what=REPLACES,
                reference=reference,
                number=replaces,
            )
        later = replaced_by(notes).get(replaces)
        if later is not None:
            raise InvalidInputError(
                N_("{what}: note {number} is already replaced by note {later}; correct that one"),
                what=REPLACES,
                number=replaces,
                later=later,
            )
    number = max((n.number for n in notes), default=0) + 1
    return Note(number, text, author, at, recorded_at, replaces)
