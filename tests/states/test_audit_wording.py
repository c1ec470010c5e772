"""The audit trail in the reader's words: every kind of entry named in English and Norwegian, and
every reason ncpflow writes itself worded again from the entry's data, while a person's own reason
(and any text this version did not write) stays as it was given.

The audit scenario's chain (tests/workflow/fixtures/audit_chain.json) holds an entry of every kind
the code writes, with the reasons as stored."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from states import audit_wording, records
from states.members import MEMBER_FIELDS, Leave, Member, MemberChanges, PartyMatch, Reason, Skip
from states.messages import ENGLISH
from states.rotation import LeadRecord, Turn, choose_lead
from states.rotation_wording import MEMBER_FIELD_NAMES, rotation_phrases
from translations import translator

NB = translator("nb")
FIXTURE = Path(__file__).parents[1] / "workflow" / "fixtures" / "audit_chain.json"
CHAIN: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
# Kinds whose reason is a person's own (a step's, a pause's ...), unless ncpflow wrote one for them.
PERSONS = {
    "transitioned",
    "paused",
    "resumed",
    "extended",
    "edited",
    "lead_reassigned",
    "lead_recused",
    "fact_recorded",
    "issue_added",
    "issue_decided",
    "issue_concluded",
    "migrated",
    "member_leave_added",
    "member_conflict_added",
    "party_added",
    "party_changed",
    "contact_added",
    "contact_changed",
    "contact_removed",
    "mediator_assigned",  # the override's reason, as the handler gave it
    # The NCPs of a case: the reason (or the preference's note) as the handler gave it.
    "ncp_lead_set",
    "ncp_lead_transferred",
    "ncp_supporting_added",
    "ncp_role_changed",
    "ncp_supporting_removed",
    "ncp_lead_preferred",
    "case_unlinked",  # the reason for removing a link, as the handler gave it
}
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")  # initial_assessment, case_assigned ...


@dataclass(frozen=True)
class Party:
    name: str
    org_number: str | None = None


def test_every_declared_kind_is_named_in_words_in_english_and_norwegian() -> None:
    """No kind the code writes is shown by its identifier, in either language."""
    for kind in records.KINDS:
        english, norwegian = audit_wording.kind_name(kind), audit_wording.kind_name(kind, NB)
        assert "_" not in english, kind
        assert norwegian != english, kind
    assert audit_wording.kind_name("made_by_a_newer_version") == "made by a newer version"


def test_every_reason_ncpflow_wrote_in_the_scenario_reads_in_norwegian_and_in_plain_english() -> None:
    """Alerts, e-mails sent, lead and duty decisions, members syncs, lead alerts, users, tokens,
    second factors, sign-ins, a revealing export, a case opened and a clock restarted."""
    kinds = set()
    for entry in CHAIN:
        kind, text, data = entry["kind"], entry["reason"], entry["data"]
        if not text:
            continue
        norwegian = audit_wording.reason(kind, text, data, NB)
        english = audit_wording.reason(kind, text, data, ENGLISH)
        assert not IDENTIFIER.search(english), (kind, english)
        written_by_ncpflow = kind not in PERSONS or text in (
            "clock restarted",
            "submission registered",
            "leave of cecilie from 2025-07-01 to 2025-07-31 set",
        )
        if written_by_ncpflow:
            assert norwegian != text, (kind, text)
            kinds.add(kind)
        else:
            assert norwegian == english == text, (kind, text)
    assert kinds >= {
        "alert",
        "notified",
        "members_synced",
        "lead_assigned",
        "lead_unassigned",
        "duty_rotated",
        "lead_alert",
        "user_added",
        "password_set",
        "token_issued",
        "token_revoked",
        "totp_enrolled",
        "totp_removed",
        "user_disabled",
        "user_enabled",
        "sign_in_failed",
        "sign_in_throttled",
        "audit_export_revealed",
        "opened",
        "resumed",
        "member_leave_added",
        "member_leave_removed",
        "member_conflict_removed",
        "calendar_feed_made",
        "calendar_feed_revoked",
    }


def test_every_field_a_members_sync_changes_has_words() -> None:
    """The stored sync names a member's fields as they are; a reader reads them in words."""
    assert set(MEMBER_FIELD_NAMES) == set(MEMBER_FIELDS)
    changes = MemberChanges(changed={"member-b": ("email", "soft_conflicts")})
    assert changes.describe() == "member-b: email, soft_conflicts changed"
    assert changes.describe(tr=NB) == "member-b: e-post, mulige interessekonflikter endret"


def test_an_alert_reads_as_its_rung_and_deadline() -> None:
    """The stored "overdue-2 alert for the initial_assessment deadline" is worded from its data."""
    alert = records.Alert("NCP-2025-001", "initial_assessment", "overdue-2", date(2025, 5, 1), ("chair",))
    stored = audit_wording.ALERT.format(rung="overdue-2", deadline="initial_assessment")
    assert stored == "overdue-2 alert for the initial_assessment deadline"
    data = alert.to_data()
    assert (
        audit_wording.reason("alert", stored, data, NB)
        == "fristen for første vurdering er oversittet (varsel 2)"
    )
    assert (
        audit_wording.reason("alert", stored, data) == "the initial assessment deadline is overdue (alert 2)"
    )
    before = records.Alert("NCP-2025-001", "acknowledgement", "before-7d", date(2025, 5, 1), ())
    assert (
        audit_wording.reason(
            "alert", "before-7d alert for the acknowledgement deadline", before.to_data(), NB
        )
        == "påminnelse 7 dager før fristen for bekreftelse av mottak"
    )
    # The text does not fit the data: it is not one ncpflow wrote for this entry, and stays.
    assert audit_wording.reason("alert", "due alert for the procedure deadline", data, NB) == (
        "due alert for the procedure deadline"
    )


TODAY = date(2025, 6, 2)
MEMBERS = (
    Member("chair", "Chair", "chair@example.org"),
    Member("member-b", "B", "b@example.org", leave=(Leave(date(2025, 6, 1), date(2025, 8, 31)),)),
    Member("member-c", "C", "c@example.org", conflicts=(PartyMatch(org_number="923 456 789"),)),
    Member("member-d", "D", "d@example.org", soft_conflicts=(PartyMatch(name="Havbruk ASA"),)),
    Member("member-e", "E", "e@example.org"),
)
PARTIES = (Party("Havbruk ASA", "923456789"),)


def _decision(tr: Any = ENGLISH) -> Any:
    return choose_lead(MEMBERS, parties=PARTIES, on=TODAY, last_led={"chair": Turn(1, "NCP-2025-001")}, tr=tr)


def test_a_lead_decision_with_skips_reads_as_the_rotation_would_word_it_in_norwegian() -> None:
    """Leave, a hard conflict matched on the organisation number, a soft conflict: the stored
    decision worded again is the decision the rotation words in Norwegian itself."""
    stored = _decision()
    assert stored.chosen == "member-e" and len(stored.skipped) == 3
    entry = records.new_case_lead(
        mode="per_case", on=TODAY, decision=stored, notified=(), recorded_at=datetime(2025, 6, 2, tzinfo=UTC)
    )
    worded = audit_wording.reason("lead_assigned", stored.explain(), entry.to_data(), NB)
    assert worded == _decision(NB).explain(tr=NB)
    assert "hoppet over" in worded and "org.nr. 923 456 789" in worded
    assert audit_wording.decision(records.Decision.of(stored), NB) == worded


def test_the_case_page_explains_its_lead_from_the_stored_decision_in_norwegian() -> None:
    """A lead decision row (its member, its skips, the English explanation) worded again; a
    reassignment by hand, with an override; text this version did not write stays as stored."""
    stored = _decision()
    row = LeadRecord(
        1,
        "NCP-2025-002",
        "member-e",
        "opened",
        datetime(2025, 6, 2, tzinfo=UTC),
        stored.explain(),
        stored.skipped,
    )
    assert audit_wording.lead_record(row, NB) == _decision(NB).explain(tr=NB)
    assert audit_wording.lead_record(row) == stored.explain()

    conflict = Skip(
        "member-c", Reason.HARD_CONFLICT, rotation_phrases().hard_conflict.format(party='"Havbruk ASA"')
    )
    text = audit_wording.OVERRIDDEN.format(
        text=audit_wording.REASSIGNED.format(actor="chair", reason="Knows the sector"), skipped=str(conflict)
    )
    by_hand = LeadRecord(2, "NCP-2025-002", "member-c", "reassigned", datetime(2025, 6, 3, tzinfo=UTC), text)
    assert audit_wording.lead_record(by_hand, NB) == (
        "ny saksansvarlig satt av chair: Knows the sector "
        '(overstyrt: member-c: inhabil overfor "Havbruk ASA")'
    )
    odd = LeadRecord(
        3, "NCP-2025-002", "member-c", "opened", datetime(2025, 6, 3, tzinfo=UTC), "picked by lot"
    )
    assert audit_wording.lead_record(odd, NB) == "picked by lot"
    assert audit_wording.lead_record(
        LeadRecord(
            4, "NCP-2025-002", None, "opened", datetime(2025, 6, 3, tzinfo=UTC), audit_wording.SET_BY_HAND
        ),
        NB,
    ) == NB.gettext(audit_wording.SET_BY_HAND)


@pytest.mark.parametrize(
    ("kind", "text", "data"),
    [
        ("transitioned", "user hanna added", {}),  # a person's words that look like ncpflow's
        ("user_added", "user someone-else added", {"user": "hanna", "role": "handler", "member": None}),
        (
            "notified",
            "postcard e-mail sent",
            {"outbox_id": 1, "message_id": "m", "recipient": "a", "attempts": 1},
        ),
        ("lead_assigned", "chose chair", {"broken": True}),
    ],
)
def test_a_reason_that_does_not_fit_its_entry_is_shown_as_written(kind: str, text: str, data: Any) -> None:
    """Only what the entry's own data rebuilds is worded again; anything else is left alone."""
    assert audit_wording.reason(kind, text, data, NB) == text
