"""Every transition of the shipped oecd-2023 definition says what it means in Norwegian bokmål too,
and the procedure's words reach the explanations through `wording.ProcedureWords`.
"""

from __future__ import annotations

import pytest

from states import wording
from states.procedure import Transition
from tests.helpers import OECD
from translations import translator

NB = translator("nb")


@pytest.mark.parametrize(
    "row", OECD.transitions, ids=[f"{t.trigger}-from-{t.source}" for t in OECD.transitions]
)
def test_each_transition_has_a_norwegian_meaning(row: Transition) -> None:
    """Each row's meaning has its own Norwegian words, which the procedure's words give."""
    assert row.meaning.en, "every transition says what it means"
    assert row.meaning.nb != row.meaning.en, f"no Norwegian words for {row.meaning.en!r}"
    assert wording.translate(row.meaning.en, wording.procedure_words(OECD, "nb", NB)) == row.meaning.nb


def test_english_and_unknown_languages_keep_the_definition_s_text() -> None:
    """English and a language not shipped say what the definition says in English."""
    for row in OECD.transitions:
        for language in ("en", "de"):
            words = wording.procedure_words(OECD, language, translator(language))
            assert wording.translate(row.meaning.en, words) == row.meaning.en
    assert wording.translate("something new", wording.procedure_words(OECD, "nb", NB)) == "something new"
