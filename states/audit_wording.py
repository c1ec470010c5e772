"""The words of the audit trail: the name of each kind of entry, and the reasons ncpflow writes
into entries itself (an alert, an e-mail sent, a lead decision, a members sync, a user changed,
a sign-in refused, a migration without a reason of its own), in a `Translator`'s words.

Stored text is always English (`states.messages`): the writers format the templates below in
English, and `reason()` words a stored reason again from the entry's structured data (its kind and
`data`: candidates, skips, the choice, the rung, the deadline). A reason is worded again only when
the English rebuilt from that data is exactly the stored text, so a person's own reason, and any
text this version does not recognise, is shown as it was written.

Each phrase is a `str.format` template; the values put into it (member ids, user names, party
names) are never themselves read as templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from states import wording
from states.durations import Duration
from states.errors import InvalidInputError
from states.members import MemberChanges, Reason, Skip
from states.messages import ENGLISH, N_, Translator
from states.rotation import DUTY_RULE, PER_CASE_RULE, Candidate, DutyDecision, LeadDecision, LeadRecord
from states.rotation_wording import rotation_phrases, rule_label

if TYPE_CHECKING:  # the records (and the events they read) load with the first entry worded
    from states import records

# -- the kinds of entry ---------------------------------------------------------------------------

KIND_NAMES: dict[str, str] = {
    "opened": N_("case opened"),
    "transitioned": N_("stage changed"),
    "migrated": N_("moved to another procedure version"),
    "edited": N_("case edited"),
    "paused": N_("clock paused"),
    "resumed": N_("clock restarted"),
    "extended": N_("deadline extended"),
    "fact_recorded": N_("fact recorded"),
    "alert": N_("deadline alert"),
    "notified": N_("e-mail sent"),
    "members_synced": N_("members brought in from the configuration"),
    "lead_assigned": N_("lead assigned"),
    "lead_unassigned": N_("opened without a lead"),
    "lead_reassigned": N_("lead reassigned"),
    "lead_recused": N_("lead recused"),
    "duty_rotated": N_("duty handed on"),
    "lead_alert": N_("lead unavailable"),
    "user_added": N_("user added"),
    "password_set": N_("password set"),
    "audit_export_revealed": N_("audit export with identities"),
    "user_disabled": N_("user disabled"),
    "user_enabled": N_("user enabled"),
    "token_issued": N_("API token issued"),
    "token_revoked": N_("API token revoked"),
    "totp_enrolled": N_("second factor enrolled"),
    "totp_removed": N_("second factor removed"),
    "sign_in_failed": N_("sign-in failed"),
    "sign_in_throttled": N_("sign-in locked out"),
    "issue_added": N_("issue added"),
    "issue_decided": N_("issue decided"),
    "issue_concluded": N_("issue concluded"),
    "member_leave_added": N_("member's leave set"),
    "member_leave_removed": N_("member's leave removed"),
    "member_conflict_added": N_("member's conflict declared"),
    "member_conflict_removed": N_("member's conflict removed"),
    "calendar_feed_made": N_("calendar URL made"),
    "calendar_feed_revoked": N_("calendar URL revoked"),
    "network_figures_published": N_("network figures published"),
    "party_link_issued": N_("party link issued"),
    "party_link_revoked": N_("party link revoked"),
    "note_added": N_("note added"),
    "correspondence_logged": N_("correspondence logged"),
    "party_update_due": N_("party had no word: lead reminded"),
    "letter_drafted": N_("letter drafted"),
    "letter_edited": N_("letter edited"),
    "letter_sent": N_("letter sent"),
    "statement_drafted": N_("statement drafted"),
    "statement_edited": N_("statement edited"),
    "statement_circulated": N_("statement circulated for comment"),
    "comment_received": N_("comment received"),
    "comment_round_closed": N_("comment round closed"),
    "statement_published": N_("statement published"),
    "commitment_recorded": N_("commitment recorded"),
    "commitment_status_set": N_("commitment's status set"),
    "update_requested": N_("update asked of a party"),
    "update_request_due": N_("update from a party due: lead reminded"),
    "ncp_lead_set": N_("lead NCP recorded"),
    "ncp_lead_transferred": N_("lead handed over to another NCP"),
    "ncp_supporting_added": N_("supporting NCP added"),
    "ncp_role_changed": N_("supporting NCP's role changed"),
    "ncp_supporting_removed": N_("supporting NCP removed"),
    "ncp_lead_preferred": N_("complainant's preferred lead NCP recorded"),
    "review_requested": N_("review of a draft asked of a supporting NCP"),
    "review_recorded": N_("review comment from a supporting NCP recorded"),
    "review_due": N_("review by a supporting NCP due: lead reminded"),
    "document_added": N_("document added"),
    "party_added": N_("party added"),
    "party_changed": N_("party changed"),
    "contact_added": N_("contact added"),
    "contact_changed": N_("contact changed"),
    "contact_removed": N_("contact removed"),
    "mediator_added": N_("mediator added"),
    "mediator_changed": N_("mediator changed"),
    "mediator_assigned": N_("mediator assigned"),
    "mediator_unassigned": N_("mediator unassigned"),
    "mediation_session_recorded": N_("mediation session recorded"),
    "engagement_invited": N_("enterprise invited"),
    "engagement_responded": N_("enterprise's response recorded"),
    "good_faith_concern_raised": N_("concern about good faith raised"),
    "bundle_sent": N_("case bundle sent to another NCP"),
    "bundle_received": N_("case bundle received from another NCP"),
    "case_linked": N_("related case linked"),
    "case_unlinked": N_("link to a related case removed"),
    "checklist_ticked": N_("checklist item ticked"),
    "checklist_unticked": N_("checklist item unticked"),
}


def kind_name(kind: str, tr: Translator = ENGLISH) -> str:
    """An entry's kind in `tr`'s words; one this version does not know (written by a newer one)
    with spaces for its underscores."""
    msgid = KIND_NAMES.get(kind)
    return tr.gettext(msgid) if msgid else kind.replace("_", " ")


# -- the reasons ncpflow writes ------------------------------------------------------------------

# Stored as written (identifiers and all), never shown as such: `reason()` words it again.
ALERT = "{rung} alert for the {deadline} deadline"
SENT = "{kind} e-mail sent"
MIGRATED = "migrated to {procedure} version {version}"
# Stored in English and shown in the reader's words.
REVEALED = N_("export with confidential identities revealed")
LEAD_GONE = N_("the lead may no longer lead the case: {problems}")
USER_ADDED = N_("user {user} added")
PASSWORD_SET = N_("password of {user} set")
USER_DISABLED = N_("user {user} disabled")
USER_ENABLED = N_("user {user} enabled")
TOKEN_ISSUED = N_("API token {token} of {user} issued")
TOKEN_REVOKED = N_("API token {token} of {user} revoked")
ALL_TOKENS = N_("(all)")
TOTP_ENROLLED = N_("second factor (TOTP) of {user} enrolled")
TOTP_REMOVED = N_("second factor (TOTP) of {user} removed")
WRONG_PASSWORD = N_("wrong user name or password")
WRONG_CODE = N_("wrong one-time code")
THROTTLED = {
    "user": N_(
        "{limit} failed sign-ins within {minutes} minutes: the user name is locked out until "
        "they are {minutes} minutes old"
    ),
    "address": N_(
        "{limit} failed sign-ins within {minutes} minutes: the client address is locked out "
        "until they are {minutes} minutes old"
    ),
}
LEAVE_SET = N_("leave of {member} from {start} to {end} set")
LEAVE_REMOVED = N_("leave of {member} from {start} to {end} removed")
CONFLICT_REMOVED = N_("conflict of {member} removed")
FEED_MADE = N_("calendar URL {feed} of {user} made")
FEED_REPLACED = N_("calendar URL {feed} of {user} made, replacing {previous}")
FEED_REVOKED = N_("calendar URL {feed} of {user} revoked")
NETWORK_PUBLISHED = N_("figures of {year} published to the network")
REASSIGNED = N_("reassigned by {actor}: {reason}")
OVERRIDDEN = N_("{text} (override: {skipped})")
UNKNOWN_MEMBER = N_("not a known member")
SET_BY_HAND = N_("set outside the rotation")
THROUGH_LINK = N_("through party link {link}")  # what a party filed through its link (issue 15)
RESTARTED = N_("clock restarted")  # a resume without a reason of its own
NO_MEMBERS = N_("no members in the database; run `ncpflow members sync`")
_SIMPLE = frozenset(
    {*wording.SYSTEM_REASONS, REVEALED, WRONG_PASSWORD, WRONG_CODE, SET_BY_HAND, NO_MEMBERS, RESTARTED}
)

# The words shown for the stored ones.
_ALERT_WORDS = {
    "before": N_("reminder {amount} before the {deadline} deadline"),
    "due": N_("the {deadline} deadline is due today"),
    "overdue": N_("the {deadline} deadline is overdue (alert {n})"),
    "escalation": N_("the {deadline} deadline is escalated to the chair"),
}
_SENT_WORDS = N_("e-mail sent: {mail}")
_MIGRATED_WORDS = N_("moved to {procedure} version {version}")
# The e-mails ncpflow sends (notifications/templates), by kind.
MAIL_KINDS: dict[str, str] = {
    "acknowledgement_reminder": N_("reminder to acknowledge receipt"),
    "reminder": N_("deadline reminder"),
    "due_today": N_("deadline due today"),
    "overdue": N_("deadline overdue"),
    "escalation": N_("overdue deadline escalated"),
    "party_update": N_("reminder that a party has had no word"),
    "letter": N_("letter to a party"),
    "update_request": N_("request to a party for an update on its commitments"),
    "update_request_due": N_("reminder that an update from a party is due"),
    "review_due": N_("reminder that a supporting NCP's review is due"),
    "case_assigned": N_("case assigned to its lead"),
    "lead_unassigned": N_("case without a lead"),
    "lead_unavailable": N_("lead unavailable"),
}
# -- reading a stored English phrase back ---------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@lru_cache(maxsize=256)
def _pattern(template: str) -> re.Pattern[str]:
    parts, seen, position = [], set(), 0
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        name = found.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.S)


def unformat(template: str, text: str) -> dict[str, str] | None:
    """The values that `template.format(**values)` turned into `text`, or None when it did not."""
    found = _pattern(template).fullmatch(text)
    return found.groupdict() if found else None


def _party(shown: str, tr: Translator) -> str:
    """A conflict's party as a skip names it (`"Name"`, or `"Name" (org. no. 123)`)."""
    english = rotation_phrases(ENGLISH).org_number
    cut = shown.rfind(" (")
    while cut >= 0:
        values = unformat(english, shown[cut + 1 :])
        if values is not None:
            return shown[: cut + 1] + rotation_phrases(tr).org_number.format(**values)
        cut = shown.rfind(" (", 0, cut)
    return shown


def skip_detail(reason: str, detail: str, tr: Translator) -> str | None:
    """A stored (English) reason not to lead in `tr`'s words, or None when it is not one."""
    en, words = rotation_phrases(ENGLISH), rotation_phrases(tr)
    if reason == Reason.INACTIVE:
        table = {
            en.inactive: words.inactive,
            en.duty_lead_inactive: words.duty_lead_inactive,
            UNKNOWN_MEMBER: tr.gettext(UNKNOWN_MEMBER),
        }
        return table.get(detail)
    if reason == Reason.RECUSED:
        return words.recused if detail == en.recused else None
    if reason in (Reason.HARD_CONFLICT, Reason.SOFT_CONFLICT):
        hard = reason == Reason.HARD_CONFLICT
        template = en.hard_conflict if hard else en.soft_conflict
        values = unformat(template, detail)
        if values is None:
            return None
        return (words.hard_conflict if hard else words.soft_conflict).format(
            party=_party(values["party"], tr)
        )
    if reason == Reason.ON_LEAVE:
        period = unformat(en.on_leave, detail)
        dates = unformat(en.leave, period["period"]) if period else None
        return words.on_leave.format(period=words.leave.format(**dates)) if dates else None
    return None


def candidate_note(note: str, tr: Translator) -> str | None:
    """A stored (English) note on a candidate ("never led a case") in `tr`'s words."""
    en, words = rotation_phrases(ENGLISH), rotation_phrases(tr)
    fixed = {
        en.never_led: words.never_led,
        en.duty_lead: words.duty_lead,
        en.never_on_duty: words.never_on_duty,
        en.on_duty_now: words.on_duty_now,
    }
    if note in fixed:
        return fixed[note]
    for template, worded in ((en.last_led, words.last_led), (en.last_on_duty, words.last_on_duty)):
        values = unformat(template, note)
        if values is not None:
            return worded.format(**values)
    return None


def _skips(
    skipped: Sequence[records.SkippedMember] | Sequence[Skip], tr: Translator
) -> tuple[Skip, ...] | None:
    worded = []
    for each in skipped:
        reason = each.reason.value if isinstance(each.reason, Reason) else each.reason
        try:
            why = Reason(reason)
        except ValueError:
            return None
        detail = skip_detail(why, each.detail, tr)
        if detail is None:
            return None
        worded.append(Skip(each.member, why, detail))
    return tuple(worded)


def _decisions(decision: records.Decision, tr: Translator) -> tuple[LeadDecision | DutyDecision, str] | None:
    """The decision as stored, and as `tr` words it; None when its notes or skips are not ones
    this version wrote."""
    skips = _skips(decision.skipped, ENGLISH)
    worded_skips = _skips(decision.skipped, tr)
    notes = {}
    for c in decision.candidates:
        note = candidate_note(c.note, tr)
        if note is None:
            return None
        notes[c.member] = note
    if skips is None or worded_skips is None:
        return None
    stored_candidates = tuple(Candidate(c.member, c.note) for c in decision.candidates)
    worded_candidates = tuple(Candidate(c.member, notes[c.member]) for c in decision.candidates)
    if decision.rule is None:
        stored: LeadDecision | DutyDecision = DutyDecision(stored_candidates, skips, decision.chosen)
        worded = DutyDecision(worded_candidates, worded_skips, decision.chosen).explain(tr=tr)
    else:
        stored = LeadDecision(
            decision.rule,
            stored_candidates,
            skips,
            decision.chosen,
            {c.member: c.note for c in decision.candidates},
        )
        worded = replace(stored, candidates=worded_candidates, skipped=worded_skips, notes=notes).explain(
            tr=tr
        )
    return stored, worded


def decision(stored: records.Decision, tr: Translator = ENGLISH) -> str:
    """A stored lead or duty decision explained in `tr`'s words (the stored English when it is
    not one this version can word)."""
    found = _decisions(stored, tr)
    if found is None or found[0].explain() != stored.explanation:
        return stored.explanation
    return found[1]


def lead_record(record: LeadRecord, tr: Translator = ENGLISH) -> str:
    """Why a case's lead leads it (a stored lead decision) in `tr`'s words: the rotation's choice
    rebuilt from its parts (the member chosen, the skips), or a reassignment by hand."""
    return _lead_words(record.explanation, record.member_id, record.skipped, tr)


@lru_cache(maxsize=4096)  # a page of cases words each lead's decision; most are worded before
def _lead_words(text: str, member_id: str | None, skipped: tuple[Skip, ...], tr: Translator) -> str:
    if text in _SIMPLE:
        return tr.gettext(text)
    words = rotation_phrases(tr)
    skips = "; ".join(str(s) for s in skipped)
    head = text
    if skips:
        values = unformat(rotation_phrases(ENGLISH).skipped, text)
        if values is None or values["skipped"] != skips:
            return text
        head = values["text"]
    worded_skips = _skips(skipped, tr)
    worded_head = _chosen(head, member_id, tr)
    if worded_head is None or worded_skips is None:
        return (_reassigned(text, tr) if not skips else None) or text
    if not skips:
        return worded_head
    return words.skipped.format(text=worded_head, skipped="; ".join(str(s) for s in worded_skips))


def _chosen(head: str, member: str | None, tr: Translator) -> str | None:
    en, words = rotation_phrases(ENGLISH), rotation_phrases(tr)
    if member is None:
        return {en.no_active: words.no_active, en.no_eligible: words.no_eligible}.get(head)
    values = unformat(en.chose, head)
    if values is None or values["member"] != member:
        return None
    note = candidate_note(values["note"], tr)
    if note is None or values["rule"] not in (PER_CASE_RULE, DUTY_RULE):
        return None
    return words.chose.format(member=member, note=note, rule=rule_label(values["rule"], tr))


def _listed_skips(text: str, tr: Translator) -> str | None:
    """Skips listed as stored ("member-b: hard conflict with ...; member-c: ...") in `tr`'s words."""
    worded = []
    for part in text.split("; "):
        member, _, detail = part.partition(": ")
        found = next((w for r in Reason if (w := skip_detail(r, detail, tr)) is not None), None)
        if not member or found is None:
            return None
        worded.append(f"{member}: {found}")
    return "; ".join(worded)


def skips(skipped: Sequence[Skip], tr: Translator = ENGLISH) -> str:
    """Reasons not to lead, as stored ("member-b: on leave ..."), in `tr`'s words ("; " between)."""
    worded = _skips(skipped, tr)
    return "; ".join(str(s) for s in (skipped if worded is None else worded))


def reassignment(text: str, tr: Translator = ENGLISH) -> str | None:
    """A reassignment's stored explanation in `tr`'s words; None when it is not one."""
    return _reassigned(text, tr)


def _reassigned(text: str, tr: Translator) -> str | None:
    """A reassignment's explanation ("reassigned by chair: workload") in `tr`'s words."""
    override = unformat(OVERRIDDEN, text)
    if override is not None:
        inner = unformat(REASSIGNED, override["text"])
        skipped = _listed_skips(override["skipped"], tr)
        if inner is not None and skipped is not None:
            return tr.gettext(OVERRIDDEN).format(text=tr.gettext(REASSIGNED).format(**inner), skipped=skipped)
    values = unformat(REASSIGNED, text)
    return None if values is None else tr.gettext(REASSIGNED).format(**values)


# -- each kind's system reason ------------------------------------------------------------------

Worder = Callable[[Any, str, Translator], str | None]


def _alert(record: records.Alert, text: str, tr: Translator) -> str | None:
    if text != ALERT.format(rung=record.rung, deadline=record.deadline):
        return None
    deadline = wording.term(record.deadline, tr)
    kind, _, rest = record.rung.partition("-")
    if kind == "before":
        try:
            amount = Duration.parse(rest).describe(tr)
        except InvalidInputError:
            return None
        return tr.gettext(_ALERT_WORDS["before"]).format(amount=amount, deadline=deadline)
    if kind == "overdue" and rest.isdigit():
        return tr.gettext(_ALERT_WORDS["overdue"]).format(n=rest, deadline=deadline)
    if kind in ("due", "escalation") and not rest:
        return tr.gettext(_ALERT_WORDS[kind]).format(deadline=deadline)
    return None


def _notified(_record: records.Notified, text: str, tr: Translator) -> str | None:
    values = unformat(SENT, text)
    if values is None or values["kind"] not in MAIL_KINDS:
        return None
    return tr.gettext(_SENT_WORDS).format(mail=tr.gettext(MAIL_KINDS[values["kind"]]))


def _synced(record: records.MembersSynced, text: str, tr: Translator) -> str | None:
    # The data's keys may be in another order than the text named them (canonical JSON).
    changed = dict(sorted(record.changed.items(), key=lambda item: text.find(f"{item[0]}: ")))
    changes = MemberChanges(
        added=record.added,
        changed=changed,
        deactivated=record.deactivated,
        reactivated=record.reactivated,
        reordered=record.reordered,
    )
    if changes.describe() != text:
        return None
    return changes.describe(tr=tr)


def _decided(
    record: records.LeadAssigned | records.LeadUnassigned | records.DutyRotated, text: str, tr: Translator
) -> str | None:
    if text != record.decision.explanation:
        return None
    found = _decisions(record.decision, tr)
    if found is None or found[0].explain() != text:
        return None
    return found[1]


def _lead_gone(record: records.LeadAlert, text: str, tr: Translator) -> str | None:
    stored = "; ".join(f"{p.member}: {p.detail}" for p in record.problems)
    if text != LEAD_GONE.format(problems=stored):
        return None
    worded = _skips(record.problems, tr)
    if worded is None:
        return None
    return tr.gettext(LEAD_GONE).format(problems="; ".join(str(s) for s in worded))


def _token(template: str) -> Worder:
    def word(record: Any, text: str, tr: Translator) -> str | None:
        token = record.token
        if text != template.format(token=token or ALL_TOKENS, user=record.user):
            return None
        return tr.gettext(template).format(token=token or tr.gettext(ALL_TOKENS), user=record.user)

    return word


def _throttled(record: records.SignInThrottled, text: str, tr: Translator) -> str | None:
    template = THROTTLED.get(record.locked)
    values = unformat(template, text) if template else None
    return tr.gettext(template).format(**values) if template and values else None


def _values(template: str, values: Callable[[Any], dict[str, object]], shown: str | None = None) -> Worder:
    """A reason stored as `template` over values read from the entry's record, shown as `shown`
    (by default the same template) in the reader's words."""

    def word(record: Any, text: str, tr: Translator) -> str | None:
        given = values(record)
        return tr.gettext(shown or template).format(**given) if text == template.format(**given) else None

    return word


def _user(template: str) -> Worder:
    return _values(template, lambda r: {"user": r.user})


def _leave(template: str) -> Worder:
    return _values(template, lambda r: {"member": r.member, "start": r.from_, "end": r.to})


def _feed_made(record: Any, text: str, tr: Translator) -> str | None:
    template = FEED_REPLACED if record.replaced else FEED_MADE
    return _values(template, lambda r: {"feed": r.feed, "user": r.user, "previous": r.replaced})(
        record, text, tr
    )


def _through_link(record: Any, text: str, tr: Translator) -> str | None:
    values = unformat(THROUGH_LINK, text)
    return None if values is None else tr.gettext(THROUGH_LINK).format(**values)


_WORDERS: dict[str, Worder] = {
    "document_added": _through_link,
    "alert": _alert,
    "notified": _notified,
    "members_synced": _synced,
    "lead_assigned": _decided,
    "lead_unassigned": _decided,
    "duty_rotated": _decided,
    "lead_alert": _lead_gone,
    "user_added": _user(USER_ADDED),
    "password_set": _user(PASSWORD_SET),
    "user_disabled": _user(USER_DISABLED),
    "user_enabled": _user(USER_ENABLED),
    "totp_enrolled": _user(TOTP_ENROLLED),
    "totp_removed": _user(TOTP_REMOVED),
    "token_issued": _token(TOKEN_ISSUED),
    "token_revoked": _token(TOKEN_REVOKED),
    "sign_in_throttled": _throttled,
    "migrated": _values(
        MIGRATED, lambda r: {"procedure": r.target.id, "version": r.target.version}, _MIGRATED_WORDS
    ),
    "member_leave_added": _leave(LEAVE_SET),
    "member_leave_removed": _leave(LEAVE_REMOVED),
    "member_conflict_removed": _values(CONFLICT_REMOVED, lambda r: {"member": r.member}),
    "calendar_feed_made": _feed_made,
    "calendar_feed_revoked": _values(FEED_REVOKED, lambda r: {"feed": r.feed, "user": r.user}),
    "network_figures_published": _values(NETWORK_PUBLISHED, lambda r: {"year": r.year}),
}


def reason(kind: str, text: str | None, data: Mapping[str, Any], tr: Translator = ENGLISH) -> str:
    """An audit entry's reason in `tr`'s words when ncpflow wrote it (worded again from the
    entry's kind and data), else as it was given."""
    if not text:
        return text or ""
    if text in _SIMPLE:
        return tr.gettext(text)
    worder = _WORDERS.get(kind)
    if worder is None:
        return text
    from states import records

    try:
        record = records.parse(kind, data)
    except records.RecordError:
        return text
    worded = worder(record, text, tr)
    return text if worded is None else worded
