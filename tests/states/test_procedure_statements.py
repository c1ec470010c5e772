"""`[statements.KIND]` in a procedure definition: which statement kinds a state drafts and
publishes, and what publishing each fires; oecd-2023 version 4's rows, and every refusal naming
the file and the key."""

from __future__ import annotations

import pytest

from states.errors import ProcedureInvalidError
from states.procedure import parse_procedure
from workflow import procedures

OECD = procedures.shipped()


@pytest.mark.parametrize(
    ("state", "drafted", "published"),
    [
        ("received", (), ()),
        ("initial_assessment", ("initial_assessment",), ()),
        ("good_offices", ("initial_assessment", "final_statement"), ("initial_assessment",)),
        ("examination", ("initial_assessment", "final_statement"), ("initial_assessment",)),
        (
            "final_statement",
            ("initial_assessment", "final_statement"),
            ("initial_assessment", "final_statement"),
        ),
        ("follow_up", ("follow_up",), ("initial_assessment", "follow_up")),
        ("closed", (), ()),
    ],
)
def test_each_state_of_oecd_2023_drafts_and_publishes_its_statement_kinds(
    state: str, drafted: tuple[str, ...], published: tuple[str, ...]
) -> None:
    """Version 4's table, one row per state: the kinds a case there drafts and publishes."""
    assert OECD.version == "6"
    assert OECD.statements_drafted(state) == drafted
    assert OECD.statements_published(state) == published


@pytest.mark.parametrize(
    ("kind", "fact", "triggers"),
    [
        ("initial_assessment", "assessment_published", ()),
        ("final_statement", None, ("publish", "close")),
        ("follow_up", None, ("close",)),
    ],
)
def test_each_statement_kind_fires_what_oecd_2023_declares(
    kind: str, fact: str | None, triggers: tuple[str, ...]
) -> None:
    """Publishing an initial assessment records its fact; a final statement fires `publish` (or
    `close`); a follow-up statement fires `close`."""
    rule = OECD.statements[kind]
    assert (rule.fact, rule.triggers) == (fact, triggers)


@pytest.mark.parametrize(
    ("changed", "key", "problem"),
    [
        (
            lambda t: t.replace("[statements.follow_up]", "[statements.apology]"),
            "statements.apology",
            "unknown key (a typo?)",
        ),
        (
            lambda t: t.replace('drafted_in = ["follow_up"]', 'drafted_in = ["folow_up"]'),
            "statements.follow_up.drafted_in[1]",
            "unknown state 'folow_up'",
        ),
        (
            lambda t: t.replace('published_in = ["follow_up"]', "published_in = []"),
            "statements.follow_up.published_in",
            "must name at least one state",
        ),
        (
            lambda t: t.replace('fact = "assessment_published"', 'fact = "assessment_publish"'),
            "statements.initial_assessment.fact",
            "unknown fact 'assessment_publish'",
        ),
        (
            lambda t: t.replace('fact = "assessment_published"', 'fact = "mediation_agreed"'),
            "statements.initial_assessment.fact",
            "'mediation_agreed' cannot be recorded in examination, final_statement, follow_up",
        ),
        (
            lambda t: t.replace('triggers = ["publish", "close"]', 'triggers = ["publish", "accept"]'),
            "statements.final_statement.triggers[2]",
            "no transition 'accept' leaves final_statement",
        ),
        (
            lambda t: t.replace('triggers = ["close"]', 'triggers = ["close"]\nfact = "later_agreement"'),
            "statements.follow_up.fact",
            "give a fact or triggers, not both",
        ),
        (
            lambda t: t.replace('triggers = ["close"]', 'triggers = ["close", "close"]'),
            "statements.follow_up.triggers",
            "names a trigger twice",
        ),
        (
            lambda t: t.replace('triggers = ["close"]', "triggers = []"),
            "statements.follow_up.triggers",
            "must be a list of trigger names",
        ),
        (
            lambda t: t.replace('triggers = ["close"]', 'triggers = ["close"]\nwhen = "later"'),
            "statements.follow_up.when",
            "unknown key (a typo?)",
        ),
    ],
)
def test_a_definition_with_a_wrong_statement_rule_is_refused_naming_file_and_key(
    changed: object, key: str, problem: str
) -> None:
    """An unknown kind, state, fact or trigger, a fact not recordable where the kind is
    published, a trigger that does not leave such a state, both a fact and triggers: refused
    when the definition is read, naming the file and the key."""
    assert callable(changed)
    text = changed(OECD.text)
    assert text != OECD.text
    with pytest.raises(ProcedureInvalidError) as raised:
        parse_procedure(text, source="ours.toml")
    message = str(raised.value)
    assert "ours.toml" in message and key in message and problem in message, message


def test_a_definition_without_statements_offers_none() -> None:
    """`[statements]` is optional: without it a definition reads and offers no statement."""
    start = OECD.text.index("# ------------------------------------------------------------------ statements")
    end = OECD.text.index("# ------------------------------------------------------------------ reports")
    bare = parse_procedure(OECD.text[:start] + OECD.text[end:], source="bare.toml")
    assert bare.statements == {} and bare.statements_drafted("final_statement") == ()
    for ident in procedures.shipped_ids():
        assert set(procedures.shipped(ident).statements) <= {
            "initial_assessment",
            "final_statement",
            "follow_up",
        }
