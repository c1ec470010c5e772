"""`checklist_marks` (0040_checklists) on SQLite, PostgreSQL and per tenant of a network database:
marks read back in the order made, the table refuses to change or lose a row, and an NCP of a
network reads none of its neighbour's marks (the neighbour's demo ticked some)."""

from __future__ import annotations

import pytest
import sqlalchemy

from tests.dbdump import engine_for
from tests.helpers import open_one
from workflow.bootstrap import Services


def _assessing(services: Services) -> str:
    ref = open_one(services)
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    return ref


def test_marks_are_read_back_in_the_order_made_with_who_when_and_stage(services: Services) -> None:
    ref = _assessing(services)
    services.checklists.tick(reference=ref, item="ia_law", actor="sek")
    services.checklists.tick(reference=ref, item="ia_link", actor="kari")
    services.checklists.untick(reference=ref, item="ia_law", actor="sek")
    with services.uow.read() as tx:
        marks = tx.checklists.of_case(ref)
    assert [(m.item, m.ticked, m.actor, m.stage) for m in marks] == [
        ("ia_law", True, "sek", "initial_assessment"),
        ("ia_link", True, "kari", "initial_assessment"),
        ("ia_law", False, "sek", "initial_assessment"),
    ]
    assert marks[0].at == services.clock.now()


@pytest.mark.parametrize(
    "statement", ["UPDATE checklist_marks SET ticked = false", "DELETE FROM checklist_marks"]
)
def test_the_table_refuses_to_change_or_lose_a_mark(
    services: Services, database_url: str, statement: str
) -> None:
    ref = _assessing(services)
    services.checklists.tick(reference=ref, item="ia_law", actor="sek")
    engine = engine_for(database_url)
    try:
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sqlalchemy.text(statement))
    finally:
        engine.dispose()
    assert services.checklists.show(reference=ref).items[3].ticked


def test_an_ncp_reads_none_of_another_ncps_marks(services: Services, database_url: str) -> None:
    engine = engine_for(database_url)
    try:
        with engine.connect() as conn:
            seen = conn.execute(sqlalchemy.text("SELECT count(*) FROM checklist_marks")).scalar_one()
    finally:
        engine.dispose()
    assert seen == 0
    ref = _assessing(services)
    services.checklists.tick(reference=ref, item="ia_identity", actor="sek")
    assert [line.by for line in services.checklists.show(reference=ref).items][:1] == ["sek"]
