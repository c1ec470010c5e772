"""The words of the rotation's explanations in English and Norwegian bokmål: why a member may not
lead, the notes on each candidate, the lead decision, the members page's reasons and what a config
sync changes: English msgids for the one catalogue, worded through the caller's `Translator`, like
`states/wording.py`; stored text is always English.

Each phrase is a `str.format` template; the values put into it (member ids, party names, case
references) are never themselves read as templates. The Norwegian catalogue says "saksansvarlig"
for a case's lead ("leder" is the chair), "medlem" (docs/glossary.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from states.messages import ENGLISH, N_, Translator


@dataclass(frozen=True)
class RotationPhrases:
    org_number: str  # {number}
    leave: str  # {start} {end}
    on_leave: str  # {period}
    inactive: str
    recused: str
    hard_conflict: str  # {party}
    soft_conflict: str  # {party}
    last_led: str  # {case}
    never_led: str
    duty_lead: str
    last_on_duty: str  # {since}
    never_on_duty: str
    on_duty_now: str
    duty_lead_inactive: str
    chose: str  # {member} {note} {rule}
    skipped: str  # {text} {skipped}
    no_active: str
    no_active_members: str
    no_duty: str  # {skipped}
    no_eligible: str
    no_eligible_skipped: str  # {skipped}
    leads_next: str  # {note}
    after: str  # {note} {member}
    no_members: str
    no_changes: str
    added: str  # {members}
    changed: str  # {member} {fields}
    reactivated: str  # {members}
    deactivated: str  # {members}
    reordered: str


@lru_cache(maxsize=8)
def rotation_phrases(tr: Translator = ENGLISH) -> RotationPhrases:
    """The rotation's phrases as `tr` words them."""
    return RotationPhrases(
        org_number=tr.gettext("(org. no. {number})"),
        leave=tr.gettext("{start} to {end}"),
        on_leave=tr.gettext("on leave {period}"),
        inactive=tr.gettext("inactive (no longer in the configuration)"),
        recused=tr.gettext("recused from this case"),
        hard_conflict=tr.gettext("hard conflict with {party}"),
        soft_conflict=tr.gettext("soft conflict with {party} (may take part, not lead)"),
        last_led=tr.gettext("last led {case}"),
        never_led=tr.gettext("never led a case"),
        duty_lead=tr.gettext("the duty lead"),
        last_on_duty=tr.gettext("last on duty from {since}"),
        never_on_duty=tr.gettext("never on duty"),
        on_duty_now=tr.gettext("on duty now"),
        duty_lead_inactive=tr.gettext("the duty lead, inactive (no longer in the configuration)"),
        chose=tr.gettext("chose {member} ({note}; rule: {rule})"),
        skipped=tr.gettext("{text}; skipped {skipped}"),
        no_active=tr.gettext("no active members to choose from"),
        no_active_members=tr.gettext("no active members"),
        no_duty=tr.gettext("nobody can take duty ({skipped})"),
        no_eligible=tr.gettext("no eligible member"),
        no_eligible_skipped=tr.gettext("no eligible member ({skipped})"),
        leads_next=tr.gettext("leads the next case: {note}"),
        after=tr.gettext("{note}; after {member} in rotation order"),
        no_members=tr.gettext("no members in the database; run `ncpflow members sync`"),
        no_changes=tr.gettext("no changes"),
        added=tr.gettext("added {members}"),
        changed=tr.gettext("{member}: {fields} changed"),
        reactivated=tr.gettext("reactivated {members}"),
        deactivated=tr.gettext("deactivated {members}"),
        reordered=tr.gettext("config order changed"),
    )


# What a members sync may change of a member (states.members.MEMBER_FIELDS).
MEMBER_FIELD_NAMES: dict[str, str] = {
    "name": N_("name"),
    "email": N_("e-mail"),
    "role": N_("role"),
    "language": N_("language"),
    "conflicts": N_("conflicts"),
    "soft_conflicts": N_("soft conflicts"),
    "leave": N_("leave"),
}


def member_field(name: str, tr: Translator = ENGLISH) -> str:
    """A member's field in `tr`'s words ("e-mail", "inhabilitet")."""
    msgid = MEMBER_FIELD_NAMES.get(name)
    return tr.gettext(msgid) if msgid else name.replace("_", " ")


def rule_label(rule: str, tr: Translator = ENGLISH) -> str:
    """A rotation rule's (English, marked) label in `tr`'s words; one it does not know stays."""
    return tr.gettext(rule)
