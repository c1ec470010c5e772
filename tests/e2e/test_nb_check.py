"""The Norwegian check itself (tests/e2e/nb_check.py) can fail: it finds an untranslated message,
a message whose Norwegian is its English, the catalogue's English on a Norwegian page (in its text
and in what a screen reader reads), and a raw internal name on a page in either language."""

from __future__ import annotations

from typing import Any

import pytest

import translations
from tests.e2e.nb_check import StrictWords, english_phrases, leaks, visible_text

PAGE = """<!doctype html><html lang="nb"><head><title>{title}</title><style>.x{{color:red}}</style></head>
<body><main><h1>{heading}</h1>
<form><input type="hidden" name="trigger" value="initial_assessment">
<select name="kind"><option value="lead_assigned">saksansvarlig tildelt</option></select>
<label>Begrunnelse <input name="reason" aria-label="{label}"></label>
<input type="submit" value="{button}"><button name="add" value="submitter">Legg til</button></form>
<a href="/audit?kind=fact_recorded">Revisjon</a></main></body></html>"""


def page(**parts: str) -> str:
    values = {"title": "Åpne saker", "heading": "Åpne saker", "label": "Begrunnelse", "button": "lagre"}
    return PAGE.format(**{**values, **parts})


def test_a_norwegian_page_with_nothing_wrong_passes() -> None:
    """Identifiers in hidden fields, option values, a <button>'s value and links are not what a
    reader sees."""
    assert leaks(page(), norwegian=True) == []
    assert "initial_assessment" not in " ".join(visible_text(page()))


@pytest.mark.parametrize("part", ["title", "heading", "label", "button"])
def test_the_catalogues_english_on_a_norwegian_page_is_found_wherever_a_reader_meets_it(part: str) -> None:
    """ "Open cases" (a msgid whose Norwegian is "Åpne saker") in the text, the title, an
    aria-label or a button's value."""
    found = leaks(page(**{part: "Open cases"}), norwegian=True)
    assert found and "Open cases" in found[0], found
    assert leaks(page(**{part: "Open cases"}), norwegian=False) == []  # English on an English page


def test_a_raw_internal_name_is_found_on_a_page_in_either_language() -> None:
    """A state's identifier, a party type, an audit kind: on a Norwegian and an English page."""
    for raw in ("initial_assessment", "trade_union", "lead_assigned", "ngo", "transitioned"):
        for norwegian in (True, False):
            found = leaks(page(heading=f"Fase: {raw}"), norwegian=norwegian)
            assert any(f"raw name {raw!r}" in f for f in found), (raw, found)
    text = "Hei Bjørn,\nFasen er good_offices."
    assert leaks(text, norwegian=True, html=False) == ["raw name 'good_offices' in 'Fasen er good_offices.'"]


def test_english_phrases_leave_out_what_the_norwegian_keeps_and_command_line_options() -> None:
    """A msgid's words its Norwegian keeps (a command, a name) are not English leaks, nor is an
    option of a command shown in a message (`--override`)."""
    phrases = english_phrases()
    assert "Open cases" in phrases
    assert "ncpflow members sync" not in phrases
    assert leaks("<p>kjør med --override</p>", norwegian=True) == []
    assert leaks("<p>Flytt den: ncpflow case reassign NCP-2025-001 --to MEDLEM</p>", norwegian=True) == []


def test_the_strict_translator_records_an_untranslated_message_and_a_copied_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A message the catalogue lacks, and one whose msgstr is only its msgid, are recorded; a
    translated one, a deliberate loanword and a template of placeholders only are not; the
    catalogue is as before afterwards."""
    nb: Any = translations.translator("nb")
    monkeypatch.setitem(nb._catalog, "Copied but not translated", "Copied but not translated")
    strict = StrictWords()
    with strict.watching():
        assert nb.gettext("Open cases") == "Åpne saker"
        nb.gettext("A message nobody translated")
        nb.gettext("Copied but not translated")
        nb.gettext("Status")
        nb.gettext("{p0}; {p1}")
        nb.ngettext("{n} apple", "{n} apples", 2)
    assert strict.missing == {"A message nobody translated", "Copied but not translated", "{n} apple"}
    assert "gettext" not in vars(nb)
