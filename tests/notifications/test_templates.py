"""Every message kind renders in English and Norwegian; user text is escaped in HTML only."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import UndefinedError

from notifications.labels import LANGUAGES, deadline_label, long_date
from notifications.render import KINDS, environment, render
from states.lifecycle import DeadlineName
from states.wording import DEADLINE_TITLES

TEMPLATES = Path(__file__).resolve().parents[2] / "notifications" / "templates"
NASTY = "Tailings «Ørsta» <script>alert(\"x\")</script> & Bolt & 'Nut'"
ALERT_KINDS = ("acknowledgement_reminder", "reminder", "due_today", "overdue", "escalation")
DUE = date(2025, 6, 3)
# What the alert sweep passes (workflow/alerts.py); every other kind is a notice about the lead
# and takes what a lead assignment passes.
ALERT_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "deadline": DeadlineName.INITIAL_ASSESSMENT,
    "due": DUE,
    "days": 12,
    "explanation": "received 3 Mar 2025 + 3 months = 3 Jun 2025",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
ASSIGNED_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "received": date(2025, 3, 3),
    "reason": "next in rotation",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
# What the sweep passes for a silent party (workflow/party_updates.py).
PARTY_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "party_name": "Havbruk Seafood ASA",
    "since": date(2025, 3, 3),
    "period": "3 months",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
# What sending a letter passes for its covering e-mail (workflow/letter_sending.py).
LETTER_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "letter_subject": "Acknowledgement of receipt – Fish farm discharges",
    "paragraphs": ["We have your complaint.\nThank you.", "Yours sincerely"],
    "attachments": ["NCP-2025-007-letter-1.pdf"],
    "title": "Fish farm discharges",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
# What issuing a party link with --send passes (workflow/party_links.py).
LINK_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "url": "https://ncp.example.org/p/WzEsIm5vbmNlIl0.signature",
    "expires": date(2025, 3, 3),
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
# What a request for news of commitments passes (workflow/follow_up.py), and its due alert.
UPDATE_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "commitments": ["1. Publish a grievance mechanism", "2. Train the staff"],
    "due": date(2025, 3, 3),
    "when": "overdue",
    "party_name": "Havbruk Seafood ASA",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
# What the sweep passes for an open review task (workflow/ncp_roles.py).
REVIEW_CONTEXT: dict[str, Any] = {
    "reference": "NCP-2025-007",
    "title": "Fish farm discharges",
    "ncp": "SE",
    "statement": 2,
    "due": date(2025, 3, 3),
    "when": "reminder",
    "recipient_name": "Member B",
    "ncp_name": "Norway's NCP",
}
WORDS = {"en": ("Dear Member B", "3 June 2025"), "nb": ("Hei Member B", "3. juni 2025")}


def context_for(kind: str, **changes: Any) -> dict[str, Any]:
    bases = {
        "party_update": PARTY_CONTEXT,
        "letter": LETTER_CONTEXT,
        "party_link": LINK_CONTEXT,
        "update_request": UPDATE_CONTEXT,
        "update_request_due": UPDATE_CONTEXT,
        "review_due": REVIEW_CONTEXT,
    }
    base = ALERT_CONTEXT if kind in ALERT_KINDS else bases.get(kind, ASSIGNED_CONTEXT)
    return {**base, **changes}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)


def tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_every_kind_has_all_three_templates_one_for_every_language() -> None:
    """Each kind has a subject, text and HTML template, worded per language by the catalogue."""
    assert set(LANGUAGES) == {"en", "nb"}
    assert set(ALERT_KINDS) | {"case_assigned"} <= set(KINDS)
    found = {p.name for p in TEMPLATES.iterdir()} - {"base.txt.j2", "base.html.j2"}
    assert found == {f"{kind}.{part}.j2" for kind in KINDS for part in ("subject", "txt", "html")}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_in_each_language(kind: str, language: str) -> None:
    """Subject, text and HTML render with the context the callers give (StrictUndefined: any
    variable a template needs and the caller does not pass fails here)."""
    message = render(kind, language, context_for(kind))
    assert message.subject.startswith("NCP-2025-007: ")
    assert "\n" not in message.subject and message.subject == message.subject.strip()
    greeting, day = WORDS[language]
    for body in (message.text, message.html):
        assert "NCP-2025-007" in body
        assert greeting in body
    assert "Norway's NCP" in message.text
    assert "Norway&#39;s NCP" in message.html  # escaped like any value in HTML
    assert f'<html lang="{language}">' in message.html
    assert "<p>" in message.html and "<p>" not in message.text
    assert "{{" not in message.text + message.html + message.subject
    if kind == "letter":
        assert "NCP-2025-007-letter-1.pdf" in message.text and "We have your complaint." in message.text
        assert "<br>" in message.html and "Thank you." in message.html
    elif kind == "party_link":
        assert long_date(date(2025, 3, 3), language) in message.text
        assert LINK_CONTEXT["url"] in message.text and f'href="{LINK_CONTEXT["url"]}"' in message.html
    elif kind == "party_update":
        assert long_date(date(2025, 3, 3), language) in message.text + message.subject
        assert "Havbruk Seafood ASA" in message.subject and "3 months" in message.text
    elif kind.startswith("update_request"):
        assert long_date(date(2025, 3, 3), language) in message.text + message.subject
        if kind == "update_request":
            assert "Train the staff" in message.text and "<li>2. Train the staff</li>" in message.html
        else:
            assert "Havbruk Seafood ASA" in message.subject
    elif kind == "review_due":
        assert long_date(date(2025, 3, 3), language) in message.text + message.subject
        assert "SE" in message.subject and " 2 " in message.text
    elif kind not in ALERT_KINDS:
        assert long_date(date(2025, 3, 3), language) in message.text
        assert "next in rotation" in message.text
    else:
        assert day in message.text
        assert ALERT_CONTEXT["explanation"] in message.text
        if kind != "acknowledgement_reminder":
            label = deadline_label(DeadlineName.INITIAL_ASSESSMENT, language)
            assert label in message.text
            assert label in message.subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_variable_is_an_error_not_a_blank(kind: str, language: str) -> None:
    """The strict environment refuses to render a message with a hole in it."""
    for missing in ("reference", "recipient_name", "ncp_name"):
        context = context_for(kind)
        del context[missing]
        with pytest.raises(UndefinedError, match=missing):
            render(kind, language, context)


def test_the_environment_is_strict_and_escapes_only_html() -> None:
    env = environment()
    assert env.undefined.__name__ == "StrictUndefined"
    assert env.is_async is False
    with pytest.raises(ValueError, match="unknown message kind"):
        render("birthday", "en", ALERT_CONTEXT)
    with pytest.raises(ValueError, match="unknown language"):
        render("overdue", "de", ALERT_CONTEXT)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_user_text_is_escaped_in_html_and_verbatim_in_text(kind: str, language: str) -> None:
    """A case title with markup arrives as text in the HTML part: no script element, ever."""
    nasty = {"letter_subject": NASTY} if kind == "letter" else {}  # a letter's own free text
    message = render(kind, language, context_for(kind, title=NASTY, recipient_name="<b>Eve</b>", **nasty))
    assert NASTY in message.text
    assert "<b>Eve</b>" in message.text
    assert "<script>" not in message.html and "<b>" not in message.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in message.html
    assert "Bolt &amp; &#39;Nut&#39;" in message.html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in message.html
    assert "script" not in tags(message.html) and "b" not in tags(message.html)
    if "Tailings" in message.subject:  # a subject carrying the title: plain text, escaped once
        assert NASTY in message.subject
        assert message.html.count("&lt;script&gt;") == (
            3 if kind == "letter" else 2
        )  # <title>, body (a letter: twice)
        assert "&amp;lt;" not in message.html  # never escaped twice


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_deadline_has_a_label_in_every_language(language: str) -> None:
    """Every deadline has a full name, and each language's overdue subject carries it."""
    assert {name.value for name in DeadlineName} <= set(DEADLINE_TITLES)
    for name in DeadlineName:
        message = render("overdue", language, context_for("overdue", deadline=name))
        assert deadline_label(name, language) in message.subject


def test_languages_differ_and_dates_are_written_the_local_way() -> None:
    english = render("reminder", "en", ALERT_CONTEXT)
    norwegian = render("reminder", "nb", ALERT_CONTEXT)
    assert english.subject == "NCP-2025-007: initial assessment due 3 June 2025"
    assert norwegian.subject == "NCP-2025-007: frist for første vurdering 3. juni 2025"
    assert english.text != norwegian.text
