"""Statements of a case and their comment rounds (pure).

A statement (an initial assessment, a final statement, a follow-up statement) is drafted from
its kind's template as a DOCX and a PDF, two versioned documents of the case, internal (`ncp`)
until published. A comment round circulates the draft's PDF as it stands to chosen parties with
a window of days; its end is a deadline the alert sweep keeps like any other (the lead is
alerted at each rung once, the parties reminded once before it closes), and the round closes
early (the lead) or the day after its window ends (the sweep). Comments received are logged
against the round, by e-mail, post or through the party's link. Publishing turns the statement's
final version into the public PDF and fires what the procedure declares for the kind
(`[statements.KIND]`: a fact, or one of its triggers; docs/procedure-schema.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from states.errors import Input, InvalidInputError, StepRefusedError
from states.limits import TEXT_MAX, check_text
from states.messages import N_, Translator


class StatementKind(StrEnum):
    INITIAL_ASSESSMENT = "initial_assessment"
    FINAL_STATEMENT = "final_statement"
    FOLLOW_UP = "follow_up"


KINDS: tuple[str, ...] = tuple(kind.value for kind in StatementKind)

_LABELS = {
    StatementKind.INITIAL_ASSESSMENT: N_("initial assessment"),
    StatementKind.FINAL_STATEMENT: N_("final statement"),
    StatementKind.FOLLOW_UP: N_("follow-up statement"),
}

VIAS: dict[str, str] = {"email": N_("e-mail"), "post": N_("post"), "link": N_("party link")}
"""How a comment came in; the value's words on the pages."""

DAYS_MIN = 1
DAYS_MAX = 90
"""A comment window runs at least a day and at most about three months."""

KIND = Input(N_("the statement kind"), "kind")
DAYS = Input(N_("the comment window in days"), "days")
PARTIES = Input(N_("the parties"), "parties")
TEXT = Input(N_("the comment"), "text")
STATEMENT = Input(N_("the statement number"), "statement")
ROUND = Input(N_("the round number"), "round")


def label(kind: str, tr: Translator) -> str:
    """The kind's name in `tr`'s words ("final statement", "sluttuttalelse")."""
    return tr.gettext(_LABELS[StatementKind(kind)])


class StatementStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True)
class Statement:
    """A statement of a case: its DOCX and PDF documents (by number; each edit a new version),
    the context it was drafted with, and when it was published."""

    number: int
    kind: str
    language: str
    status: StatementStatus
    docx_document: int
    pdf_document: int
    created_at: datetime
    created_by: str
    published_at: datetime | None = None
    published_by: str | None = None
    published_version: int | None = None  # the public PDF: a version of `pdf_document`
    fired: str | None = None  # "fact:NAME" or "trigger:NAME", as the procedure declared

    @property
    def is_draft(self) -> bool:
        return self.status is StatementStatus.DRAFT


@dataclass(frozen=True)
class Round:
    """A comment round: statement `statement`'s PDF (document `document`, `version`) sent to
    `parties` on `opened_on`; the window ends on `due_on` (inclusive)."""

    number: int
    statement: int
    document: int
    version: int
    parties: tuple[str, ...]
    days: int
    opened_on: date
    due_on: date
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Comment:
    """A comment received in a round from one party: its text and/or a document filed `in`."""

    number: int
    round: int
    party: str
    via: str
    received_at: datetime
    recorded_by: str
    text: str | None = None
    document: int | None = None


def check_kind(kind: str, offered: Sequence[str] | None = None) -> str:
    """`kind` if it is a statement kind (and, given `offered`, one the case's state offers)."""
    if kind not in KINDS:
        raise InvalidInputError(
            N_("'{kind}' is not a statement kind ({what}); the kinds are {kinds}"),
            kind=kind,
            what=KIND,
            kinds=", ".join(KINDS),
        )
    if offered is not None and kind not in offered:
        raise InvalidInputError(
            N_("the case's state offers no {kind} ({what}); it offers {kinds}"),
            kind=kind,
            what=KIND,
            kinds=", ".join(offered) or "-",
        )
    return kind


def check_days(days: int) -> int:
    """A window of DAYS_MIN to DAYS_MAX days."""
    if not DAYS_MIN <= days <= DAYS_MAX:
        raise InvalidInputError(
            N_("{what} must be from {low} to {high}, not {days}"),
            what=DAYS,
            low=DAYS_MIN,
            high=DAYS_MAX,
            days=days,
        )
    return days


def check_comment(text: str | None, has_document: bool) -> str | None:
    """A comment's text (kept as typed), or None; a comment needs its text or a document."""
    if text is not None and text.strip():
        return check_text(text, TEXT, limit=TEXT_MAX)
    if not has_document:
        raise InvalidInputError(N_("a comment needs {what} or a document"), what=TEXT)
    return None


def check_via(via: str) -> str:
    if via not in VIAS:
        raise InvalidInputError(
            N_("'{via}' is not how a comment comes in ({what}); one of {vias}"),
            via=via,
            what=Input(N_("how it came"), "via"),
            vias=", ".join(VIAS),
        )
    return via


def find_statement(statements: Sequence[Statement], number: int, *, reference: str) -> Statement:
    for statement in statements:
        if statement.number == number:
            return statement
    raise InvalidInputError(
        N_("case {reference} has no statement {number} ({what}); its statements are {numbers}"),
        reference=reference,
        number=number,
        what=STATEMENT,
        numbers=", ".join(str(s.number) for s in statements) or "-",
    )


def find_round(rounds: Sequence[Round], number: int, *, reference: str) -> Round:
    for found in rounds:
        if found.number == number:
            return found
    raise InvalidInputError(
        N_("case {reference} has no comment round {number} ({what}); its rounds are {numbers}"),
        reference=reference,
        number=number,
        what=ROUND,
        numbers=", ".join(str(r.number) for r in rounds) or "-",
    )


def check_draft(statement: Statement, *, reference: str, state: str) -> None:
    """StepRefusedError unless `statement` is still a draft."""
    if not statement.is_draft:
        raise StepRefusedError(
            reference=reference,
            state=state,
            problem=Input(N_("statement {number} is already published"), params={"number": statement.number}),
        )


def check_open(found: Round, *, reference: str, state: str) -> None:
    """StepRefusedError unless round `found` is open."""
    if not found.is_open:
        raise StepRefusedError(
            reference=reference,
            state=state,
            problem=Input(N_("comment round {number} is already closed"), params={"number": found.number}),
        )


def check_party_in_round(found: Round, party: str, *, reference: str) -> None:
    if party not in found.parties:
        raise InvalidInputError(
            N_("comment round {number} of case {reference} was not sent to {party}; it went to {parties}"),
            number=found.number,
            reference=reference,
            party=party,
            parties=", ".join(found.parties),
        )


def rung_key(before: str) -> str:
    """The claim key of the parties' reminder of a round (`[statements] remind_before`, "3d")."""
    return f"parties-before-{before}"


def window_name(number: int) -> str:
    """The name of round `number`'s window among deadlines (alerts, audit): "comments-1"."""
    return f"comments-{number}"
