"""Which language a request gets (`?lang=`, a cookie, the NCP's default), and the template helpers
that word a page from the one catalogue (`translations/`): `gettext` (`_`), `term` and the
`upper_first` filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from states import wording
from states.deadlines import human_month
from states.messages import N_, Translator
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
    # A signed-in user's role, shown beside the name in the header ("member" is above).
    "handler": N_("handler"),
    "auditor": N_("auditor"),
    "admin": N_("admin"),
    # An issue's decision (its outcome is the lifecycle's word).
    "issue_undecided": N_("undecided"),
    "issue_accepted": N_("accepted"),
    "issue_not_accepted": N_("not accepted"),
}

# A party's type and an audit entry's kind: the English is the plain value the pages have always
# shown (and the audit filter's value stays the kind itself); a value no table knows is shown as is.
PARTY_TYPES: dict[str, str] = {
    "individual": N_("individual"),
    "ngo": N_("ngo"),
    "trade_union": N_("trade_union"),
    "community": N_("community"),
    "academic": N_("academic"),
    "other": N_("other"),
}
AUDIT_KINDS: dict[str, str] = {
    "opened": N_("opened"),
    "transitioned": N_("transitioned"),
    "edited": N_("edited"),
    "paused": N_("paused"),
    "resumed": N_("resumed"),
    "extended": N_("extended"),
    "fact_recorded": N_("fact_recorded"),
    "alert": N_("alert"),
    "notified": N_("notified"),
    "members_synced": N_("members_synced"),
    "lead_assigned": N_("lead_assigned"),
    "lead_unassigned": N_("lead_unassigned"),
    "lead_reassigned": N_("lead_reassigned"),
    "lead_recused": N_("lead_recused"),
    "duty_rotated": N_("duty_rotated"),
    "lead_alert": N_("lead_alert"),
    "user_added": N_("user_added"),
    "password_set": N_("password_set"),
    "audit_export_revealed": N_("audit_export_revealed"),
    "user_disabled": N_("user_disabled"),
    "user_enabled": N_("user_enabled"),
    "token_issued": N_("token_issued"),
    "token_revoked": N_("token_revoked"),
    "totp_enrolled": N_("totp_enrolled"),
    "totp_removed": N_("totp_removed"),
    "sign_in_failed": N_("sign_in_failed"),
    "sign_in_throttled": N_("sign_in_throttled"),
    "issue_added": N_("issue_added"),
    "issue_decided": N_("issue_decided"),
    "issue_concluded": N_("issue_concluded"),
    "member_leave_added": N_("member_leave_added"),
    "member_leave_removed": N_("member_leave_removed"),
    "member_conflict_added": N_("member_conflict_added"),
    "member_conflict_removed": N_("member_conflict_removed"),
    "calendar_feed_made": N_("calendar_feed_made"),
    "calendar_feed_revoked": N_("calendar_feed_revoked"),
}


def pick(requested: str | None, cookie: str | None, default: str) -> str:
    for candidate in (requested, cookie, default):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def helpers(language: str, words: Translator | None = None) -> dict[str, Any]:
    """What a page's template words itself with, in `language`: through `words` when given
    (`Application.words`: the procedure's names from its labels), else the catalogue."""
    words = words or translator(language)

    def term(value: str) -> str:
        msgid = PAGE_TERMS.get(value)
        return words.gettext(msgid) if msgid else wording.term(value, words)

    def party_type(value: str) -> str:
        msgid = PARTY_TYPES.get(value)
        return words.gettext(msgid) if msgid else value

    def kind(value: str) -> str:
        msgid = AUDIT_KINDS.get(value)
        return words.gettext(msgid) if msgid else value

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
        "reason": lambda value: wording.reason(value, words),
        "day": day,
    }
    return functions
