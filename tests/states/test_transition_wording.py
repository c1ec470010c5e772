"""Every row of the lifecycle table says what it means in Norwegian bokmål too.

The rows come from `lifecycle.TRANSITIONS`, so a new transition without Norwegian words fails.
"""

from __future__ import annotations

import pytest

from states import wording
from states.lifecycle import TRANSITIONS, Transition
from translations import translator

NB = translator("nb")


@pytest.mark.parametrize(
    "row", TRANSITIONS, ids=[f"{t.trigger.value}-from-{t.source.value}" for t in TRANSITIONS]
)
def test_each_transition_has_a_norwegian_meaning(row: Transition) -> None:
    assert row.meaning, "every row of the lifecycle table says what it means"
    norwegian = wording.translate(row.meaning, NB)
    assert norwegian != row.meaning, f"no Norwegian words for {row.meaning!r}"


def test_english_and_unknown_languages_keep_the_table_text() -> None:
    """English and a language not shipped say what the table says."""
    meanings = {row.meaning for row in TRANSITIONS}
    for text in meanings:
        assert wording.translate(text, translator("en")) == text
        assert wording.translate(text, translator("de")) == text
    assert wording.translate("something new", NB) == "something new"
