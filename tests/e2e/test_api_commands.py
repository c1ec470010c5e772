"""What the API gained from the command line: edit (PATCH), recuse, and opening with the
Guidelines edition, supporting NCPs and organisation numbers; and one input contract: the CLI
and the API refuse the same bad values, each naming the input its own way, writing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.dbdump import dump
from tests.e2e.test_api import Api as BaseApi
from tests.e2e.test_api import running_api
from workflow.clock import FixedClock

CASE = {
    "title": "Mine tailings",
    "enterprises": ["Nordic Metals ASA"],
    "submitters": ["Friends of the Fjord"],
    "received": "2025-05-30",
}


class Api:
    """The shared API (tests/e2e/test_api.py), with a handler and the database's URL."""

    def __init__(self, base: BaseApi, url: str) -> None:
        self.client, self.services, self.url = base.client, base.services, url
        self.user = base.user
        self.handler = base.user("hanna", "handler")

    def open(self, **body: Any) -> dict[str, Any]:
        answer = self.client.post("/api/cases", json={**CASE, **body}, headers=self.handler)
        assert answer.status_code == 201, answer.text
        made: dict[str, Any] = answer.json()
        return made

    def entries(self, reference: str) -> list[dict[str, Any]]:
        answer = self.client.get(f"/api/cases/{reference}/audit", headers=self.handler)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as base:
        yield Api(base, database_url)


def refused(answer: Any, *fields: str) -> str:
    """A 422 naming `fields` both in its words and in its `fields` list."""
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_input"
    for field in fields:
        assert field in body["fields"] and field in body["detail"], body
    return str(body["detail"])


# ---- opening with what the command line takes --------------------------------------------------


def test_opening_takes_the_edition_supporting_ncps_and_organisation_numbers(api: Api) -> None:
    """POST /api/cases records the Guidelines edition, supporting NCPs and each party's number."""
    made = api.open(
        guidelines_edition="2011",
        supporting_ncps=["se", "DK"],
        org_numbers={"nordic metals asa": " 923456789 ", "Friends of the Fjord": "1"},
        submitter_types=["ngo"],
    )
    assert (made["guidelines_edition"], made["supporting_ncps"]) == ("2011", ["SE", "DK"])
    assert made["parties"][0]["type"] == "ngo"
    opened = api.entries(made["reference"])[0]["data"]
    numbers = {p["name"]: p.get("org_number") for p in opened["parties"]}
    assert numbers == {"Friends of the Fjord": "1", "Nordic Metals ASA": "923456789"}


# ---- PATCH /api/cases/{ref}: case edit ---------------------------------------------------------


def test_patch_changes_what_case_edit_changes_in_one_audited_entry(api: Api) -> None:
    """PATCH: themes, host countries, sector, edition and supporting NCPs; the rest unchanged."""
    reference = api.open(guidelines_edition="2011", sector="Mining")["reference"]
    answer = api.client.patch(
        f"/api/cases/{reference}",
        headers=api.handler,
        json={
            "reason": "harm continues after June 2023",
            "guidelines_edition": "both",
            "supporting_ncps": ["SE"],
            "themes": ["environment"],
            "host_countries": ["no"],
        },
    )
    assert answer.status_code == 200, answer.text
    case = answer.json()
    assert (
        case["guidelines_edition"],
        case["supporting_ncps"],
        case["themes"],
        case["host_countries"],
        case["sector"],
    ) == ("both", ["SE"], ["environment"], ["NO"], "Mining")
    last = api.entries(reference)[-1]
    assert (last["kind"], last["actor"], last["reason"]) == (
        "edited",
        "hanna",
        "harm continues after June 2023",
    )
    assert last["data"]["changes"]["guidelines_edition"] == {"from": "2011", "to": "both"}
    cleared = api.client.patch(
        f"/api/cases/{reference}", headers=api.handler, json={"reason": "no sector", "sector": ""}
    )
    assert cleared.status_code == 200 and cleared.json()["sector"] is None


def test_historical_guidelines_editions_are_taken_and_reported(api: Api) -> None:
    """POST and PATCH take the 2000 and 1991 editions; /api/reports shows the edition."""
    made = api.open(received="2001-05-02", guidelines_edition="2000")
    assert made["guidelines_edition"] == "2000"
    answer = api.client.patch(
        f"/api/cases/{made['reference']}",
        headers=api.handler,
        json={"reason": "the older edition applies", "guidelines_edition": "1991"},
    )
    assert answer.status_code == 200 and answer.json()["guidelines_edition"] == "1991"
    rows = api.client.get("/api/reports/oecd?year=2001", headers=api.handler).json()
    assert [row["guidelines_edition"] for row in rows] == ["1991"]
    annual = api.client.get("/api/reports/annual?year=2001", headers=api.handler).json()
    assert annual["guidelines_editions"] == {"1991": 1}
    bad = api.client.patch(
        f"/api/cases/{made['reference']}",
        headers=api.handler,
        json={"reason": "r", "guidelines_edition": "1977"},
    )
    assert "1976, 1979, 1984, 1991, 2000, 2011, 2023, both" in refused(bad, "guidelines_edition")


def test_a_patch_that_changes_nothing_is_refused_with_422(api: Api) -> None:
    """Like `case edit`: nothing to change is bad input, and no audit entry."""
    reference = api.open(sector="Mining")["reference"]
    before = dump(api.url)
    answer = api.client.patch(
        f"/api/cases/{reference}", headers=api.handler, json={"reason": "r", "sector": "Mining"}
    )
    assert answer.status_code == 422 and "nothing to change" in answer.json()["detail"]
    assert dump(api.url) == before


# ---- POST /api/cases/{ref}/recuse ---------------------------------------------------------------


def test_recuse_hands_the_case_to_the_next_eligible_member(api: Api) -> None:
    """The lead steps aside through the API; the rotation picks another, audited as the user."""
    made = api.open()
    lead = made["lead_member"]
    assert lead
    answer = api.client.post(
        f"/api/cases/{made['reference']}/recuse",
        headers=api.handler,
        json={"member": lead, "reason": "former employer"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["lead_member"] not in {None, lead}
    last = api.entries(made["reference"])[-1]
    assert (last["actor"], last["reason"], last["data"]["member"]) == ("hanna", "former employer", lead)


def test_recusing_a_member_who_does_not_lead_is_refused_and_writes_nothing(api: Api) -> None:
    """Only the lead recuses: 409 from the use case, nothing written."""
    made = api.open()
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != made["lead_member"])
    before = dump(api.url)
    answer = api.client.post(
        f"/api/cases/{made['reference']}/recuse", headers=api.handler, json={"member": other, "reason": "r"}
    )
    assert answer.status_code == 409, answer.text
    assert dump(api.url) == before


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_only_handlers_edit_and_recuse(api: Api, role: str) -> None:
    """PATCH and recuse answer 403 to a member or an auditor, and change nothing."""
    made = api.open()
    other = api.user("other", role, "member-b" if role == "member" else None)
    before = dump(api.url)
    assert (
        api.client.patch(
            f"/api/cases/{made['reference']}", headers=other, json={"reason": "r", "sector": "x"}
        ).status_code
        == 403
    )
    assert (
        api.client.post(
            f"/api/cases/{made['reference']}/recuse",
            headers=other,
            json={"member": made["lead_member"], "reason": "r"},
        ).status_code
        == 403
    )
    assert dump(api.url) == before


# ---- bad input: 422 naming the field, nothing written -------------------------------------------


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("", "PATCH", {"reason": "", "sector": "x"}, "reason"),
        ("", "PATCH", {"reason": "r", "guidelines_edition": "2020"}, "guidelines_edition"),
        ("", "PATCH", {"reason": "r", "themes": ["gardening"]}, "themes"),
        ("", "PATCH", {"reason": "r", "supporting_ncps": ["ZZ"]}, "supporting_ncps"),
        ("", "PATCH", {"reason": "r", "sector": "s" * 301}, "sector"),
        ("", "PATCH", {"reason": "r", "state": "closed"}, "state"),
        ("/recuse", "POST", {"member": "", "reason": "r"}, "member"),
        ("/recuse", "POST", {"member": "member-b", "reason": "r" * 2001}, "reason"),
        ("/recuse", "POST", {"member": "member-b"}, "reason"),
    ],
)
def test_bad_edits_and_recusals_answer_422_naming_the_field(
    api: Api, path: str, method: str, body: dict[str, Any], field: str
) -> None:
    """Each refusal names the body's field and writes nothing."""
    reference = api.open()["reference"]
    before = dump(api.url)
    refused(
        api.client.request(method, f"/api/cases/{reference}{path}", headers=api.handler, json=body), field
    )
    assert dump(api.url) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"guidelines_edition": "1977"}, "guidelines_edition"),
        ({"supporting_ncps": ["XX"]}, "supporting_ncps"),
        ({"org_numbers": {"Someone Else": "923456789"}}, "org_numbers"),
        ({"org_numbers": {"Nordic Metals ASA": " "}}, "org_numbers"),
        ({"submitter_types": ["ngo", "academic"]}, "submitter_types"),
        ({"submitter_type": "ngo", "submitter_types": ["ngo"]}, "submitter_types"),
    ],
)
def test_bad_editions_ncps_and_numbers_on_opening_answer_422_and_burn_no_reference(
    api: Api, body: dict[str, Any], field: str
) -> None:
    """The new opening fields are checked like the old ones: 422 and nothing written."""
    before = dump(api.url)
    refused(api.client.post("/api/cases", json={**CASE, **body}, headers=api.handler), field)
    assert dump(api.url) == before
    assert api.open()["reference"].endswith("-001")


# ---- the command line and the API refuse the same values ----------------------------------------

# (the bad value as `case ... --flag value`, the same value in the API body, flag, field)
SAME_BAD = [
    ("open", ["--title", "t" * 2001], {"title": "t" * 2001}, "--title", "title"),
    ("open", ["--title", "   "], {"title": "   "}, "--title", "title"),
    ("open", ["--received", "0999-06-01"], {"received": "0999-06-01"}, "--received", "received"),
    ("open", ["--received", ""], {"received": ""}, "--received", "received"),
    (
        "open",
        ["--received", "2025-03-03T10:00:00"],
        {"received": "2025-03-03T10:00:00"},
        "--received",
        "received",
    ),
    ("open", ["--host-country", "XX"], {"host_countries": ["XX"]}, "--host-country", "host_countries"),
    (
        "open",
        ["--supporting-ncp", "NOR"],
        {"supporting_ncps": ["NOR"]},
        "--supporting-ncp",
        "supporting_ncps",
    ),
    (
        "open",
        ["--guidelines-edition", "1977"],
        {"guidelines_edition": "1977"},
        "--guidelines-edition",
        "guidelines_edition",
    ),
    ("open", ["--theme", "gardening"], {"themes": ["gardening"]}, "--theme", "themes"),
    ("open", ["--sector", "s" * 301], {"sector": "s" * 301}, "--sector", "sector"),
    (
        "open",
        ["--org-number", "Someone Else=923456789"],
        {"org_numbers": {"Someone Else": "923456789"}},
        "--org-number",
        "org_numbers",
    ),
    ("advance", ["--reason", "r" * 2001], {"reason": "r" * 2001}, "--reason", "reason"),
    ("advance", ["--at", "2200-01-01"], {"at": "2200-01-01"}, "--at", "at"),
    ("advance", ["--outcome", "victory"], {"outcome": "victory"}, "--outcome", "outcome"),
    ("advance", ["--scope", "part"], {"scope": "part"}, "--scope", "scope"),
    ("advance", ["--expect-version", "-1"], {"expected_version": -1}, "--expect-version", "expected_version"),
    ("pause", ["--requested-by", "q" * 301], {"requested_by": "q" * 301}, "--requested-by", "requested_by"),
    ("pause", ["--at", "31/01/2025"], {"at": "31/01/2025"}, "--at", "at"),
    ("extend", ["--days", "0"], {"days": 0}, "--days", "days"),
    ("extend", ["--months", "121"], {"months": 121}, "--months", "months"),
    ("extend", ["--deadline", "doomsday"], {"deadline": "doomsday"}, "--deadline", "deadline"),
    ("reassign", ["--to", "m" * 101], {"to": "m" * 101}, "--to", "to"),
    ("recuse", ["--member", "  "], {"member": "  "}, "--member", "member"),
    (
        "edit",
        ["--guidelines-edition", "2020"],
        {"guidelines_edition": "2020"},
        "--guidelines-edition",
        "guidelines_edition",
    ),
    ("edit", ["--supporting-ncp", "ZZ"], {"supporting_ncps": ["ZZ"]}, "--supporting-ncp", "supporting_ncps"),
]

# A valid command for each, the bad value replacing or joining its options.
CLI_BASE = {
    "open": [
        "--title",
        "T",
        "--enterprise",
        "Nordic Metals ASA",
        "--submitter",
        "S",
        "--received",
        "2025-03-03",
    ],
    "advance": ["begin_assessment", "--reason", "r"],
    "pause": ["--reason", "r"],
    "extend": ["--deadline", "acknowledgement", "--reason", "r", "--days", "5"],
    "reassign": ["--to", "member-b", "--reason", "r"],
    "recuse": ["--member", "member-b", "--reason", "r"],
    "edit": ["--reason", "r"],
}
API_BASE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "open": ("POST", "/api/cases", CASE),
    "advance": ("POST", "/api/cases/@REF@/transitions", {"trigger": "begin_assessment", "reason": "r"}),
    "pause": ("POST", "/api/cases/@REF@/pause", {"reason": "r"}),
    "extend": ("POST", "/api/cases/@REF@/extend", {"deadline": "acknowledgement", "reason": "r", "days": 5}),
    "reassign": ("POST", "/api/cases/@REF@/reassign", {"to": "member-b", "reason": "r"}),
    "recuse": ("POST", "/api/cases/@REF@/recuse", {"member": "member-b", "reason": "r"}),
    "edit": ("PATCH", "/api/cases/@REF@", {"reason": "r"}),
}


def _with(base: list[str], bad: list[str]) -> list[str]:
    """`base` with the bad option's value replacing its own, or added."""
    args = list(base)
    if bad[0] in args:
        args[args.index(bad[0]) + 1] = bad[1]
        return args
    return [*args, *bad]


@pytest.mark.parametrize(
    ("command", "cli_bad", "api_bad", "flag", "field"),
    SAME_BAD,
    ids=[f"{c}{f}" for c, _, _, f, _ in SAME_BAD],
)
def test_the_command_line_and_the_api_refuse_the_same_values(
    api: Api,
    ncp: InProcessCli,
    command: str,
    cli_bad: list[str],
    api_bad: dict[str, Any],
    flag: str,
    field: str,
) -> None:
    """One model per command: exit 2 naming the flag, 422 naming the field; nothing written."""
    reference = api.open()["reference"]
    before = dump(api.url)
    if command == "open":
        args = ["case", "open", *_with(CLI_BASE["open"], cli_bad)]
    else:
        args = ["case", command, reference, *_with(CLI_BASE[command], cli_bad)]
    result = ncp(*args, "--actor", "chair")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert flag in result.stderr and "Traceback" not in result.stderr
    method, path, body = API_BASE[command]
    refused(
        api.client.request(
            method, path.replace("@REF@", reference), headers=api.handler, json={**body, **api_bad}
        ),
        field,
    )
    assert dump(api.url) == before


# ---- the OpenAPI documents the bodies ----------------------------------------------------------


def test_the_openapi_documents_edit_recuse_and_the_new_opening_fields(api: Api) -> None:
    """The reference names every input with its bounds and choices."""
    schema = api.client.get("/openapi.json").json()
    paths, bodies = schema["paths"], schema["components"]["schemas"]

    def body_of(path: str, method: str) -> dict[str, Any]:
        ref = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        found: dict[str, Any] = bodies[ref.rsplit("/", 1)[1]]
        return found

    opening = body_of("/api/cases", "post")["properties"]
    assert {"guidelines_edition", "supporting_ncps", "org_numbers", "submitter_types"} <= set(opening)
    assert opening["title"]["maxLength"] == 2000
    edit = body_of("/api/cases/{ref}", "patch")
    assert edit["required"] == ["reason"]
    assert {"themes", "host_countries", "sector", "guidelines_edition", "supporting_ncps"} <= set(
        edit["properties"]
    )
    assert set(body_of("/api/cases/{ref}/recuse", "post")["required"]) == {"member", "reason"}
    step = body_of("/api/cases/{ref}/transitions", "post")["properties"]
    assert step["trigger"]["pattern"] == "^[a-z][a-z0-9_]{0,63}$"  # a name of the case's procedure
    extend = body_of("/api/cases/{ref}/extend", "post")["properties"]
    assert extend["days"]["anyOf"][0]["maximum"] == 3660


@pytest.mark.parametrize(
    ("cli_bad", "api_bad", "flag", "field"),
    [
        (["e ve", "--role", "handler"], {"name": "e ve", "role": "handler"}, "NAME", "name"),
        (["eve", "--role", "emperor"], {"name": "eve", "role": "emperor"}, "--role", "role"),
        (["eve", "--role", "member"], {"name": "eve", "role": "member"}, "--member", "member"),
        (
            ["eve", "--role", "admin", "--member", "member-b"],
            {"name": "eve", "role": "admin", "member": "member-b"},
            "--member",
            "member",
        ),
    ],
)
def test_users_add_and_post_users_refuse_the_same_values(
    api: Api, ncp: InProcessCli, cli_bad: list[str], api_bad: dict[str, Any], flag: str, field: str
) -> None:
    """A user's name, role and member: exit 2 naming the option, 422 naming the field."""
    admin = api.user("root", "admin")
    before = dump(api.url)
    result = ncp("users", "add", *cli_bad, "--actor", "root")
    assert result.returncode == 2 and flag in result.stderr, result.stderr
    refused(api.client.post("/api/users", headers=admin, json=api_bad), field)
    assert dump(api.url) == before
