"""One strict Jinja2 environment for every message: a missing variable is an error, HTML is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from notifications.labels import LANGUAGES, deadline_label, long_date
from translations import translator

if TYPE_CHECKING:
    from jinja2 import Environment

KINDS = (
    "acknowledgement_reminder",
    "reminder",
    "due_today",
    "overdue",
    "escalation",
    "case_assigned",
    "lead_unassigned",
    "lead_unavailable",
    "party_update",
    "letter",
    "party_link",
    "update_request",
    "update_request_due",
    "review_due",
)
# The lead notices take the case_assigned context: reference, title, received, reason,
# recipient_name, ncp_name; the alert kinds take the deadline's (see workflow/alerts.py).
LEAD_KINDS = ("case_assigned", "lead_unassigned", "lead_unavailable")


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Jinja2 is imported by the first message rendered, not by every command that wires a renderer.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("notifications", "templates"),
        # The words come from the one catalogue: each render passes its language's `gettext`.
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        # HTML parts escape every value; text parts and subjects are plain text.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def render(kind: str, language: str, context: dict[str, Any]) -> RenderedMessage:
    if kind not in KINDS:
        raise ValueError(f"unknown message kind '{kind}'; one of: {', '.join(KINDS)}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language '{language}'; one of: {', '.join(LANGUAGES)}")
    env = environment()
    words = translator(language)
    values = {
        **context,
        "lang": language,
        "gettext": words.gettext,
        "ngettext": words.ngettext,
        # The workflow gives the case's procedure's titles; a name it does not: the catalogue's.
        "deadline_title": lambda name: (
            context.get("deadline_titles", {}).get(name) or deadline_label(name, language)
        ),
    }
    # One line, whatever the template's layout; the HTML part escapes it again for <title>.
    subject = " ".join(env.get_template(f"{kind}.subject.j2").render(values).split())
    return RenderedMessage(
        subject=subject,
        text=env.get_template(f"{kind}.txt.j2").render(values),
        html=env.get_template(f"{kind}.html.j2").render({**values, "subject": subject}),
    )
