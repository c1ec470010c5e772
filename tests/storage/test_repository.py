"""The SQL case repository: faithful round trips, references, optimistic locking, atomicity.

Runs on SQLite and PostgreSQL through the `services` fixture (a fresh migrated database).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy

from states.case import Party, PartyRole
from states.errors import ConflictError, StorageError
from states.lifecycle import State
from states.records import GenericRecord
from tests.helpers import open_one
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services
from workflow.cases import PartyInput, advance, open_case

TRICKY = 'Æøå «Sámi» "quoted" \'single\' <script>alert("x")</script> & ; -- 💡'


def _count(services: Services, table: str) -> int:
    engine: sqlalchemy.Engine = services.uow.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(conn.execute(sqlalchemy.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_case_with_several_parties_round_trips_unchanged(services: Services) -> None:
    """Submitters and enterprises keep their order, types and confidential flags."""
    opened = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="Forced evictions near the Ørsta mine",
        submitters=[
            PartyInput("Fagforbundet", "trade_union", False),
            PartyInput("Local residents' group", "community", True),
            PartyInput("Anonymous worker", "individual", True),
        ],
        enterprises=[PartyInput("Nordisk Gruve AS"), PartyInput("Gruve Holding Ltd")],
        actor="secretariat",
        received=date(2025, 2, 14),
        themes=["human_rights", "environment"],
        host_countries=["NO", "se"],
        sector="Mining",
    )
    with services.uow.read() as tx:
        loaded = tx.cases.get(opened.reference)
    assert loaded == opened
    assert loaded.parties == (
        Party(PartyRole.SUBMITTER, "Fagforbundet", "trade_union", False),
        Party(PartyRole.SUBMITTER, "Local residents' group", "community", True),
        Party(PartyRole.SUBMITTER, "Anonymous worker", "individual", True),
        Party(PartyRole.ENTERPRISE, "Nordisk Gruve AS", None, False),
        Party(PartyRole.ENTERPRISE, "Gruve Holding Ltd", None, False),
    )
    assert loaded.details.themes == ("human_rights", "environment")
    assert loaded.details.host_countries == ("NO", "SE")
    assert loaded.details.sector == "Mining"
    assert loaded.state == State.RECEIVED
    assert loaded.version == 1
    assert loaded.received_on == date(2025, 2, 14)
    assert {d.name for d in loaded.deadlines} == {d.name for d in opened.deadlines}


def test_unicode_quotes_and_markup_are_stored_verbatim(services: Services) -> None:
    """Titles, party names, actors and reasons with æøå, quotes and <script> come back as given."""
    opened = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=TRICKY,
        submitters=[PartyInput(f"Søker {TRICKY}", "other", True)],
        enterprises=[PartyInput(f"Bedrift {TRICKY}")],
        actor=f"Åsa {TRICKY}",
        received=date(2025, 5, 2),
    )
    advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=opened.reference,
        trigger="begin_assessment",
        actor="Øystein",
        reason=TRICKY,
    )
    with services.uow.read() as tx:
        loaded = tx.cases.get(opened.reference)
    assert loaded.title == TRICKY
    assert [p.name for p in loaded.parties] == [f"Søker {TRICKY}", f"Bedrift {TRICKY}"]
    opened_entry, moved_entry = audit_entries(uow=services.uow, case_ref=opened.reference)
    assert opened_entry.actor == f"Åsa {TRICKY}"
    assert opened_entry.data["title"] == TRICKY
    assert opened_entry.data["parties"][0]["name"] == f"Søker {TRICKY}"
    assert moved_entry.reason == TRICKY
    assert verify_chain(uow=services.uow).ok


def test_references_count_per_year_of_receipt(services: Services) -> None:
    """NCP-YYYY-NNN takes the year the submission was received, with a sequence per year."""
    received = [
        date(2025, 1, 10),
        date(2024, 11, 3),
        date(2025, 3, 1),
        date(2023, 6, 30),
        date(2024, 12, 31),
        date(2025, 5, 20),
    ]
    references = [open_one(services, received=day) for day in received]
    assert references == [
        "NCP-2025-001",
        "NCP-2024-001",
        "NCP-2025-002",
        "NCP-2023-001",
        "NCP-2024-002",
        "NCP-2025-003",
    ]
    with services.uow.read() as tx:
        assert sorted(c.reference for c in tx.cases.list()) == sorted(references)


def test_the_year_of_a_reference_is_the_ncps_local_year(services: Services) -> None:
    """A submission received 23:30 UTC on 31 December is already next year in Oslo."""
    late = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    assert open_one(services, received=late) == "NCP-2025-001"
    assert open_one(services, received=datetime(2024, 12, 31, 22, 30, tzinfo=UTC)) == "NCP-2024-001"


def test_a_stale_save_raises_conflict_and_changes_nothing(services: Services) -> None:
    """Saving over an outdated version raises ConflictError; the case and log stay as they were."""
    reference = open_one(services, received=date(2025, 4, 1), title="Tailings")
    with services.uow.read() as tx:
        stale = tx.cases.get(reference)
    moved = advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=reference,
        trigger="begin_assessment",
        actor="chair",
        reason="complete",
    )
    assert moved.version == 2
    entries_before = [e.as_dict() for e in audit_entries(uow=services.uow)]

    with pytest.raises(ConflictError) as raised, services.uow.write() as tx:
        tx.cases.save(
            replace(stale, title="Overwritten by a stale writer", state=State.CLOSED), previous=stale
        )
    assert raised.value.expected_version == 1
    assert raised.value.actual_version == 2
    assert "conflict" in str(raised.value)

    with services.uow.read() as tx:
        current = tx.cases.get(reference)
    assert current == moved
    assert current.title == "Tailings"
    assert current.state == State.INITIAL_ASSESSMENT
    assert [e.as_dict() for e in audit_entries(uow=services.uow)] == entries_before


def test_a_save_over_the_current_version_bumps_the_version(services: Services) -> None:
    """A save whose previous is current writes the case and returns it at version + 1."""
    reference = open_one(services, received=date(2025, 4, 1), title="Tailings")
    with services.uow.read() as tx:
        current = tx.cases.get(reference)
    with services.uow.write() as tx:
        saved = tx.cases.save(replace(current, title="Renamed"), previous=current)
    assert saved.version == 2
    with services.uow.read() as tx:
        assert tx.cases.get(reference) == saved


def test_a_write_that_fails_midway_leaves_no_half_written_case(services: Services) -> None:
    """An error after the case, parties, deadlines and audit entry were written rolls all back."""
    first = open_one(services, received=date(2025, 3, 1))
    with services.uow.read() as tx:
        template = tx.cases.get(first)
    counts = {t: _count(services, t) for t in ("cases", "parties", "deadlines", "audit_log")}

    def write_then_fail() -> None:
        with services.uow.write() as tx:
            reference = tx.cases.next_reference(prefix="NCP", year=2025)
            tx.cases.add(replace(template, reference=reference))
            tx.audit.append(
                case_ref=reference,
                actor="secretariat",
                at=template.received_at,
                from_state=None,
                to_state="received",
                reason="half",
                record=GenericRecord("opened", {}),
            )
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        write_then_fail()

    assert {t: _count(services, t) for t in counts} == counts
    with services.uow.read() as tx:
        assert [c.reference for c in tx.cases.list()] == [first]
    # The claimed number was rolled back with the rest: no gap in the sequence.
    assert open_one(services, received=date(2025, 3, 2)) == "NCP-2025-002"
    assert verify_chain(uow=services.uow).ok


def test_a_write_the_database_refuses_rolls_back_everything_before_it(services: Services) -> None:
    """A duplicate reference refused by the database undoes the counter and audit writes too."""
    first = open_one(services, received=date(2025, 3, 1))
    with services.uow.read() as tx:
        existing = tx.cases.get(first)
    counts = {t: _count(services, t) for t in ("cases", "parties", "deadlines", "audit_log")}

    def write_duplicate() -> None:
        with services.uow.write() as tx:
            reference = tx.cases.next_reference(prefix="NCP", year=2025)
            tx.audit.append(
                case_ref=reference,
                actor="secretariat",
                at=existing.received_at,
                from_state=None,
                to_state="received",
                reason="duplicate",
                record=GenericRecord("opened", {}),
            )
            tx.cases.add(existing)  # same reference as the case already stored

    with pytest.raises(StorageError, match="refused"):
        write_duplicate()

    assert {t: _count(services, t) for t in counts} == counts
    assert open_one(services, received=date(2025, 3, 2)) == "NCP-2025-002"
    assert verify_chain(uow=services.uow).ok


def test_a_page_filters_counts_and_slices_in_the_database(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.cases._CHUNK", 2)  # loading in chunks, as for many cases
    refs = [open_one(services, received=date(2025, 1, 2 + n), title=f"Case {n}") for n in range(7)]
    for ref in refs[:2]:  # two closed: begin, reject, publish, close
        for trigger in ["begin_assessment", "reject", "publish", "close"]:
            advance(
                uow=services.uow,
                clock=services.clock,
                policy=services.policy,
                reference=ref,
                actor="s",
                trigger=trigger,
                reason="r",
            )
    advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=refs[2],
        actor="s",
        trigger="begin_assessment",
        reason="r",
    )
    with services.uow.write() as tx:  # a lead for two of the open ones, as a reassign would
        for ref in refs[3:5]:
            case = tx.cases.get(ref)
            tx.cases.save(replace(case, lead_member="member-b", version=case.version + 1), previous=case)
    with services.uow.read() as tx:
        everything = tx.cases.list()
        total, first = tx.cases.page(limit=3)
        _, rest = tx.cases.page(limit=3, offset=3)
        _, tail = tx.cases.page(limit=3, offset=6)
        open_total, open_cases = tx.cases.page(open_only=True, limit=10)
        assessing = tx.cases.page(state=State.INITIAL_ASSESSMENT, limit=10)
        led = tx.cases.page(lead="member-b", limit=1)
        late_on_20th = tx.cases.page(overdue_on=date(2025, 1, 20), limit=10)
        late_on_23rd = tx.cases.page(overdue_on=date(2025, 1, 23), limit=2, offset=1)
    assert [c.reference for c in everything] == refs  # oldest first, every chunk
    assert total == 7 and [c.reference for c in first + rest + tail] == refs
    assert open_total == 5 and [c.reference for c in open_cases] == refs[2:]
    assert assessing[0] == 1 and [c.reference for c in assessing[1]] == [refs[2]]
    assert led[0] == 2 and [c.reference for c in led[1]] == [refs[3]]
    # Acknowledgement is due 14 days after receipt, and overdue the day after: the open cases
    # received 5, 6, 7 and 8 Jan fall due 19, 20, 21 and 22 Jan; the others met it.
    assert late_on_20th[0] == 1 and [c.reference for c in late_on_20th[1]] == [refs[3]]
    assert late_on_23rd[0] == 4 and [c.reference for c in late_on_23rd[1]] == refs[4:6]
