"""The people through whom the NCP reaches a party: its representatives and contacts (pure).

Each contact of a party has a number (from 1 per party, in the order added, never reused: a
removed contact keeps its number and its row, so the audit entries that name it stay readable
and redaction keeps hiding its name), a role (`representative` or `contact`), a name, an e-mail
address and a postal address, the language letters to it are written in (`en` or `nb`) and the
channel it prefers (`email` or `post`: the closed list `CHANNELS`). A contact reached by e-mail
needs an e-mail address; one reached by post needs a postal address.

`recipients` says who a letter to a party goes to: its contacts, representatives first, those
preferring e-mail before those preferring post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from states.errors import Input, InvalidInputError, Terms
from states.limits import NAME_MAX, TEXT_MAX, check_optional, check_text, has_control
from states.messages import N_


class ContactRole(StrEnum):
    REPRESENTATIVE = "representative"
    CONTACT = "contact"


class Channel(StrEnum):
    EMAIL = "email"
    POST = "post"


LANGUAGES: tuple[str, ...] = ("en", "nb")
CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)
CONTACT_ROLES: tuple[str, ...] = tuple(r.value for r in ContactRole)
EMAIL_MAX = 254  # RFC 5321's limit on a forward path

NAME = Input(N_("the contact's name"), "name")
EMAIL = Input(N_("the e-mail address"), "email")
ADDRESS = Input(N_("the postal address"), "address")
LANGUAGE = Input(N_("the language"), "language")
CHANNEL = Input(N_("the channel"), "channel")
ROLE = Input(N_("the contact's role"), "role")

# One @, a local part and a domain with a dot, no spaces, no control characters, nothing a mail
# header would take as its end or as a second address (`,`, `;`, `<`, `>`, quotes).
_EMAIL = re.compile(r"[^@\s,;<>\"'()\[\]\\]{1,64}@[^@\s,;<>\"'()\[\]\\]+\.[^@\s,;<>\"'()\[\]\\.]{2,}")


@dataclass(frozen=True)
class Contact:
    """One representative or contact of a party; `removed_at` set once it is removed."""

    number: int
    role: ContactRole
    name: str
    email: str | None
    address: str | None
    language: str
    channel: Channel
    removed_at: datetime | None = None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass(frozen=True)
class Recipient:
    """Where a letter to a party goes: one of its contacts, in its language, by its channel."""

    party: str  # the party's key (submitter-1)
    contact: int  # the contact's number
    name: str
    role: ContactRole
    language: str
    channel: Channel
    email: str | None
    address: str | None


def check_email(value: str | None) -> str | None:
    """An e-mail address (name@domain.tld, at most 254 characters), or None when not given."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > EMAIL_MAX or has_control(value) or not _EMAIL.fullmatch(value):
        raise InvalidInputError(
            N_("{what} '{value}' is not an e-mail address (name@domain, no spaces)"),
            what=EMAIL,
            value=value[:EMAIL_MAX],
        )
    return value


def language(value: str) -> str:
    if value not in LANGUAGES:
        raise InvalidInputError(
            N_("{what} '{value}' is not one of {choices}"),
            what=LANGUAGE,
            value=value,
            choices=Terms(LANGUAGES),
        )
    return value


def channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        raise InvalidInputError(
            N_("{what} '{value}' is not one of {choices}"), what=CHANNEL, value=value, choices=Terms(CHANNELS)
        ) from None


def contact_role(value: str) -> ContactRole:
    try:
        return ContactRole(value)
    except ValueError:
        raise InvalidInputError(
            N_("{what} '{value}' is not one of {choices}"),
            what=ROLE,
            value=value,
            choices=Terms(CONTACT_ROLES),
        ) from None


def new_contact(
    existing: Iterable[Contact],
    *,
    name: str,
    email: str | None = None,
    address: str | None = None,
    language_: str = "en",
    channel_: str = Channel.EMAIL.value,
    role: str = ContactRole.CONTACT.value,
) -> Contact:
    """A new contact numbered after every contact the party ever had, each input checked."""
    number = max((c.number for c in existing), default=0) + 1
    return checked(
        Contact(
            number=number,
            role=contact_role(role),
            name=name,
            email=email,
            address=address,
            language=language(language_),
            channel=channel(channel_),
        )
    )


def checked(contact: Contact) -> Contact:
    """`contact` with its texts checked and trimmed; the channel's address present."""
    check_text(contact.name, NAME, limit=NAME_MAX)
    email = check_email(contact.email)
    address = check_optional(contact.address, ADDRESS, limit=TEXT_MAX)
    address = address.strip() if address and address.strip() else None
    if contact.channel is Channel.EMAIL and email is None:
        raise InvalidInputError(N_("a contact reached by e-mail needs {what}"), what=EMAIL)
    if contact.channel is Channel.POST and address is None:
        raise InvalidInputError(N_("a contact reached by post needs {what}"), what=ADDRESS)
    language(contact.language)
    return replace(contact, name=contact.name.strip(), email=email, address=address)


def find_contact(contacts: Iterable[Contact], number: int, *, reference: str, party: str) -> Contact:
    """The party's contact `number` (not removed); refused naming the numbers there are."""
    current = [c for c in contacts if not c.removed]
    for contact in current:
        if contact.number == number:
            return contact
    raise InvalidInputError(
        N_("party {party} of case {reference} has no contact {number}; its contacts are {numbers}"),
        party=party,
        reference=reference,
        number=number,
        numbers=", ".join(str(c.number) for c in current) or "-",
    )


def recipients(party: str, contacts: Iterable[Contact]) -> list[Recipient]:
    """Who a letter to `party` goes to: its current contacts, representatives first, and
    within each role those preferring e-mail before those preferring post, in number order."""
    current = [c for c in contacts if not c.removed]
    ordered = sorted(
        current,
        key=lambda c: (c.role is not ContactRole.REPRESENTATIVE, c.channel is not Channel.EMAIL, c.number),
    )
    return [
        Recipient(
            party=party,
            contact=c.number,
            name=c.name,
            role=c.role,
            language=c.language,
            channel=c.channel,
            email=c.email,
            address=c.address,
        )
        for c in ordered
    ]
