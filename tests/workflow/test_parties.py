"""A case's parties and their contacts through the application, on SQLite and PostgreSQL:
adding a party keeps the other keys, each change is one audit entry naming what changed,
refusals write nothing, letters go to the contacts preferring e-mail first, and each reader
sees protected parties as its role allows."""

from __future__ import annotations

from datetime import date

import pytest

from states.contacts import Channel, ContactRole
from states.errors import CaseNotFoundError, InvalidInputError, StepRefusedError
from states.users import User
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.bootstrap import Services

HANDLER = User(name="hanna", role="handler")
AUDITOR = User(name="aud", role="auditor")
ADMIN = User(name="root", role="admin")


def _kari(services: Services, ref: str, party: str = "submitter-1") -> None:
    services.parties.add_contact(
        reference=ref,
        party=party,
        actor="sek",
        name="Kari Nordmann",
        email="kari@naturvern.no",
        address="Storgata 1\n0155 Oslo",
        language="nb",
        channel="email",
        role="representative",
    )


def test_contacts_are_numbered_per_party_changed_and_removed_each_with_its_audit_entry(
    services: Services,
) -> None:
    """Numbers from 1 per party, never reused after a removal; each step one entry naming the
    party's key, the number and what changed; the list shows the current contacts."""
    ref = open_one(services)
    parties = services.parties
    _kari(services, ref)
    second = parties.add_contact(
        reference=ref,
        party="Naturvernforbundet",
        actor="sek",
        name="Ola",
        address="Postboks 2",
        channel="post",
    )
    assert (second.number, second.channel, second.role, second.language) == (
        2,
        Channel.POST,
        ContactRole.CONTACT,
        "en",
    )
    changed = parties.change_contact(
        reference=ref, party="submitter-1", number=2, actor="sek", email="ola@example.org", channel="email"
    )
    assert (changed.email, changed.channel) == ("ola@example.org", Channel.EMAIL)
    parties.remove_contact(reference=ref, party="submitter-1", number=1, actor="sek", reason="left the NGO")
    third = parties.add_contact(reference=ref, party="submitter-1", actor="sek", name="Per", email="per@x.no")
    assert third.number == 3
    listed = parties.list(reference=ref)
    assert [(p.key, p.name) for p in listed.parties] == [
        ("submitter-1", "Naturvernforbundet"),
        ("enterprise-1", "Havbruk Seafood ASA"),
    ]
    assert [c.number for c in listed.parties[0].contacts] == [2, 3]
    entries = services.audit.log(case_ref=ref)[-5:]
    assert [e.kind for e in entries] == [
        "contact_added",
        "contact_added",
        "contact_changed",
        "contact_removed",
        "contact_added",
    ]
    assert entries[0].data["name"] == "Kari Nordmann" and entries[0].data["party"] == "submitter-1"
    assert entries[2].data["changes"] == {
        "email": {"from": None, "to": "ola@example.org"},
        "channel": {"from": "post", "to": "email"},
    }
    assert entries[3].reason == "left the NGO" and entries[3].data["name"] == "Kari Nordmann"
    assert services.audit.verify().ok


def test_a_party_added_later_takes_the_next_key_of_its_role_and_the_others_keep_theirs(
    services: Services,
) -> None:
    """submitter-2 after submitter-1; the enterprise stays enterprise-1; the entry holds the
    registered party; the case's view lists it; its contacts attach to it."""
    ref = open_one(services)
    key = services.parties.add_party(
        reference=ref, actor="sek", role="submitter", name="Fjord Fishers", type="community", reason="joined"
    )
    assert key == "submitter-2"
    assert (
        services.parties.add_party(reference=ref, actor="sek", role="enterprise", name="Feed AS")
        == "enterprise-2"
    )
    _kari(services, ref, "submitter-2")
    listed = services.parties.list(reference=ref)
    assert [(p.key, p.name, len(p.contacts)) for p in listed.parties] == [
        ("submitter-1", "Naturvernforbundet", 0),
        ("enterprise-1", "Havbruk Seafood ASA", 0),
        ("submitter-2", "Fjord Fishers", 1),
        ("enterprise-2", "Feed AS", 0),
    ]
    _case, view = services.cases.show(reference=ref)
    assert [p.name for p in view.parties][-2:] == ["Fjord Fishers", "Feed AS"]
    added = services.audit.log(case_ref=ref)[-3]
    assert added.kind == "party_added" and added.data["key"] == "submitter-2"
    assert added.data["type"] == "community" and added.data["confidential"] is False


def test_changing_a_party_records_each_changed_field_from_and_to(services: Services) -> None:
    """Withheld and reprisal risk with measures: flags as true/false; turning the risk off
    clears the measures; nothing to change is refused."""
    ref = open_one(services)
    parties = services.parties
    parties.change_party(
        reference=ref,
        party="enterprise-1",
        actor="sek",
        withheld=True,
        reprisal_risk=True,
        measures="Meetings outside the town",
    )
    listed = parties.list(reference=ref).parties[1]
    assert (listed.withheld, listed.reprisal_risk, listed.measures) == (
        True,
        True,
        "Meetings outside the town",
    )
    parties.change_party(
        reference=ref, party="enterprise-1", actor="sek", reprisal_risk=False, org_number="923456789"
    )
    listed = parties.list(reference=ref).parties[1]
    assert (listed.reprisal_risk, listed.measures, listed.org_number) == (False, None, "923456789")
    first, second = services.audit.log(case_ref=ref)[-2:]
    assert first.data["changes"] == {
        "confidential": {"from": False, "to": True},
        "reprisal_risk": {"from": False, "to": True},
        "measures": {"from": None, "to": "Meetings outside the town"},
    }
    assert second.data["changes"] == {
        "org_number": {"from": None, "to": "923456789"},
        "reprisal_risk": {"from": True, "to": False},
        "measures": {"from": "Meetings outside the town", "to": None},
    }
    with pytest.raises(InvalidInputError, match="nothing to change"):
        parties.change_party(reference=ref, party="enterprise-1", actor="sek", withheld=True)


def test_a_letter_goes_to_the_representatives_first_and_to_e_mail_before_post(services: Services) -> None:
    """Recipients in order with language and channel; a removed contact receives nothing; a
    party without contacts has no recipients."""
    ref = open_one(services)
    parties = services.parties
    parties.add_contact(
        reference=ref, party="enterprise-1", actor="sek", name="Post", address="Box 1", channel="post"
    )
    parties.add_contact(reference=ref, party="enterprise-1", actor="sek", name="Mail", email="m@x.no")
    parties.add_contact(
        reference=ref,
        party="enterprise-1",
        actor="sek",
        name="Lawyer",
        address="Box 9",
        channel="post",
        role="representative",
        language="nb",
    )
    parties.add_contact(reference=ref, party="enterprise-1", actor="sek", name="Gone", email="g@x.no")
    parties.remove_contact(reference=ref, party="enterprise-1", number=4, actor="sek")
    found = parties.recipients(reference=ref, party="Havbruk Seafood ASA")
    assert [(r.party, r.contact, r.name, r.channel, r.language) for r in found] == [
        ("enterprise-1", 3, "Lawyer", Channel.POST, "nb"),
        ("enterprise-1", 2, "Mail", Channel.EMAIL, "en"),
        ("enterprise-1", 1, "Post", Channel.POST, "en"),
    ]
    assert parties.recipients(reference=ref, party="submitter-1") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(party="submitter-9"), "has no party 'submitter-9'; its parties are submitter-1, enterprise-1"),
        (dict(email="not an address"), "is not an e-mail address"),
        (dict(language="de"), "'de' is not one of en, nb"),
        (dict(channel="fax"), "'fax' is not one of email, post"),
        (dict(channel="post"), "a contact reached by post needs the postal address"),
        (dict(role="lawyer"), "'lawyer' is not one of representative, contact"),
        (dict(name=" "), "the contact's name"),
    ],
)
def test_a_refused_contact_writes_nothing(
    services: Services, database_url: str, change: dict[str, str], message: str
) -> None:
    """Unknown party, bad e-mail, language, channel, a channel without its address, role,
    blank name: each refused naming the input; the database is as it was."""
    ref = open_one(services)
    before = dump(database_url)
    given = {"party": "submitter-1", "name": "Kari", "email": "kari@x.no", **change}
    with pytest.raises(InvalidInputError, match=message):
        services.parties.add_contact(reference=ref, actor="sek", **given)  # type: ignore[arg-type]
    assert dump(database_url) == before


def test_a_closed_case_s_parties_and_contacts_no_longer_change(services: Services, database_url: str) -> None:
    """Every party write on a closed case is refused (409) and writes nothing; an unknown case
    is not found."""
    ref = open_one(services, received=date(2025, 1, 31))
    _kari(services, ref)
    cases = services.cases
    cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ack")
    cases.advance(reference=ref, trigger="reject", actor="sek", reason="no", outcome="not_accepted")
    cases.advance(reference=ref, trigger="close", actor="sek", reason="done")
    before = dump(database_url)
    parties = services.parties
    for write in (
        lambda: parties.add_party(reference=ref, actor="sek", role="submitter", name="X"),
        lambda: parties.change_party(reference=ref, party="submitter-1", actor="sek", withheld=True),
        lambda: parties.add_contact(
            reference=ref, party="submitter-1", actor="sek", name="Y", email="y@x.no"
        ),
        lambda: parties.change_contact(reference=ref, party="submitter-1", number=1, actor="sek", name="Z"),
        lambda: parties.remove_contact(reference=ref, party="submitter-1", number=1, actor="sek"),
    ):
        with pytest.raises(StepRefusedError, match="no longer change"):
            write()
    assert dump(database_url) == before
    with pytest.raises(CaseNotFoundError):
        parties.list(reference="NCP-2025-999")


def _protected_case(services: Services) -> str:
    ref = open_one(services)
    services.parties.change_party(reference=ref, party="submitter-1", actor="sek", withheld=True)
    _kari(services, ref)
    return ref


def test_an_auditor_sees_a_withheld_party_s_pseudonym_and_none_of_its_contacts(services: Services) -> None:
    """The list: pseudonym, no contacts, no org number; the audit log view: the contact's name,
    e-mail and address replaced by its pseudonym; a handler sees all as stored."""
    ref = _protected_case(services)
    seen = services.parties.list(reference=ref, viewer=AUDITOR).parties[0]
    assert seen.name.startswith("Submitter ") and seen.name != "Naturvernforbundet"
    assert (seen.shown, seen.contacts, seen.withheld) == (False, [], True)
    handler = services.parties.list(reference=ref, viewer=HANDLER).parties[0]
    assert handler.name == "Naturvernforbundet" and [c.name for c in handler.contacts] == ["Kari Nordmann"]
    page = services.audit.page(viewer=AUDITOR, case_ref=ref)
    text = repr([(e.reason, e.data) for e in page.items])
    for secret in ("Naturvernforbundet", "Kari Nordmann", "kari@naturvern.no", "Storgata 1"):
        assert secret not in text
    assert "Contact " in text
    assert "Kari Nordmann" in repr([e.data for e in services.audit.page(viewer=HANDLER, case_ref=ref).items])


def test_reprisal_risk_narrows_the_circle_to_handlers_admins_and_the_case_s_lead(services: Services) -> None:
    """A party at risk: its lead member, handlers and admins see it; another member and an
    auditor see its pseudonym, in the list, the case view and the audit log."""
    ref = open_one(services)
    case = services.cases.get(reference=ref)
    lead = User(name="lead", role="member", member_id=case.lead_member or "member-a")
    other = User(name="other", role="member", member_id="someone-else")
    services.parties.change_party(
        reference=ref,
        party="enterprise-1",
        actor="sek",
        reprisal_risk=True,
        measures="No letters to the office",
    )
    _kari(services, ref, "enterprise-1")
    for viewer, shown in ((HANDLER, True), (ADMIN, True), (other, False), (AUDITOR, False)):
        party = services.parties.list(reference=ref, viewer=viewer).parties[1]
        assert party.shown is shown, viewer
        assert (party.name == "Havbruk Seafood ASA") is shown
        assert (party.measures == "No letters to the office") is shown
        view = services.cases.view(case=services.cases.get(reference=ref), viewer=viewer)
        assert ("Havbruk Seafood ASA" in repr(view)) is shown, viewer
        entries = repr([e.data for e in services.audit.page(viewer=viewer, case_ref=ref).items])
        assert ("Kari Nordmann" in entries) is shown, viewer
    if case.lead_member is not None:
        assert services.parties.list(reference=ref, viewer=lead).parties[1].shown
    # Withheld alone: every member sees it.
    assert services.parties.list(reference=open_one(services), viewer=other).parties[1].shown


def test_a_member_s_search_by_the_name_of_a_party_at_risk_finds_nothing(services: Services) -> None:
    """Not the case of that party, not a case whose text mentions it: no hit says where the name
    is; the hits show pseudonyms; a handler finds both cases."""
    from workflow.commands import FindCases

    ref = open_one(services, "Truet Gruve AS", title="Dam safety")
    open_one(services, title="Mentions Truet Gruve AS")
    services.parties.change_party(reference=ref, party="enterprise-1", actor="sek", reprisal_risk=True)
    member = User(name="m", role="member", member_id="member-x")
    for query in ("truet", "Truet Gru", "gruve"):
        assert services.cases.find(viewer=member, find=FindCases(q=query)).total == 0, query
    assert services.cases.find(viewer=HANDLER, find=FindCases(q="truet")).total == 2
    hits = services.cases.find(viewer=member, find=FindCases(q="dam safety")).items
    assert [h.reference for h in hits] == [ref] and "Truet" not in repr(hits)


def test_a_protected_party_s_earlier_names_and_details_stay_hidden_after_a_change(services: Services) -> None:
    """The audit log holds the names a withheld party and its contact had before: an auditor
    reads none of them; the index no longer finds the case by the old name either."""
    from workflow.commands import FindCases

    ref = _protected_case(services)
    parties = services.parties
    parties.change_party(
        reference=ref, party="submitter-1", actor="sek", name="Naturvern Norge", org_number="999"
    )
    parties.change_party(reference=ref, party="submitter-1", actor="sek", org_number="123 456")
    parties.change_contact(
        reference=ref, party="submitter-1", number=1, actor="sek", name="Kari Fjell", email="kari@fjell.no"
    )
    text = repr([(e.reason, e.data) for e in services.audit.page(viewer=AUDITOR, case_ref=ref).items])
    secrets = ("Naturvernforbundet", "Naturvern Norge", "Kari Nordmann", "Kari Fjell")
    for secret in (*secrets, "kari@naturvern.no", "kari@fjell.no", "999", "123 456"):
        assert secret not in text, secret
    assert services.cases.find(viewer=AUDITOR, find=FindCases(q="naturvernforbundet")).total == 0
