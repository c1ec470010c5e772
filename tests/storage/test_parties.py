"""Parties and contacts on SQLite and PostgreSQL (storage/parties.py): what redaction protects
(withheld and at-risk parties, their contacts' details, removed ones too), the revision that
keeps a cached redaction current, and the search index kept in step."""

from __future__ import annotations

from states.search import Filters, parse_query
from tests.helpers import open_one
from workflow.bootstrap import Services


def test_protected_parties_are_withheld_or_at_risk_with_every_contact_detail(services: Services) -> None:
    """Each protected party with its role and flag, and each of its contacts' name, e-mail and
    address labelled by the contact (a removed contact too); an open party's contacts are not."""
    ref = open_one(services)
    parties = services.parties
    parties.add_contact(reference=ref, party="enterprise-1", actor="sek", name="Open Person", email="o@x.no")
    parties.change_party(reference=ref, party="submitter-1", actor="sek", reprisal_risk=True)
    parties.add_contact(
        reference=ref, party="submitter-1", actor="sek", name="Kari", email="k@x.no", address="Kaia 1"
    )
    parties.remove_contact(reference=ref, party="submitter-1", number=1, actor="sek")
    key = parties.add_party(reference=ref, actor="sek", role="enterprise", name="Sub AS", withheld=True)
    assert key == "enterprise-2"
    with services.uow.read() as tx:
        found = tx.cases.protected_parties()
        contacts = tx.parties.contacts(ref)
    assert sorted((p.name, p.kind, p.owner, p.reprisal_risk) for p in found) == [
        ("Kaia 1", "contact", "Kari", True),
        ("Kari", "contact", "Kari", True),
        ("Naturvernforbundet", "submitter", None, True),
        ("Sub AS", "enterprise", None, False),
        ("k@x.no", "contact", "Kari", True),
    ]
    assert sorted(contacts) == [0, 1] and contacts[0][0].removed and not contacts[1][0].removed


def test_a_change_to_a_party_refreshes_the_cached_redaction_and_the_index(services: Services) -> None:
    """The search index's redaction is rebuilt after a party becomes withheld (its set key
    moved), and a reader without identities no longer finds the case by the party's name."""
    ref = open_one(services, "Havbruk Seafood ASA")
    other = open_one(services, title="About Havbruk Seafood ASA")
    no_identities = Filters(query=parse_query("havbruk"), identities=False)
    with services.uow.read() as tx:
        before = tx.search.redaction()
        assert tx.cases.find(no_identities, order="relevance", limit=10)[0] == 2
    services.parties.change_party(reference=ref, party="enterprise-1", actor="sek", withheld=True)
    with services.uow.read() as tx:
        after = tx.search.redaction()
        assert after is not before and after.text("Havbruk Seafood ASA", ref) != "Havbruk Seafood ASA"
        total, found = tx.cases.find(no_identities, order="relevance", limit=10)
        assert total == 0, [c.reference for c in found]
        assert tx.cases.find(Filters(query=parse_query("havbruk")), order="relevance", limit=10)[0] == 2
    services.parties.change_party(reference=ref, party="enterprise-1", actor="sek", withheld=False)
    with services.uow.read() as tx:
        assert tx.cases.find(no_identities, order="relevance", limit=10)[0] == 2
    assert other


def test_a_member_matches_a_party_at_risk_only_in_the_cases_it_leads(services: Services) -> None:
    """In SQL, a member (leading neither) matches only the redacted text of a case with a party
    at risk: by its title, not by that party's name; another case it matches as usual (the
    query itself is narrowed by workflow.views: tests/workflow/test_parties.py); a handler
    matches both."""
    ref = open_one(services, "Truet Gruve AS", title="Dam safety")
    open_one(services, title="Mentions Truet Gruve AS")
    services.parties.change_party(reference=ref, party="enterprise-1", actor="sek", reprisal_risk=True)
    member = Filters(query=parse_query("truet"), identities=True, at_risk=False, risk_lead="member-x")
    by_title = Filters(query=parse_query("dam safety"), identities=True, at_risk=False, risk_lead="member-x")
    with services.uow.read() as tx:
        assert [c.title for c in tx.cases.find(member, order="relevance", limit=10)[1]] == [
            "Mentions Truet Gruve AS"
        ]
        assert [c.reference for c in tx.cases.find(by_title, order="relevance", limit=10)[1]] == [ref]
        assert tx.cases.find(Filters(query=parse_query("truet")), order="relevance", limit=10)[0] == 2
