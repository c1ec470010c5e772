"""The procedure handbook in the pure core: the definition's `handbook` texts are optional and
checked when read, and `states.handbook.build` words every stage, step, deadline rule, fact and
letter of the definition, with the durations in force."""

from __future__ import annotations

import pytest

from states import handbook
from states.calendar import CalendarRule
from states.durations import Duration
from states.errors import ProcedureInvalidError
from states.messages import ENGLISH
from states.procedure import parse_procedure
from tests.helpers import OECD, oecd_version_5

CALENDAR = CalendarRule(timezone="Europe/Oslo", holiday_country="NO")


def _text(book: handbook.Handbook) -> str:
    parts = [book.title, *book.coordination]
    for stage in book.stages:
        parts += [stage.label, stage.description, *stage.letters, *stage.rests_on, *stage.told]
        for rule in stage.deadlines:
            parts += [rule.title, *rule.sentences, rule.example]
        for step in stage.steps:
            parts += [step.label, step.dest_label, step.meaning, *step.needs]
    for fact in book.facts:
        parts += [fact.label, *fact.sentences]
    return "\n".join(parts)


def test_version_6_gives_every_stage_a_description_what_it_rests_on_and_what_the_parties_are_told() -> None:
    """oecd-2023 version 6: each state has its handbook texts; all but closed name a text it rests on."""
    assert OECD.version == "6"
    for name, state in OECD.states.items():
        assert state.handbook is not None, name
        assert state.handbook.description.en and state.handbook.description.nb
        assert state.handbook.told is not None
        assert state.handbook.rests_on or state.terminal, name
    assert OECD.coordination is not None


def test_a_definition_without_handbook_texts_stays_valid_and_says_so_in_the_handbook() -> None:
    """Version 5 (no handbook texts) parses, and its handbook says the definition says no more."""
    v5 = parse_procedure(oecd_version_5(), source="v5.toml")
    assert all(state.handbook is None for state in v5.states.values()) and v5.coordination is None
    book = handbook.build(v5, durations={}, calendar=CALENDAR, tr=ENGLISH, language="en")
    assert {stage.description for stage in book.stages} == {handbook.HEADINGS["no_description"]}
    assert book.coordination == ()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "[states.closed.handbook]\n",
            "[states.closed.handbook]\nsummary = 1\n",
            "states.closed.handbook.summary",
        ),
        (
            'rests_on = [\n    { en = "Procedural Guidance (2023): follow-up',
            'rests_on = [\n    { en = "" , nb = "x" }, { en = "Procedural Guidance (2023): follow-up',
            "states.follow_up.handbook.rests_on[1].en",
        ),
        (
            "[states.closed.handbook]\n",
            '[states.closed.handbook]\nrests_on = "Guidance"\n',
            "states.closed.handbook.rests_on",
        ),
        ("[handbook]\ncoordination", "[handbook]\nrules", "handbook.rules"),
    ],
)
def test_a_mistake_in_the_handbook_texts_is_refused_naming_the_key(old: str, new: str, key: str) -> None:
    """An unknown key, an empty text, a text that is not a list: refused naming the file and key."""
    assert old in OECD.text
    with pytest.raises(ProcedureInvalidError) as refused:
        parse_procedure(OECD.text.replace(old, new, 1), source="ours.toml")
    assert refused.value.params["key"] == key and refused.value.params["source"] == "ours.toml"


def test_every_state_transition_deadline_rule_fact_and_letter_kind_is_in_the_handbook() -> None:
    """Each state is a stage; each (trigger, from) a step of its stage; each deadline rule is told in
    every stage it is open in; each fact and each letter kind the definition offers is named."""
    book = handbook.build(OECD, durations={}, calendar=CALENDAR, tr=ENGLISH, language="en")
    assert [stage.name for stage in book.stages] == list(OECD.states)
    steps = {(step.trigger, step.source) for stage in book.stages for step in stage.steps}
    assert steps == {(row.trigger, row.source) for row in OECD.transitions}
    for rule in OECD.deadlines.values():
        told = {stage.name for stage in book.stages if rule.name in {r.name for r in stage.deadlines}}
        assert told == set(rule.open_in), rule.name
    assert [fact.name for fact in book.facts] == list(OECD.facts)
    text = _text(book)
    from states.letters import label

    for kind in OECD.letter_kinds:
        assert label(kind, ENGLISH) in text, kind


def test_a_deadline_is_told_with_its_basis_duration_and_a_worked_explanation() -> None:
    """The initial assessment: counted from receipt, 3 months, paused and extended on the example
    as `Deadline.explain` words it."""
    book = handbook.build(OECD, durations={}, calendar=CALENDAR, tr=ENGLISH, language="en")
    stage = next(s for s in book.stages if s.name == "initial_assessment")
    rule = next(r for r in stage.deadlines if r.name == "initial_assessment")
    assert rule.sentences[:2] == ("Counted from the day the submission was received.", "Runs for 3 months.")
    assert rule.example == (
        "received 31 Jan 2025 + 3 months = 30 Apr 2025, + 12 days paused (parallel proceedings, "
        "10 Feb 2025–22 Feb 2025) = 12 May 2025, + 10 days extended (translation awaited; approved "
        "by the chair) = 22 May 2025"
    )


def test_a_duration_set_in_config_is_told_as_in_force_beside_the_definitions() -> None:
    """[timelines] initial_assessment = "4mo": the handbook says 4 months, and where it comes from."""
    book = handbook.build(
        OECD,
        durations={"initial_assessment": Duration(months=4)},
        calendar=CALENDAR,
        tr=ENGLISH,
        language="en",
    )
    stage = next(s for s in book.stages if s.name == "initial_assessment")
    rule = next(r for r in stage.deadlines if r.name == "initial_assessment")
    assert rule.sentences[1] == (
        "Runs for 4 months, as [timelines] in config.toml gives it; the definition says 3 months."
    )
    assert "+ 4 months = 31 May 2025" in rule.example


def test_a_step_tells_its_outcomes_guards_and_letters() -> None:
    """`examine` from good offices needs an outcome chosen and examination switched on; `accept`
    offers its letters; `publish` is what publishing the final statement takes."""
    book = handbook.build(OECD, durations={}, calendar=CALENDAR, tr=ENGLISH, language="en")
    steps = {(s.trigger, s.source): s for stage in book.stages for s in stage.steps}
    examine = steps["examine", "good_offices"]
    assert any(n.startswith("The outcome is chosen from: no agreement") for n in examine.needs)
    assert handbook.GUARD_NEEDS["is_examination_enabled"] in examine.needs
    assert (
        "After the step, letters offered: acceptance, invitation to good offices."
        in steps["accept", "initial_assessment"].needs
    )
    assert "Publishing the final statement takes this step." in steps["publish", "final_statement"].needs
    assert "It records the outcome “not accepted”." in steps["reject", "initial_assessment"].needs


def test_a_working_day_deadline_is_told_as_counted_in_working_days() -> None:
    """A definition counting in working days says so, naming the holiday calendar."""
    text = OECD.text.replace('duration = "14d"', 'duration = "10wd"', 1).replace(
        'version = "6"', 'version = "wd"'
    )
    book = handbook.build(
        parse_procedure(text, source="wd.toml"), durations={}, calendar=CALENDAR, tr=ENGLISH, language="en"
    )
    rule = book.stages[0].deadlines[0]
    assert rule.name == "acknowledgement"
    assert "Runs for 10 working days." in rule.sentences
    assert any("public holidays of NO" in s for s in rule.sentences)
