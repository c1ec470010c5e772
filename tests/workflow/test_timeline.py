"""A case's timeline (its story) on SQLite and PostgreSQL: steps from the audit log and notes
interleaved newest first, filtered by kind, paged, worded in the reader's language, and redacted
for the reader (pseudonyms, no note text for auditors); and the append-only notes table."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy

from states.errors import CaseNotFoundError, InvalidInputError
from states.users import User
from tests.helpers import open_one
from workflow.bootstrap import Services
from workflow.cases import PartyInput

HANDLER = User(name="hanna", role="handler")
AUDITOR = User(name="aud", role="auditor")


def _confidential_case(services: Services) -> str:
    case = services.cases.open(
        title="Reprisals at the plant",
        submitters=[PartyInput("Kari Nordmann", "individual", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 1, 31),
    )
    return case.reference


def test_steps_and_notes_interleave_newest_first(services: Services) -> None:
    """A note written between two steps sits between them; `note_added` is no step of its own."""
    ref = open_one(services, received=date(2025, 1, 31))
    cases = services.cases
    cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ack", at=date(2025, 2, 3))
    services.notes.add(reference=ref, text="Called the submitter", actor="sek", at=date(2025, 2, 10))
    cases.pause(reference=ref, actor="sek", reason="Court case", at=date(2025, 2, 20))
    story = cases.timeline(reference=ref, viewer=HANDLER)
    assert [(e.kind, e.what) for e in story.items] == [
        ("step", "paused"),
        ("note", "note"),
        ("step", "transitioned"),
        ("step", "opened"),
    ]
    kinds = [
        *("step", "note", "document", "letter", "correspondence"),
        *("engagement", "statement", "mediation", "follow_up", "related", "checklist"),
    ]
    assert [k.name for k in story.kinds] == kinds
    assert story.shown == kinds
    assert story.total == 4 and story.page == 1
    moved = story.items[2]
    assert moved.title == "Stage changed: Received → Initial assessment"
    assert moved.text == "ack" and moved.actor == "sek"
    assert story.items[1].title == "Note 1" and story.items[1].text == "Called the submitter"
    assert not any(e.what == "note_added" for e in story.items)


def test_the_story_is_worded_in_norwegian(services: Services) -> None:
    """Titles and the filter's labels come in the reader's language."""
    ref = open_one(services)
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ack")
    services.notes.add(reference=ref, text="Notat", actor="sek")
    story = services.cases.timeline(reference=ref, viewer=HANDLER, language="nb")
    assert [k.label for k in story.kinds] == [
        "Steg",
        "Notater",
        "Dokumenter",
        "Brev",
        "Korrespondanse",
        "Virksomheters deltakelse",
        "Uttalelser",
        "Mekling",
        "Oppfølging",
        "Beslektede klagesaker",
        "Sjekklister",
    ]
    assert story.items[0].title == "Notat 1"
    assert story.items[1].title == "Ny fase: Mottatt → Første vurdering"


def test_the_story_filters_by_kind_and_refuses_an_unknown_kind(services: Services) -> None:
    """`kinds` narrows it; an unknown kind is refused naming `kind` and listing the kinds."""
    ref = open_one(services)
    services.notes.add(reference=ref, text="one", actor="sek")
    notes = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["note"])
    assert [e.kind for e in notes.items] == ["note"] and notes.shown == ["note"] and notes.total == 1
    steps = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["step", "step"])
    assert {e.kind for e in steps.items} == {"step"} and steps.shown == ["step"]
    unknown = r"kind: unknown kind of entry 'gossip'; one of: step, note, document"
    with pytest.raises(InvalidInputError, match=unknown):
        services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["gossip"])
    with pytest.raises(CaseNotFoundError):
        services.cases.timeline(reference="NCP-2099-001", viewer=HANDLER)


def test_a_long_story_comes_a_page_at_a_time(services: Services) -> None:
    """Pages of `per_page`, newest first; a page past the end is empty, with the total."""
    ref = open_one(services)
    for n in range(7):
        services.notes.add(reference=ref, text=f"note {n + 1}", actor="sek")
    first = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["note"], per_page=3)
    third = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["note"], per_page=3, page=3)
    beyond = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["note"], per_page=3, page=9)
    assert [e.id for e in first.items] == ["note-7", "note-6", "note-5"]
    assert [e.id for e in third.items] == ["note-1"]
    assert beyond.items == [] and beyond.total == 7


def test_an_auditor_sees_pseudonyms_and_that_notes_exist_without_their_text(services: Services) -> None:
    """For an auditor: the confidential submitter's name is a pseudonym in every entry, and a
    note keeps its place and author but not its text; a handler sees both as written."""
    ref = _confidential_case(services)
    services.cases.advance(
        reference=ref, trigger="begin_assessment", actor="sek", reason="Kari Nordmann confirmed by phone"
    )
    services.notes.add(reference=ref, text="Kari Nordmann fears for her job", actor="sek")
    seen = services.cases.timeline(reference=ref, viewer=AUDITOR)
    note, step = seen.items[0], seen.items[1]
    assert note.withheld and note.text is None and note.actor == "sek" and note.title == "Note 1"
    assert step.text is not None and "Kari Nordmann" not in step.text and "confirmed by phone" in step.text
    assert "Kari Nordmann" not in seen.model_dump_json()
    handler = services.cases.timeline(reference=ref, viewer=HANDLER)
    assert handler.items[0].text == "Kari Nordmann fears for her job" and not handler.items[0].withheld
    assert handler.items[1].text == "Kari Nordmann confirmed by phone"


def test_the_notes_table_refuses_to_change_or_lose_a_note(services: Services, database_url: str) -> None:
    """The database itself keeps notes append-only: UPDATE and DELETE are refused."""
    ref = open_one(services)
    services.notes.add(reference=ref, text="kept as written", actor="sek")
    engine = sqlalchemy.create_engine(
        database_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sqlalchemy.NullPool
    )
    try:
        for statement in ("UPDATE case_notes SET text = 'changed'", "DELETE FROM case_notes"):
            refused = pytest.raises(sqlalchemy.exc.DatabaseError, match="case_notes is append-only")
            with refused, engine.begin() as conn:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
    assert [n.text for n in services.notes.list(reference=ref).notes] == ["kept as written"]


def test_a_file_the_reader_may_not_open_has_no_link_in_the_story(services: Services) -> None:
    """A document from the withheld submitter, and the files of a letter to it, are linked for a
    handler; for an auditor, who is refused them (they name the submitter), they have no link,
    while the enterprise's document keeps its own; the story names no one to it."""
    ref = _confidential_case(services)
    for title, party in [("Reply", "enterprise-1"), ("Complaint", "submitter-1")]:
        services.documents.add(
            reference=ref, source=[f"{title} of Kari Nordmann\n".encode()], filename=f"{title}.txt",
            title=title, direction="in", access="parties", party=party, actor="sek",
        )  # fmt: skip
    services.letters.draft(reference=ref, kind="acknowledgement", party="submitter-1", actor="sek")
    handler = services.cases.timeline(reference=ref, viewer=HANDLER, kinds=["document"])
    assert len(handler.items) == 4 and all(e.href for e in handler.items)
    audited = services.cases.timeline(reference=ref, viewer=AUDITOR, kinds=["document"])
    assert [e.href for e in audited.items if e.href] == [f"/cases/{ref}/documents/1/content?version=1"]
    assert "Kari Nordmann" not in audited.model_dump_json()
