"""Every row of the lifecycle table says what it means in Norwegian bokmål too.

The rows come from `lifecycle.TRANSITIONS`, so a new transition without Norwegian words fails.
"""

from __future__ import annotations

import pytest

from states import wording
from states.lifecycle import TRANSITIONS, Transition


@pytest.mark.parametrize("row", TRANSITIONS,
                         ids=[f"{t.trigger.value}-from-{t.source.value}" for t in TRANSITIONS])
def test_each_transition_has_a_norwegian_meaning(row: Transition) -> None:
    assert row.meaning, "every row of the lifecycle table says what it means"
    norwegian = wording.NORWEGIAN.transitions.get(row.meaning)
    assert norwegian, f"no Norwegian words for {row.meaning!r}"
    assert norwegian != row.meaning
    assert wording.meaning(row.meaning, "nb") == norwegian


def test_english_and_unknown_languages_keep_the_table_text_and_no_norwegian_entry_is_stale(
) -> None:
    meanings = {row.meaning for row in TRANSITIONS}
    assert set(wording.NORWEGIAN.transitions) == meanings
    for text in meanings:
        assert wording.meaning(text, "en") == text
        assert wording.meaning(text, "de") == text
    assert wording.meaning("something new", "nb") == "something new"
