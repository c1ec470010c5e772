"""Which letters a procedure step offers is the procedure's data: `letters` on states and
transitions and `[letters] open`, checked when the definition is read."""

from __future__ import annotations

import pytest

from states.errors import ProcedureInvalidError
from states.letters import KINDS, LetterKind, label, needs_deadline
from states.messages import ENGLISH
from states.procedure import parse_procedure
from workflow import procedures

OECD = procedures.shipped("oecd-2023")
NOTICES_AND_DRAFT = ("pause_notice", "extension_notice", "draft_for_comment")


def test_oecd_2023_offers_each_letter_at_its_step() -> None:
    """Acknowledgement on receipt and on beginning the assessment, acceptance and rejection on the
    assessment's outcomes, the invitation in good offices, the closing letter once closed."""
    offered = OECD.letters_offered
    assert offered("received") == ("acknowledgement", *NOTICES_AND_DRAFT)
    assert offered("initial_assessment", entered_by=("received", "begin_assessment")) == (
        "acknowledgement",
        *NOTICES_AND_DRAFT,
    )
    assert offered("good_offices", entered_by=("initial_assessment", "accept")) == (
        "acceptance",
        "invitation",
        *NOTICES_AND_DRAFT,
    )
    assert offered("final_statement", entered_by=("initial_assessment", "reject")) == (
        "rejection",
        *NOTICES_AND_DRAFT,
    )
    assert offered("closed", entered_by=("final_statement", "close")) == ("case_closed",)


def test_a_step_that_led_elsewhere_offers_nothing_of_its_own() -> None:
    """The letters of the step that brought a case count only when it brought it to this state:
    a case in final statement after `conclude` is not offered the rejection."""
    assert "rejection" not in OECD.letters_offered("final_statement", entered_by=("good_offices", "conclude"))
    assert "rejection" not in OECD.letters_offered("examination", entered_by=("initial_assessment", "reject"))
    assert OECD.letters_offered("no_such_state") == ()


def test_every_shipped_definition_names_only_known_kinds_and_the_oecd_one_names_them_all() -> None:
    """oecd-2023 offers every kind somewhere; the others offer some; none names an unknown kind."""
    assert set(OECD.letter_kinds) == set(KINDS)
    for ident in procedures.shipped_ids():
        kinds = procedures.shipped(ident).letter_kinds
        assert kinds and set(kinds) <= set(KINDS), ident


def _with(text: str) -> str:
    return OECD.text.replace(f'version = "{OECD.version}"', 'version = "4-test"').replace(
        'open = ["pause_notice", "extension_notice", "draft_for_comment"]', text
    )


@pytest.mark.parametrize(
    ("changed", "key", "problem"),
    [
        (
            lambda t: t.replace('letters = ["invitation"]', 'letters = ["invitaton"]'),
            "states.good_offices.letters[1]",
            "unknown letter kind 'invitaton'; known: acknowledgement, acceptance",
        ),
        (
            lambda t: t.replace('letters = ["rejection"]', 'letters = ["rejection", "refusal"]'),
            "transitions[3].letters[2]",
            "unknown letter kind 'refusal'",
        ),
        (
            lambda t: _with('open = ["pause_notice", "pause"]'),
            "letters.open[2]",
            "unknown letter kind 'pause'",
        ),
        (
            lambda t: _with('open = ["pause_notice", "pause_notice"]'),
            "letters.open",
            "names a letter kind twice",
        ),
        (
            lambda t: _with('always = ["pause_notice"]'),
            "letters.always",
            "unknown key (a typo?); known here: open",
        ),
        (
            lambda t: t.replace('letters = ["case_closed"]', 'letters = "case_closed"'),
            "states.closed.letters",
            "must be a list of letter kind names",
        ),
    ],
)
def test_a_definition_naming_an_unknown_letter_kind_is_refused_naming_file_and_key(
    changed: object, key: str, problem: str
) -> None:
    """An unknown kind (a typo), a kind twice, an unknown key in [letters] or a list that is not
    one: refused when the definition is read, naming the file and the key."""
    assert callable(changed)
    with pytest.raises(ProcedureInvalidError) as raised:
        parse_procedure(changed(OECD.text), source="ours.toml")
    message = str(raised.value)
    assert "ours.toml" in message and key in message and problem in message, message


def test_a_definition_without_letters_offers_none() -> None:
    """`letters` is optional everywhere: a definition without it reads, and offers no letter."""
    text = OECD.text.replace(f'version = "{OECD.version}"', 'version = "no-letters"')
    for line in (
        'letters = ["acknowledgement"]\n',
        'letters = ["invitation"]\n',
        'letters = ["case_closed"]\n',
        'letters = ["acceptance", "invitation"]\n',
        'letters = ["rejection"]\n',
        '[letters]\nopen = ["pause_notice", "extension_notice", "draft_for_comment"]\n',
    ):
        text = text.replace(line, "")
    bare = parse_procedure(text, source="bare.toml")
    assert bare.letter_kinds == ()
    assert all(bare.letters_offered(state) == () for state in bare.states)


def test_the_notices_need_a_deadline_and_every_kind_has_words() -> None:
    """The pause and extension notices quote a deadline; each kind has a name for people."""
    assert {kind for kind in KINDS if needs_deadline(kind)} == {"pause_notice", "extension_notice"}
    assert label(LetterKind.INVITATION, ENGLISH) == "invitation to good offices"
    assert all(label(kind, ENGLISH) for kind in KINDS)
