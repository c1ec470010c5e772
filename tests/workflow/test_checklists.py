"""Stage checklists through the application, on SQLite and PostgreSQL: ticks and unticks audited
with who and when; refusals named, nothing written; the guard `checklist_complete` refusing
`accept`/`reject` with the items still to tick (English ids, Norwegian labels) where the NCP
requires it, and standing aside where it does not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from states import records
from states.checklists import (
    AlreadyTickedError,
    ChecklistClosedError,
    ChecklistItemElsewhereError,
    ChecklistItemUnknownError,
    NotTickedError,
)
from states.errors import NcpflowError, TransitionNotAllowedError
from states.permissions import PermissionDeniedError
from states.pseudonyms import pseudonym
from states.users import User
from states.wording import term
from tests.conftest import ROOT, make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from translations import translator
from workflow import procedures, users
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

CRITERIA = ["ia_identity", "ia_material", "ia_link", "ia_law", "ia_other_proceedings", "ia_purposes"]


@pytest.fixture
def strict(database_url: str, clock: FixedClock) -> Iterator[Services]:
    """An NCP that requires complete checklists ([procedure] checklists_required = true)."""
    built = bootstrap(make_settings(database_url, procedure={"checklists_required": True}), clock=clock)
    yield built
    built.close()


def assessing(services: Services) -> str:
    ref = open_one(services)
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    return ref


def test_a_tick_and_an_untick_are_each_audited_and_the_checklist_shows_who_and_when(
    services: Services, clock: FixedClock
) -> None:
    ref = assessing(services)
    services.checklists.tick(reference=ref, item="ia_material", actor="sek")
    shown = services.checklists.show(reference=ref)
    assert shown.state == "initial_assessment"
    assert [line.item for line in shown.items] == CRITERIA
    line = shown.items[1]
    assert (line.ticked, line.by, line.at) == (True, "sek", clock.now().isoformat())
    assert shown.missing == [c for c in CRITERIA if c != "ia_material"] and not shown.complete
    clock.advance(minutes=5)
    services.checklists.untick(reference=ref, item="ia_material", actor="kari")
    again = services.checklists.show(reference=ref, language="nb")
    assert (again.items[1].ticked, again.items[1].by) == (False, "kari")
    assert again.items[1].label == "Om spørsmålet er vesentlig og underbygget"
    entries = [e for e in services.audit.log(case_ref=ref) if e.kind.startswith("checklist_")]
    assert [(e.kind, e.actor, e.data) for e in entries] == [
        ("checklist_ticked", "sek", {"item": "ia_material", "stage": "initial_assessment"}),
        ("checklist_unticked", "kari", {"item": "ia_material", "stage": "initial_assessment"}),
    ]
    assert isinstance(records.parse(entries[0].kind, entries[0].data), records.ChecklistTicked)
    assert services.audit.verify_chain().ok


@pytest.mark.parametrize(
    ("item", "tick", "error", "words"),
    [
        ("ia_nonsense", True, ChecklistItemUnknownError, "is on no checklist"),
        ("go_offer_sent", True, ChecklistItemElsewhereError, "is on the checklist of 'good_offices'"),
        ("ia_identity", True, AlreadyTickedError, "'ia_identity' is ticked already"),
        ("ia_law", False, NotTickedError, "'ia_law' is not ticked"),
    ],
)
def test_a_mark_that_does_not_fit_is_refused_by_name_and_nothing_is_written(
    services: Services, database_url: str, item: str, tick: bool, error: type[NcpflowError], words: str
) -> None:
    ref = assessing(services)
    services.checklists.tick(reference=ref, item="ia_identity", actor="sek")
    before = dump(database_url)
    mark = services.checklists.tick if tick else services.checklists.untick
    with pytest.raises(error, match=words) as refused:
        mark(reference=ref, item=item, actor="sek")
    assert refused.value.code.startswith("checklist_")
    assert ref in str(refused.value)
    assert dump(database_url) == before


def test_a_closed_case_keeps_its_checklists_as_they_were(services: Services, database_url: str) -> None:
    ref = open_one(services)
    services.cases.advance(
        reference=ref, trigger="transfer", actor="sek", reason="to SE", outcome="transferred"
    )
    before = dump(database_url)
    with pytest.raises(ChecklistClosedError, match="the case is closed"):
        services.checklists.tick(reference=ref, item="ia_identity", actor="sek")
    assert dump(database_url) == before


def test_a_user_who_may_not_tick_is_refused_and_nothing_is_written(
    services: Services, database_url: str
) -> None:
    ref = assessing(services)
    users.add_user(uow=services.uow, clock=services.clock, name="revisor", role="auditor", actor="admin")
    before = dump(database_url)
    with pytest.raises(PermissionDeniedError):
        services.checklists.tick(reference=ref, item="ia_identity", actor="revisor")
    assert dump(database_url) == before


def test_the_guard_refuses_accept_naming_the_items_still_to_tick_and_nothing_is_written(
    strict: Services, database_url: str
) -> None:
    ref = assessing(strict)
    for item in CRITERIA[:4]:
        strict.checklists.tick(reference=ref, item=item, actor="sek")
    before = dump(database_url)
    with pytest.raises(TransitionNotAllowedError) as refused:
        strict.cases.advance(reference=ref, trigger="accept", actor="sek", reason="merits")
    english = str(refused.value)
    assert "still to tick: ia_other_proceedings, ia_purposes" in english
    assert "ia_law" not in english
    case = strict.cases.get(reference=ref)
    nb = procedures.words(case.procedure, "nb")
    norsk = refused.value.words(translator("nb"), terms=lambda name: term(name, nb))
    assert "Hvordan lignende spørsmål" in norsk and "retningslinjenes formål og effektivitet" in norsk
    assert "still to tick" not in norsk
    assert dump(database_url) == before
    with pytest.raises(TransitionNotAllowedError, match="ia_purposes"):
        strict.cases.advance(
            reference=ref, trigger="reject", actor="sek", reason="no", outcome="not_accepted"
        )
    (accept,) = [o for o in strict.cases.triggers(case=case) if o.trigger == "accept"]
    assert not accept.allowed and accept.why_not is not None and "ia_purposes" in accept.why_not
    (shown,) = [o for o in strict.cases.triggers(case=case, language="nb") if o.trigger == "accept"]
    assert shown.why_not is not None and "Hvordan lignende spørsmål" in shown.why_not


def test_once_the_checklist_is_complete_the_step_is_taken_and_an_untick_holds_it_again(
    strict: Services,
) -> None:
    ref = assessing(strict)
    for item in CRITERIA:
        strict.checklists.tick(reference=ref, item=item, actor="sek")
    strict.checklists.untick(reference=ref, item="ia_link", actor="sek")
    with pytest.raises(TransitionNotAllowedError, match="still to tick: ia_link"):
        strict.cases.advance(reference=ref, trigger="accept", actor="sek", reason="merits")
    strict.checklists.tick(reference=ref, item="ia_link", actor="sek")
    assert strict.checklists.show(reference=ref).complete
    moved = strict.cases.advance(reference=ref, trigger="accept", actor="sek", reason="merits")
    assert moved.state == "good_offices"
    after = strict.checklists.show(reference=ref)
    assert after.state == "good_offices" and not any(line.ticked for line in after.items)


def test_without_checklists_required_the_guard_stands_aside(services: Services) -> None:
    ref = assessing(services)
    assert services.checklists.show(reference=ref).required_by == []
    assert services.cases.advance(reference=ref, trigger="accept", actor="sek", reason="ok").state == (
        "good_offices"
    )


def test_a_tick_dated_before_the_case_entered_its_stage_is_refused(
    services: Services, database_url: str
) -> None:
    ref = assessing(services)
    before = dump(database_url)
    with pytest.raises(NcpflowError, match="before the case's last recorded step"):
        services.checklists.tick(
            reference=ref, item="ia_law", actor="sek", at=datetime(2025, 1, 1, tzinfo=UTC)
        )
    assert dump(database_url) == before


def test_the_case_story_tells_each_tick_once_in_the_readers_words(services: Services) -> None:
    ref = assessing(services)
    services.checklists.tick(reference=ref, item="ia_law", actor="sek")
    services.checklists.untick(reference=ref, item="ia_law", actor="sek")
    story = services.cases.timeline(reference=ref, kinds=["checklist"], language="nb").items
    assert [(e.what, e.title, e.actor) for e in story] == [
        ("unticked", "Sjekkliste for første vurdering: fjernet avkrysning for «Relevansen av gjeldende "
         "lover og prosedyrer, herunder rettsavgjørelser»", "sek"),
        ("ticked", "Sjekkliste for første vurdering: krysset av «Relevansen av gjeldende lover og "
         "prosedyrer, herunder rettsavgjørelser»", "sek"),
    ]  # fmt: skip
    everything = services.cases.timeline(reference=ref).items
    assert not [e for e in everything if e.kind == "step" and e.what.startswith("checklist_")]
    assert len([e for e in everything if e.kind == "checklist"]) == 2


def _assessing_since(services: Services, day: date) -> str:
    ref = open_one(services)
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok", at=day)
    return ref


def test_a_back_dated_tick_and_untick_are_shown_and_audited_at_their_time_with_when_recorded(
    services: Services, clock: FixedClock
) -> None:
    """`at` a day after the assessment began: the checklist and the audit entry say that day
    (NCP local midnight, in UTC); the entry keeps when it was recorded; a mark made now has none."""
    ref = _assessing_since(services, date(2025, 2, 3))
    services.checklists.tick(reference=ref, item="ia_law", actor="sek", at=date(2025, 2, 10))
    services.checklists.untick(
        reference=ref, item="ia_law", actor="sek", at=datetime(2025, 2, 11, 14, 30, tzinfo=UTC)
    )
    services.checklists.tick(reference=ref, item="ia_link", actor="sek")
    lines = {line.item: line for line in services.checklists.show(reference=ref).items}
    assert (lines["ia_law"].ticked, lines["ia_law"].at) == (False, "2025-02-11T14:30:00+00:00")
    assert lines["ia_link"].at == clock.now().isoformat()
    entries = [e for e in services.audit.log(case_ref=ref) if e.kind.startswith("checklist_")]
    assert [(e.kind, e.at) for e in entries] == [
        ("checklist_ticked", "2025-02-09T23:00:00.000000Z"),  # 10 Feb in Oslo
        ("checklist_unticked", "2025-02-11T14:30:00.000000Z"),
        ("checklist_ticked", "2025-06-02T09:00:00.000000Z"),
    ]
    assert [e.data.get("recorded_at") for e in entries][:2] == ["2025-06-02T09:00:00+00:00"] * 2
    assert "recorded_at" not in entries[2].data
    assert services.audit.verify_chain().ok


@pytest.mark.parametrize(
    ("first", "at", "words"),
    [
        (None, datetime(2025, 6, 2, 9, 1, tzinfo=UTC), "is in the future"),
        (None, date(2025, 2, 2), "is before the case's last recorded step"),
        (date(2025, 2, 20), date(2025, 2, 19), "is before the item's last mark (2025-02-19T23:00:00+00:00)"),
    ],
)
def test_a_tick_or_untick_at_a_time_that_cannot_be_is_refused_and_nothing_is_written(
    services: Services, database_url: str, first: date | None, at: date | datetime, words: str
) -> None:
    """In the future, before the stage began (3 Feb), or before the item's own last mark: refused
    by name, whether ticking or unticking; nothing written."""
    ref = _assessing_since(services, date(2025, 2, 3))
    mark = services.checklists.tick
    if first is not None:
        services.checklists.tick(reference=ref, item="ia_law", actor="sek", at=first)
        mark = services.checklists.untick
    before = dump(database_url)
    with pytest.raises(NcpflowError, match=re.escape(words)):
        mark(reference=ref, item="ia_law", actor="sek", at=at)
    assert dump(database_url) == before


def test_who_ticked_is_redacted_for_a_reader_who_may_not_see_a_protected_name_in_it(
    services: Services, database_url: str
) -> None:
    """An actor is free text, as on every audited step: a protected name in who ticked an item
    reads as the case's pseudonym for an auditor and a mediator, and as typed for a handler and
    the operator; the items' ids stay as they are."""
    secret = "Kari Nordmann"
    members = load_settings(ROOT / "config.toml", database_url=database_url)
    sync_members(uow=services.uow, clock=services.clock, settings=members)
    ref = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="Fish farm discharges",
        submitters=[PartyInput(secret, "individual", confidential=True)],
        enterprises=[PartyInput("Havbruk Seafood ASA")],
        actor="sek",
    ).reference
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    services.checklists.tick(reference=ref, item="ia_law", actor=f"sek for {secret}")
    services.mediators.add(actor="sek", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    label = pseudonym(ref, secret, translator("nb"))
    for viewer in (User(name="aud", role="auditor"), User(name="m", role="mediator", mediator_id="kari")):
        shown = services.checklists.show(reference=ref, viewer=viewer, language="nb")
        assert secret not in shown.model_dump_json(), viewer.role
        (line,) = [line for line in shown.items if line.item == "ia_law"]
        assert line.by == f"sek for {label}" and shown.missing == [c for c in CRITERIA if c != "ia_law"]
    for viewer in (User(name="sek", role="handler"), None):
        shown = services.checklists.show(reference=ref, viewer=viewer)
        assert [line.by for line in shown.items if line.ticked] == [f"sek for {secret}"]
    # At risk of reprisal: the case's lead member reads the name, another member the pseudonym.
    services.parties.change_party(
        reference=ref, party="submitter-1", actor="sek", reprisal_risk=True, measures="Kept apart"
    )
    lead = services.cases.get(reference=ref).lead_member
    assert lead is not None
    other = next(m for m in ("chair", "member-b", "member-c", "member-d") if m != lead)
    for member, by in ((lead, f"sek for {secret}"), (other, f"sek for {pseudonym(ref, secret)}")):
        shown = services.checklists.show(
            reference=ref, viewer=User(name="m", role="member", member_id=member)
        )
        assert [line.by for line in shown.items if line.ticked] == [by], member
