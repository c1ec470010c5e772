"""Related cases through the command line and the API, on SQLite and PostgreSQL: `case link|
unlink|links`, `case show --json`'s `links`, and `/api/cases/{ref}/related`; bad input refused
with the documented exit code or status, naming the input and writing nothing; an auditor reads
a link to a case whose title names a confidential submitter without that name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_case_issues import NAME, _log, _open  # a case with a confidential submitter
from workflow.clock import FixedClock


def _second(ncp: InProcessCli, title: str = "Tailings dam, again") -> str:
    opened = ncp.json(
        "case", "open", "--title", title, "--submitter", "Open NGO", "--enterprise", "Nordic Metals ASA",
        "--received", "2025-03-04", "--actor", "sek", "--json",
    )  # fmt: skip
    return str(opened["reference"])


def test_related_cases_through_the_command_line(ncp: InProcessCli) -> None:
    """A follow-on link between two cases here shows on both (`case links`, `case show --json`
    and the panel), a parallel complaint at another NCP on one; unlink removes it from both."""
    first, later = _open(ncp), _second(ncp)
    made = ncp.json("case", "link", later, "--kind", "follow_on", "--case", first, "--actor", "sek", "--json")
    assert (made["number"], made["relation"], made["case"], made["title"]) == (
        1,
        "follow_on",
        first,
        "Tailings dam",
    )
    parallel = ncp.json(
        "case", "link", first, "--kind", "parallel", "--ncp", "dk", "--ref", "DK-2025-4",
        "--url", "https://ncp.example.dk/4", "--actor", "sek", "--json",
    )  # fmt: skip
    assert (parallel["ncp"], parallel["external_reference"], parallel["url"]) == (
        "DK",
        "DK-2025-4",
        "https://ncp.example.dk/4",
    )
    shown = ncp.json("case", "show", first, "--json")
    assert [(link["number"], link["relation"], link["case"]) for link in shown["links"]] == [
        (1, "followed_by", later),
        (2, "parallel", None),
    ]
    lines = ncp("case", "links", first).stdout
    assert f"link 1: followed by {later}" in lines and "link 2: parallel complaint DK DK-2025-4" in lines
    assert f"link 1: follows on from {first}" in ncp("case", "show", later).stdout
    kinds = [e["kind"] for e in _log(ncp, later)]
    assert kinds.count("case_linked") == 1
    left = ncp.json("case", "unlink", first, "1", "--actor", "sek", "--reason", "Not related", "--json")
    assert [link["number"] for link in left["links"]] == [2]
    assert ncp.json("case", "links", later, "--json")["links"] == []
    assert "no related cases linked" in ncp("case", "links", later).stdout
    removed = [e for e in _log(ncp, later) if e["kind"] == "case_unlinked"]
    assert len(removed) == 1 and removed[0]["reason"] == "Not related"


def test_bad_link_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Exit 2 naming the option for bad input; exit 1 for a link that already stands; exit 4 for
    an unknown case; exit 1 for an auditor; nothing written."""
    ref, other = _open(ncp), _second(ncp)
    ncp("users", "add", "aud", "--role", "auditor", "--actor", "root")
    ncp("case", "link", ref, "--kind", "same_facts", "--case", other, "--actor", "sek")
    before = _log(ncp, ref), _log(ncp, other)
    kind = ncp("case", "link", ref, "--kind", "cousin", "--case", other, "--actor", "sek")
    assert kind.returncode == 2 and "--kind" in kind.stderr
    country = ncp("case", "link", ref, "--kind", "parallel", "--ncp", "XX", "--ref", "1", "--actor", "sek")
    assert country.returncode == 2 and "NCP 'XX' is not an ISO 3166" in country.stderr
    itself = ncp("case", "link", ref, "--kind", "parallel", "--ncp", "NO", "--ref", "1", "--actor", "sek")
    assert itself.returncode == 2 and "(NCP): NO is this NCP" in itself.stderr
    url = ncp(
        "case", "link", ref, "--kind", "parallel", "--ncp", "SE", "--ref", "1", "--url", "file:///etc/passwd",
        "--actor", "sek",
    )  # fmt: skip
    assert url.returncode == 2 and "(--url)" in url.stderr and "not an http or https address" in url.stderr
    unknown = ncp("case", "link", ref, "--kind", "same_facts", "--case", "NCP-2099-001", "--actor", "sek")
    assert (
        unknown.returncode == 2 and "(--case): no case with reference 'NCP-2099-001' here" in unknown.stderr
    )
    again = ncp("case", "link", other, "--kind", "follow_on", "--case", ref, "--actor", "sek")
    assert again.returncode == 1 and f"already linked to case {ref} (link 1)" in again.stderr
    assert f"case {other} in state 'received'" in again.stderr
    missing = ncp("case", "link", "NCP-2099-001", "--kind", "same_facts", "--case", ref, "--actor", "sek")
    assert missing.returncode == 4
    no_link = ncp("case", "unlink", ref, "5", "--actor", "sek")
    assert no_link.returncode == 2 and f"(NUMBER): case {ref} has no link 5" in no_link.stderr
    auditor = ncp("case", "unlink", ref, "1", "--actor", "aud")
    assert auditor.returncode == 1 and "may not link related cases" in auditor.stderr
    assert (_log(ncp, ref), _log(ncp, other)) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_related_cases_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler links and unlinks; the case's document holds the link; an auditor reads the
    link to a case whose title names its confidential submitter without the name; a member may
    not link (403); bad input is a 422 naming the field, a link that stands a 409; nothing
    written by a refusal."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    member = api.user("mari", "member", "member-b")
    hidden = api.open(
        handler, title=f"{NAME} v. Nordic Metals", submitters=[NAME], confidential_submitter=True
    )
    ref = api.open(handler)["reference"]
    base = f"/api/cases/{ref}/related"
    made = api.client.post(base, json={"kind": "same_facts", "case": hidden["reference"]}, headers=handler)
    assert made.status_code == 201, made.text
    assert made.json()["title"] == f"{NAME} v. Nordic Metals"
    seen = api.client.get(base, headers=auditor)
    assert seen.status_code == 200 and seen.json()["links"][0]["case"] == hidden["reference"]
    assert NAME not in seen.text
    document = api.client.get(f"/api/cases/{ref}", headers=auditor)
    assert document.json()["links"][0]["relation"] == "same_facts" and NAME not in document.text
    other_side = api.client.get(f"/api/cases/{hidden['reference']}/related", headers=handler).json()
    assert other_side["links"][0]["case"] == ref
    assert api.client.post(base, json={"kind": "same_facts", "case": "x"}, headers=member).status_code == 403
    bad = api.client.post(
        base, json={"kind": "parallel", "ncp": "SE", "url": "https://x.example"}, headers=handler
    )
    assert bad.status_code == 422 and "case" in bad.json()["detail"]
    extra = api.client.post(
        base, json={"kind": "parallel", "ncp": "SE", "external_reference": "1", "x": 1}, headers=handler
    )
    assert extra.status_code == 422
    again = api.client.post(base, json={"kind": "follow_on", "case": hidden["reference"]}, headers=handler)
    assert again.status_code == 409 and again.json()["error"] == "not_allowed"
    assert len(api.client.get(base, headers=handler).json()["links"]) == 1
    removed = api.client.post(f"{base}/1/remove", json={"reason": "Split"}, headers=handler)
    assert removed.status_code == 200 and removed.json()["links"] == []
    twice = api.client.post(f"{base}/1/remove", json={}, headers=handler)
    assert twice.status_code == 409
