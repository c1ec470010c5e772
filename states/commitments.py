"""Follow-up of commitments (pure): what a commitment is, its status history, and the
implementation rate.

A *commitment* is what a party undertook in an agreement reached in the case (`source`
`agreement`) or what the NCP recommended in a statement (`source` `statement`); `document`
optionally names the case's document holding it (the agreement, the published statement).
Its `owner` is who is to act: the `enterprise`, the `ncp` or the `submitter`, optionally one
party by its key (`enterprise-1`, `submitter-2`; never for the NCP, which is no party). Its text
is bounded by `states.limits.TEXT_MAX`; its `due` date (optional) and the day it was made
(`made_on`, the agreement's or the statement's date) are NCP-local dates.

Its *status history* is appended to, never changed: each entry a status (`implemented`, `partly`,
`not`, `unknown`), the NCP-local day it holds from, a note, the numbers of the case's documents
that are its evidence, who recorded it and when. The history reads in the order of its days;
entries of the same day in the order recorded. The *current* status is the last one in that
order; a commitment without any entry is `unknown`.

*Implementation rate* (the rules `report follow-up` counts by):
- `implemented` counts 1, `partly` counts 0.5, `not` counts 0;
- `unknown` (and a commitment with no status yet) is left out of the rate: the rate is the
  score over the commitments whose status is known, and the unknown ones are counted beside it;
- with no commitment of known status the rate is undefined (None), never 0.
The year a commitment counts in is the year of `made_on` (the agreement's or the statement's
date, which is the recording day when none was given). A commitment counts under each of its
case's Guidelines chapters (themes), so the themes' counts may add up to more than the total.

An *update request* asks one party of the case for news of its commitments by a due date; its
commitments are those the party owns (the party's own, or its role's with no party named).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from states.errors import Input, InvalidInputError
from states.limits import TEXT_MAX, check_optional, check_text
from states.messages import N_

SOURCES: tuple[str, ...] = ("agreement", "statement")
OWNERS: tuple[str, ...] = ("enterprise", "ncp", "submitter")
STATUSES: tuple[str, ...] = ("implemented", "partly", "not", "unknown")
UNKNOWN = "unknown"

WEIGHTS: dict[str, float] = {"implemented": 1.0, "partly": 0.5, "not": 0.0}
"""What each known status counts towards the implementation rate; `unknown` is not counted."""

COMMITMENTS_MAX = 1000
"""At most this many commitments in one case."""
HISTORY_MAX = 1000
"""At most this many status entries per commitment."""
EVIDENCE_MAX = 20
"""At most this many evidence documents per status entry."""

TEXT = Input(N_("the commitment's text"), "text")
NOTE = Input(N_("the status note"), "note")
SOURCE = Input("", "source")
OWNER = Input("", "owner")
PARTY = Input("", "party")
STATUS = Input("", "status")
DUE = Input(N_("due date"), "due")
MADE_ON = Input(N_("the day it was made"), "made_on")
COMMITMENT = Input("", "commitment")
EVIDENCE = Input("", "evidence")
ON = Input(N_("the day the status holds from"), "on")


@dataclass(frozen=True)
class Commitment:
    """A commitment or recommendation of a case, numbered 1, 2, ... within it."""

    number: int
    source: str
    owner: str
    text: str
    made_on: date
    recorded_at: datetime
    recorded_by: str
    due: date | None = None
    party: str | None = None
    document: int | None = None


@dataclass(frozen=True)
class StatusEntry:
    """One entry of a commitment's status history; `seq` orders the entries recorded (1, 2, ...)."""

    commitment: int
    seq: int
    status: str
    on: date
    actor: str
    recorded_at: datetime
    note: str | None = None
    evidence: tuple[int, ...] = ()


@dataclass(frozen=True)
class UpdateRequest:
    """A request to party `party` for news of its commitments (their numbers), due on `due`."""

    number: int
    party: str
    commitments: tuple[int, ...]
    due: date
    requested_at: datetime
    requested_by: str
    channel: str = "email"


def _one_of(known: Sequence[str], value: str, what: Input) -> str:
    if value not in known:
        raise InvalidInputError(
            N_("{what}: unknown value '{value}'; one of: {choices}"),
            what=what,
            value=value[:40],
            choices=", ".join(known),
        )
    return value


def owner_role(party: str) -> str:
    """The role part of a party key (`submitter-2` → `submitter`)."""
    return party.rsplit("-", 1)[0]


def new_commitment(
    existing: Sequence[Commitment],
    *,
    source: str,
    owner: str,
    text: str,
    made_on: date,
    recorded_at: datetime,
    recorded_by: str,
    reference: str,
    due: date | None = None,
    party: str | None = None,
    document: int | None = None,
    documents: Iterable[int] | None = None,
) -> Commitment:
    """The case's next commitment, after checking every input: the source and owner among the
    known ones, the text (not blank, at most TEXT_MAX characters, no NUL), `party` (a key)
    of the owner's role and never for the NCP, `document` one of the case's `documents` (when
    they are given), the due date not before the day it was made."""
    check_inputs(source=source, owner=owner, text=text)
    if party is not None:
        if owner == "ncp":
            raise InvalidInputError(
                N_("{what}: a commitment the NCP owns names no party, not {party}"),
                what=PARTY,
                party=party,
            )
        if owner_role(party) != owner:
            raise InvalidInputError(
                N_("{what}: {party} is not a party of the owner's kind ({owner})"),
                what=PARTY,
                party=party,
                owner=owner,
            )
    if document is not None and documents is not None and document not in set(documents):
        raise InvalidInputError(
            N_("{what}: case {reference} has no document {number}"),
            what=Input("", "document"),
            reference=reference,
            number=document,
        )
    if due is not None and due < made_on:
        raise InvalidInputError(
            N_("{what} {due} is before the day it was made ({made})"),
            what=DUE,
            due=due.isoformat(),
            made=made_on.isoformat(),
        )
    if len(existing) >= COMMITMENTS_MAX:
        raise InvalidInputError(
            N_("case {reference} already has {count} commitments, the most one case may hold"),
            reference=reference,
            count=COMMITMENTS_MAX,
        )
    number = max((c.number for c in existing), default=0) + 1
    return Commitment(
        number=number,
        source=source,
        owner=owner,
        text=text,
        made_on=made_on,
        recorded_at=recorded_at,
        recorded_by=recorded_by,
        due=due,
        party=party,
        document=document,
    )


def check_inputs(*, source: str, owner: str, text: str) -> None:
    """The inputs of a commitment that need no case, refused before any read."""
    _one_of(SOURCES, source, SOURCE)
    _one_of(OWNERS, owner, OWNER)
    check_text(text, TEXT, limit=TEXT_MAX)


def check_status(status: str, note: str | None, evidence: Sequence[int]) -> None:
    """The inputs of a status entry that need no case."""
    _one_of(STATUSES, status, STATUS)
    check_optional(note, NOTE, limit=TEXT_MAX)
    if len(evidence) > EVIDENCE_MAX:
        raise InvalidInputError(
            N_("{what}: at most {count} documents, not {given}"),
            what=EVIDENCE,
            count=EVIDENCE_MAX,
            given=len(evidence),
        )


def find(commitments: Sequence[Commitment], number: int, *, reference: str) -> Commitment:
    """Commitment `number` of the case; refused naming the input when there is none."""
    for commitment in commitments:
        if commitment.number == number:
            return commitment
    raise InvalidInputError(
        N_("{what}: case {reference} has no commitment {number}"),
        what=COMMITMENT,
        reference=reference,
        number=number,
    )


def new_status(
    commitment: Commitment,
    history: Sequence[StatusEntry],
    *,
    status: str,
    on: date,
    actor: str,
    recorded_at: datetime,
    note: str | None = None,
    evidence: Sequence[int] = (),
    documents: Iterable[int] | None = None,
    reference: str,
) -> StatusEntry:
    """The commitment's next status entry: a known status, the note bounded, the evidence the
    case's documents (when `documents` are given), the day not before the commitment was made."""
    check_status(status, note, evidence)
    if on < commitment.made_on:
        raise InvalidInputError(
            N_("{what} {on} is before commitment {number} was made ({made})"),
            what=ON,
            on=on.isoformat(),
            number=commitment.number,
            made=commitment.made_on.isoformat(),
        )
    if documents is not None:
        known = set(documents)
        missing = [n for n in evidence if n not in known]
        if missing:
            raise InvalidInputError(
                N_("{what}: case {reference} has no document {number}"),
                what=EVIDENCE,
                reference=reference,
                number=missing[0],
            )
    if len(history) >= HISTORY_MAX:
        raise InvalidInputError(
            N_("commitment {number} already has {count} status entries, the most it may hold"),
            number=commitment.number,
            count=HISTORY_MAX,
        )
    return StatusEntry(
        commitment=commitment.number,
        seq=max((e.seq for e in history), default=0) + 1,
        status=status,
        on=on,
        actor=actor,
        recorded_at=recorded_at,
        note=note or None,
        evidence=tuple(dict.fromkeys(evidence)),
    )


def ordered(history: Iterable[StatusEntry]) -> list[StatusEntry]:
    """A status history in its order: by the day each entry holds from, then as recorded."""
    return sorted(history, key=lambda e: (e.on, e.seq))


def current(history: Iterable[StatusEntry]) -> str:
    """The current status: the last entry's in the history's order; `unknown` without any."""
    entries = ordered(history)
    return entries[-1].status if entries else UNKNOWN


def owned_by(commitments: Iterable[Commitment], party: str) -> list[Commitment]:
    """The commitments party `party` (a key) owns: its own, and its role's with no party named."""
    role = owner_role(party)
    return [c for c in commitments if c.owner == role and c.party in (None, party)]


@dataclass(frozen=True)
class Rate:
    """The statuses counted (every status, `unknown` included) and the implementation rate."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def known(self) -> int:
        """Commitments whose status is known (all but `unknown`)."""
        return sum(n for status, n in self.counts.items() if status in WEIGHTS)

    @property
    def score(self) -> float:
        return sum(WEIGHTS[status] * n for status, n in self.counts.items() if status in WEIGHTS)

    @property
    def rate(self) -> float | None:
        """The score over the known ones (0 to 1); None when none is known."""
        return self.score / self.known if self.known else None


def rate(statuses: Iterable[str]) -> Rate:
    """The implementation rate of commitments with these current statuses."""
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status] += 1
    return Rate(counts)
