"""`app.cases.find`: imported cases are found like opened ones, a reader without identities sees
pseudonyms in the hits, and a filter naming no stage or member is refused naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from states.errors import InvalidInputError
from states.pseudonyms import pseudonym
from states.users import User
from workflow.bootstrap import Services
from workflow.commands import FindCases
from workflow.imports import import_cases
from workflow.views import find_cases

ROOT = Path(__file__).resolve().parents[2]
HISTORY = (ROOT / "tests" / "data" / "historical_cases.jsonl").read_text(encoding="utf-8")
HANDLER = User(name="hanna", role="handler")
AUDITOR = User(name="aud", role="auditor")


def _find(services: Services, viewer: User, **given: object) -> list[str]:
    found = find_cases(
        uow=services.uow,
        today=services.clock.now().date(),
        viewer=viewer,
        find=FindCases.model_validate(given),
        procedure=services.policy.procedure,
    )
    return [item.reference for item in found.items]


def _import(services: Services, text: str) -> dict[str, str]:
    result = import_cases(
        uow=services.uow,
        clock=services.clock,
        settings=services.settings,
        text=text,
        actor="importer",
        source="history",
    )
    return {line.external_id: line.reference for line in result.lines}


def test_imported_cases_are_found_by_their_text_and_reasons(services: Services) -> None:
    """The import writes the index in its own transaction: titles, parties, milestone reasons;
    the confidential submitter of an imported case is hidden from an auditor."""
    extra = json.loads(HISTORY.splitlines()[0])
    extra |= {"external_id": "NO-2024-99", "title": "Grievances at a salmon plant", "received": "2024-02-05"}
    extra["milestones"] = [
        {"trigger": "begin_assessment", "date": "2024-02-20", "reason": "Translated by Tolketjenesten"}
    ]
    refs = _import(services, HISTORY + json.dumps(extra) + "\n")
    assert _find(services, HANDLER, q="hydropower") == [refs["NO-2021-25"], refs["NO-1999-01"]]
    assert _find(services, HANDLER, q="tolketjenest") == [refs["NO-2024-99"]]
    assert _find(services, HANDLER, q="imported") == []  # the reason ncpflow writes itself
    assert _find(services, HANDLER, q="individual complainant") == [refs["NO-2016-17"]]
    assert _find(services, AUDITOR, q="individual complainant") == []
    assert _find(services, AUDITOR, q="fertiliser") == [refs["NO-2016-17"]]
    assert len(_find(services, HANDLER, year=2016, per_page=100)) == sum(
        json.loads(line)["received"].startswith("2016") for line in HISTORY.splitlines()
    )


def test_an_auditor_sees_pseudonyms_in_the_hits(services: Services) -> None:
    """The hit's parties carry the pseudonym, and so does a title naming the submitter."""
    refs = _import(services, HISTORY)
    reference = refs["NO-2016-17"]
    found = find_cases(
        uow=services.uow,
        today=services.clock.now().date(),
        viewer=AUDITOR,
        find=FindCases(q="fertiliser"),
        procedure=services.policy.procedure,
    )
    names = [party.name for party in found.items[0].parties]
    assert names == [pseudonym(reference, "Individual complainant"), "Agrinor ASA"]


@pytest.mark.parametrize(("given", "field"), [({"state": "flying"}, "state"), ({"lead": "nobody"}, "lead")])
def test_a_filter_naming_no_stage_or_member_is_refused(
    services: Services, given: dict[str, str], field: str
) -> None:
    """The refusal names the filter, so each entry point words it its own way."""
    with pytest.raises(InvalidInputError) as refused:
        _find(services, HANDLER, **given)
    assert refused.value.words(naming=lambda name: f"<{name}>").startswith(f"<{field}>")
