"""The journal through the application, on SQLite and PostgreSQL, with real documents: the NCP's
view, an auditor's, and the public variant, which holds no exempt title and no protected name
(a withheld party named in a title, its contact, a party at risk of reprisal) whoever asks.
Also the case's timeline with its documents."""

from __future__ import annotations

import json
from datetime import date

from states.users import User
from tests.helpers import file_pdf
from workflow.bootstrap import Services
from workflow.cases import PartyInput

WITHHELD = "Kari Nordmann"
CONTACT = "Per Fisker"
AT_RISK = "Fjord Fishers"
HANDLER = User(name="hanna", role="handler")
AUDITOR = User(name="aud", role="auditor")


def _case_file(services: Services) -> str:
    """A case with a withheld submitter (and its contact), a party at risk of reprisal, and its
    documents: an exempt one naming the withheld party, a public one naming it, an `ncp`-only one,
    one naming the contact and the party at risk, and an internal one (no journal entry)."""
    ref = services.cases.open(
        title="Reprisals at the plant",
        submitters=[PartyInput(WITHHELD, "individual", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 1, 31),
    ).reference
    key = services.parties.add_party(
        reference=ref, actor="sek", role="submitter", name=AT_RISK, reprisal_risk=True, measures="By hand"
    )
    services.parties.add_contact(
        reference=ref, party="submitter-1", actor="sek", name=CONTACT, email="per@fjord.example"
    )
    file_pdf(
        services, ref, 1, f"Complaint from {WITHHELD}", party="submitter-1", exemption="offentleglova § 13"
    )
    file_pdf(services, ref, 2, f"Letter to {WITHHELD}", direction="out", party="submitter-1", access="public")
    file_pdf(services, ref, 3, "Settlement strategy", party="enterprise-1", access="ncp")
    file_pdf(services, ref, 4, f"Statement by {CONTACT} for {AT_RISK}", party=key, access="public")
    file_pdf(services, ref, 5, "Working paper", direction="internal", access="ncp")
    return ref


def test_the_public_journal_holds_no_exempt_title_and_no_protected_name(services: Services) -> None:
    """The acceptance: every entry in, none internal; the exempt title is its ground, the `ncp`
    title neutral; neither the withheld party, its contact nor the party at risk is named."""
    _case_file(services)
    public = services.journal.entries(public=True)
    text = json.dumps(json.loads(public.model_dump_json(by_alias=True)))
    for secret in (WITHHELD, CONTACT, AT_RISK, "Complaint from", "Settlement strategy"):
        assert secret not in text, secret
    assert [(e.document, e.direction, e.title_withheld) for e in public.entries] == [
        (1, "in", True),
        (2, "out", False),
        (3, "in", True),
        (4, "in", False),
    ]
    titles = [e.title for e in public.entries]
    assert titles[0] == "Exempt from public access, offentleglova § 13"
    assert titles[2] == "[internal document]"
    assert titles[1] == "Letter to [confidential submitter]"  # no pseudonym: it confirms a guess
    assert public.entries[0].exemption == "offentleglova § 13" and public.entries[0].access == "parties"
    for variant in (services.journal.entries(public=True, viewer=HANDLER, language="nb"),):
        worded = variant.model_dump_json()
        assert "Unntatt offentlighet, offentleglova § 13" in worded and WITHHELD not in worded


def test_the_ncp_sees_its_journal_as_filed_and_an_auditor_with_pseudonyms(services: Services) -> None:
    """The operator and a handler: titles and names as filed; an auditor: pseudonyms and no
    internal title, but the exempt title (the public's business is the public variant)."""
    _case_file(services)
    for full in (services.journal.entries(), services.journal.entries(viewer=HANDLER)):
        assert [e.title for e in full.entries][:3] == [
            f"Complaint from {WITHHELD}",
            f"Letter to {WITHHELD}",
            "Settlement strategy",
        ]
        assert full.entries[0].party == WITHHELD and not full.entries[0].title_withheld
    seen = services.journal.entries(viewer=AUDITOR)
    text = seen.model_dump_json()
    assert WITHHELD not in text and CONTACT not in text and AT_RISK not in text
    assert seen.entries[0].title.startswith("Complaint from Submitter ")
    assert seen.entries[2].title == "[internal document]" and seen.entries[2].title_withheld


def test_the_journal_keeps_to_its_period(services: Services) -> None:
    """From and to are NCP-local days, both included; the period is in the answer."""
    _case_file(services)
    today = services.today()
    assert len(services.journal.entries(since=today, until=today).entries) == 4
    empty = services.journal.entries(until=date(2025, 1, 1))
    assert empty.entries == [] and empty.until == date(2025, 1, 1) and empty.since is None


def test_the_timeline_tells_each_document_with_its_download_withheld_where_internal(
    services: Services,
) -> None:
    """Each version filed is an entry (no `document_added` step beside it), linked to its
    download; for an auditor the `ncp` one keeps its place without title or link, and names are
    pseudonyms."""
    ref = _case_file(services)
    story = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["document"])
    assert [e.id for e in story.items] == [f"document-{n}-1" for n in (5, 4, 3, 2, 1)]
    first = story.items[-1]
    assert first.title == f"Document 1 received: Complaint from {WITHHELD}"
    assert first.href == f"/cases/{ref}/documents/1/content?version=1"
    exempt = "Exempt from public access, offentleglova § 13"
    assert first.text == f"From {WITHHELD} · Access: the parties · {exempt}"
    steps = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["step"])
    assert not any(e.what == "document_added" for e in steps.items)
    seen = services.cases.timeline(reference=ref, viewer=AUDITOR, kinds=["document"])
    internal = next(e for e in seen.items if e.id == "document-3-1")
    assert internal.withheld and internal.href is None and "Settlement" not in internal.title
    assert WITHHELD not in seen.model_dump_json() and CONTACT not in seen.model_dump_json()
