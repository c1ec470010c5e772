"""A concluded examined case keeps every result it recorded, on the case itself (`cases.results`),
not only in the reports: `case show`, `GET /api/cases/{ref}` and the case page show both the
mediation result and the determination."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_examined_reports import BOTH, CASES, api_steps, cli_case
from workflow.clock import FixedClock


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    clock.current = datetime(2026, 6, 30, 10, tzinfo=UTC)
    with running_api(database_url, clock) as made:
        yield made


def test_case_show_keeps_both_results_of_a_concluded_examined_case(ncp: InProcessCli) -> None:
    """Read back from the database after the determination: the mediation result is still there."""
    ref = cli_case(ncp, "2025-01-10", CASES["A"]["steps"])[0]
    shown = ncp.json("case", "show", ref, "--json")
    assert (shown["state"], shown["results"]) == ("final_statement", BOTH)
    text = ncp("case", "show", ref).stdout
    assert "mediation result: enterprise_declined" in text and "determination: determination" in text


def test_the_api_and_the_case_page_keep_both_results_of_a_concluded_examined_case(api: Api) -> None:
    """GET /api/cases/{ref} and the page (en and nb) show the mediation result beside the determination."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler, received="2025-01-10")["reference"]
    api_steps(api, handler, ref, CASES["A"]["steps"])
    assert api.client.get(f"/api/cases/{ref}", headers=handler).json()["results"] == BOTH
    english = api.client.get(f"/cases/{ref}?lang=en", headers=handler).text
    assert "Mediation result: enterprise_declined" in english and "Determination: determination" in english
    norwegian = api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
    assert "Resultat av dialog og mekling: virksomheten avslo dialog" in norwegian
    assert "Kontaktpunktets konklusjon" in norwegian
