"""Dated facts in the core: declared in the procedure and checked when it is read (naming the file
and the key), recorded by `record_fact`, starting a deadline counted from one, and holding
publication while a procedural review is open."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from states.calendar import CalendarRule
from states.case import Case, Policy, advance, open_case, trigger_options
from states.errors import (
    InvalidInputError,
    ProcedureInvalidError,
    StepRefusedError,
    TransitionNotAllowedError,
)
from states.facts import Fact, open_facts, record_fact
from states.procedure import Procedure, parse_procedure
from states.wording import procedure_words
from tests.helpers import OECD
from translations import translator

SOURCE = "procedures/ours.toml"
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
GOOD_OFFICES_FROM_ACCEPTANCE = 'basis = "entered"\nduration = "6mo"\nopen_in = ["good_offices"]'
# An NCP that counts good offices from the parties' agreement to mediate.
FROM_AGREEMENT = parse_procedure(
    OECD.text.replace(
        GOOD_OFFICES_FROM_ACCEPTANCE,
        'basis = "fact:mediation_agreed"\nduration = "6mo"\nopen_in = ["good_offices"]',
    ),
    source=SOURCE,
)


def policy(procedure: Procedure = OECD) -> Policy:
    return Policy(timelines={}, calendar=CalendarRule("Europe/Oslo"), procedure=procedure)


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


def case_through(procedure: Procedure, *steps: tuple[str, str, str | None]) -> Case:
    from states.case import Party, PartyRole

    rules = policy(procedure)
    case, _ = open_case(
        reference="NCP-2025-001",
        title="Fish farm",
        parties=(Party(PartyRole.SUBMITTER, "NGO"), Party(PartyRole.ENTERPRISE, "Havbruk ASA")),
        received_at=at("2025-01-31"),
        opened_at=NOW,
        actor="sek",
        policy=rules,
    )
    for trigger, day, outcome in steps:
        case, _ = advance(
            case, trigger=trigger, actor="sek", reason="r", at=at(day), policy=rules, outcome=outcome
        )
    return case


ACCEPTED = (("begin_assessment", "2025-02-03", None), ("accept", "2025-03-10", None))


def record(case: Case, fact: str, on: str, by: str | None = None) -> Case:
    recorded, _ = record_fact(
        case, fact=fact, on=date.fromisoformat(on), actor="sek", at=NOW, policy=policy(case.procedure), by=by
    )
    return recorded


# ---- the definition ---------------------------------------------------------------------------


def test_oecd_2023_declares_its_facts_and_counts_good_offices_from_acceptance() -> None:
    """The shipped definition (from version 2) has the six facts, and the two of coordination
    between NCPs (from version 5), and good offices run from acceptance."""
    assert int(OECD.version) >= 5
    assert list(OECD.facts) == [
        "assessment_published",
        "mediation_agreed",
        "interim_agreement",
        "later_agreement",
        "review_requested",
        "review_concluded",
        "coordination_begun",
        "lead_agreed",
    ]
    assert OECD.facts["lead_agreed"].ends == "coordination_begun"
    assert OECD.deadlines["coordination"].met_by == "lead_agreed"
    assert OECD.deadlines["good_offices"].basis == "entered"
    assert OECD.facts["review_concluded"].ends == "review_requested"
    assert set(OECD.facts["review_requested"].by) == {"oversight_body", "submitter", "enterprise"}
    assert OECD.label("fact", "later_agreement", "nb") == "enighet etter sluttuttalelsen"
    assert OECD.by_label("review_requested", "oversight_body", "nb") == "tilsynsorgan"


def _without_review(text: str) -> str:
    start = text.index("[facts.review_requested]")
    return text[:start] + text[text.index("# ---", start) :]


INVALID = [
    pytest.param(
        OECD.text.replace(
            'recorded_in = ["good_offices"]\n\n[facts.interim',
            'recorded_on = ["good_offices"]\n\n[facts.interim',
        ),
        "facts.mediation_agreed.recorded_on",
        "unknown key",
        id="unknown-key",
    ),
    pytest.param(
        OECD.text.replace(
            'recorded_in = ["good_offices"]\n\n[facts.interim',
            'recorded_in = ["mediation"]\n\n[facts.interim',
        ),
        "facts.mediation_agreed.recorded_in[1]",
        "unknown state 'mediation'",
        id="unknown-state",
    ),
    pytest.param(
        OECD.text.replace(
            'recorded_in = ["good_offices"]\n\n[facts.interim', "recorded_in = []\n\n[facts.interim"
        ),
        "facts.mediation_agreed.recorded_in",
        "must name at least one state",
        id="recorded-nowhere",
    ),
    pytest.param(
        OECD.text.replace('ends = "review_requested"', 'ends = "review_requestd"'),
        "facts.review_concluded.ends",
        "unknown fact 'review_requestd'",
        id="ends-unknown",
    ),
    pytest.param(
        OECD.text.replace('ends = "review_requested"', 'ends = "review_concluded"'),
        "facts.review_concluded.ends",
        "cannot be ended",
        id="ends-itself",
    ),
    pytest.param(
        OECD.text.replace("repeat = true\nby", 'repeat = "yes"\nby'),
        "facts.review_requested.repeat",
        "must be true or false",
        id="repeat-not-bool",
    ),
    pytest.param(
        OECD.text.replace(
            'by = { oversight_body = { en = "oversight body", nb = "tilsynsorgan" }, ',
            'by = { oversight_body = { en = "oversight body" }, ',
        ),
        "facts.review_requested.by.oversight_body.nb",
        "missing",
        id="by-label-without-nb",
    ),
    pytest.param(
        OECD.text.replace(
            GOOD_OFFICES_FROM_ACCEPTANCE,
            GOOD_OFFICES_FROM_ACCEPTANCE.replace('"entered"', '"fact:mediation_agred"'),
        ),
        "deadlines.good_offices.basis",
        "unknown fact 'mediation_agred'",
        id="basis-unknown-fact",
    ),
    pytest.param(
        OECD.text.replace(
            GOOD_OFFICES_FROM_ACCEPTANCE, GOOD_OFFICES_FROM_ACCEPTANCE.replace('"entered"', '"agreed"')
        ),
        "deadlines.good_offices.basis",
        "fact:NAME",
        id="basis-unknown",
    ),
    pytest.param(
        _without_review(OECD.text),
        "transitions[9].guards[1]",
        "guard 'no_open_review' needs the fact 'review_requested'",
        id="guard-without-its-fact",
    ),
    pytest.param(
        OECD.text.replace('ends = "review_requested"\n', ""),
        "transitions[9].guards[1]",
        "needs a fact that ends 'review_requested'",
        id="guard-without-an-end",
    ),
]


@pytest.mark.parametrize(("text", "key", "problem"), INVALID)
def test_an_invalid_fact_is_refused_naming_the_file_and_the_key(text: str, key: str, problem: str) -> None:
    """Each mistake in `[facts]`, a fact basis or a guard's facts names the file and the key."""
    with pytest.raises(ProcedureInvalidError) as caught:
        parse_procedure(text, source=SOURCE)
    assert (caught.value.source, caught.value.key) == (SOURCE, key)
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{SOURCE}: {key}: ")


# ---- recording --------------------------------------------------------------------------------


def test_a_fact_does_not_move_the_case_nor_its_last_step() -> None:
    """Recording keeps the state, the deadlines and the time of the last step; the event says it."""
    case = case_through(OECD, *ACCEPTED)
    recorded, event = record_fact(
        case, fact="assessment_published", on=date(2025, 4, 2), actor="sek", at=NOW, policy=policy(), by=None
    )
    assert (recorded.state, recorded.last_event_at, recorded.deadlines) == (
        case.state,
        case.last_event_at,
        case.deadlines,
    )
    assert recorded.facts == (Fact("assessment_published", date(2025, 4, 2), "sek", NOW),)
    assert (event.fact, event.on, event.started) == ("assessment_published", date(2025, 4, 2), ())


def test_good_offices_counted_from_the_parties_agreement_start_when_it_is_recorded() -> None:
    """With basis = "fact:mediation_agreed", acceptance starts no good offices clock; recording the
    agreement starts it from the agreement's day, and the explanation names it."""
    case = case_through(FROM_AGREEMENT, *ACCEPTED)
    assert case.deadline("good_offices") is None
    agreed, event = record_fact(
        case,
        fact="mediation_agreed",
        on=date(2025, 5, 6),
        actor="sek",
        at=NOW,
        policy=policy(FROM_AGREEMENT),
    )
    clock = agreed.deadline("good_offices")
    assert clock is not None and (clock.basis_on, clock.due) == (date(2025, 5, 6), date(2025, 11, 6))
    assert [s.name for s in event.started] == ["good_offices"]
    assert clock.explain().startswith("parties agreed to good offices 6 May 2025 + 6 months")
    words = procedure_words(FROM_AGREEMENT, "nb", translator("nb"))
    assert clock.explain(tr=words).startswith("partene samtykket til dialog og mekling")
    done, _ = advance(
        agreed,
        trigger="conclude",
        actor="sek",
        reason="r",
        at=NOW,
        policy=policy(FROM_AGREEMENT),
        outcome="agreement",
    )
    met = done.deadline("good_offices")
    assert met is not None and met.met_on == date(2025, 6, 2)


def test_good_offices_declined_before_any_agreement_never_start_a_clock_counted_from_it() -> None:
    """Declined at once: the case leaves good offices and no good offices deadline ever ran."""
    case = case_through(FROM_AGREEMENT, *ACCEPTED, ("examine", "2025-03-10", "parties_declined"))
    assert case.state == "examination" and case.results == {"mediation_result": "parties_declined"}
    assert case.deadline("good_offices") is None


def test_an_open_review_holds_publish_and_close_and_its_conclusion_releases_them() -> None:
    """`no_open_review` refuses publish and close from final_statement while a review is open."""
    case = case_through(OECD, *ACCEPTED, ("conclude", "2025-05-20", "agreement"))
    reviewed = record(case, "review_requested", "2025-05-25", by="oversight_body")
    assert open_facts(reviewed.facts, OECD) == {"review_requested"}
    held = {
        o.trigger: o.why_not for o in trigger_options(reviewed, policy()) if o.trigger in {"publish", "close"}
    }
    assert all(why and "procedural review" in why for why in held.values()), held
    with pytest.raises(TransitionNotAllowedError, match="procedural review"):
        advance(reviewed, trigger="publish", actor="sek", reason="r", at=NOW, policy=policy())
    concluded = record(reviewed, "review_concluded", "2025-05-30")
    assert open_facts(concluded.facts, OECD) == frozenset()
    published, _ = advance(concluded, trigger="publish", actor="sek", reason="r", at=NOW, policy=policy())
    assert published.state == "follow_up"
    # A second review may be asked for later in the same stage, but not two at once.
    again = record(concluded, "review_requested", "2025-05-31", by="submitter")
    with pytest.raises(StepRefusedError, match="still open"):
        record(again, "review_requested", "2025-06-01", by="enterprise")


@pytest.mark.parametrize(
    ("fact", "on", "by", "error", "words"),
    [
        ("interim_agreement", "2025-01-30", None, InvalidInputError, "date of receipt 2025-01-31"),
        ("interim_agreement", "2025-06-03", None, InvalidInputError, "today 2025-06-02"),
        ("later_agreement", "2025-04-01", None, StepRefusedError, "recorded only in final_statement"),
        (
            "review_requested",
            "2025-04-01",
            "enterprise",
            StepRefusedError,
            "recorded only in final_statement",
        ),
        ("mediation_agreed", "2025-04-01", "enterprise", InvalidInputError, "names no one"),
        ("arbitration", "2025-04-01", None, InvalidInputError, "not a fact of procedure oecd-2023"),
    ],
)
def test_a_fact_that_does_not_fit_is_refused_naming_why(
    fact: str, on: str, by: str | None, error: type[Exception], words: str
) -> None:
    """Out of the days between receipt and today, in the wrong stage, with a `by` it cannot
    have, or unknown: refused, and the case is unchanged."""
    case = case_through(OECD, *ACCEPTED)
    with pytest.raises(error, match=words):
        record(case, fact, on, by)
