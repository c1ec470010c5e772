"""Party links (issue 15): a signed, expiring, revocable link per party to one case; opening it
refuses forged and altered tokens, expired and revoked links, and a closed case; what a party
sends through it is filed on its case, audited with the party as actor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from states.errors import InvalidInputError
from states.party_links import LinkState, Refusal
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.application import Application
from workflow.audit import audit_entries
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.party_links import LinkRefusedError
from workflow.rotation import Notices

SECRET = "Kari Nordmann Fjordvern"


@dataclass
class World:
    app: Application
    url: str
    clock: FixedClock
    ref: str  # a confidential submitter (submitter-1) and an enterprise
    other: str


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    clock = FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC))
    settings = make_settings(database_url, party_links={"key_file": str(tmp_path / "link.key")})
    app = bootstrap(settings, clock=clock)
    ref = open_case(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference_prefix="NCP",
        title=f"Tailings named by {SECRET}",
        submitters=[PartyInput(SECRET, "ngo", True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 5, 30),
        notices=Notices(app.settings, app.render),
    ).reference
    other = open_one(app, received=date(2025, 5, 30), title="Salmon farm wages")
    yield World(app, database_url, clock, ref, other)
    app.close()


def refusal_of(world: World, token: str) -> Refusal:
    with pytest.raises(LinkRefusedError) as refused:
        world.app.party_links.open(token=token)
    return refused.value.why


def test_a_link_opens_its_own_case_for_its_party_until_it_expires(world: World) -> None:
    """A link issued for 10 days opens its case for its party, and is refused once expired."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek", days=10)
    opened = world.app.party_links.open(token=new.token)
    assert (opened.link.reference, opened.link.party) == (world.ref, "enterprise-1")
    assert new.link.expires_at == world.clock.now() + timedelta(days=10)
    world.clock.advance(days=10)
    assert refusal_of(world, new.token) is Refusal.EXPIRED
    [listed] = world.app.party_links.list(reference=world.ref)
    assert listed.state is LinkState.EXPIRED


def test_a_link_lasts_the_configured_validity_by_default(world: World) -> None:
    """Without --days a link is valid for [party_links] valid_for (60 days by default)."""
    new = world.app.party_links.issue(reference=world.ref, party="submitter-1", actor="sek")
    assert new.link.expires_at - new.link.issued_at == timedelta(days=60)


def test_a_revoked_link_no_longer_opens_and_both_steps_are_audited_without_the_token(world: World) -> None:
    """Revoking refuses the link from then on; the audit log names the link, never its token."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    world.app.party_links.revoke(reference=world.ref, link=new.link.id, actor="sek")
    assert refusal_of(world, new.token) is Refusal.REVOKED
    entries = [e for e in audit_entries(uow=world.app.uow) if e.kind.startswith("party_link")]
    assert [(e.kind, e.data["link"], e.actor) for e in entries] == [
        ("party_link_issued", new.link.id, "sek"),
        ("party_link_revoked", new.link.id, "sek"),
    ]
    assert all(new.token not in str(e.data) and new.token not in (e.reason or "") for e in entries)
    with pytest.raises(InvalidInputError, match="revoked already"):
        world.app.party_links.revoke(reference=world.ref, link=new.link.id, actor="sek")


def test_a_link_is_revoked_only_through_its_own_case(world: World) -> None:
    """Another case's reference does not reach the link."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    with pytest.raises(InvalidInputError, match="no party link"):
        world.app.party_links.revoke(reference=world.other, link=new.link.id, actor="sek")
    assert world.app.party_links.open(token=new.token).link.reference == world.ref


@pytest.mark.parametrize("how", ["one character", "signature swapped", "link number swapped", "garbage"])
def test_forged_and_altered_links_are_refused_and_nothing_is_written(world: World, how: str) -> None:
    """A token changed in one character, with another link's signature, or carrying another link's
    number opens nothing, and the refused attempt writes nothing."""
    first = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek").token
    second = world.app.party_links.issue(reference=world.other, party="submitter-1", actor="sek").token
    payload, signature = first.rsplit(".", 1)
    other_payload, other_signature = second.rsplit(".", 1)
    altered = {
        "one character": payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature,
        "signature swapped": f"{payload}.{other_signature}",
        "link number swapped": f"{other_payload}.{signature}",
        "garbage": "not-a-token-at-all-but-long-enough",
    }[how]
    before = dump(world.url)
    assert refusal_of(world, altered) is Refusal.INVALID
    with pytest.raises(LinkRefusedError):
        world.app.party_links.send_comment(token=altered, text="hello", title="Comment")
    assert dump(world.url) == before


def test_a_token_signed_with_another_key_is_refused(world: World, tmp_path: Path) -> None:
    """A link signed with a key other than the application's does not open, even for a real link."""
    from itsdangerous import URLSafeSerializer

    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    forged = URLSafeSerializer("x" * 40, salt="ncpflow.party-link").dumps([new.link.id, "nonce"])
    assert refusal_of(world, forged) is Refusal.INVALID


def test_a_closed_case_refuses_its_links_and_gets_no_new_ones(world: World) -> None:
    """Once the case has ended its links no longer open, and no new link is issued."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    world.app.cases.advance(
        reference=world.ref, trigger="transfer", actor="sek", reason="Transferred", outcome="transferred"
    )
    assert world.app.cases.get(reference=world.ref).is_terminal
    assert refusal_of(world, new.token) is Refusal.CLOSED
    with pytest.raises(InvalidInputError, match="closed"):
        world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")


@pytest.mark.parametrize("days", [0, 367, -1])
def test_a_validity_out_of_bounds_is_refused(world: World, days: int) -> None:
    """--days outside 1-366 is refused, naming the input."""
    with pytest.raises(InvalidInputError, match="days valid"):
        world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek", days=days)


def test_an_unknown_party_gets_no_link(world: World) -> None:
    """A party the case does not have is refused, naming the keys there are."""
    with pytest.raises(InvalidInputError, match="no party 'enterprise-9'"):
        world.app.party_links.issue(reference=world.ref, party="enterprise-9", actor="sek")


def test_what_a_party_sends_is_filed_on_its_case_with_the_party_as_actor(world: World) -> None:
    """A comment and a document through the link: direction in, the link's party, access parties,
    actor party:<key>, the link's number in the entry's reason."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    comment = world.app.party_links.send_comment(token=new.token, text="We disagree.", title="Comment")
    document = world.app.party_links.send_document(
        token=new.token, source=[b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"], filename="reply.pdf", title="Our reply"
    )
    for filed in (comment, document):
        assert (filed.reference, filed.direction, filed.party, filed.access, filed.added_by) == (
            world.ref,
            "in",
            "enterprise-1",
            "parties",
            "party:enterprise-1",
        )
    assert comment.media_type == "text/plain"
    entries = [e for e in audit_entries(uow=world.app.uow) if e.kind == "document_added"]
    assert [(e.actor, e.reason) for e in entries] == [
        ("party:enterprise-1", f"through party link {new.link.id}"),
    ] * 2
    assert world.app.documents.list(reference=world.other).documents == []


def test_a_document_breaking_the_case_files_rules_is_refused_and_nothing_written(world: World) -> None:
    """The case file's checks hold: a .pdf that is not a PDF is refused, writing nothing."""
    new = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    before = dump(world.url)
    with pytest.raises(InvalidInputError, match=r"reply\.pdf"):
        world.app.party_links.send_document(
            token=new.token, source=[b"plain words"], filename="reply.pdf", title="Our reply"
        )
    with pytest.raises(InvalidInputError, match="comment"):
        world.app.party_links.send_comment(token=new.token, text="   ", title="Comment")
    assert dump(world.url) == before


def test_the_party_sees_itself_by_name_and_a_protected_other_party_by_pseudonym(world: World) -> None:
    """The enterprise's view pseudonymises the confidential submitter; the submitter sees itself."""
    enterprise = world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek")
    submitter = world.app.party_links.issue(reference=world.ref, party="submitter-1", actor="sek")
    view = world.app.party_links.view(
        opened=world.app.party_links.open(token=enterprise.token), language="nb"
    )
    assert SECRET not in str(view)
    assert view.party_name == "Nordic Metals ASA" and view.reference == world.ref
    assert view.next_date is not None and view.next_date.due
    own = world.app.party_links.view(opened=world.app.party_links.open(token=submitter.token), language="en")
    assert own.party_name == SECRET and SECRET in own.title


def test_a_link_sent_by_e_mail_reaches_each_contact_in_its_language_through_the_outbox(
    world: World, tmp_path: Path
) -> None:
    """--send: one message per contact with an e-mail address (Norwegian for a Norwegian
    contact), the contacts' numbers in the audit entry, the token in no audit entry."""
    app = bootstrap(
        make_settings(
            world.url,
            party_links={"key_file": str(tmp_path / "link.key")},
            web={"public_url": "https://ncp.example.org"},
        ),
        clock=world.clock,
    )
    try:
        app.parties.add_contact(
            reference=world.ref,
            party="enterprise-1",
            actor="sek",
            name="Ola",
            email="ola@metals.test",
            language="nb",
        )
        app.parties.add_contact(
            reference=world.ref,
            party="enterprise-1",
            actor="sek",
            name="Post",
            address="Box 1",
            channel="post",
        )
        new = app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek", send=True)
        assert new.sent_to == (1,)
        with app.uow.write() as tx:
            queued = tx.outbox.claim_next(
                now=world.clock.now(), lease_until=world.clock.now() + timedelta(minutes=5)
            )
        assert queued is not None and queued.recipient == "ola@metals.test" and queued.kind == "party_link"
        assert f"https://ncp.example.org/p/{new.token}" in queued.text
        assert "lenken din" in queued.subject and SECRET not in queued.text + queued.html
        [entry] = [e for e in audit_entries(uow=app.uow) if e.kind == "party_link_issued"]
        assert entry.data["sent_to"] == [1] and new.token not in str(entry.data)
    finally:
        app.close()


def test_sending_is_refused_without_an_address_or_a_contact_and_writes_nothing(world: World) -> None:
    """Without [web] public_url, or a party with no contact with an e-mail address, --send is
    refused naming why, and nothing is written."""
    before = dump(world.url)
    with pytest.raises(InvalidInputError, match="public_url"):
        world.app.party_links.issue(reference=world.ref, party="enterprise-1", actor="sek", send=True)
    with pytest.raises(InvalidInputError, match="no contact with an e-mail address"):
        world.app.party_links.issue(
            reference=world.ref, party="enterprise-1", actor="sek", send=True, url_base="https://ncp.test"
        )
    assert dump(world.url) == before


def test_the_link_key_is_kept_beside_the_database_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made once (0600) beside a SQLite database and read again the same; a short $NCPFLOW_PARTY_LINK_KEY
    is refused naming it."""
    from workflow.config import ConfigError
    from workflow.party_links import KEY_ENV, link_key

    monkeypatch.delenv(KEY_ENV, raising=False)
    settings = make_settings(f"sqlite:///{tmp_path / 'ncp.db'}")
    first = link_key(settings)
    made = tmp_path / "ncp.db.party-link-key"
    assert made.stat().st_mode & 0o777 == 0o600 and link_key(settings) == first
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(ConfigError, match=r"NCPFLOW_PARTY_LINK_KEY holds 5 bytes"):
        link_key(settings)
