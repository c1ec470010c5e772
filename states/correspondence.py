"""The correspondence log of a case: each communication in or out (pure).

An entry says when it happened (an instant, stored in UTC and shown in the NCP's zone), which
way it went (`in` from a party, `out` to one), which party (its key, `submitter-1`,
`states.parties`), over which channel (a closed list: `CHANNELS`), its subject (free text, so
redacted like any other for readers who may not see protected identities) and the numbers of
the case's documents it carried. Entries are numbered 1, 2, ... within the case in the order
logged; a letter sent from ncpflow logs its own entry (`letter` holds the letter's number).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from states.errors import Input, InvalidInputError
from states.limits import TEXT_MAX, check_text
from states.messages import N_

DIRECTIONS: dict[str, str] = {"in": N_("in (from the party)"), "out": N_("out (to the party)")}
"""Which way a communication went; the value's words on the pages."""

CHANNELS: dict[str, str] = {
    "email": N_("e-mail"),
    "post": N_("post"),
    "phone": N_("phone"),
    "meeting": N_("meeting"),
    "video": N_("video meeting"),
    "hand": N_("delivered by hand"),
}
"""How it went: the closed list of channels, each with its words on the pages."""

DOCUMENTS_MAX = 50
"""At most so many documents linked to one entry."""

SUBJECT = Input(N_("the subject"), "subject")
DOCUMENTS = Input(N_("the linked documents"), "documents")


@dataclass(frozen=True)
class Entry:
    """One logged communication of a case."""

    number: int
    at: datetime
    direction: str
    party: str
    channel: str
    subject: str
    documents: tuple[int, ...] = ()
    letter: int | None = None
    recorded_at: datetime | None = None
    recorded_by: str = ""


def check_subject(subject: str) -> str:
    """A subject: not blank, at most TEXT_MAX characters, no NUL; kept as typed."""
    return check_text(subject, SUBJECT, limit=TEXT_MAX)


def check_documents(
    numbers: Iterable[int], *, known: Sequence[int] | None = None, reference: str
) -> tuple[int, ...]:
    """The linked document numbers, each once, in the order given; with `known` (the case's
    document numbers), an unknown one is refused, naming the ones there are."""
    chosen = tuple(dict.fromkeys(numbers))
    if len(chosen) > DOCUMENTS_MAX:
        raise InvalidInputError(
            N_("{what} takes at most {count} values"), what=DOCUMENTS, count=DOCUMENTS_MAX
        )
    if known is not None:
        missing = [n for n in chosen if n not in known]
        if missing:
            raise InvalidInputError(
                N_("case {reference} has no document {number}; its documents are {numbers}"),
                reference=reference,
                number=missing[0],
                numbers=", ".join(str(n) for n in sorted(known)) or "-",
            )
    return chosen


def next_number(entries: Iterable[Entry]) -> int:
    return max((e.number for e in entries), default=0) + 1


def last_out(entries: Iterable[Entry], party: str) -> datetime | None:
    """When `party` was last written to (an outgoing entry), or None."""
    return max((e.at for e in entries if e.party == party and e.direction == "out"), default=None)
