"""What a letter says about its case, worded for its recipient: the context of the letter templates
(notifications/letters/__init__.py lists every variable).

A letter speaks to one party (through one of its contacts, or to the party itself) and never
names a protected party (identity withheld, or at risk of reprisal) to another: the other
protected parties become a neutral word ("the submitter", "klageren") where the letter lists
the parties, and their names, organisation numbers and their contacts' names, e-mail and postal
addresses a pseudonym wherever they occur in free text (the title, the scope, a deadline's
explanation), as `states.redaction` words it in the recipient's language. The recipient's own
party is never hidden from it.

Dates are the NCP's local dates in long form in the letter's language (Babel); the case's state,
outcome and deadline names are the case's own procedure's words; a deadline's explanation is
`Deadline.explain()` worded through the catalogue, exactly as the case's page shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.case import Case, Party, PartyRole
from states.contacts import Contact
from states.contacts import Recipient as ContactRecipient
from states.deadlines import Deadline
from states.durations import Duration
from states.errors import InvalidInputError
from states.letters import KINDS, needs_deadline
from states.messages import N_, Translator
from states.parties import find_party, party_keys
from states.precision import Precision
from states.redaction import Protected, Redaction
from translations import LANGUAGES, LOCALES, translator
from workflow import procedures, queries
from workflow.config import Settings

# How a letter names a party whose identity is withheld from its recipient.
NEUTRAL = {PartyRole.SUBMITTER: N_("the submitter"), PartyRole.ENTERPRISE: N_("the enterprise")}


@dataclass(frozen=True)
class Recipient:
    """Who a letter is addressed to: a party of the case (its key, "submitter-1"), the name on
    the letter (the party's, or its contact's), the postal address lines, the language the
    letter is in, and the contact's number when it goes to one."""

    key: str
    name: str
    language: str
    address: tuple[str, ...] = ()
    contact: int | None = None

    @classmethod
    def of_contact(cls, contact: ContactRecipient, language: str | None = None) -> Recipient:
        """A party's contact (`states.contacts.recipients`) as a letter's recipient, in its own
        language unless `language` is given; its postal address one line a line."""
        return cls(
            key=contact.party,
            name=contact.name,
            language=language or contact.language,
            address=address_lines(contact.address),
            contact=contact.contact,
        )


def address_lines(address: str | None) -> tuple[str, ...]:
    """A postal address as the lines of a recipient block: one a line, or, written on one line,
    split at its commas ("Storgata 1, 0155 Oslo")."""
    if not address:
        return ()
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return tuple(lines)


@dataclass(frozen=True)
class LetterContext:
    """A letter's context: its kind, its recipient, and the values its template reads."""

    kind: str
    recipient: Recipient
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.recipient.language


def long_date(day: date, language: str) -> str:
    """ "3 February 2025"; "3. februar 2025" in Norwegian."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=LOCALES[language]))


def joined(names: Sequence[str], language: str) -> str:
    """ "A, B and C"; "A, B og C" in Norwegian."""
    from babel.lists import format_list

    return str(format_list(list(names), locale=LOCALES[language])) if names else ""


def check_kind(kind: str) -> str:
    """`kind` if it is a letter kind; InvalidInputError naming the kinds otherwise."""
    if kind not in KINDS:
        raise InvalidInputError(
            N_("'{kind}' is not a letter kind; the kinds are {kinds}"), kind=kind, kinds=", ".join(KINDS)
        )
    return kind


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInputError(
            N_("'{language}' is not a letter language; one of {languages}"),
            language=language,
            languages=", ".join(LANGUAGES),
        )
    return language


def withheld(party: Party) -> bool:
    """Whether `party`'s identity is hidden from the other parties: withheld, or at risk of
    reprisal."""
    return party.protected


def recipient_party(case: Case, party: str) -> tuple[str, Party]:
    """The party `party` names (its key or its name; states.parties), with its key."""
    key = find_party(case.parties, party, reference=case.reference)
    return key, dict(party_keys(case.parties))[key]


def redaction_for(
    case: Case,
    key: str,
    tr: Translator,
    contacts: Mapping[str, Iterable[Contact]] | None = None,
    others: Iterable[Protected] = (),
) -> Redaction:
    """The redaction of a letter to the party `key`: every other protected party's name and
    organisation number, and its contacts' (`contacts`, by party key) names, e-mail and postal
    addresses, in `tr`'s words; and `others`, the protected parties of every other case."""
    hidden: list[Protected] = [item for item in others if item.reference != case.reference]
    for other, party in party_keys(case.parties):
        if other == key or not withheld(party):
            continue
        hidden.append(Protected(case.reference, party.name, party.org_number, kind=party.role.value))
        for contact in (contacts or {}).get(other, ()):
            hidden.extend(
                Protected(case.reference, detail, kind="contact", owner=contact.name)
                for detail in (contact.name, contact.email, contact.address)
                if detail
            )
    return Redaction(hidden, tr)


def notice_deadline(case: Case, name: str | None) -> Deadline | None:
    """The deadline a notice quotes: `name` (InvalidInputError naming the case's deadlines when
    it has no such one), else the one the case's stage works to, else the open one due first;
    None when no deadline runs in the case's state."""
    if name is not None:
        found = case.deadline(name)
        if found is None:
            raise InvalidInputError(
                N_("case {reference} has no deadline '{deadline}'; its deadlines are {deadlines}"),
                reference=case.reference,
                deadline=name,
                deadlines=", ".join(d.name for d in case.deadlines) or "-",
            )
        return found
    stage = case.procedure.stage_deadline(case.state)
    chosen = case.deadline(stage) if stage is not None else None
    if chosen is not None and chosen.is_open:
        return chosen
    return queries.next_due(case)


def letter_context(
    *,
    case: Case,
    kind: str,
    recipient: Recipient,
    today: date,
    settings: Settings,
    lead: str | None = None,
    deadline: str | None = None,
    contacts: Mapping[str, Iterable[Contact]] | None = None,
    others: Iterable[Protected] = (),
) -> LetterContext:
    """The context of a letter of `kind` about `case` to `recipient` (its key one of the case's
    parties), dated `today` (the NCP's local date); `lead` the lead member's name; `deadline` the
    deadline a notice quotes (the notices only; by default the one the case works to now);
    `contacts` the parties' contacts by party key (those of protected parties are hidden);
    `others` every case's protected parties (a name may recur in another case's text)."""
    check_kind(kind)
    language = check_language(recipient.language)
    keyed = dict(party_keys(case.parties))
    party = keyed[recipient.key]
    words = procedures.words(case.procedure, language)
    tr = translator(language)
    redaction = redaction_for(case, recipient.key, tr, contacts, others)

    def text(value: str) -> str:
        return redaction.text(value, case.reference)

    def names(parties: Sequence[tuple[str, Party]]) -> str:
        shown = [
            p.name if key == recipient.key or not withheld(p) else tr.gettext(NEUTRAL[p.role])
            for key, p in parties
        ]
        return joined(list(dict.fromkeys(shown)), language)

    everyone = list(keyed.items())
    quoted: dict[str, str] | None = None
    chosen = notice_deadline(case, deadline) if needs_deadline(kind) else None
    if chosen is not None:
        month = case.received_precision is Precision.MONTH and chosen.basis_on == case.received_on
        view = queries.deadline_view(chosen, today, language=language, words=words, approximate=month)
        quoted = {
            "name": case.procedure.label("deadline_title", chosen.name, language),
            "due": long_date(chosen.due, language),
            "explanation": text(view.explanation),
        }
    lead_name = lead or ""
    ncp_name = settings.ncp.name_in(language)
    reply_by = Duration.parse(settings.letters.reply_within).added_to(today, case.calendar)
    values: dict[str, Any] = {
        "language": language,
        "ncp": {"name": ncp_name, "address": list(settings.ncp.address)},
        "date": long_date(today, language),
        "reference": case.reference,
        "title": text(case.title),
        "received": long_date(case.received_on, language),
        "state": case.procedure.label("state", case.state, language),
        "outcome": case.procedure.label("outcome", case.outcome, language) if case.outcome else "",
        "scope": text(case.scope or ""),
        "recipient": {
            "key": recipient.key,
            "name": recipient.name,
            "party": party.name,
            "address": list(recipient.address),
            "role": party.role.value,
            "withheld": withheld(party),
        },
        "submitters": names([(k, p) for k, p in everyone if p.role is PartyRole.SUBMITTER]),
        "enterprises": names([(k, p) for k, p in everyone if p.role is PartyRole.ENTERPRISE]),
        "others": names([(k, p) for k, p in everyone if k != recipient.key]),
        "deadline": quoted,
        "lead": lead_name,
        "signatory": lead_name or ncp_name,
        "reply_by": long_date(reply_by, language),
    }
    return LetterContext(kind=kind, recipient=recipient, values=values)
