"""Which language a request gets (`?lang=`, a cookie, the NCP's default), and the template helpers
that word a page from the one catalogue (`translations/`): `gettext` (`_`), `term` and the
`upper_first` filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from states import wording
from states.messages import N_
from translations import LANGUAGES, translator, upper_first

__all__ = ["COOKIE", "LANGUAGES", "PAGE_TERMS", "helpers", "pick", "upper_first"]

COOKIE = "ncpflow_lang"

# The page's own values beside the lifecycle's (states/wording.py): party roles, member roles,
# the rotation mode and each member's place in the rotation (rotation_views' status). The rotation
# tags' English is the plain value, as the members page has always shown it.
PAGE_TERMS: dict[str, str] = {
    "submitter": N_("submitter"),
    "enterprise": N_("enterprise"),
    "chair": N_("chair"),
    "member": N_("member"),
    "mode_per_case": N_("per_case"),
    "mode_periodic": N_("periodic"),
    "tag_next": N_("next"),
    "tag_later": N_("later"),
    "tag_eligible": N_("eligible"),
    "tag_inactive": N_("inactive"),
    "tag_recused": N_("recused"),
    "tag_hard_conflict": N_("hard_conflict"),
    "tag_soft_conflict": N_("soft_conflict"),
    "tag_on_leave": N_("on_leave"),
}


def pick(requested: str | None, cookie: str | None, default: str) -> str:
    for candidate in (requested, cookie, default):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def helpers(language: str) -> dict[str, Any]:
    """What a page's template words itself with, in `language`."""
    words = translator(language)

    def term(value: str) -> str:
        msgid = PAGE_TERMS.get(value)
        return words.gettext(msgid) if msgid else wording.term(value, words)

    functions: dict[str, Callable[..., str]] = {
        "gettext": words.gettext,
        "ngettext": words.ngettext,
        "term": term,
    }
    return functions
