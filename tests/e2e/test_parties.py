"""A case's parties and contacts through the command line, the API and the parties page: each
write audited and shown back; bad input refused naming the input, writing nothing; a closed
case's parties no longer change; an auditor reads a protected party's pseudonym and none of its
contacts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from states.pseudonyms import pseudonym
from tests.conftest import InProcessCli
from tests.dbdump import dump
from tests.e2e.conftest import Site
from tests.e2e.test_api import Api, running_api
from workflow.clock import FixedClock

NAME = "Kari Nordmann"


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def _open(ncp: InProcessCli) -> str:
    opened = ncp.json(
        "case", "open", "--title", "Tailings dam", "--submitter", "Fjord NGO", "--enterprise",
        "Nordic Metals ASA", "--received", "2025-03-03", "--actor", "sek", "--json",
    )  # fmt: skip
    return str(opened["reference"])


def test_parties_and_contacts_through_the_command_line(ncp: InProcessCli) -> None:
    """add, edit (flags on and off), contact add/edit/remove, list and recipients; each write
    an audit entry; the text output names keys, flags and contacts."""
    ref = _open(ncp)
    added = ncp.json(
        "party", "add", ref, "--role", "enterprise", "--name", "Sub AS", "--org-number", "923456789",
        "--withheld", "--actor", "sek", "--json",
    )  # fmt: skip
    assert [p["key"] for p in added["parties"]] == ["submitter-1", "enterprise-1", "enterprise-2"]
    assert added["parties"][2]["withheld"] is True
    ncp.json(
        "party", "edit", ref, "enterprise-2", "--not-withheld", "--reprisal-risk", "--measures",
        "Letters by hand", "--actor", "sek", "--json",
    )  # fmt: skip
    ncp.json(
        "party", "contact", "add", ref, "Fjord NGO", "--name", NAME, "--email", "kari@fjord.no",
        "--language", "nb", "--role", "representative", "--actor", "sek", "--json",
    )  # fmt: skip
    ncp.json(
        "party", "contact", "add", ref, "submitter-1", "--name", "Ola", "--address", "Box 1\n0150 Oslo",
        "--channel", "post", "--actor", "sek", "--json",
    )  # fmt: skip
    ncp.json(
        "party", "contact", "edit", ref, "submitter-1", "2", "--email", "ola@x.no", "--actor", "sek", "--json"
    )
    ncp.json(
        "party", "contact", "remove", ref, "submitter-1", "2", "--reason", "left", "--actor", "sek", "--json"
    )
    listed = ncp.json("party", "list", ref, "--json")
    submitter, _, sub = listed["parties"]
    assert [c["name"] for c in submitter["contacts"]] == [NAME]
    assert (sub["withheld"], sub["reprisal_risk"], sub["measures"]) == (False, True, "Letters by hand")
    text = ncp("party", "list", ref).stdout
    assert "enterprise-2: Sub AS, org. no. 923456789 [at risk of reprisal]" in text
    assert f"1. {NAME} (representative; nb; by email): kari@fjord.no" in text
    recipients = ncp.json("party", "recipients", ref, "submitter-1", "--json")
    assert recipients == [
        {
            "party": "submitter-1",
            "contact": 1,
            "name": NAME,
            "role": "representative",
            "language": "nb",
            "channel": "email",
            "email": "kari@fjord.no",
            "address": None,
        }
    ]
    kinds = [json.loads(line)["kind"] for line in ncp("audit", "log", ref).stdout.splitlines()]
    assert kinds[-6:] == [
        "party_added",
        "party_changed",
        "contact_added",
        "contact_added",
        "contact_changed",
        "contact_removed",
    ]


def test_the_command_line_refuses_bad_input_naming_the_option_and_writes_nothing(
    ncp: InProcessCli, database_url: str
) -> None:
    """Unknown party, bad e-mail, language and channel outside their lists, a post contact
    without an address, an unknown contact: exit 2, the option named; a closed case: exit 1."""
    ref = _open(ncp)
    before = dump(database_url)
    add = ("party", "contact", "add", ref)
    for args, said in [
        ((*add, "submitter-3", "--name", "X", "--email", "x@y.no"), "has no party 'submitter-3'"),
        ((*add, "submitter-1", "--name", "X", "--email", "x@"), "--email 'x@' is not an e-mail address"),
        (
            (*add, "submitter-1", "--name", "X", "--email", "x@y.no", "--language", "de"),
            "--language: unknown",
        ),
        ((*add, "submitter-1", "--name", "X", "--email", "x@y.no", "--channel", "fax"), "--channel: unknown"),
        ((*add, "submitter-1", "--name", "X", "--channel", "post"), "needs the postal address (--address)"),
        (("party", "contact", "remove", ref, "submitter-1", "1"), "has no contact 1"),
        (("party", "add", ref, "--role", "witness", "--name", "X"), "--role: unknown party role"),
        (("party", "edit", ref, "enterprise-1", "--measures", "M"), "only recorded for a party at risk"),
    ]:
        result = ncp(*args, "--actor", "sek")
        assert result.returncode == 2, (args, result.stderr)
        assert said in result.stderr, (said, result.stderr)
    assert dump(database_url) == before
    for trigger, extra in [
        ("begin_assessment", ()),
        ("reject", ("--outcome", "not_accepted")),
        ("close", ()),
    ]:
        ncp.json("case", "advance", ref, trigger, "--actor", "sek", "--reason", "r", *extra, "--json")
    closed = ncp(*add, "submitter-1", "--name", "X", "--email", "x@y.no", "--actor", "sek")
    assert closed.returncode == 1 and "no longer change" in closed.stderr


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["detail"])


def test_the_api_manages_parties_for_handlers_and_shows_auditors_pseudonyms(api: Api) -> None:
    """POST/PATCH/DELETE as a handler (201/200, the parties back); a member may read but not
    write (403); bad input 422 naming the field; an auditor reads the withheld party's
    pseudonym and none of its contacts."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    base = f"/api/cases/{ref}/parties"
    made = api.client.post(base, json={"role": "submitter", "name": "Fjord Fishers"}, headers=handler)
    assert made.status_code == 201 and made.json()["parties"][-1]["key"] == "submitter-2"
    contact = {"name": NAME, "email": "kari@fjord.no", "address": "Kaia 1", "language": "nb"}
    added = api.client.post(f"{base}/submitter-2/contacts", json=contact, headers=handler)
    assert added.status_code == 201 and added.json()["parties"][-1]["contacts"][0]["number"] == 1
    changed = api.client.patch(f"{base}/submitter-2/contacts/1", json={"channel": "post"}, headers=handler)
    assert changed.json()["parties"][-1]["contacts"][0]["channel"] == "post"
    withheld = api.client.patch(f"{base}/Fjord Fishers", json={"withheld": True}, headers=handler)
    assert withheld.status_code == 200 and withheld.json()["parties"][-1]["withheld"] is True
    member = api.user("mia", "member", "member-b")
    assert "may not manage the parties" in _error(
        api.client.post(f"{base}/submitter-2/contacts", json=contact, headers=member), 403
    )
    assert api.client.get(base, headers=member).json()["parties"][-1]["contacts"][0]["name"] == NAME
    assert "email 'nope' is not an e-mail address" in _error(
        api.client.post(f"{base}/submitter-2/contacts", json={"name": "X", "email": "nope"}, headers=handler),
        422,
    )
    assert "has no party 'nobody'" in _error(
        api.client.patch(f"{base}/nobody", json={"withheld": True}, headers=handler), 422
    )
    auditor = api.user("aud", "auditor")
    seen = api.client.get(base, headers=auditor).json()["parties"][-1]
    assert seen["name"] == pseudonym(ref, "Fjord Fishers") and seen["contacts"] == [] and not seen["shown"]
    log = api.client.get(f"/api/cases/{ref}/audit", headers=auditor).text
    assert NAME not in log and "kari@fjord.no" not in log and "Fjord Fishers" not in log
    removed = api.client.delete(f"{base}/submitter-2/contacts/1?reason=gone", headers=handler)
    assert removed.status_code == 200 and removed.json()["parties"][-1]["contacts"] == []


def _flash(page: str) -> str:
    found = re.search(r'class="flash[^"]*"[^>]*>(.*?)<', page, re.S)
    return found.group(1).strip() if found else ""


def test_the_parties_page_adds_changes_and_removes_with_flash_and_keeps_input_on_refusal(site: Site) -> None:
    """Linked from the case page; each form POST-redirects and the flash says what was saved;
    a refused form answers 422 in the page's language with what was typed; an auditor sees
    the pseudonym and no contact details."""
    ref = site.reference
    page = f"/cases/{ref}/parties"
    assert f'href="{page}"' in site.client.get(f"/cases/{ref}").text
    token = site.csrf(f"{page}?lang=en")  # the site speaks Norwegian by default
    form = {"csrf_token": token, "name": NAME, "email": "kari@fjord.no", "language": "nb", "channel": "email",
            "role": "representative"}  # fmt: skip
    sent = site.client.post(f"{page}/submitter-1/contacts", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == page
    shown = site.client.get(page).text
    assert "Contact 1 of Submitter 1 added: Kari Nordmann" in shown and "kari@fjord.no" in shown
    edit = {"csrf_token": token, "name": "Friends of the Fjord", "withheld": "1", "type": "ngo"}
    assert site.client.post(f"{page}/submitter-1/edit", data=edit, follow_redirects=False).status_code == 303
    assert "Party Submitter 1 saved" in site.client.get(page).text
    added = {
        "csrf_token": token,
        "role": "enterprise",
        "name": "Feed AS",
        "reprisal_risk": "1",
        "measures": "M",
    }
    assert site.client.post(f"{page}/add", data=added, follow_redirects=False).status_code == 303
    assert "Party Enterprise 2 added: Feed AS" in site.client.get(page).text
    bad = {**form, "email": "kari at fjord", "name": "Typed Name"}
    refused = site.client.post(f"{page}/submitter-1/contacts?lang=nb", data=bad)
    assert refused.status_code == 422
    assert "er ikke en e-postadresse" in refused.text and 'value="Typed Name"' in refused.text
    assert 'value="kari at fjord"' in refused.text
    site.client.get(f"{page}?lang=en")  # back to English
    remove = {"csrf_token": token, "reason": "moved"}
    assert (
        site.client.post(
            f"{page}/submitter-1/contacts/1/remove", data=remove, follow_redirects=False
        ).status_code
        == 303
    )
    assert "Contact 1 of Submitter 1 removed: Kari Nordmann" in site.client.get(page).text
    gone = site.client.post(f"{page}/submitter-1/contacts/1/remove", data=remove)
    assert gone.status_code == 422 and "has no contact 1" in gone.text
    assert (
        site.client.post(f"{page}/submitter-1/contacts", data={**form, "csrf_token": "x"}).status_code == 403
    )
    site.services.parties.add_contact(
        reference=ref, party="submitter-1", actor="t", name=NAME, email="k@f.no"
    )
    site.sign_in_as("aud", "auditor")
    audited = site.client.get(f"{page}?lang=en").text
    assert pseudonym(ref, "Friends of the Fjord") in audited
    assert "Friends of the Fjord" not in audited and NAME not in audited and "k@f.no" not in audited
    assert "/parties/add" not in audited and "/contacts" not in audited  # an auditor gets no forms
