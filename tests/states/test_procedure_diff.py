"""`procedure diff` in the pure core (states/procedure_diff.py): besides stages, steps and
deadlines, it names checklist items added, removed, reworded, moved or reordered, handbook texts
changed, letters and statements changed, dated facts and step names changed; a change to the
comments alone is no change."""

from __future__ import annotations

from states.procedure import Procedure, parse_procedure
from states.procedure_diff import Change, FieldChange, diff
from tests.helpers import OECD

IDENTITY = (
    'label = { en = "The identity of the party concerned and its interest in the matter", '
    'nb = "Hvem klageren er, og klagerens interesse i saken" }'
)


def _edited(*replacements: tuple[str, str]) -> Procedure:
    """The shipped oecd-2023 with each (old, new) replaced once (the old text must be there)."""
    text = OECD.text
    for old, new in replacements:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return parse_procedure(text, source="edited.toml")


def _summary(changes: tuple[Change, ...]) -> list[tuple[str, str, str]]:
    return [(c.part, c.name, c.change) for c in changes]


def test_the_same_definition_has_no_changes_and_neither_has_one_with_other_comments() -> None:
    """Comments and blank lines are not part of the procedure: nothing to name."""
    assert diff(OECD, OECD) == ()
    assert (
        diff(
            OECD,
            _edited(
                (
                    "# ------------------------------------------------------------------ letters",
                    "# letters, reworded comment\n",
                )
            ),
        )
        == ()
    )


def test_a_checklist_item_added_is_named_with_its_stage_and_words() -> None:
    """A seventh item in the initial assessment: one change, the item added with its stage and
    labels; the stage itself does not change."""
    added = _edited(
        (
            "[[states.good_offices.checklist]]",
            '[[states.initial_assessment.checklist]]\nid = "ia_new"\n'
            'label = { en = "Conflicts of interest checked", nb = "Interessekonflikter kontrollert" }\n\n'
            "[[states.good_offices.checklist]]",
        )
    )
    assert diff(OECD, added) == (
        Change(
            "checklist",
            "ia_new",
            "added",
            (
                FieldChange("stage", None, "initial_assessment"),
                FieldChange("label", None, "Conflicts of interest checked"),
                FieldChange("label_nb", None, "Interessekonflikter kontrollert"),
            ),
        ),
    )


def test_a_checklist_item_removed_is_named_with_the_stage_it_was_in() -> None:
    """The other way round: the item removed, with what it was."""
    removed = _edited(
        (
            '[[states.final_statement.checklist]]\nid = "fs_comments_considered"',
            '[[states.final_statement.checklist]]\nid = "fs_comments_considered_x"',
        )
    )
    assert _summary(diff(OECD, removed)) == [
        ("checklist", "fs_comments_considered", "removed"),
        ("checklist", "fs_comments_considered_x", "added"),
    ]
    (gone, _) = diff(OECD, removed)
    assert gone.fields[0] == FieldChange("stage", "final_statement", None)


def test_a_reworded_checklist_item_shows_the_label_before_and_after() -> None:
    """A new English label for ia_identity: a change of its label field only."""
    reworded = _edited((IDENTITY, IDENTITY.replace("its interest in the matter", "its interest")))
    assert diff(OECD, reworded) == (
        Change(
            "checklist",
            "ia_identity",
            "changed",
            (
                FieldChange(
                    "label",
                    "The identity of the party concerned and its interest in the matter",
                    "The identity of the party concerned and its interest",
                ),
            ),
        ),
    )


def test_a_new_help_text_on_an_item_is_a_change_of_its_help() -> None:
    with_help = _edited((IDENTITY, IDENTITY + '\nhelp = { en = "Ask for proof.", nb = "Be om bevis." }'))
    (change,) = diff(OECD, with_help)
    assert (change.part, change.name) == ("checklist", "ia_identity")
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("help", None, "Ask for proof."),
        ("help_nb", None, "Be om bevis."),
    ]


def test_items_of_a_checklist_in_another_order_change_the_stages_checklist_order() -> None:
    """Swapping the good offices' first two items: the state's checklist order changes."""
    offer = '[[states.good_offices.checklist]]\nid = "go_offer_sent"'
    checked = '[[states.good_offices.checklist]]\nid = "go_mediator_checked"'
    text = OECD.text
    start = text.index(offer)
    end = text.index("[[states.good_offices.checklist]]", text.index(checked) + 1)
    first, second = text[start : text.index(checked)], text[text.index(checked) : end]
    swapped = parse_procedure(text[:start] + second + first + text[end:], source="swapped.toml")
    (change,) = diff(OECD, swapped)
    assert (change.part, change.name, change.change) == ("state", "good_offices", "changed")
    assert change.fields == (
        FieldChange(
            "checklist",
            ["go_offer_sent", "go_mediator_checked", "go_terms_agreed"],
            ["go_mediator_checked", "go_offer_sent", "go_terms_agreed"],
        ),
    )


def test_a_changed_handbook_text_names_the_stage_and_the_text() -> None:
    """The received stage's description in Norwegian, and the coordination text in English."""
    assert OECD.states["received"].handbook is not None
    old_nb = OECD.states["received"].handbook.description.nb
    assert OECD.coordination is not None
    edited = _edited(
        (old_nb, old_nb + " Saken får en referanse."),
        (OECD.coordination.en, OECD.coordination.en + " More in the OECD guide."),
    )
    found = diff(OECD, edited)
    assert _summary(found) == [("procedure", "coordination", "changed"), ("handbook", "received", "changed")]
    assert [f.field for f in found[0].fields] == ["text"]
    assert found[1].fields == (FieldChange("description_nb", old_nb, old_nb + " Saken får en referanse."),)


def test_letters_changed_on_a_stage_a_step_and_in_every_stage_are_named() -> None:
    edited = _edited(
        ('letters = ["invitation"]', 'letters = ["invitation", "pause_notice"]'),
        (
            'open = ["pause_notice", "extension_notice", "draft_for_comment"]',
            'open = ["pause_notice", "extension_notice"]',
        ),
        ('letters = ["rejection"]', "letters = []"),
    )
    found = {(c.part, c.name): c.fields for c in diff(OECD, edited)}
    assert found["procedure", "letters"] == (
        FieldChange(
            "open",
            ["pause_notice", "extension_notice", "draft_for_comment"],
            ["pause_notice", "extension_notice"],
        ),
    )
    assert found["state", "good_offices"] == (
        FieldChange("letters", ["invitation"], ["invitation", "pause_notice"]),
    )
    assert found["transition", "initial_assessment --reject-->"] == (
        FieldChange("letters", ["rejection"], []),
    )
    assert len(found) == 3


def test_a_statement_published_in_fewer_stages_is_a_change_of_the_statement() -> None:
    edited = _edited(
        (
            'published_in = ["good_offices", "examination", "final_statement", "follow_up"]',
            'published_in = ["good_offices", "examination", "final_statement"]',
        )
    )
    (change,) = diff(OECD, edited)
    assert (change.part, change.name, change.change) == ("statement", "initial_assessment", "changed")
    assert change.fields == (
        FieldChange(
            "published_in",
            ["examination", "final_statement", "follow_up", "good_offices"],
            ["examination", "final_statement", "good_offices"],
        ),
    )


def test_a_renamed_step_and_a_changed_fact_are_named() -> None:
    """A trigger's label, and a fact that may now be recorded more than once."""
    trigger = OECD.triggers["withdraw"].label.en
    fact_table = "[facts.mediation_agreed]\n"
    edited = _edited(
        (f'label = {{ en = "{trigger}"', 'label = { en = "withdraw the submission"'),
        (fact_table, fact_table + "repeat = true\n"),
    )
    found = {(c.part, c.name): c.fields for c in diff(OECD, edited)}
    assert found["trigger", "withdraw"] == (FieldChange("label", trigger, "withdraw the submission"),)
    assert found["fact", "mediation_agreed"] == (FieldChange("repeat", False, True),)
