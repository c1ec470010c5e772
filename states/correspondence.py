"""The correspondence log of a case, and its letters to the parties (pure).

An entry says when it happened (an instant, stored in UTC and shown in the NCP's zone), which
way it went (`in` from a party, `out` to one), which party (its key, `submitter-1`,
`states.parties`), over which channel (a closed list: `CHANNELS`), its subject (free text, so
redacted like any other for readers who may not see protected identities) and the numbers of
the case's documents it carried. Entries are numbered 1, 2, ... within the case in the order
logged; a letter sent from ncpflow logs its own entry (`letter` holds the letter's number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from states.errors import Input, InvalidInputError, StepRefusedError
from states.limits import TEXT_MAX, check_text
from states.messages import ENGLISH, N_, Translator

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

ROLE_WORDS: dict[str, str] = {"submitter": N_("submitter"), "enterprise": N_("enterprise")}


def party_words(key: str, tr: Translator = ENGLISH) -> str:
    """A party's key in words: "submitter-1" is "submitter 1", "klager 1" in Norwegian."""
    role, _, number = key.rpartition("-")
    words = ROLE_WORDS.get(role)
    return f"{tr.gettext(words)} {number}" if words else key


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


# -- letters --------------------------------------------------------------------------------------


class LetterStatus(StrEnum):
    """Where a letter stands: a draft (edited at will), sent by e-mail, or sent for posting."""

    DRAFT = "draft"
    SENT = "sent"
    POSTED = "posted"


STATUS_TITLES: dict[str, str] = {
    "drafted": N_("Letter {number} drafted"),
    "sent": N_("Letter {number} sent by e-mail"),
    "posted": N_("Letter {number} sent by post"),
}
"""A letter's moments in a case's story: drafted, then sent by e-mail or by post."""

SEND_CHANNELS: dict[str, str] = {"email": N_("e-mail"), "post": N_("post")}
"""How a letter is sent: e-mailed through the outbox, or posted (the handler prints the PDF)."""

NOTICES = {"pause": "pause_notice", "extension": "extension_notice"}
"""The step ([parties] notify_on) and the letter kind it queues a draft of for each party."""

PARAGRAPHS_MAX = 200
PARAGRAPH = Input(N_("the letter's text"), "paragraphs")


@dataclass(frozen=True)
class Letter:
    """A letter to one party of a case: its kind and language, where it stands, the documents
    holding its DOCX and PDF (each edit a new version), its editable text (`paragraphs`, the
    first its subject) and the template context it was drafted with (`values`)."""

    number: int
    kind: str
    party: str
    language: str
    status: LetterStatus
    docx_document: int
    pdf_document: int
    docx_sha256: str
    subject: str
    paragraphs: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)
    notice: str | None = None
    created_at: datetime | None = None
    created_by: str = ""
    channel: str | None = None
    sent_at: datetime | None = None
    sent_by: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.status is LetterStatus.DRAFT

    def check_draft(self, *, reference: str, state: str) -> None:
        """Refuse (StepRefusedError, naming the letter and when) a change to a letter sent."""
        if not self.is_draft:
            raise StepRefusedError(
                reference=reference,
                state=state,
                problem=Input(
                    N_("letter {number} was already sent ({how}, {at}); it cannot be sent or edited again"),
                    params={
                        "number": self.number,
                        "how": Input(SEND_CHANNELS.get(self.channel or "", N_("post"))),
                        "at": self.sent_at.date().isoformat() if self.sent_at else "",
                    },
                ),
            )


def find_letter(letters: Iterable[Letter], number: int, *, reference: str) -> Letter:
    """Letter `number` of the case; InvalidInputError naming the case's letters otherwise."""
    found = list(letters)
    for letter in found:
        if letter.number == number:
            return letter
    raise InvalidInputError(
        N_("case {reference} has no letter {number}; its letters are {numbers}"),
        reference=reference,
        number=number,
        numbers=", ".join(str(letter.number) for letter in found) or "-",
    )


def check_paragraphs(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """A letter's edited text: at least a subject, each paragraph at most 20,000 characters, no NUL."""
    kept = tuple(p.strip("\n") for p in paragraphs if p.strip())
    if not kept:
        raise InvalidInputError(N_("{what} is required and must not be blank"), what=PARAGRAPH)
    if len(kept) > PARAGRAPHS_MAX:
        raise InvalidInputError(
            N_("{what} takes at most {count} values"), what=PARAGRAPH, count=PARAGRAPHS_MAX
        )
    for paragraph in kept:
        check_text(paragraph, PARAGRAPH, limit=20_000)
    return kept


def split_paragraphs(text: str) -> list[str]:
    """A letter's text as typed (a textarea, a file): paragraphs at blank lines; single line
    breaks stay inside a paragraph."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [block.strip("\n") for block in blocks if block.strip()]


def joined_paragraphs(paragraphs: Sequence[str]) -> str:
    """The text a textarea shows: the paragraphs with a blank line between them."""
    return "\n\n".join(paragraphs)
