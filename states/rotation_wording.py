"""The words of the rotation's explanations in English and Norwegian bokmål: why a member may not
lead, the notes on each candidate, the lead decision, the members page's reasons and what a config
sync changes. Plain data, like `states/wording.py`; an unknown language is English.

Each phrase is a `str.format` template; the values put into it (member ids, party names, case
references) are never themselves read as templates. The Norwegian follows the pages' words
(`ncpflow/web/i18n.py`): "saksansvarlig" for a case's lead ("leder" is the chair), "medlem".
"""

from __future__ import annotations

from dataclasses import dataclass


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
    duty_lead_inactive: str
    rules: dict[str, str]  # a rule's (English) label -> these words
    chose: str  # {member} {note} {rule}
    skipped: str  # {text} {skipped}
    no_active: str
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


ENGLISH = RotationPhrases(
    org_number="(org. no. {number})",
    leave="{start} to {end}",
    on_leave="on leave {period}",
    inactive="inactive (no longer in the configuration)",
    recused="recused from this case",
    hard_conflict="hard conflict with {party}",
    soft_conflict="soft conflict with {party} (may take part, not lead)",
    last_led="last led {case}",
    never_led="never led a case",
    duty_lead="the duty lead",
    last_on_duty="last on duty from {since}",
    never_on_duty="never on duty",
    duty_lead_inactive="the duty lead, inactive (no longer in the configuration)",
    rules={},
    chose="chose {member} ({note}; rule: {rule})",
    skipped="{text}; skipped {skipped}",
    no_active="no active members to choose from",
    no_eligible="no eligible member",
    no_eligible_skipped="no eligible member ({skipped})",
    leads_next="leads the next case: {note}",
    after="{note}; after {member} in rotation order",
    no_members="no members in the database; run `ncpflow members sync`",
    no_changes="no changes",
    added="added {members}",
    changed="{member}: {fields} changed",
    reactivated="reactivated {members}",
    deactivated="deactivated {members}",
    reordered="config order changed",
)

NORWEGIAN = RotationPhrases(
    org_number="(org.nr. {number})",
    leave="{start} til {end}",
    on_leave="permisjon {period}",
    inactive="inaktiv (ikke lenger i konfigurasjonen)",
    recused="har trådt til side i denne saken",
    hard_conflict="inhabil overfor {party}",
    soft_conflict="mulig interessekonflikt med {party} (kan delta, ikke være saksansvarlig)",
    last_led="sist saksansvarlig for {case}",
    never_led="aldri vært saksansvarlig",
    duty_lead="vaktansvarlig",
    last_on_duty="sist på vakt fra {since}",
    never_on_duty="aldri vært på vakt",
    duty_lead_inactive="vaktansvarlig, inaktiv (ikke lenger i konfigurasjonen)",
    rules={
        "least recently led, never-led first, ties by config order":
            "lengst siden saksansvarlig, de som aldri har vært det først, ved likhet "
            "rekkefølgen i konfigurasjonen",
        "the duty lead, else the next in duty order":
            "vaktansvarlig, ellers den neste i vaktrekkefølgen",
    },
    chose="valgte {member} ({note}; regel: {rule})",
    skipped="{text}; hoppet over {skipped}",
    no_active="ingen aktive medlemmer å velge blant",
    no_eligible="ingen medlem kan være saksansvarlig",
    no_eligible_skipped="ingen medlem kan være saksansvarlig ({skipped})",
    leads_next="blir saksansvarlig for neste sak: {note}",
    after="{note}; etter {member} i rotasjonsrekkefølgen",
    no_members="ingen medlemmer i databasen; kjør `ncpflow members sync`",
    no_changes="ingen endringer",
    added="la til {members}",
    changed="{member}: {fields} endret",
    reactivated="aktiverte igjen {members}",
    deactivated="deaktiverte {members}",
    reordered="rekkefølgen i konfigurasjonen endret",
)

ROTATION_PHRASES: dict[str, RotationPhrases] = {"en": ENGLISH, "nb": NORWEGIAN}


def rotation_phrases(language: str) -> RotationPhrases:
    return ROTATION_PHRASES.get(language, ENGLISH)


def rule_label(rule: str, language: str) -> str:
    """A rotation rule's (English) label in `language`; one the table does not know stays."""
    return rotation_phrases(language).rules.get(rule, rule)
