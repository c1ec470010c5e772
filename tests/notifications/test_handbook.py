"""The handbook drawn (notifications/handbook/render.py) from the shipped procedure, in English and
Norwegian, as HTML and as PDF (read back with pypdf): every stage, every step (trigger and the
stage it leaves), every deadline rule in each stage it is open in, and every letter kind appears."""

from __future__ import annotations

import html
import io
import re
from functools import cache

import pypdf
import pytest

from notifications.handbook import render
from states import handbook
from states import letters as letter_kinds
from states.calendar import CalendarRule
from tests.helpers import OECD
from translations import upper_first
from workflow import procedures

CALENDAR = CalendarRule(timezone="Europe/Oslo", holiday_country="NO")


@cache
def book(language: str) -> handbook.Handbook:
    tr = procedures.words(OECD, language)
    return handbook.build(OECD, durations={}, calendar=CALENDAR, tr=tr, language=language)


def _plain(text: str) -> str:
    return " ".join(text.split())


def html_text(language: str) -> str:
    page = render.document(book(language))
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return _plain(html.unescape(re.sub(r"<[^>]+>", " ", page)))


@cache
def pdf_text(language: str) -> str:
    data = render.pdf(book(language))
    assert data.startswith(b"%PDF")
    return _plain(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def _sections(text: str, language: str) -> dict[str, str]:
    """The text of each stage, from its numbered heading to the next one (or the facts)."""
    tr = procedures.words(OECD, language)
    ends = [
        f"{n + 1}. {upper_first(OECD.label('state', name, language))}" for n, name in enumerate(OECD.states)
    ]
    ends.append(tr.gettext(handbook.HEADINGS["facts"]))
    found = {}
    at = text.index(ends[0], text.index(ends[-1]))  # after the table of contents
    for n, name in enumerate(OECD.states):
        end = text.index(ends[n + 1], at + 1)
        found[name] = text[at:end]
        at = end
    return found


@pytest.mark.parametrize("form", ["html", "pdf"])
@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_stage_step_deadline_rule_and_letter_kind_appears_in_the_handbook(
    language: str, form: str
) -> None:
    """Each state's section holds its steps (trigger label → where it leads) and the deadline
    rules open in it; every letter kind of the definition is named; in en and nb, HTML and PDF."""
    text = html_text(language) if form == "html" else pdf_text(language)
    sections = _sections(text, language)
    for row in OECD.transitions:
        step = f"{OECD.label('trigger', row.trigger, language)} → {OECD.label('state', row.dest, language)}"
        assert step in sections[row.source], (row.source, row.trigger)
        assert _plain(row.meaning.get(language)) in sections[row.source]
    for rule in OECD.deadlines.values():
        title = OECD.label("deadline_title", rule.name, language)
        for state in rule.open_in:
            assert title in sections[state], (rule.name, state)
    tr = procedures.words(OECD, language)
    for kind in OECD.letter_kinds:
        assert letter_kinds.label(kind, tr) in text, kind
    for fact in OECD.facts.values():
        assert fact.label.get(language) in text


@pytest.mark.parametrize("form", ["html", "pdf"])
@pytest.mark.parametrize("language", ["en", "nb"])
def test_each_stage_lists_its_checklist_items_with_their_help(language: str, form: str) -> None:
    """Version 6: the initial assessment's six criteria, and the other stages' items, each in its
    own stage's section with its help; a stage without a checklist has no checklist heading."""
    text = html_text(language) if form == "html" else pdf_text(language)
    sections = _sections(text, language)
    heading = procedures.words(OECD, language).gettext(handbook.HEADINGS["checklist"])
    assert len(OECD.states["initial_assessment"].checklist) == 6
    for name, state in OECD.states.items():
        assert (heading in sections[name]) == bool(state.checklist), name
        for item in state.checklist:
            assert _plain(item.label.get(language)) in sections[name], item.id
            if item.help is not None:
                assert _plain(item.help.get(language)) in sections[name], item.id


@pytest.mark.parametrize("language", ["en", "nb"])
def test_a_stage_s_heading_and_its_line_in_the_contents_start_with_a_capital(language: str) -> None:
    """The labels are lower case for running text ("mottatt"); a heading reads "1. Mottatt"."""
    page = render.body(book(language))
    for n, name in enumerate(OECD.states, start=1):
        label = html.escape(upper_first(OECD.label("state", name, language)), quote=False)
        assert f'<a href="#stage-{name}">{label}</a>' in page, name
        assert f'id="stage-{name}-h">{n}. {label}</h2>' in page, name


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_handbook_file_is_in_its_language_with_no_script(language: str) -> None:
    """`lang` on the page, a viewport, no script, the title in the language."""
    page = render.document(book(language))
    assert f'<html lang="{language}">' in page and 'name="viewport"' in page
    assert "<script" not in page
    assert f"<title>{html.escape(book(language).heading, quote=False)}</title>" in page


def test_the_norwegian_handbook_carries_no_english_text_of_the_definition() -> None:
    """No English description, reference, told text, label or meaning (where it differs from its
    Norwegian) is left in the Norwegian handbook."""
    text = html_text("nb").replace("[procedure] examination", "")  # a config key, not a word
    assert OECD.coordination is not None
    english = [OECD.title.en, OECD.coordination.en]
    for state in OECD.states.values():
        english.append(state.label.en)
        if state.handbook is not None:
            english.append(state.handbook.description.en)
            english.extend(item.en for item in state.handbook.rests_on)
            if state.handbook.told is not None:
                english.append(state.handbook.told.en)
    english.extend(row.meaning.en for row in OECD.transitions)
    for words in english:
        assert _plain(words) not in text, words


def test_a_handbook_asked_for_again_as_a_pdf_is_not_laid_out_again() -> None:
    """Laying the PDF out costs about a second of CPU, and every signed-in role may ask for
    /handbook.pdf: the same handbook (built anew, the same file) answers the PDF laid out before;
    another one (its other language) is laid out."""
    tr = procedures.words(OECD, "en")
    again = handbook.build(OECD, durations={}, calendar=CALENDAR, tr=tr, language="en")
    assert again is not book("en")
    first = render.pdf(book("en"))
    assert render.pdf(again) is first
    assert render.pdf(book("nb")) is not first
