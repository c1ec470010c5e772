"""The NCPs of a case through the application, on SQLite and PostgreSQL: the lead recorded per
case (none recorded: `[ncp] country`), a joint lead, supporting NCPs in their roles, the
complainant's preference, the coordination clock met by the lead agreed, the handover of the
lead; each change audited, each refusal named and writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from states.errors import InvalidInputError, StepRefusedError
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.bootstrap import Services


def _entries(services: Services, prefix: str = "ncp_") -> list[tuple[str, dict[str, object]]]:
    return [(e.kind, dict(e.data)) for e in services.audit.log() if e.kind.startswith(prefix)]


def test_a_case_without_a_recorded_lead_is_led_by_the_configured_ncp(services: Services) -> None:
    """`[ncp] country` (NO by default) leads; nothing is recorded."""
    ref = open_one(services)
    shown = services.ncps.show(reference=ref)
    assert (shown.lead, shown.lead_recorded, shown.position, shown.supporting) == (["NO"], False, "lead", [])


def test_the_lead_is_recorded_per_case_and_may_be_joint(services: Services) -> None:
    """Two NCPs lead jointly; a supporting NCP named as a lead no longer supports; audited."""
    ref = open_one(services)
    services.ncps.add_supporting(reference=ref, ncp="se", role="reviews_drafts", actor="sek")
    after = services.ncps.set_lead(reference=ref, lead=["NO", "SE"], actor="sek", reason="joint handling")
    assert (after.lead, after.supporting) == (("NO", "SE"), ())
    shown = services.ncps.show(reference=ref)
    assert (shown.lead, shown.lead_recorded, shown.position) == (["NO", "SE"], True, "joint_lead")
    assert services.cases.get(reference=ref).details.supporting_ncps == ()
    assert _entries(services) == [
        ("ncp_supporting_added", {"ncp": "SE", "role": "reviews_drafts"}),
        ("ncp_lead_set", {"lead": ["NO", "SE"], "previous": ["NO"]}),
    ]
    assert services.audit.verify_chain().ok


def test_supporting_ncps_have_roles_kept_beside_the_case_list(services: Services) -> None:
    """Added, role changed, removed: the case's supporting list follows, each step audited."""
    ref = open_one(services)
    services.ncps.add_supporting(reference=ref, ncp="CA", role="consulted", actor="sek")
    services.ncps.add_supporting(reference=ref, ncp="CL", role="translates", actor="sek")
    services.ncps.change_role(reference=ref, ncp="CA", role="reviews_drafts", actor="sek")
    services.ncps.remove_supporting(reference=ref, ncp="CL", actor="sek", reason="no longer concerned")
    shown = services.ncps.show(reference=ref)
    assert [(s.ncp, s.role) for s in shown.supporting] == [("CA", "reviews_drafts")]
    assert services.cases.get(reference=ref).details.supporting_ncps == ("CA",)
    assert [k for k, _ in _entries(services)] == [
        "ncp_supporting_added",
        "ncp_supporting_added",
        "ncp_role_changed",
        "ncp_supporting_removed",
    ]


def test_editing_the_case_list_keeps_the_roles_of_those_still_listed(services: Services) -> None:
    """`case edit --supporting-ncp` adds new codes as consulted and drops the others."""
    ref = open_one(services)
    services.ncps.add_supporting(reference=ref, ncp="DK", role="translates", actor="sek")
    services.cases.edit(reference=ref, actor="sek", reason="r", supporting_ncps=["DK", "SE"])
    shown = services.ncps.show(reference=ref)
    assert [(s.ncp, s.role) for s in shown.supporting] == [("DK", "translates"), ("SE", "consulted")]


def test_the_lead_is_transferred_and_the_old_lead_stays_as_consulted(services: Services) -> None:
    """A handover: `ncp_lead_transferred` names both sides and the role kept."""
    ref = open_one(services)
    services.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="sek")
    after = services.ncps.transfer(reference=ref, to="SE", actor="sek", reason="the enterprise is Swedish")
    assert after.lead == ("SE",)
    shown = services.ncps.show(reference=ref)
    assert [(s.ncp, s.role) for s in shown.supporting] == [("NO", "consulted")]
    assert shown.position == "supporting"
    assert _entries(services)[-1] == (
        "ncp_lead_transferred",
        {"lead": "SE", "previous": ["NO"], "kept_as": "consulted"},
    )


def test_the_complainants_preference_is_recorded(services: Services) -> None:
    ref = open_one(services)
    services.ncps.prefer(reference=ref, ncp="dk", actor="sek", note="the mine is in Denmark")
    services.ncps.prefer(reference=ref, ncp="SE", actor="sek")
    shown = services.ncps.show(reference=ref)
    assert shown.preference is not None and (shown.preference.ncp, shown.preference.note) == ("SE", None)
    assert [d for _, d in _entries(services)] == [{"ncp": "DK"}, {"ncp": "SE"}]


def test_coordination_runs_a_clock_that_the_lead_agreed_meets(services: Services) -> None:
    """`coordination_begun` starts `coordination` ([timelines] coordination, 1mo); the lead set
    while it is open records `lead_agreed`, which meets it on that day."""
    ref = open_one(services, received=date(2025, 5, 2))
    services.ncps.begin_coordination(reference=ref, actor="sek", on=date(2025, 5, 5))
    shown = services.ncps.show(reference=ref)
    assert (shown.coordination, shown.coordination_due, shown.coordination_met_on) == (
        "open",
        "2025-06-05",
        None,
    )
    services.ncps.set_lead(reference=ref, lead=["SE"], actor="sek", on=date(2025, 5, 30))
    shown = services.ncps.show(reference=ref)
    assert (shown.coordination, shown.coordination_met_on, shown.lead) == ("agreed", "2025-05-30", ["SE"])
    facts = [dict(e.data) for e in services.audit.log() if e.kind == "fact_recorded"]
    assert facts[-1]["fact"] == "lead_agreed"
    assert facts[-1]["deadlines_met"] == [
        {"name": "coordination", "on": "2025-05-30", "due": "2025-06-05", "late_days": 0}
    ]
    assert services.audit.verify_chain().ok


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s, r: s.ncps.set_lead(reference=r, lead=["NO"], actor="sek"), "already leads"),
        (lambda s, r: s.ncps.set_lead(reference=r, lead=["NO", "SE", "DK"], actor="sek"), "two that lead"),
        (lambda s, r: s.ncps.set_lead(reference=r, lead=["SE", "SE"], actor="sek"), "named twice"),
        (lambda s, r: s.ncps.set_lead(reference=r, lead=["ZZ"], actor="sek"), "not an ISO 3166"),
        (
            lambda s, r: s.ncps.add_supporting(reference=r, ncp="NO", role="consulted", actor="sek"),
            "leads the case",
        ),
        (
            lambda s, r: s.ncps.add_supporting(reference=r, ncp="SE", role="judges", actor="sek"),
            "unknown role",
        ),
        (lambda s, r: s.ncps.remove_supporting(reference=r, ncp="SE", actor="sek"), "does not support"),
        (lambda s, r: s.ncps.transfer(reference=r, to="NO", actor="sek", reason="x"), "already leads"),
        (lambda s, r: s.ncps.transfer(reference=r, to="SE", actor="sek", reason=" "), "reason"),
    ],
)
def test_a_refused_change_names_the_problem_and_writes_nothing(
    services: Services, database_url: str, call: object, words: str
) -> None:
    ref = open_one(services)
    before = dump(database_url)
    with pytest.raises(InvalidInputError) as refused:
        call(services, ref)  # type: ignore[operator]
    assert words in str(refused.value)
    assert dump(database_url) == before


def test_a_closed_case_keeps_its_ncps(services: Services, database_url: str) -> None:
    ref = open_one(services)
    services.cases.advance(
        reference=ref, trigger="transfer", actor="sek", reason="to SE", outcome="transferred"
    )
    before = dump(database_url)
    with pytest.raises(StepRefusedError, match="closed"):
        services.ncps.set_lead(reference=ref, lead=["SE"], actor="sek")
    assert dump(database_url) == before


def test_coordination_begins_once(services: Services) -> None:
    """Begun twice: the second is refused by the fact's own rule, naming the first."""
    ref = open_one(services)
    services.ncps.begin_coordination(reference=ref, actor="sek")
    with pytest.raises(StepRefusedError, match="already recorded"):
        services.ncps.begin_coordination(reference=ref, actor="sek")


def test_an_ncp_that_no_longer_leads_stays_as_consulted(services: Services) -> None:
    """The database's own NCP, leading by default, supports the case once another leads it."""
    ref = open_one(services)
    services.ncps.set_lead(reference=ref, lead=["SE"], actor="sek")
    shown = services.ncps.show(reference=ref)
    assert ([(s.ncp, s.role) for s in shown.supporting], shown.position) == (
        [("NO", "consulted")],
        "supporting",
    )


def test_reports_count_the_cases_this_ncp_leads_and_those_it_supports_apart(services: Services) -> None:
    """`report annual`: received cases led (one jointly) and supported; `report oecd`: each case's
    lead and this NCP's role in it, from the audit log."""
    led = open_one(services, received=date(2025, 2, 3))
    joint = open_one(services, received=date(2025, 2, 4))
    supported = open_one(services, received=date(2025, 2, 5))
    handed = open_one(services, received=date(2025, 2, 6))
    services.ncps.add_supporting(reference=led, ncp="SE", role="consulted", actor="sek")
    services.ncps.set_lead(reference=joint, lead=["NO", "DK"], actor="sek")
    services.ncps.set_lead(reference=supported, lead=["SE"], actor="sek")
    services.ncps.transfer(reference=handed, to="FI", actor="sek", reason="handover", keep_as=None)
    annual = services.reports.annual(year=2025)
    assert (annual["received"], annual["received_led"], annual["received_led_jointly"]) == (4, 2, 1)
    assert annual["received_supported"] == 1
    rows = {r["reference"]: r for r in services.reports.oecd(year=2025)}
    assert [
        (rows[r]["lead_ncp"], rows[r]["ncp_role"], rows[r]["supporting_ncps"])
        for r in (led, joint, supported, handed)
    ] == [
        ("NO", "lead", ["SE"]),
        ("NO, DK", "joint_lead", []),
        ("SE", "supporting", ["NO"]),
        ("FI", None, []),
    ]
