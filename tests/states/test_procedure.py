"""A procedure definition is read from TOML text and checked as a whole: each kind of mistake is
refused with a message that names the file and the key."""

from __future__ import annotations

import hashlib

import pytest

from states.durations import Duration
from states.errors import InvalidInputError, ProcedureInvalidError
from states.procedure import Labels, parse_procedure
from tests.helpers import OECD

SOURCE = "procedures/small.toml"

# A small valid definition: open -> review -> decided (terminal); withdraw from both.
SMALL = """\
id = "small"
version = "1"
title = { en = "Small", nb = "Liten" }
initial = "open"

[states.open]
label = { en = "open", nb = "åpen" }

[states.review]
label = { en = "review", nb = "vurdering" }

[states.decided]
label = { en = "decided", nb = "avgjort" }
terminal = true
concluded = true

[triggers.start]
label = { en = "Start", nb = "Start" }
past = { en = "started", nb = "startet" }

[triggers.decide]
label = { en = "Decide", nb = "Avgjør" }
past = { en = "decided", nb = "avgjort" }

[triggers.withdraw]
label = { en = "Withdraw", nb = "Trekk tilbake" }
past = { en = "withdrawn", nb = "trukket tilbake" }

[outcomes.upheld]
label = { en = "upheld", nb = "medhold" }

[outcomes.dismissed]
label = { en = "dismissed", nb = "avvist" }

[outcomes.withdrawn]
label = { en = "withdrawn", nb = "trukket tilbake" }

[[transitions]]
trigger = "start"
from = ["open"]
to = "review"
meaning = { en = "review begins", nb = "vurderingen begynner" }

[[transitions]]
trigger = "decide"
from = ["review"]
to = "decided"
outcomes = ["upheld", "dismissed"]
sets = "decision"
guards = ["is_examination_enabled"]
meaning = { en = "decided", nb = "avgjort" }

[[transitions]]
trigger = "withdraw"
from = ["open", "review"]
to = "decided"
outcomes = ["withdrawn"]
sets = "outcome"
meaning = { en = "withdrawn", nb = "trukket tilbake" }

[deadlines.acknowledge]
label = { en = "acknowledgement", nb = "bekreftelse" }
basis = "received"
duration = "7d"
open_in = ["open"]

[deadlines.decision]
label = { en = "decision", nb = "avgjørelse" }
title = { en = "decision on the complaint", nb = "avgjørelse av klagen" }
basis = "entered"
duration = "3mo"
open_in = ["review"]

[reports]
stages = ["decision"]
outcomes = ["upheld", "dismissed", "withdrawn"]
not_accepted = ["dismissed"]
accepted_by = ["start"]
"""


def refused(text: str) -> ProcedureInvalidError:
    with pytest.raises(ProcedureInvalidError) as caught:
        parse_procedure(text, source=SOURCE)
    return caught.value


def replaced(old: str, new: str, text: str = SMALL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_a_valid_definition_reads_into_a_procedure_with_its_hash_and_text() -> None:
    """Every part of the file is in the value, with the sha256 of the exact text."""
    small = parse_procedure(SMALL, source=SOURCE)
    assert (small.id, small.version, small.initial) == ("small", "1", "open")
    assert small.title == Labels("Small", "Liten")
    assert small.sha256 == hashlib.sha256(SMALL.encode()).hexdigest() and small.text == SMALL
    assert list(small.states) == ["open", "review", "decided"]
    assert small.terminal == {"decided"} and small.concluded == {"decided"}
    assert [(t.trigger, t.source, t.dest) for t in small.transitions_from("review")] == [
        ("decide", "review", "decided"),
        ("withdraw", "review", "decided"),
    ]
    decide = small.find("review", "decide")
    assert decide is not None
    assert (decide.outcomes, decide.sets, decide.guards) == (
        ("upheld", "dismissed"),
        "decision",
        ("is_examination_enabled",),
    )
    assert small.find("open", "decide") is None
    assert small.open_deadlines("open") == {"acknowledge"} and small.open_deadlines("decided") == set()
    assert small.is_terminal("decided") and not small.is_terminal("open")
    assert small.label("state", "review", "nb") == "vurdering"
    assert small.label("past", "start", "en") == "started"
    assert small.label("deadline_title", "decision", "nb") == "avgjørelse av klagen"
    assert small.label("deadline_title", "acknowledge", "en") == "acknowledgement"  # title: the label
    assert small.label("outcome", "nothing_known", "nb") == "nothing known"
    assert small.reports.stages == ("decision",) and small.reports.accepted_by == ("start",)
    assert small.field_of("upheld") == "decision"


def test_the_same_text_is_the_same_procedure_and_any_change_is_another() -> None:
    """Procedures are equal by id, version and hash: a changed comment makes another version."""
    assert parse_procedure(SMALL, source="a") == parse_procedure(SMALL, source="b")
    assert parse_procedure(SMALL, source="a") != parse_procedure(SMALL + "# note\n", source="a")


def test_the_shipped_definition_is_today_s_lifecycle() -> None:
    """oecd-2023 has the seven states, nine triggers, eight outcomes and seven deadlines."""
    assert list(OECD.states) == [
        "received",
        "initial_assessment",
        "good_offices",
        "examination",
        "final_statement",
        "follow_up",
        "closed",
    ]
    assert len(OECD.triggers) == 9 and len(OECD.outcomes) == 10 and len(OECD.transitions) == 15
    assert {name: rule.duration_text for name, rule in OECD.deadlines.items()} == {
        "acknowledgement": "14d",
        "initial_assessment": "3mo",
        "good_offices": "6mo",
        "examination": "3mo",
        "final_statement": "3mo",
        "procedure": "12mo",
        "follow_up": "12mo",
        "coordination": "1mo",
    }


INVALID = [
    pytest.param(
        replaced('to = "review"', 'to = "reveiw"'),
        "transitions[1].to",
        "unknown state 'reveiw'",
        id="unknown-to",
    ),
    pytest.param(
        replaced('from = ["open"]', 'from = ["opne"]'),
        "transitions[1].from[1]",
        "unknown state 'opne'",
        id="unknown-from",
    ),
    pytest.param(
        replaced('open_in = ["open"]', 'open_in = ["opened"]'),
        "deadlines.acknowledge.open_in[1]",
        "unknown state 'opened'",
        id="unknown-open-in",
    ),
    pytest.param(
        replaced('initial = "open"', 'initial = "new"'),
        "initial",
        "unknown state 'new'",
        id="unknown-initial",
    ),
    pytest.param(
        SMALL + '\n[states.limbo]\nlabel = { en = "limbo", nb = "limbo" }\nterminal = true\n',
        "states.limbo",
        "unreachable",
        id="unreachable-state",
    ),
    pytest.param(
        replaced(
            'to = "decided"\noutcomes = ["upheld", "dismissed"]',
            'to = "stuck"\noutcomes = ["upheld", "dismissed"]',
            SMALL + '\n[states.stuck]\nlabel = { en = "stuck", nb = "fast" }\n',
        ),
        "states.stuck",
        "no transition leaves it",
        id="no-way-out",
    ),
    pytest.param(
        replaced('open_in = ["review"]', 'open_in = ["review", "decided"]'),
        "deadlines.decision.open_in",
        "never closes: it stays open in the terminal state 'decided'",
        id="deadline-open-in-terminal",
    ),
    pytest.param(
        replaced(
            'to = "decided"\noutcomes = ["upheld", "dismissed"]',
            'to = "loop"\noutcomes = ["upheld", "dismissed"]',
            SMALL
            + '\n[states.loop]\nlabel = { en = "loop", nb = "sløyfe" }\n'
            + '\n[[transitions]]\ntrigger = "start"\nfrom = ["loop"]\nto = "review"\n'
            + 'meaning = { en = "again", nb = "igjen" }\n',
        )
        .replace('open_in = ["review"]', 'open_in = ["review", "loop"]')
        .replace('from = ["open", "review"]', 'from = ["open"]'),
        "deadlines.decision.open_in",
        "never closes: no path from 'loop' leaves",
        id="deadline-never-closes",
    ),
    pytest.param(
        replaced('trigger = "start"\nfrom = ["open"]', 'trigger = "withdraw"\nfrom = ["open"]'),
        "transitions[3].from",
        "'withdraw' from 'open' is already defined by transitions[1]",
        id="same-trigger-twice",
    ),
    pytest.param(
        replaced('guards = ["is_examination_enabled"]', 'guards = ["is_full_moon"]'),
        "transitions[2].guards[1]",
        "unknown guard 'is_full_moon'",
        id="unknown-guard",
    ),
    pytest.param(
        replaced('outcomes = ["upheld", "dismissed"]', 'outcomes = ["upheld", "rejected"]'),
        "transitions[2].outcomes[2]",
        "unknown outcome 'rejected'",
        id="unknown-outcome",
    ),
    pytest.param(
        replaced('outcomes = ["upheld", "dismissed", "withdrawn"]', 'outcomes = ["upheld", "won"]'),
        "reports.outcomes[2]",
        "unknown outcome 'won'",
        id="unknown-report-outcome",
    ),
    pytest.param(
        replaced('duration = "7d"', 'duration = "7 days"'),
        "deadlines.acknowledge.duration",
        "'7 days' is not a duration",
        id="bad-duration",
    ),
    pytest.param(
        replaced('basis = "entered"', 'basis = "accepted"'),
        "deadlines.decision.basis",
        "'accepted' is not a basis",
        id="bad-basis",
    ),
    pytest.param(
        replaced('label = { en = "review", nb = "vurdering" }', 'label = { en = "review" }'),
        "states.review.label.nb",
        "missing",
        id="missing-language",
    ),
    pytest.param(
        replaced(
            'label = { en = "review", nb = "vurdering" }',
            'label = { en = "review", nb = "vurdering", de = "Prüfung" }',
        ),
        "states.review.label.de",
        "unknown key",
        id="unknown-language",
    ),
    pytest.param(
        replaced("terminal = true", "terminl = true"),
        "states.decided.terminl",
        "unknown key (a typo?)",
        id="unknown-key-in-state",
    ),
    pytest.param(
        replaced('to = "review"', 'to = "review"\ngaurds = []'),
        "transitions[1].gaurds",
        "unknown key (a typo?)",
        id="unknown-key-in-transition",
    ),
    pytest.param(SMALL + 'colour = "blue"\n', "reports.colour", "unknown key", id="unknown-key-in-reports"),
    pytest.param("titel = 1\n" + SMALL, "titel", "unknown key (a typo?)", id="unknown-top-level-key"),
    pytest.param(
        replaced('version = "1"', "version = 1"), "version", "must be a string", id="version-not-text"
    ),
    pytest.param(
        replaced('sets = "decision"\n', ""), "transitions[2].sets", "missing", id="outcomes-without-sets"
    ),
    pytest.param(
        replaced('to = "review"', 'to = "review"\nsets = "outcome"'),
        "transitions[1].sets",
        "allows no outcomes",
        id="sets-without-outcomes",
    ),
    pytest.param(
        replaced('from = ["open", "review"]', 'from = ["open", "decided"]'),
        "transitions[3].from",
        "'decided' is terminal",
        id="leaving-a-terminal-state",
    ),
    pytest.param("id = ", "(file)", "not valid TOML", id="not-toml"),
    pytest.param(
        replaced('duration = "3mo"', 'duration = "3mo"\nmax_extension = "soon"'),
        "deadlines.decision.max_extension",
        "'soon' is not a duration",
        id="max-extension-not-a-duration",
    ),
    pytest.param(
        replaced('duration = "3mo"', 'duration = "3mo"\nmax_extension = "0d"'),
        "deadlines.decision.max_extension",
        "'0d' is no time at all",
        id="max-extension-of-nothing",
    ),
    pytest.param(
        replaced('duration = "3mo"', 'duration = "1mo10wd"'),
        "deadlines.decision.duration",
        "mixes working days (wd) with calendar days",
        id="working-days-mixed-with-months",
    ),
]


@pytest.mark.parametrize(("text", "key", "problem"), INVALID)
def test_an_invalid_definition_is_refused_naming_the_file_and_the_key(
    text: str, key: str, problem: str
) -> None:
    """The message starts with the file, then the key, then what is wrong with it."""
    error = refused(text)
    assert error.code == "procedure_invalid"
    assert isinstance(error, InvalidInputError)  # bad input: exit 2 on the command line
    assert (error.source, error.key) == (SOURCE, key)
    assert str(error).startswith(f"{SOURCE}: {key}: "), str(error)
    assert problem in str(error)


def test_a_deadline_may_count_working_days_and_cap_its_extensions() -> None:
    """`duration = "10wd"` reads as ten working days; `max_extension` as the most all extensions add."""
    text = replaced('duration = "3mo"', 'duration = "10wd"\nmax_extension = "3mo"')
    rule = parse_procedure(text, source=SOURCE).deadlines["decision"]
    assert (rule.duration, rule.duration_text) == (Duration(working_days=10), "10wd")
    assert rule.max_extension == Duration(months=3)
    assert parse_procedure(SMALL, source=SOURCE).deadlines["decision"].max_extension is None


def test_each_procedure_version_gets_its_own_machine_built_once() -> None:
    """states.machine builds one `transitions` machine per procedure version and keeps it."""
    from states.machine import fire, machine

    small = parse_procedure(SMALL, source=SOURCE)
    assert machine(OECD) is machine(OECD)
    assert machine(small) is machine(parse_procedure(SMALL, source="again.toml"))  # same text
    assert machine(small) is not machine(OECD)
    assert fire(small, "open", "start") == "review"
    assert fire(small, "open", "accept") is None  # oecd-2023's trigger is no edge here
    assert fire(OECD, "received", "start") is None
