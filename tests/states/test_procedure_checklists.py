"""`[[states.NAME.checklist]]` read and checked (states/procedure.py): oecd-2023 version 6's
items, and every malformed checklist refused naming its key."""

from __future__ import annotations

import pytest

from states.errors import ProcedureInvalidError
from states.procedure import parse_procedure
from tests.helpers import OECD, oecd_version_5

IA = "states.initial_assessment.checklist"
FOLLOW_UP_CLOSE = 'from = ["follow_up"]\nto = "closed"\n'
FIRST = '[[states.initial_assessment.checklist]]\nid = "ia_identity"\n'


def test_version_6_gives_three_stages_a_checklist_in_order_with_both_languages() -> None:
    assert [i.id for i in OECD.checklist("good_offices")] == [
        "go_offer_sent",
        "go_mediator_checked",
        "go_terms_agreed",
    ]
    assert len(OECD.checklist("final_statement")) == 3 and OECD.checklist("received") == ()
    item = OECD.checklist("initial_assessment")[4]
    assert item.id == "ia_other_proceedings" and item.help is not None
    assert item.label.nb.startswith("Hvordan lignende spørsmål")
    assert OECD.checklist_stage("go_terms_agreed") == "good_offices" and OECD.checklist_stage("nope") is None


def test_version_5_without_its_checklists_still_reads() -> None:
    five = parse_procedure(oecd_version_5(), source="v5.toml")
    assert five.version == "5" and all(not s.checklist for s in five.states.values())


def _changed(old: str, new: str) -> str:
    assert old in OECD.text
    return OECD.text.replace('version = "6"', 'version = "6-test"').replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (_changed('id = "ia_material"', 'id = "ia_identity"'), "states.initial_assessment.checklist[2].id",
         "another checklist item"),
        (_changed('id = "ia_material"', 'id = "accept"'), "states.initial_assessment.checklist[2].id",
         "already the name of a state, trigger"),
        (_changed('id = "ia_material"', 'id = "Material"'), "states.initial_assessment.checklist[2].id",
         "is not a name"),
        (_changed(FIRST, FIRST + "colour = 1\n"), f"{IA}[1].colour", "unknown key"),
        (_changed(FIRST + "label", FIRST + "help"), f"{IA}[1].label", "missing"),
        (_changed(FOLLOW_UP_CLOSE, FOLLOW_UP_CLOSE + 'guards = ["checklist_complete"]\n'), "transitions[",
         "needs a checklist on 'follow_up'"),
    ],
)  # fmt: skip
def test_a_malformed_checklist_is_refused_naming_its_key(text: str, key: str, problem: str) -> None:
    with pytest.raises(ProcedureInvalidError) as refused:
        parse_procedure(text, source="ours.toml")
    message = str(refused.value)
    assert "ours.toml" in message and key in message and problem in message, message
