"""The case page as the case's story, through HTTP: the note form (CSRF, refusals in the page's
language keeping what was typed), the timeline's filters and pages, and what each role sees."""

from __future__ import annotations

import re

from tests.dbdump import dump
from tests.e2e.conftest import Site
from workflow import notes


def _write(site: Site, text: str, **extra: str) -> object:
    page = f"/cases/{site.reference}"
    return site.client.post(
        f"{page}/notes",
        data={"text": text, "csrf_token": site.csrf(page), **extra},
        follow_redirects=False,
    )


def _note(site: Site, text: str, actor: str = "hanna") -> None:
    notes.add_note(
        uow=site.services.uow, clock=site.services.clock, reference=site.reference, text=text, actor=actor
    )


def test_a_handler_writes_a_note_on_the_case_page_and_reads_it_in_the_story(site: Site) -> None:
    """The form saves the note, the flash says which, and the story shows its text newest first."""
    site.client.get(f"/cases/{site.reference}?lang=en")  # the page's language, kept in its cookie
    answer = _write(site, "Met the enterprise's lawyer.\nThey want mediation.")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert "Note 1 saved." in page
    assert "Met the enterprise&#39;s lawyer.\nThey want mediation." in page
    story = page[page.index('id="story"') :]
    assert story.index('id="note-1"') < story.index('id="step-')  # newest first


def test_a_note_without_its_csrf_token_is_refused_and_writes_nothing(site: Site) -> None:
    """No token, no note."""
    before = dump(site.url)
    answer = site.client.post(f"/cases/{site.reference}/notes", data={"text": "sneaky"})
    assert answer.status_code == 403
    assert dump(site.url) == before


def test_a_blank_note_comes_back_refused_in_norwegian_with_the_form_as_typed(site: Site) -> None:
    """A refusal names the field by its label in the page's language, keeps what was typed
    (the note it replaces) and writes nothing."""
    site.client.get(f"/cases/{site.reference}?lang=nb")
    before = dump(site.url)
    answer = _write(site, "   ", replaces="7")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert "Notattekst er påkrevd" in text, text[text.index("flash") :][:300]
    assert re.search(r'name="replaces" min="1" value="7"', text)
    assert '<details class="more" open>' in text
    assert dump(site.url) == before


def test_an_unknown_note_to_replace_is_refused_naming_the_field_and_keeping_the_text(site: Site) -> None:
    """Replacing note 4 of a case without notes: the page says so and keeps the note typed."""
    site.client.get(f"/cases/{site.reference}?lang=en")
    answer = _write(site, "A correction", replaces="4")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "Replaces note number" in answer.text  # type: ignore[attr-defined]
    assert "has no note 4" in answer.text  # type: ignore[attr-defined]
    assert ">A correction</textarea>" in answer.text  # type: ignore[attr-defined]


def test_the_story_filters_by_kind_with_plain_links_and_checkboxes(site: Site) -> None:
    """`?kind=note` shows the notes alone, its box checked; `?kind=step` the steps alone."""
    _note(site, "Only a note")
    page = site.client.get(f"/cases/{site.reference}?kind=note&lang=en").text
    story = page[page.index('id="story"') :]
    assert 'id="note-1"' in story and 'id="step-' not in story
    assert 'name="kind" value="note" checked' in story
    assert f'href="/cases/{site.reference}?kind=step#story"' in story
    steps = site.client.get(f"/cases/{site.reference}?kind=step&lang=en").text
    assert 'id="note-1"' not in steps and 'id="step-' in steps


def test_an_unknown_kind_is_refused_on_the_page_which_shows_everything(site: Site) -> None:
    """A bad filter answers 422 with the page, naming the filter by its label."""
    answer = site.client.get(f"/cases/{site.reference}?kind=gossip&lang=en")
    assert answer.status_code == 422
    assert "Show: unknown kind of entry &#39;gossip&#39;" in answer.text
    assert 'id="step-' in answer.text


def test_a_long_story_comes_in_pages_linked_newer_and_older(site: Site) -> None:
    """Sixty notes: fifty on the first page, the rest on the second, linked both ways."""
    for n in range(60):
        _note(site, f"note number {n + 1}")
    first = site.client.get(f"/cases/{site.reference}?kind=note&lang=en").text
    assert first.count('class="story-entry') == 50
    assert 'id="note-60"' in first and 'id="note-10"' not in first
    older = f"/cases/{site.reference}?kind=note&amp;page=2#story"
    assert older in first
    second = site.client.get(f"/cases/{site.reference}?kind=note&page=2&lang=en").text
    assert second.count('class="story-entry') == 10 and 'id="note-1"' in second
    assert f"/cases/{site.reference}?kind=note#story" in second


def test_an_auditor_sees_that_a_note_exists_but_never_its_text(site: Site) -> None:
    """The story keeps the entry, without its text; no form to write one."""
    _note(site, "Confidential strategy: settle before summer")
    site.sign_in_as("aud", "auditor")
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert 'id="note-1"' in page
    assert "settle before summer" not in page
    assert "NCP-internal: not shown to you." in page
    assert 'action="/cases/' + site.reference + '/notes"' not in page
    assert site.client.post(f"/cases/{site.reference}/notes", data={"text": "x"}).status_code == 403


def test_a_member_writes_notes_too(site: Site) -> None:
    """Members may write notes (WRITE_NOTE), on any case they read."""
    site.sign_in_as("mari", "member", "member-b")
    answer = _write(site, "A member's thought")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert "A member&#39;s thought" in site.client.get(f"/cases/{site.reference}").text
