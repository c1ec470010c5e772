"""The follow-up of commitments through its entry points: the command line (`followup`, `report
follow-up`) and the API on SQLite and PostgreSQL, and the pages over HTTP (the case's follow-up
page with an evidence upload, the report page in English and Norwegian). Refusals name their
input and write nothing; an auditor reads pseudonyms and may not write; the report's figures are
computed here from the data."""

from __future__ import annotations

import html
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
from tests.helpers import csrf_of
from workflow.clock import FixedClock

NAME = "Kari Nordmann"
ALERT = re.compile(r'role="alert"><strong>[^<]*</strong>\s*(.*?)</div>', re.S)
FLASH = re.compile(r'role="status">(.*?)</div>', re.S)
WEIGHTS = {"implemented": 1.0, "partly": 0.5, "not": 0.0}


def _rate(statuses: list[str]) -> float | None:
    known = [WEIGHTS[s] for s in statuses if s in WEIGHTS]
    return sum(known) / len(known) if known else None


def _open(ncp: InProcessCli) -> str:
    opened = ncp.json(
        "case", "open", "--title", "Tailings dam", "--submitter", NAME, "--enterprise", "Nordic Metals ASA",
        "--received", "2025-03-03", "--theme", "environment", "--actor", "sek", "--json",
    )  # fmt: skip
    return str(opened["reference"])


def _log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


def test_followup_on_the_command_line_and_its_report(ncp: InProcessCli) -> None:
    """add, status, list, request print what was recorded; `report follow-up` gives the rate
    computed from the statuses by the documented rules, as JSON and as a table."""
    ref = _open(ncp)
    ncp(
        "party",
        "contact",
        "add",
        ref,
        "enterprise-1",
        "--name",
        "Ola",
        "--email",
        "ola@example.org",
        "--actor",
        "sek",
    )
    added = ncp.json(
        "followup", "add", ref, "--source", "agreement", "--owner", "enterprise", "--party",
        "Nordic Metals ASA", "--text", "Publish a grievance mechanism", "--made-on", "2025-04-01",
        "--due", "2025-12-31", "--actor", "sek", "--json",
    )  # fmt: skip
    assert (added["number"], added["party"], added["status"]) == (1, "enterprise-1", "unknown")
    ncp.json(
        "followup", "add", ref, "--source", "statement", "--owner", "ncp", "--text", "Review in a year",
        "--made-on", "2025-04-01", "--actor", "sek", "--json",
    )  # fmt: skip
    entry = ncp.json(
        "followup", "status", ref, "--commitment", "2", "--status", "partly", "--actor", "sek", "--json"
    )
    assert entry["status"] == "partly" and entry["seq"] == 1
    asked = ncp.json(
        "followup",
        "request",
        ref,
        "--party",
        "enterprise-1",
        "--due",
        "2099-01-31",
        "--actor",
        "sek",
        "--json",
    )
    assert asked["commitments"] == [1] and asked["due"] == "2099-01-31"
    listed = ncp("followup", "list", ref)
    assert listed.returncode == 0 and "[partly] statement of 2025-04-01" in listed.stdout
    assert "request 1 to Nordic Metals ASA" in listed.stdout
    kinds = [e["kind"] for e in _log(ncp, ref)]
    assert [k for k in kinds if k.startswith(("commitment", "update"))] == [
        "commitment_recorded",
        "commitment_recorded",
        "commitment_status_set",
        "update_requested",
    ]
    report = ncp.json("report", "follow-up", "--json")
    statuses = [c["status"] for c in ncp.json("followup", "list", ref, "--json")["commitments"]]
    assert (report["total"]["total"], report["total"]["rate"]) == (len(statuses), _rate(statuses))
    assert [row["key"] for row in report["by_theme"]] == ["environment"]
    table = ncp("report", "follow-up", "--year", "2025")
    assert table.returncode == 0 and "environment" in table.stdout and "implementation rate" in table.stdout
    csv = ncp("report", "follow-up", "--format", "csv", "--language", "en")
    assert csv.returncode == 0 and "Implementation rate (%)" in csv.stdout and "VI. Environment" in csv.stdout


def test_bad_followup_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Each refusal names the option; exit 2 (4 for an unknown case); the log is unchanged."""
    ref = _open(ncp)
    ncp("followup", "add", ref, "--source", "agreement", "--owner", "ncp", "--text", "x", "--actor", "sek")
    before = _log(ncp, ref)
    base = ["--source", "agreement", "--owner", "enterprise", "--text", "t", "--actor", "sek"]
    cases = [
        (4, "no case with reference", ["add", "NCP-2099-001", *base]),
        (2, "--source: unknown source 'deal'", ["add", ref, "--source", "deal", *base[2:]]),
        (2, "--owner: unknown owner 'state'", ["add", ref, *base[:2], "--owner", "state", *base[4:]]),
        (2, "--text", ["add", ref, *base[:5], " ", *base[6:]]),
        (2, "--due", ["add", ref, *base, "--due", "soon"]),
        (2, "--party: submitter-1 is not a party of the owner's kind",
         ["add", ref, *base, "--party", "submitter-1"]),
        (2, "--status: unknown status 'done'",
         ["status", ref, "--commitment", "1", "--status", "done", "--actor", "s"]),
        (2, f"--commitment: case {ref} has no commitment 5",
         ["status", ref, "--commitment", "5", "--status", "not", "--actor", "s"]),
        (2, "--party: enterprise-1 of case", ["request", ref, "--party", "enterprise-1", "--actor", "s"]),
        (2, "--year", ["report", "--year", "1900"]),
    ]  # fmt: skip
    for code, message, args in cases:
        command = ["report", "follow-up", *args[1:]] if args[0] == "report" else ["followup", *args]
        answer = ncp(*command)
        assert (answer.returncode, message in answer.stderr) == (code, True), (args, answer.stderr)
        assert "Traceback" not in answer.stderr
    assert _log(ncp, ref) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_followup_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler records, sets a status and asks for an update; an auditor reads pseudonyms and may
    not write (403); bad input is a 422 naming the field and writes nothing; the report's rate is
    the one computed from the statuses."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    ref = api.open(handler, submitters=[NAME], confidential_submitter=True)["reference"]
    base = f"/api/cases/{ref}/follow-up"
    body = {"source": "agreement", "owner": "submitter", "party": "submitter-1", "text": f"{NAME} reports"}
    made = api.client.post(base, json=body, headers=handler)
    assert made.status_code == 201, made.text
    assert made.json()["number"] == 1 and made.json()["text"] == f"{NAME} reports"
    status = api.client.post(
        f"{base}/1/status", json={"status": "implemented", "note": "Done"}, headers=handler
    )
    assert status.status_code == 200 and status.json()["status"] == "implemented", status.text
    seen = api.client.get(base, headers=auditor).json()["commitments"][0]
    assert NAME not in json.dumps(seen) and seen["text"] == f"{pseudonym(ref, NAME)} reports"
    refused = api.client.post(base, json=body, headers=auditor)
    assert refused.status_code == 403 and "may not track the follow-up" in refused.json()["detail"]
    before = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()
    for path, change, field in [
        (base, {"source": "deal"}, "source"),
        (base, {"text": ""}, "text"),
        (base, {"due": "soon"}, "due"),
        (f"{base}/1/status", {"status": "done"}, "status"),
    ]:
        sent = {"status": "partly", **change} if path.endswith("status") else {**body, **change}
        answer = api.client.post(path, json=sent, headers=handler)
        assert answer.status_code == 422 and field in answer.json()["fields"], answer.text
    unknown = api.client.post(f"{base}/7/status", json={"status": "not"}, headers=handler)
    assert unknown.status_code == 422 and "has no commitment 7" in unknown.json()["detail"]
    no_mail = api.client.post(f"{base}/requests", json={"party": "submitter-1"}, headers=handler)
    assert no_mail.status_code == 422 and "party" in no_mail.json()["detail"]
    assert api.client.get(f"/api/cases/{ref}/audit", headers=handler).json() == before
    report = api.client.get("/api/reports/follow-up", headers=auditor)
    assert report.status_code == 200 and report.json()["total"]["rate"] == _rate(["implemented"])


# ---- the pages -----------------------------------------------------------------------------------


def page_of(site: Site, lang: str = "en") -> str:
    answer = site.client.get(f"/cases/{site.reference}/follow-up?lang={lang}")
    assert answer.status_code == 200, answer.text[-2000:]
    return answer.text


def flash(page: str) -> str:
    found = FLASH.search(page)
    return html.unescape(found.group(1)).strip() if found else ""


def alert(page: str) -> str:
    found = ALERT.search(page)
    return html.unescape(re.sub(r"\s+", " ", found.group(1))).strip() if found else ""


def post(site: Site, path: str, lang: str = "en", files: Any = None, **form: Any) -> tuple[int, str]:
    token = csrf_of(page_of(site, lang))
    answer = site.client.post(
        f"/cases/{site.reference}{path}?lang={lang}",
        data={"csrf_token": token, **form},
        files=files,
        follow_redirects=False,
    )
    if answer.status_code == 303:
        return 303, site.client.get(answer.headers["location"].split("#")[0]).text
    return answer.status_code, answer.text


def test_the_follow_up_page_records_sets_a_status_with_evidence_and_asks_for_an_update(site: Site) -> None:
    """Linked from the case page; a commitment recorded; a status set with an uploaded evidence
    file (a document of the case) and one already filed; an update asked by e-mail; the story
    tells them; each flash says what was saved."""
    ref = site.reference
    app = site.services
    assert f'href="/cases/{ref}/follow-up"' in site.client.get(f"/cases/{ref}").text
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="test", name="Ola", email="ola@example.org"
    )
    app.documents.add(
        reference=ref, source=[b"%PDF-1.4\n"], filename="agreement.pdf", title="Agreement", direction="in",
        access="parties", actor="test",
    )  # fmt: skip
    status, page = post(
        site, "/follow-up", source="agreement", owner="enterprise", party="enterprise-1", document="1",
        text="Publish a grievance mechanism", due="2030-12-31",
    )  # fmt: skip
    assert status == 303 and flash(page) == "Commitment 1 recorded.", alert(page)
    assert "Publish a grievance mechanism" in page and "2030-12-31" in page
    status, page = post(
        site, "/follow-up/1/status", status="partly", note="Draft published", evidence="1",
        title="Draft policy", files={"file": ("policy.pdf", b"%PDF-1.4\n% policy\n", "application/pdf")},
    )  # fmt: skip
    assert status == 303 and flash(page).startswith("Commitment 1: status set to “partly implemented” from")
    assert "Evidence: documents 1, 2." in flash(page)
    document = app.documents.list(reference=ref).documents[1]
    assert (document.number, document.title, document.party) == (2, "Draft policy", "enterprise-1")
    status, page = post(
        site,
        "/follow-up/1/status",
        status="implemented",
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert status == 303 and "Evidence" not in flash(page)  # an empty file input is no file
    status, page = post(site, "/follow-up/requests", party="enterprise-1", due="2030-01-31", commitments="1")
    assert status == 303 and flash(page).startswith(
        "Update 1 asked of enterprise-1 by e-mail, due 2030-01-31"
    )
    story = site.client.get(f"/cases/{ref}?kind=follow_up").text
    assert "Commitment 1 recorded" in story and "Update asked of Nordic Metals ASA, due 2030-01-31" in story
    norwegian = page_of(site, "nb")
    assert "Oppfølging" in norwegian and "gjennomført" in norwegian


def test_a_refused_form_keeps_what_was_typed_names_the_field_and_writes_nothing(site: Site) -> None:
    """A blank text, an unknown commitment or a future day: 422, the page in its language naming
    the field by its label, the typed values kept, the database unchanged."""
    ref = site.reference
    site.services.follow_up.add(reference=ref, source="agreement", owner="ncp", text="Review", actor="test")
    before = dump(site.url)
    status, page = post(site, "/follow-up", source="statement", owner="ncp", text=" ", due="2031-02-03")
    assert status == 422 and "Commitment or recommendation" in alert(page) and 'value="2031-02-03"' in page
    status, page = post(
        site, "/follow-up/1/status", lang="nb", status="partly", on="2099-01-01", note="Mitt notat"
    )
    assert status == 422 and "Gjelder fra" in alert(page) and 'value="Mitt notat"' in page
    status, page = post(site, "/follow-up/4/status", status="partly")
    assert status == 422 and "has no commitment 4" in alert(page)
    assert dump(site.url) == before


def test_an_auditor_reads_pseudonyms_on_the_page_and_has_no_forms(site: Site) -> None:
    """A withheld submitter's name in a commitment's text is a pseudonym for an auditor; no form."""
    from workflow.cases import PartyInput, open_case

    app = site.services
    ref = open_case(
        uow=app.uow, clock=app.clock, policy=app.policy, reference_prefix="NCP", title="Wages",
        submitters=[PartyInput(NAME, "individual", confidential=True)],
        enterprises=[PartyInput("Textile AS")], actor="test",
    ).reference  # fmt: skip
    app.follow_up.add(
        reference=ref, source="agreement", owner="submitter", text=f"{NAME} shares data", actor="t"
    )
    site.sign_in_as("revisor", "auditor")
    page = site.client.get(f"/cases/{ref}/follow-up?lang=en").text
    assert NAME not in page and f"{pseudonym(ref, NAME)} shares data" in page
    assert "Record a commitment" not in page and "/follow-up/requests" not in page and "/status" not in page


def test_the_report_page_shows_the_rates_computed_from_the_data_in_english_and_norwegian(site: Site) -> None:
    """The rate per year and theme in each language's number format; a bad year is a 422 naming
    the field; the downloads carry the same figures."""
    app = site.services
    ref = site.reference
    plan = ["implemented", "partly", "not", "partly"]
    for n, status in enumerate(plan, start=1):
        app.follow_up.add(reference=ref, source="agreement", owner="ncp", text=f"c{n}", actor="test")
        app.follow_up.set_status(reference=ref, commitment=n, status=status, actor="test")
    rate = _rate(plan)
    assert rate is not None
    year = app.follow_up.list(reference=ref).commitments[0].made_on.year
    english = site.client.get(f"/reports/follow-up?year={year}&lang=en")
    assert english.status_code == 200 and f"{round(100 * rate)}%" in english.text
    norwegian = site.client.get(f"/reports/follow-up?year={year}&lang=nb")
    assert norwegian.status_code == 200 and f"{round(100 * rate)}\xa0%" in norwegian.text
    assert "Gjennomføringsgrad" in norwegian.text
    assert 'href="/reports/follow-up"' in site.client.get("/reports").text
    bad = site.client.get("/reports/follow-up?year=abc&lang=en")
    assert bad.status_code == 422 and "Year" in bad.text
    csv = site.client.get(f"/reports/follow-up.csv?year={year}")
    assert csv.status_code == 200 and f"{round(100 * rate, 1)}" in csv.text
