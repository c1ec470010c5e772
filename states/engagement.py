"""Company engagement (pure): invitations to an enterprise party, its responses, concerns about
good faith, and the participation figures `report engagement` gives.

The 2022 meeting of the NCP network asked why companies refuse to take part in specific
instances, and what brings them to the table. ncpflow keeps the log that answers it:

- An *invitation* goes to one enterprise party of the case (its key, `enterprise-1`), on a date,
  over a channel (`states.correspondence.CHANNELS`), to something (`INVITED_TO`: good offices,
  a meeting, to comment on the submission or on a draft). It waits for an answer until
  `respond_by` (the invitation's day plus `[engagement] respond_within`, "30d" by default, or a
  day the handler gives).
- A *response* to an invitation: `accepted`, `declined` with one or more reason codes from the
  configured list (`[engagement] decline_reasons`, each with en and nb labels; `DEFAULT_REASONS`
  when none are configured), or `no_response`. Responses are appended, never changed: an
  invitation's standing is its latest. An accepted or declined invitation is answered for good
  (a change of mind answers a new invitation); a recorded `no_response` may be followed by a
  late answer.
- *No response is derived*: an invitation with no response recorded whose `respond_by` has
  passed (the NCP's local day is later) stands as `no_response`, in the case's log and in the
  report alike; the handler may also record it once the wait is over (say, after a reminder).
- A *concern about good faith* is dated free text, raised by the enterprise side or the
  submitter side. Its text is NCP-internal, kin to a note: the audit log holds its sha256 and
  length, and readers who may not read internal material (auditors) see that a concern was
  raised, not what it says.

The participation rate (`figures`) counts invitations, not cases: accepted invitations over the
invitations that are settled, i.e. answered (accepted or declined) or standing as no response
(recorded, or derived once the wait has passed). Invitations still waiting are counted apart and
left out of the rate. A declined invitation counts each of its reasons once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from states.case import Party, PartyRole
from states.errors import Input, InvalidInputError
from states.limits import NOTE_MAX, check_text
from states.messages import N_, Translator
from states.parties import find_party, party_keys

INVITED_TO: dict[str, str] = {
    "good_offices": N_("good offices (dialogue or mediation)"),
    "meeting": N_("a meeting"),
    "comment": N_("comment on the submission"),
    "comment_draft": N_("comment on a draft statement"),
}
"""What an enterprise is invited to: the closed list, each with its words on the pages."""

ACCEPTED, DECLINED, NO_RESPONSE, PENDING = "accepted", "declined", "no_response", "pending"
RESPONSES: dict[str, str] = {
    ACCEPTED: N_("invitation accepted"),
    DECLINED: N_("invitation declined"),
    NO_RESPONSE: N_("no response"),
}
"""The responses one records; an invitation with none yet stands as `pending` until its wait
has passed."""
STANDINGS: dict[str, str] = {**RESPONSES, PENDING: N_("waiting for an answer")}

SIDES: dict[str, str] = {"enterprise": N_("the enterprise side"), "submitter": N_("the submitter side")}
"""Who raised a concern about good faith."""

DEFAULT_WAIT = "30d"


@dataclass(frozen=True)
class DeclineReason:
    """A reason code for declining: its code, its English words and its Norwegian ones (None:
    the English words are a catalogue msgid, worded through the catalogue)."""

    code: str
    en: str
    nb: str | None = None

    def words(self, tr: Translator, language: str) -> str:
        if language == "nb" and self.nb:
            return self.nb
        return tr.gettext(self.en) if self.nb is None else self.en


DEFAULT_REASONS: tuple[DeclineReason, ...] = (
    DeclineReason("parallel_proceedings", N_("parallel legal or administrative proceedings")),
    DeclineReason("disputes_mandate", N_("disputes the NCP's mandate or jurisdiction")),
    DeclineReason("no_link", N_("no link to its operations or business relationships")),
    DeclineReason("prefers_other_remedy", N_("prefers another remedy or grievance mechanism")),
    DeclineReason("confidentiality", N_("concerns about confidentiality")),
    DeclineReason("reputational_risk", N_("reputational risk")),
    DeclineReason("already_resolved", N_("the matter is already resolved")),
    DeclineReason("other", N_("other reasons")),
)
"""The reasons offered unless `[engagement] decline_reasons` names others. The 2022 meeting of the
NCP network gathered "situations that have caused companies to refuse to participate" without
publishing a list of them; these are the reasons commonly given (parallel proceedings, the NCP's
mandate, no link to the company, another remedy, confidentiality, reputation, already resolved),
for the NCP to replace with its own."""

PARTY = Input(N_("the invited party"), "party")
INVITED = Input(N_("what it is invited to"), "to")
RESPOND_BY = Input(N_("the day an answer is due"), "respond_by")
INVITATION = Input(N_("the invitation"), "invitation")
RESPONSE = Input(N_("the response"), "response")
REASONS = Input(N_("the reasons for declining"), "reasons")
SIDE = Input(N_("who raised it"), "side")
TEXT = Input(N_("the concern"), "text")
REASONS_MAX = 20


def digest(text: str) -> str:
    """The sha256 of a concern's text (UTF-8), as its audit entry holds it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Invitation:
    """An invitation to an enterprise party of the case: numbered 1, 2, ... within the case."""

    number: int
    party: str
    to: str
    channel: str
    at: datetime
    respond_by: date
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Response:
    """A response recorded to invitation `invitation`, numbered within the case."""

    number: int
    invitation: int
    response: str
    reasons: tuple[str, ...]
    at: datetime
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Concern:
    """A concern about good faith, raised by one side (`SIDES`); its text NCP-internal."""

    number: int
    side: str
    text: str
    at: datetime
    recorded_at: datetime
    recorded_by: str

    @property
    def sha256(self) -> str:
        return digest(self.text)

    @property
    def length(self) -> int:
        return len(self.text)


# ---- decisions ----------------------------------------------------------------------------------


def _choice(table: Mapping[str, str], value: str, what: Input) -> str:
    if value not in table:
        raise InvalidInputError(
            N_("{what}: unknown value '{value}'; one of: {choices}"),
            what=what,
            value=value[:40],
            choices=", ".join(table),
        )
    return value


def enterprise_key(parties: Sequence[Party], party: str, *, reference: str) -> str:
    """The key of the enterprise party `party` names (key or name); a party the case does not
    have, or one that is not an enterprise, is refused naming the case's enterprises."""
    enterprises = [k for k, p in party_keys(parties) if p.role is PartyRole.ENTERPRISE]
    try:
        key = find_party(parties, party, reference=reference)
    except InvalidInputError:
        raise InvalidInputError(
            N_("{what}: case {reference} has no party '{party}'; its enterprises are {keys}"),
            what=PARTY,
            reference=reference,
            party=party[:40],
            keys=", ".join(enterprises) or "-",
        ) from None
    if key not in enterprises:
        raise InvalidInputError(
            N_(
                "{what}: {party} is not an enterprise; invitations go to an enterprise of case "
                "{reference}: {keys}"
            ),
            what=PARTY,
            party=key,
            reference=reference,
            keys=", ".join(enterprises) or "-",
        )
    return key


def new_invitation(
    invitations: Sequence[Invitation],
    *,
    parties: Sequence[Party],
    reference: str,
    party: str,
    to: str,
    channel: str,
    channels: Mapping[str, str],
    at: datetime,
    on: date,
    respond_by: date,
    recorded_at: datetime,
    recorded_by: str,
) -> Invitation:
    """The case's next invitation; `on` is `at`'s local day, which `respond_by` may not precede."""
    _choice(INVITED_TO, to, INVITED)
    _choice(channels, channel, Input(N_("channel"), "channel"))
    key = enterprise_key(parties, party, reference=reference)
    if respond_by < on:
        raise InvalidInputError(
            N_("{what} {value} is before the invitation's day ({day})"),
            what=RESPOND_BY,
            value=respond_by.isoformat(),
            day=on.isoformat(),
        )
    number = max((i.number for i in invitations), default=0) + 1
    return Invitation(number, key, to, channel, at, respond_by, recorded_at, recorded_by)


def find_invitation(invitations: Iterable[Invitation], number: int, *, reference: str) -> Invitation:
    found = list(invitations)
    for invitation in found:
        if invitation.number == number:
            return invitation
    raise InvalidInputError(
        N_("{what}: case {reference} has no invitation {number}; its invitations are {numbers}"),
        what=INVITATION,
        reference=reference,
        number=number,
        numbers=", ".join(str(i.number) for i in found) or "-",
    )


def latest(responses: Iterable[Response], invitation: int) -> Response | None:
    """The invitation's latest response, or None."""
    return max((r for r in responses if r.invitation == invitation), key=lambda r: r.number, default=None)


def check_reasons(response: str, reasons: Sequence[str], known: Sequence[DeclineReason]) -> tuple[str, ...]:
    """The reasons, each once: at least one for a decline, each a configured code; none for
    any other response."""
    chosen = tuple(dict.fromkeys(reasons))
    if response != DECLINED:
        if chosen:
            raise InvalidInputError(
                N_("{what} are given only with a decline, not with '{response}'"),
                what=REASONS,
                response=response,
            )
        return ()
    if not chosen:
        raise InvalidInputError(N_("{what}: a decline needs at least one reason"), what=REASONS)
    if len(chosen) > REASONS_MAX:
        raise InvalidInputError(N_("{what} takes at most {count} values"), what=REASONS, count=REASONS_MAX)
    codes = [reason.code for reason in known]
    for code in chosen:
        if code not in codes:
            raise InvalidInputError(
                N_("{what}: unknown reason '{value}'; one of: {choices}"),
                what=REASONS,
                value=code[:40],
                choices=", ".join(codes),
            )
    return chosen


def new_response(
    responses: Sequence[Response],
    invitation: Invitation,
    *,
    reference: str,
    response: str,
    reasons: Sequence[str],
    known: Sequence[DeclineReason],
    at: datetime,
    today: date,
    recorded_at: datetime,
    recorded_by: str,
) -> Response:
    """The next response, to `invitation`: not before it was sent; not once it was accepted or
    declined; `no_response` only once its wait is over (`today` after `respond_by`)."""
    _choice(RESPONSES, response, RESPONSE)
    chosen = check_reasons(response, reasons, known)
    if at < invitation.at:
        raise InvalidInputError(
            N_("{what}: the response ({value}) is before invitation {number} was sent ({sent})"),
            what=Input("", "at"),
            value=at.isoformat(),
            number=invitation.number,
            sent=invitation.at.isoformat(),
        )
    before = latest(responses, invitation.number)
    if before is not None and before.response != NO_RESPONSE:
        raise InvalidInputError(
            N_(
                "{what}: invitation {number} of case {reference} was already answered ({response}); "
                "invite again for a new answer"
            ),
            what=INVITATION,
            number=invitation.number,
            reference=reference,
            response=Input(RESPONSES[before.response]),
        )
    if response == NO_RESPONSE and today <= invitation.respond_by:
        raise InvalidInputError(
            N_(
                "{what}: invitation {number} waits for an answer until {day}; no response can be "
                "recorded after that day"
            ),
            what=RESPONSE,
            number=invitation.number,
            day=invitation.respond_by.isoformat(),
        )
    number = max((r.number for r in responses), default=0) + 1
    return Response(number, invitation.number, response, chosen, at, recorded_at, recorded_by)


def new_concern(
    concerns: Sequence[Concern],
    *,
    side: str,
    text: str,
    at: datetime,
    recorded_at: datetime,
    recorded_by: str,
) -> Concern:
    _choice(SIDES, side, SIDE)
    check_text(text, TEXT, limit=NOTE_MAX)
    number = max((c.number for c in concerns), default=0) + 1
    return Concern(number, side, text, at, recorded_at, recorded_by)


# ---- standing and figures -----------------------------------------------------------------------


def standing(invitation: Invitation, responses: Iterable[Response], today: date) -> str:
    """Where an invitation stands on `today` (the NCP's local day): its latest response's
    value; with none, `no_response` once `respond_by` has passed, else `pending`."""
    found = latest(responses, invitation.number)
    if found is not None:
        return found.response
    return NO_RESPONSE if today > invitation.respond_by else PENDING


@dataclass(frozen=True)
class Counted:
    """One invitation as the report counts it: its year and sector, where it stands, and the
    reasons of its decline."""

    year: int
    sector: str
    standing: str
    reasons: tuple[str, ...] = ()


UNKNOWN_SECTOR = "unknown"


def figures(items: Iterable[Counted]) -> dict[str, object]:
    """The figures of a group of invitations: how many, how each stands, the participation rate
    (accepted over settled; None when none is settled) and the reasons for declining (each
    code's count, most frequent first, then by code)."""
    found = list(items)
    counts = Counter(item.standing for item in found)
    settled = counts[ACCEPTED] + counts[DECLINED] + counts[NO_RESPONSE]
    reasons = Counter(code for item in found if item.standing == DECLINED for code in item.reasons)
    return {
        "invitations": len(found),
        "accepted": counts[ACCEPTED],
        "declined": counts[DECLINED],
        "no_response": counts[NO_RESPONSE],
        "pending": counts[PENDING],
        "settled": settled,
        "participation_rate": round(counts[ACCEPTED] / settled, 4) if settled else None,
        "reasons": dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
    }


def engagement_report(items: Sequence[Counted], *, year: int | None, as_of: date) -> dict[str, object]:
    """`report engagement`: the totals, then the figures by year (of the invitation) and by
    sector (the case's; `unknown` when it has none), each group in order."""
    chosen = [item for item in items if year is None or item.year == year]
    years = sorted({item.year for item in chosen})
    sectors = sorted({item.sector for item in chosen}, key=lambda s: (s == UNKNOWN_SECTOR, s.casefold()))
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "totals": figures(chosen),
        "by_year": [{"year": y, **figures(i for i in chosen if i.year == y)} for y in years],
        "by_sector": [{"sector": s, **figures(i for i in chosen if i.sector == s)} for s in sectors],
    }
