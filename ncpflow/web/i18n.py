"""Which language a request gets (`?lang=`, a cookie, the NCP's default), and the template helpers
that word a page from the one catalogue (`translations/`): `gettext` (`_`), `term` and the
`upper_first` filter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from states import audit_wording, wording
from states.deadlines import human_month
from states.mediators import FORMAT_WORDS
from states.messages import N_, Translator
from translations import LANGUAGES, LOCALES, translator, upper_first

__all__ = [
    "COOKIE",
    "LANGUAGES",
    "LOCALES",
    "PAGE_TERMS",
    "PARTY_TYPES",
    "helpers",
    "language_name",
    "pick",
    "shown_day",
    "upper_first",
]

COOKIE = "ncpflow_lang"

# The page's own values beside the lifecycle's (states/wording.py): party roles, member roles,
# the rotation mode and each member's place in the rotation (rotation_views' status).
PAGE_TERMS: dict[str, str] = {
    "submitter": N_("submitter"),
    "enterprise": N_("enterprise"),
    "chair": N_("chair"),
    "member": N_("member"),
    "mode_per_case": N_("per case"),
    "mode_periodic": N_("periodic duty"),
    "tag_next": N_("next"),
    "tag_later": N_("later"),
    "tag_eligible": N_("eligible"),
    "tag_inactive": N_("inactive"),
    "tag_recused": N_("recused"),
    "tag_hard_conflict": N_("hard conflict"),
    "tag_soft_conflict": N_("soft conflict"),
    "tag_on_leave": N_("on leave"),
    # A signed-in user's role, shown beside the name in the header ("member" is above).
    "handler": N_("handler"),
    "auditor": N_("auditor"),
    "admin": N_("admin"),
    "mediator": N_("mediator"),
    # A mediation session's format (states/mediators.py's words).
    **{format.value: words for format, words in FORMAT_WORDS.items()},
    # An issue's decision (its outcome is the lifecycle's word).
    "issue_undecided": N_("undecided"),
    "issue_accepted": N_("accepted"),
    "issue_not_accepted": N_("not accepted"),
}


# A party's type (the reports word them too): the one table, states/wording.py's.
PARTY_TYPES = wording.PARTY_TYPES


def pick(requested: str | None, cookie: str | None, default: str) -> str:
    for candidate in (requested, cookie, default):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def shown_day(value: str | date, language: str) -> str:
    """A stored day (`2007-09-14`, or `2007-09` known to the month) as the reader's locale writes
    it, through Babel: "14 Sept 2007", "14. sep. 2007"; a month: "Sept 2007", "sep. 2007". Text
    that is not such a day is given back as it is."""
    from babel.dates import format_date

    locale = LOCALES.get(language, LOCALES["en"])
    if isinstance(value, date):
        return str(format_date(value, "medium", locale=locale))
    try:
        if len(value) == len("2007-09"):
            return str(format_date(date.fromisoformat(f"{value}-01"), "MMM y", locale=locale))
        return str(format_date(date.fromisoformat(value), "medium", locale=locale))
    except ValueError:
        return value


def language_name(code: str, language: str) -> str:
    """A language's name in `language` from its ISO 639 code (`fr`: "French", "fransk"), by
    Babel's display names; a code Babel does not name is shown as it is."""
    from babel import Locale

    names = Locale.parse(LOCALES.get(language, LOCALES["en"])).languages
    return str(names.get(code.strip().lower(), code))


def helpers(language: str, words: Translator | None = None) -> dict[str, Any]:
    """What a page's template words itself with, in `language`: through `words` when given
    (`Application.words`: the procedure's names from its labels), else the catalogue."""
    words = words or translator(language)

    def term(value: str) -> str:
        msgid = PAGE_TERMS.get(value)
        return words.gettext(msgid) if msgid else wording.term(value, words)

    def party_type(value: str) -> str:
        return wording.party_type(value, words)

    def kind(value: str) -> str:
        return audit_wording.kind_name(value, words)

    def reason(value: str | None, kind: str = "", data: Mapping[str, Any] | None = None) -> str:
        """An audit entry's reason: worded again when ncpflow wrote it (states/audit_wording.py)."""
        return audit_wording.reason(kind, value, data or {}, words)

    def day(value: str, precision: str = "day") -> str:
        """A shown date (`2007-09-14`, or `2007-09` with month precision: "Sep 2007")."""
        if precision == "month":
            return human_month(date.fromisoformat(f"{value}-01"), words)
        return value

    functions: dict[str, Callable[..., str]] = {
        "gettext": words.gettext,
        "ngettext": words.ngettext,
        "term": term,
        "party_type": party_type,
        "kind": kind,
        "reason": reason,
        "day": day,
        "language_name": lambda code: language_name(code, language),
    }
    return functions
