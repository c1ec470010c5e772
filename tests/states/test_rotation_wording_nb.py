"""The rotation's sentences in Norwegian bokmål, each worked out by hand; English stays as stored.

Member B never led; the chair last led NCP-2025-001; member-c is on leave 1 June to 31 August 2025,
and member-d declares a hard conflict with Havbruk ASA (org. no. 923 456 789) and a soft one with
Equinor ASA. Today is 2 June 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from states import rotation_wording
from states.members import Leave, Member, MemberChanges, PartyMatch, Role, reasons_not_to_lead
from states.messages import Translator
from states.rotation import (
    DUTY_RULE,
    PER_CASE_RULE,
    DutyTurn,
    LeadDecision,
    RotationMode,
    RotationRule,
    Turn,
    choose_lead,
)
from translations import translator

NB = translator("nb")

TODAY = date(2025, 6, 2)
HAVBRUK = PartyMatch(name="Havbruk ASA", org_number="923 456 789")


@dataclass(frozen=True)
class Party:
    name: str
    org_number: str | None = None


CHAIR = Member("chair", "Chair", "chair@example.org", role=Role.CHAIR)
B = Member("member-b", "Member B", "b@example.org")
C = Member("member-c", "Member C", "c@example.org", leave=(Leave(date(2025, 6, 1), date(2025, 8, 31)),))
D = Member(
    "member-d",
    "Member D",
    "d@example.org",
    conflicts=(HAVBRUK,),
    soft_conflicts=(PartyMatch(name="Equinor ASA"),),
)
LAST_LED = {"chair": Turn(1, "NCP-2025-001")}


def details(
    member: Member, tr: Translator, *, parties: tuple[Party, ...] = (), recused: frozenset[str] = frozenset()
) -> list[str]:
    return [s.detail for s in reasons_not_to_lead(member, parties=parties, on=TODAY, recused=recused, tr=tr)]


def test_an_organisation_number_and_leave() -> None:
    by_number = Party("Havbruk AS", "923456789")
    assert HAVBRUK.describe(by_number, tr=NB) == '"Havbruk ASA" (org.nr. 923 456 789)'
    assert HAVBRUK.describe(by_number) == '"Havbruk ASA" (org. no. 923 456 789)'
    leave = C.leave[0]
    assert leave.describe(tr=NB) == "2025-06-01 til 2025-08-31"
    assert str(leave) == leave.describe() == "2025-06-01 to 2025-08-31"


def test_why_a_member_may_not_lead() -> None:
    gone = Member("member-e", "Member E", "e@example.org", active=False)
    assert details(gone, NB, recused=frozenset({"member-e"})) == [
        "inaktiv (ikke lenger i konfigurasjonen)",
        "har trådt til side i denne saken",
    ]
    assert details(gone, translator("en"), recused=frozenset({"member-e"})) == [
        "inactive (no longer in the configuration)",
        "recused from this case",
    ]
    assert details(C, NB) == ["permisjon 2025-06-01 til 2025-08-31"]
    assert details(C, translator("en")) == ["on leave 2025-06-01 to 2025-08-31"]
    havbruk = (Party("Havbruk AS", "923 456 789"),)
    assert details(D, NB, parties=havbruk) == ['inhabil overfor "Havbruk ASA" (org.nr. 923 456 789)']
    assert details(D, translator("en"), parties=havbruk) == [
        'hard conflict with "Havbruk ASA" (org. no. 923 456 789)'
    ]
    equinor = (Party("equinor  asa"),)
    assert details(D, NB, parties=equinor) == [
        'mulig interessekonflikt med "Equinor ASA" (kan delta, ikke være saksansvarlig)'
    ]
    assert details(D, translator("en"), parties=equinor) == [
        'soft conflict with "Equinor ASA" (may take part, not lead)'
    ]


def test_a_per_case_decision_with_a_skip() -> None:
    members = [CHAIR, C, B]
    nb = choose_lead(members, on=TODAY, last_led=LAST_LED, tr=NB)
    assert [c.note for c in nb.candidates] == [
        "aldri vært saksansvarlig",
        "aldri vært saksansvarlig",
        "sist saksansvarlig for NCP-2025-001",
    ]
    assert nb.explain(tr=NB) == (
        "valgte member-b (aldri vært saksansvarlig; regel: lengst siden saksansvarlig, de som "
        "aldri har vært det først, ved likhet rekkefølgen i konfigurasjonen); hoppet over "
        "member-c: permisjon 2025-06-01 til 2025-08-31"
    )
    en = choose_lead(members, on=TODAY, last_led=LAST_LED)
    assert en.rule == nb.rule  # the label in the JSON stays English
    assert en.explain() == (
        "chose member-b (never led a case; rule: least recently led, never-led first, ties by "
        "config order); skipped member-c: on leave 2025-06-01 to 2025-08-31"
    )


def test_a_duty_decision_with_an_inactive_duty_lead() -> None:
    gone = Member("member-e", "Member E", "e@example.org", active=False)
    rule = RotationRule(mode=RotationMode.PERIODIC)
    on_duty = {"member-b": DutyTurn(3, date(2025, 5, 1))}
    nb = choose_lead(
        [gone, CHAIR, B], on=TODAY, last_led={}, rule=rule, duty="member-e", last_on_duty=on_duty, tr=NB
    )
    assert [c.note for c in nb.candidates] == ["aldri vært på vakt", "sist på vakt fra 2025-05-01"]
    assert nb.explain(tr=NB) == (
        "valgte chair (aldri vært på vakt; regel: vaktansvarlig, ellers den neste i "
        "vaktrekkefølgen); hoppet over member-e: vaktansvarlig, inaktiv (ikke lenger i "
        "konfigurasjonen)"
    )
    with_lead = choose_lead(
        [CHAIR, B], on=TODAY, last_led={}, rule=rule, duty="member-b", last_on_duty=on_duty, tr=NB
    )
    assert with_lead.explain(tr=NB) == (
        "valgte member-b (vaktansvarlig; regel: vaktansvarlig, ellers den neste i vaktrekkefølgen)"
    )
    assert choose_lead(
        [gone, CHAIR, B], on=TODAY, last_led={}, rule=rule, duty="member-e", last_on_duty=on_duty
    ).explain() == (
        "chose chair (never on duty; rule: the duty lead, else the next in duty order); "
        "skipped member-e: the duty lead, inactive (no longer in the configuration)"
    )


def test_nobody_to_choose() -> None:
    nobody = LeadDecision(rule="x", candidates=(), skipped=(), chosen=None)
    assert nobody.explain(tr=NB) == "ingen aktive medlemmer å velge blant"
    assert nobody.explain() == "no active members to choose from"
    away = choose_lead([C], on=TODAY, last_led={}, tr=NB)
    assert away.explain(tr=NB) == (
        "ingen medlem kan være saksansvarlig (member-c: permisjon 2025-06-01 til 2025-08-31)"
    )
    assert choose_lead([C], on=TODAY, last_led={}).explain() == (
        "no eligible member (member-c: on leave 2025-06-01 to 2025-08-31)"
    )
    words = rotation_wording.rotation_phrases(NB)
    assert words.no_eligible == "ingen medlem kan være saksansvarlig"


def test_the_members_page_reasons() -> None:
    nb, en = rotation_wording.rotation_phrases(NB), rotation_wording.rotation_phrases()
    assert nb.leads_next.format(note="aldri vært saksansvarlig") == (
        "blir saksansvarlig for neste sak: aldri vært saksansvarlig"
    )
    assert nb.after.format(note="sist saksansvarlig for NCP-2025-001", member="member-b") == (
        "sist saksansvarlig for NCP-2025-001; etter member-b i rotasjonsrekkefølgen"
    )
    assert nb.no_members == "ingen medlemmer i databasen; kjør `ncpflow members sync`"
    assert en.leads_next.format(note="never led a case") == "leads the next case: never led a case"
    assert en.after.format(note="never led a case", member="member-b") == (
        "never led a case; after member-b in rotation order"
    )


def test_what_a_config_sync_changes() -> None:
    changes = MemberChanges(
        added=("member-e", "member-f"),
        changed={"member-b": ("email", "leave")},
        deactivated=("member-c",),
        reactivated=("member-d",),
        reordered=True,
    )
    assert changes.describe(tr=NB) == (
        "la til member-e, member-f; member-b: e-post, permisjon endret; aktiverte igjen member-d; "
        "deaktiverte member-c; rekkefølgen i konfigurasjonen endret"
    )
    assert changes.describe() == (
        "added member-e, member-f; member-b: email, leave changed; reactivated member-d; "
        "deactivated member-c; config order changed"
    )
    assert MemberChanges().describe(tr=NB) == "ingen endringer"
    assert MemberChanges().describe() == "no changes"


@pytest.mark.parametrize("language", ["en", "de", ""])
def test_english_and_unknown_languages_are_english(language: str) -> None:
    """English and a language not shipped word the rotation as the stored English does."""
    words = translator(language)
    assert rotation_wording.rotation_phrases(words) == rotation_wording.rotation_phrases()
    for rule in (PER_CASE_RULE, DUTY_RULE):
        assert rotation_wording.rule_label(rule, words) == rule
        assert rotation_wording.rule_label(rule, NB) != rule
