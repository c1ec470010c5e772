"""The pure rules of parties and their contacts: checks of a contact and a party, who may see
a party, who a letter goes to, and how redaction labels a protected party's contacts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from states import contacts, parties
from states.case import Party, PartyRole
from states.contacts import Channel, Contact, ContactRole
from states.errors import InvalidInputError
from states.pseudonyms import pseudonym
from states.redaction import OTHER_CASE, OTHER_PARTY, Protected, Redaction


def _contact(number: int, role: str = "contact", channel: str = "email", removed: bool = False) -> Contact:
    return Contact(
        number=number,
        role=ContactRole(role),
        name=f"Person {number}",
        email=f"p{number}@x.no",
        address=f"Road {number}",
        language="nb" if number % 2 else "en",
        channel=Channel(channel),
        removed_at=datetime(2025, 1, 1, tzinfo=UTC) if removed else None,
    )


@pytest.mark.parametrize(
    "value", ["kari@ngo.no", "k.n+case@sub.example.org", " kari@ngo.no ", "ærlig@nettsted.no"]
)
def test_an_e_mail_address_is_name_at_domain_with_a_dot(value: str) -> None:
    """Trimmed; any letters; a domain with a dot and a top-level part."""
    assert contacts.check_email(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    ["kari", "kari@", "@ngo.no", "kari@ngo", "kari ngo@x.no", "a@b.c", "a@b@c.no", "a@x.no\r\nBcc: y@z.no",
     "a,b@x.no", "<a@x.no>", "x" * 250 + "@x.no"],
)  # fmt: skip
def test_anything_else_is_refused_naming_the_e_mail_address(value: str) -> None:
    """No header injection, no second address, no missing part, at most 254 characters."""
    with pytest.raises(InvalidInputError, match="is not an e-mail address") as caught:
        contacts.check_email(value)
    assert caught.value.params["what"] == contacts.EMAIL


def test_a_new_contact_is_numbered_after_every_contact_the_party_ever_had() -> None:
    """A removed contact's number is not given again; the channel needs its address."""
    made = contacts.new_contact([_contact(1), _contact(3, removed=True)], name=" Kari ", email="k@x.no")
    assert (made.number, made.name, made.role, made.channel, made.language) == (
        4,
        "Kari",
        ContactRole.CONTACT,
        Channel.EMAIL,
        "en",
    )
    with pytest.raises(InvalidInputError, match="reached by post needs"):
        contacts.new_contact([], name="Kari", email="k@x.no", channel_="post")
    with pytest.raises(InvalidInputError, match="reached by e-mail needs"):
        contacts.new_contact([], name="Kari", address="Road 1")
    with pytest.raises(InvalidInputError, match="'sms' is not one of email, post"):
        contacts.new_contact([], name="Kari", email="k@x.no", channel_="sms")


def test_a_letter_goes_to_current_contacts_representatives_first_then_e_mail_before_post() -> None:
    """Removed contacts receive nothing; within a role, e-mail before post, then by number."""
    found = contacts.recipients(
        "enterprise-1",
        [
            _contact(1, channel="post"),
            _contact(2),
            _contact(3, "representative", "post"),
            _contact(4, "representative"),
            _contact(5, removed=True),
        ],
    )
    assert [(r.contact, r.role.value, r.channel.value) for r in found] == [
        (4, "representative", "email"),
        (3, "representative", "post"),
        (2, "contact", "email"),
        (1, "contact", "post"),
    ]
    assert {r.party for r in found} == {"enterprise-1"} and found[0].language == "en"


def test_a_removed_or_unknown_contact_is_refused_naming_the_current_ones() -> None:
    with pytest.raises(InvalidInputError, match="has no contact 2; its contacts are 1, 3"):
        contacts.find_contact(
            [_contact(1), _contact(2, removed=True), _contact(3)], 2, reference="R", party="p"
        )


def test_a_party_is_checked_and_measures_go_with_a_reprisal_risk_only() -> None:
    """A submitter's type from the list, an enterprise's free; texts trimmed."""
    ok = parties.checked(Party(PartyRole.ENTERPRISE, " Feed AS ", "fish farming", False, " 123 "))
    assert (ok.name, ok.type, ok.org_number) == ("Feed AS", "fish farming", "123")
    with pytest.raises(InvalidInputError, match="'plc' is not one of individual"):
        parties.checked(Party(PartyRole.SUBMITTER, "X", "plc"))
    with pytest.raises(InvalidInputError, match="only recorded for a party at risk"):
        parties.checked(Party(PartyRole.SUBMITTER, "X", measures="hide"))


@pytest.mark.parametrize(
    ("withheld", "risk", "role", "leads", "sees"),
    [
        (False, False, "auditor", False, True),
        (True, False, "auditor", False, False),
        (True, False, "member", False, True),
        (False, True, "member", False, False),
        (False, True, "member", True, True),
        (False, True, "handler", False, True),
        (True, True, "admin", False, True),
        (False, True, "auditor", True, False),
    ],
)
def test_who_may_see_a_party(withheld: bool, risk: bool, role: str, leads: bool, sees: bool) -> None:
    """Withheld: all but auditors; at risk: handlers, admins and the case's lead member."""
    party = Party(PartyRole.SUBMITTER, "X", confidential=withheld, reprisal_risk=risk)
    assert parties.may_see(party, role=role, leads=leads) is sees


def test_a_protected_party_s_contact_details_read_as_the_contact_s_pseudonym() -> None:
    """Name, e-mail and address of one contact: one label; an enterprise's own label; another
    case's text: the neutral label for a party, the submitter one for submitters."""
    redaction = Redaction(
        [
            Protected("R-1", "Feed AS", kind="enterprise"),
            Protected("R-1", "Kari Nordmann", kind="contact", owner="Kari Nordmann"),
            Protected("R-1", "kari@feed.no", kind="contact", owner="Kari Nordmann"),
            Protected("R-1", "Kaia 1\n0150 Oslo", kind="contact", owner="Kari Nordmann"),
            Protected("R-1", "Fjord NGO"),
        ]
    )
    label = pseudonym("R-1", "Kari Nordmann", kind="contact")
    assert label.startswith("Contact ")
    text = "Kari  Nordmann (KARI@feed.no), Kaia 1 0150 Oslo, for Feed AS and Fjord NGO"
    assert redaction.text(text, "R-1") == (
        f"{label} ({label}), {label}, for {pseudonym('R-1', 'Feed AS', kind='enterprise')} and "
        f"{pseudonym('R-1', 'Fjord NGO')}"
    )
    assert redaction.text(text, "R-2") == (
        f"{OTHER_PARTY} ({OTHER_PARTY}), {OTHER_PARTY}, for {OTHER_PARTY} and {OTHER_CASE}"
    )
