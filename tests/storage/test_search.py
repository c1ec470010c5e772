"""Full-text search on both backends: the same query finds the same cases, in the same order.

Every test runs on SQLite (FTS5) and PostgreSQL (GIN over tsvectors) through `services`; each
query's expected hits are written once, so both backends are held to one list.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy

from states.search import Filters, parse_query
from tests.conftest import make_settings
from tests.helpers import open_one
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, advance, open_case
from workflow.clock import FixedClock
from workflow.pausing import pause_case


def _open(
    services: Services,
    title: str,
    submitter: str,
    enterprise: str,
    *,
    number: str | None = None,
    confidential: bool = False,
    received: date = date(2025, 1, 31),
) -> str:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.advance(hours=1)
    return open_case(
        uow=services.uow,
        clock=clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[PartyInput(submitter, "individual" if confidential else "ngo", confidential)],
        enterprises=[PartyInput(enterprise, org_number=number)],
        actor="sek",
        received=received,
    ).reference


def _pause(services: Services, reference: str, reason: str) -> None:
    assert isinstance(services.clock, FixedClock)
    services.clock.advance(hours=1)
    pause_case(uow=services.uow, clock=services.clock, reference=reference, actor="sek", reason=reason)


def _hits(services: Services, text: str, *, identities: bool = True, **filters: object) -> list[str]:
    with services.uow.read() as tx:
        _, found = tx.cases.find(
            Filters(query=parse_query(text), identities=identities, **filters),  # type: ignore[arg-type]
            order="relevance",
            limit=100,
        )
    return [case.reference for case in found]


@pytest.fixture
def corpus(services: Services) -> dict[str, str]:
    """Five cases: Norwegian letters, diacritics, organisation numbers, reasons, and a
    confidential submitter named in another case's reason (before and after she was one)."""
    refs = {
        "bodo": _open(
            services, "Tailings dam at Bodø", "Miljøvernforbundet", "Nestlé Norge AS", number="923 456 789"
        ),
        "baerum": _open(
            services,
            "Fish farm discharges in Bærum",
            "Naturvernforbundet",
            "Åsen Havbruk ASA",
            number="NO 987654321 MVA",
        ),
        "mentions": _open(services, "Wages at a shipyard", "Fagforbundet", "Verft Holding AS"),
    }
    _pause(services, refs["mentions"], "Awaiting the statement of Kari Nordmann; parallel proceedings")
    refs["hidden"] = _open(
        services, "Labour rights at the Citroën plant", "Kari Nordmann", "Citroën Norge AS", confidential=True
    )
    refs["later"] = _open(services, "Overtime in Straße 5", "Industri Energi", "Werk GmbH")
    _pause(services, refs["later"], "Kari Nordmann asked for time")
    return refs


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bodø", ["bodo"]),
        ("Bodo", ["bodo"]),  # the ASCII spelling of ø
        ("BODÖ", ["bodo"]),  # a foreign ö folds to o
        ("nestle", ["bodo"]),
        ("NESTLÉ norge", ["bodo"]),
        ("nest", ["bodo"]),  # a prefix
        ("bærum", ["baerum"]),
        ("baerum", ["baerum"]),
        ("barum", []),  # æ is spelled ae, never a
        ("åsen", ["baerum"]),
        ("aasen", ["baerum"]),
        ("asen havbruk", ["baerum"]),
        ("miljøvern", ["bodo"]),
        ("miljovern", ["bodo"]),
        ("citroen", ["hidden"]),
        ("strasse", ["later"]),  # ß folds to ss
        ("923456789", ["bodo"]),
        ("923 456 789", ["bodo"]),
        ("923-456", ["bodo"]),
        ("987 654 321", ["baerum"]),
        ("9876", ["baerum"]),
        ("parallel proceedings", ["mentions"]),  # a reason
        ("bodø nestlé 923", ["bodo"]),  # every word must match
        ("bodø havbruk", []),
        ("zzz", []),
    ],
)
def test_a_query_finds_the_same_cases_on_either_backend(
    services: Services, corpus: dict[str, str], query: str, expected: list[str]
) -> None:
    """Folding, Norwegian letters and their ASCII spellings, prefixes, numbers and reasons."""
    assert _hits(services, query) == [corpus[name] for name in expected]


def test_the_case_whose_reference_is_the_query_comes_first(
    services: Services, corpus: dict[str, str]
) -> None:
    """`NCP-2025-002` finds that case first; `2025` finds every case, the latest step first
    (the two paused ones), then the newest case first among those received the same day."""
    assert _hits(services, corpus["baerum"])[0] == corpus["baerum"]
    assert _hits(services, corpus["baerum"].lower()) == [corpus["baerum"]]
    assert _hits(services, "2025") == [corpus[n] for n in ("later", "mentions", "hidden", "baerum", "bodo")]


def test_cases_found_by_their_head_come_before_those_found_by_their_steps(
    services: Services, corpus: dict[str, str]
) -> None:
    """Both cases with "shipyard" in the title come first (the latest step first), the case
    with it only in a reason after them, though its step is the latest of all."""
    newer = _open(services, "Shipyard safety", "LO", "Verft AS")
    _pause(services, corpus["baerum"], "The shipyard inspection report is due")
    assert _hits(services, "shipyard") == [corpus["mentions"], newer, corpus["baerum"]]


def test_a_reader_without_identities_finds_nothing_through_a_confidential_name(
    services: Services, corpus: dict[str, str]
) -> None:
    """Handlers find the confidential submitter by name, in her case and in reasons written
    before and after she became one; auditors find neither, by the name or a part of it."""
    for query in ("Kari Nordmann", "nordmann", "kari", "nordm"):
        assert set(_hits(services, query)) == {corpus["hidden"], corpus["mentions"], corpus["later"]}
        assert _hits(services, query, identities=False) == []
    # The pseudonym is searchable (her case's head); the reasons hold "[confidential submitter]".
    assert _hits(services, "submitter", identities=False) == [
        corpus[n] for n in ("hidden", "later", "mentions")
    ]
    assert _hits(services, "citroen", identities=False) == [corpus["hidden"]]


def test_a_confidential_organisation_number_is_hidden_however_it_is_spelled(services: Services) -> None:
    """A number written with spaces in one case's reason is redacted once another case's
    confidential submitter holds it without."""
    plain = open_one(services, title="Harbour dredging")
    _pause(services, plain, "Documents from 912 345 678 received")
    assert _hits(services, "912345678") == [plain]
    services.clock.advance(hours=1)  # type: ignore[attr-defined]
    hidden = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="Dredging permits",
        submitters=[PartyInput("Fjordvakt", "ngo", True, org_number="912345678")],
        enterprises=[PartyInput("Havn AS")],
        actor="sek",
        received=date(2025, 2, 1),
    ).reference
    assert _hits(services, "912345678") == [hidden, plain]
    assert _hits(services, "912 345 678", identities=False) == []
    assert _hits(services, "912345678", identities=False) == []


def test_filters_narrow_the_hits(services: Services, corpus: dict[str, str]) -> None:
    """Text and filters together: paused, closed, year, theme."""
    assert _hits(services, "2025", paused=True) == [corpus["later"], corpus["mentions"]]
    assert _hits(services, "", paused=False, closed=False) == [
        corpus[n] for n in ("hidden", "baerum", "bodo")
    ]
    assert _hits(services, "", closed=True) == []
    assert _hits(services, "", received_from=date(2026, 1, 1)) == []
    assert _hits(services, "", theme="human_rights") == []


def test_a_step_adds_its_reason_in_its_own_transaction(services: Services, corpus: dict[str, str]) -> None:
    """Advancing with a reason makes the reason findable at once; a refused step adds nothing."""
    assert _hits(services, "acknowledged") == []
    services.clock.advance(hours=1)  # type: ignore[attr-defined]
    advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=corpus["bodo"],
        trigger="begin_assessment",
        actor="sek",
        reason="Receipt acknowledged by letter",
    )
    assert _hits(services, "acknowledged letter") == [corpus["bodo"]]


def test_the_migration_builds_the_index_of_existing_cases(services: Services, corpus: dict[str, str]) -> None:
    """Emptied and rebuilt from the stored cases and audit log, the index finds the same."""
    before = {q: _hits(services, q) for q in ("kari", "nestle", "parallel", "2025")}
    hidden = {q: _hits(services, q, identities=False) for q in ("kari", "submitter")}
    with services.uow.write() as tx:
        tx.db.execute("DELETE FROM case_search")  # type: ignore[attr-defined]
    assert _hits(services, "nestle") == []
    with services.uow.write() as tx:
        assert tx.search.rebuild() == 5
    assert {q: _hits(services, q) for q in before} == before
    assert {q: _hits(services, q, identities=False) for q in hidden} == hidden


def test_the_postgresql_search_uses_its_gin_index(services: Services, corpus: dict[str, str]) -> None:
    """The search scans its GIN index, also as a network NCP under row-level security (where a
    qual that is not leakproof, like `@@`, never reaches an index scan of the table itself): the
    index's scans counted in the searching session, with sequential scans priced out."""
    engine: sqlalchemy.Engine = services.uow.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan")
    from storage.search import matching

    for identities, index in ((True, "ix_case_search_all"), (False, "ix_case_search_shown")):
        condition, _, params = matching(parse_query("nestle"), identities=identities, sqlite=False)
        with engine.connect() as conn, conn.begin():
            conn.execute(sqlalchemy.text("SET LOCAL enable_seqscan = off"))
            scans = sqlalchemy.text("SELECT pg_stat_get_xact_numscans(CAST(:i AS regclass))")
            # Pending counts (not yet flushed to the statistics) may hold earlier transactions'.
            before = conn.execute(scans, {"i": index}).scalar_one()
            sql = sqlalchemy.text(f"SELECT c.reference FROM cases c WHERE {condition}")
            found = conn.execute(sql, params)
            assert [reference for (reference,) in found] == [corpus["bodo"]]
            assert conn.execute(scans, {"i": index}).scalar_one() > before


@pytest.mark.owner
def test_upgrading_an_older_database_builds_the_index_of_its_cases(
    services: Services, corpus: dict[str, str], database_url: str
) -> None:
    """Migrated down past 0016_case_search and up again, the database finds what it found,
    the confidential name still hidden from a reader without identities."""
    from tests.storage.test_case_results_migration import _migrate

    queries = ("kari", "nestle", "parallel proceedings", "bodo", "2025", "submitter")
    before = {q: (_hits(services, q), _hits(services, q, identities=False)) for q in queries}
    services.close()
    _migrate(database_url, "0019_merge_heads", down=True)  # the search index's branch undone
    _migrate(database_url, "head")
    again = bootstrap(make_settings(database_url), clock=services.clock)
    try:
        assert {q: (_hits(again, q), _hits(again, q, identities=False)) for q in queries} == before
    finally:
        again.close()
