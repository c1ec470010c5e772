"""A case's precedents through the application, on SQLite and PostgreSQL: concluded cases here
and imported ones, ranked by states/precedents.py; what each shows (outcome, stage, dates, the
register); and what a reader may not see: never a protected name, no match made on one, and for
a mediator only the cases it is assigned to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from states.errors import CaseNotFoundError
from states.users import User
from workflow.bootstrap import Services
from workflow.cases import PartyInput

SECRET = "Kari Nordmann"
AUDITOR = User(name="aud", role="auditor")
HANDLER = User(name="sek", role="handler")


def _open(
    services: Services,
    title: str,
    *,
    enterprise: str = "Havbruk Seafood ASA",
    themes: tuple[str, ...] = ("environment",),
    countries: tuple[str, ...] = ("NO",),
    sector: str | None = "aquaculture",
    submitter: PartyInput | None = None,
    withheld_enterprise: bool = False,
) -> str:
    ref = services.cases.open(
        title=title,
        submitters=[submitter or PartyInput("Naturvernforbundet", "ngo")],
        enterprises=[PartyInput(enterprise)],
        actor="sek",
        themes=themes,
        host_countries=countries,
        sector=sector,
    ).reference
    if withheld_enterprise:
        services.parties.change_party(reference=ref, party="enterprise-1", actor="sek", withheld=True)
    return ref


def _reject(services: Services, ref: str, *, close: bool = True) -> None:
    """Not accepted (final statement: concluded), then published and closed (listed)."""
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="begin")
    services.cases.advance(reference=ref, trigger="reject", actor="sek", reason="not material")
    if close:
        services.cases.advance(reference=ref, trigger="close", actor="sek", reason="published")


IMPORTED = {
    "external_id": "NO-2011-07",
    "title": "Salmon farm escapes in Chile",
    "parties": [
        {"role": "submitter", "name": "Fjord Friends", "type": "ngo"},
        {"role": "enterprise", "name": "Havbruk Seafood ASA"},
    ],
    "received": "2011-03",
    "milestones": [
        {"trigger": "begin_assessment", "date": "2011-04"},
        {"trigger": "reject", "date": "2011-09"},
        {"trigger": "close", "date": "2011-10"},
    ],
    "themes": ["environment"],
    "host_countries": ["CL"],
    "sector": "aquaculture",
    "sources": ["https://www.responsiblebusiness.no/en/specific-instances/no-2011-07/"],
}


def test_concluded_cases_here_and_imported_ones_are_ranked_and_open_ones_left_out(
    services: Services,
) -> None:
    """Same chapters, country and sector (9 + enterprise 3 = 12) ranks first; the imported case
    (chapters 4, sector 2, enterprise 3 = 9) next; an open case and the case itself never."""
    case = _open(services, "Sea lice at a fish farm")
    twin = _open(services, "Fish farm discharges")
    _reject(services, twin)
    _open(services, "Still open, same everything")  # not concluded: no precedent
    services.cases.import_cases(text=json.dumps(IMPORTED), actor="importer", source="file.jsonl")
    found = services.cases.similar(reference=case)
    assert [(p.reference, p.score, p.source) for p in found.precedents] == [
        (twin, 12.0, "own"),
        (found.precedents[1].reference, 9.0, "imported"),
    ]
    first, imported = found.precedents
    assert first.matched == ["chapters", "host_countries", "sector", "enterprise"]
    assert (first.state, first.outcome, first.outcome_words, first.stage) == (
        "closed",
        "not_accepted",
        "not accepted",
        "closed",
    )
    assert first.received == "2025-06-02" and first.concluded == "2025-06-02"
    assert first.register_url == f"/register/{twin}"
    assert (imported.received, imported.concluded) == ("2011-03", "2011-09")
    assert imported.sources == [IMPORTED["sources"][0]]  # type: ignore[index]
    assert imported.title == "Salmon farm escapes in Chile"


def test_the_precedents_are_worded_in_the_reader_s_language(services: Services) -> None:
    case = _open(services, "Sea lice")
    _reject(services, _open(services, "Discharges"))
    (shown,) = services.cases.similar(reference=case, viewer=HANDLER, language="nb").precedents
    assert (shown.stage, shown.outcome_words) == ("avsluttet", "ikke tatt opp til behandling")


def test_no_similar_case_gives_an_empty_list(services: Services) -> None:
    case = _open(services, "Sea lice")
    other = _open(
        services, "Bribery", enterprise="Other AS", themes=("bribery",), countries=("US",), sector="banking"
    )
    _reject(services, other)
    assert services.cases.similar(reference=case).precedents == []


def test_the_limit_and_an_unknown_case(services: Services) -> None:
    case = _open(services, "Sea lice")
    for n in range(3):
        _reject(services, _open(services, f"Discharges {n}"))
    assert len(services.cases.similar(reference=case, limit=2).precedents) == 2
    with pytest.raises(CaseNotFoundError):
        services.cases.similar(reference="NCP-2099-999")


def test_a_protected_name_in_a_precedent_never_reaches_a_reader_who_may_not_see_it(
    services: Services,
) -> None:
    """The precedent's title and sector (free text) name its withheld submitter, and so does an
    imported precedent's source: an auditor and a mediator read labels, the handler the name."""
    case = _open(services, "Sea lice")
    hidden = _open(
        services,
        f"{SECRET} v. Havbruk",
        submitter=PartyInput(SECRET, "individual", confidential=True),
        sector=f"aquaculture for {SECRET}",
    )
    _reject(services, hidden)
    line = {
        **IMPORTED,
        "parties": [{"role": "submitter", "name": SECRET, "type": "individual", "confidential": True},
                    IMPORTED["parties"][1]],  # type: ignore[index]
        "sources": [f"Letter from {SECRET}, 2011"],
    }  # fmt: skip
    services.cases.import_cases(text=json.dumps(line), actor="importer", source="file.jsonl")
    services.mediators.add(actor="sek", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    for ref in (case, hidden):
        services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    mediator = User(name="kari-user", role="mediator", mediator_id="kari")
    for viewer in (AUDITOR, mediator):
        seen = services.cases.similar(reference=case, viewer=viewer)
        text = json.dumps(seen.model_dump(mode="json"))
        assert hidden in text and SECRET not in text, viewer.role
    handler = services.cases.similar(reference=case, viewer=HANDLER).precedents
    assert SECRET in handler[0].title and SECRET in (handler[0].sector or "")
    assert any(SECRET in source for p in handler for source in p.sources)


def test_a_match_on_a_withheld_enterprise_is_not_made_for_a_reader_who_may_not_see_it(
    services: Services,
) -> None:
    """The precedent shares only the enterprise with the case (3: the threshold), and that
    enterprise is withheld there: a handler sees the precedent, an auditor sees no precedent
    at all (and so cannot learn that the withheld enterprise is the case's)."""
    case = _open(services, "Sea lice", themes=("environment",), countries=("NO",), sector="aquaculture")
    protected = _open(
        services,
        "Wages",
        enterprise="Havbruk Seafood ASA",
        withheld_enterprise=True,
        themes=("employment",),
        countries=("PH",),
        sector="shipping",
    )
    _reject(services, protected)
    (handler_sees,) = services.cases.similar(reference=case, viewer=HANDLER).precedents
    assert handler_sees.matched == ["enterprise"]
    assert handler_sees.enterprises[0].name == "Havbruk Seafood ASA"
    assert services.cases.similar(reference=case, viewer=AUDITOR).precedents == []


def test_an_enterprise_at_risk_of_reprisal_is_matched_for_a_handler_but_not_a_member_not_leading(
    services: Services,
) -> None:
    """At risk of reprisal: handlers see it, a member who does not lead the case does not."""
    case = _open(services, "Sea lice", themes=("environment",), countries=("NO",), sector="aquaculture")
    risky = _open(services, "Wages", themes=("employment",), countries=("PH",), sector="shipping")
    services.parties.change_party(
        reference=risky, party="enterprise-1", actor="sek", reprisal_risk=True, measures="Kept apart"
    )
    _reject(services, risky)
    member = User(name="other", role="member", member_id="someone-else")
    assert [p.reference for p in services.cases.similar(reference=case, viewer=HANDLER).precedents] == [risky]
    assert services.cases.similar(reference=case, viewer=member).precedents == []


def test_a_mediator_sees_precedents_only_among_its_assigned_cases(services: Services) -> None:
    case = _open(services, "Sea lice")
    assigned, other = _open(services, "Discharges"), _open(services, "Escapes")
    for ref in (assigned, other):
        _reject(services, ref, close=False)
    services.mediators.add(actor="sek", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    for ref in (case, assigned):
        services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    viewer = User(name="kari-user", role="mediator", mediator_id="kari")
    shown = services.cases.similar(reference=case, viewer=viewer)
    assert [p.reference for p in shown.precedents] == [assigned]
    with pytest.raises(CaseNotFoundError):
        services.cases.similar(reference=other, viewer=viewer)


def test_a_precedent_links_its_published_statement_in_the_register(services: Services) -> None:
    """The not-accepted case's final statement drafted and published: the precedent lists it with
    the register's address of its PDF, and its register entry."""
    case = _open(services, "Sea lice")
    twin = _open(services, "Discharges")
    _reject(services, twin, close=False)
    drafted = services.statements.draft(reference=twin, kind="final_statement", actor="sek")
    services.statements.publish(reference=twin, statement=drafted.number, actor="sek")
    (shown,) = services.cases.similar(reference=case).precedents
    (statement,) = shown.statements
    assert statement.kind == "final_statement"
    assert statement.url == f"/register/{twin}/documents/{drafted.pdf_document}"
    assert shown.register_url == f"/register/{twin}"


HISTORICAL = Path(__file__).resolve().parents[1] / "data" / "historical_cases.jsonl"


def test_the_thirty_imported_historical_cases_are_ranked_as_worked_out_by_hand(services: Services) -> None:
    """A new case like NO-1999-01: chapters IV and VI, Laos, energy, Nordic Hydro Holding AS.
    Score = 4 x Jaccard(chapters) + 3 x Jaccard(countries) + 2 (sector) + 3 (enterprise):

    - NO-1999-01: same chapters, Laos, energy, Nordic Hydro: 4 + 3 + 2 + 3 = 12
    - NO-2021-25: same chapters, {LA, KH}: 4 + 3 x 1/2 + 2 + 3 = 10.5
    - same chapters alone (4), by their latest step, newest first: NO-2024-29 (2024-10-21),
      NO-2017-18 (2020-02-17; "renewable energy" is not "energy"), NO-2015-15 (2016-10-03),
      NO-2011-09 (2014-06-12), NO-2003-03 (2005-01);
    - every other case shares at most one of the two chapters and nothing else: 2 or less, below 3.
    """
    result = services.cases.import_cases(
        text=HISTORICAL.read_text(encoding="utf-8"), actor="importer", source="historical_cases.jsonl"
    )
    assert result.created == 30
    by_id = {line.external_id: line.reference for line in result.lines}
    case = _open(
        services,
        "Resettlement at a new dam",
        enterprise="Nordic  Hydro Holding AS",
        themes=("human_rights", "environment"),
        countries=("LA",),
        sector="Energy",
    )
    found = services.cases.similar(reference=case, limit=100).precedents
    expected = [
        "NO-1999-01",
        "NO-2021-25",
        "NO-2024-29",
        "NO-2017-18",
        "NO-2015-15",
        "NO-2011-09",
        "NO-2003-03",
    ]
    assert [p.reference for p in found] == [by_id[e] for e in expected]
    assert [p.score for p in found] == [12.0, 10.5, 4.0, 4.0, 4.0, 4.0, 4.0]
    assert {p.source for p in found} == {"imported"}
    assert found[0].received == "1999-05" and found[0].outcome == "not_accepted"


def test_a_precedent_never_carries_the_case_s_own_pseudonym_so_no_label_links_the_two(
    services: Services,
) -> None:
    """The case's enterprise is withheld; a precedent (matched on chapters, country and sector)
    names the same enterprise openly, in its title and as its party. An auditor reads there the
    label of another case's party, as on the precedent's own page, never the case's pseudonym,
    which would tell them the precedent is about the case's withheld enterprise."""
    from states.pseudonyms import pseudonym

    case = _open(services, "Sea lice", withheld_enterprise=True)
    other = _open(services, "Havbruk Seafood ASA discharges")
    _reject(services, other)
    (seen,) = services.cases.similar(reference=case, viewer=AUDITOR).precedents
    label = pseudonym(case, "Havbruk Seafood ASA", kind="enterprise")
    text = json.dumps(seen.model_dump(mode="json"))
    assert "Havbruk Seafood ASA" not in text and label not in text
    assert seen.title == "[confidential party] discharges"
    assert seen.enterprises[0].name == "[confidential party]"
