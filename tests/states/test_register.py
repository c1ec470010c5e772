"""The register's rules (states/register.py): which cases it lists, when an entry changes, which
documents are published."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from states.chain import AuditEntry
from states.documents import Document
from states.register import Filters, is_public_event, is_published, listing, publishes


def _entry(seq: int, kind: str, data: dict[str, Any], *, at: str, source: str | None = None) -> AuditEntry:
    return AuditEntry(seq, "NCP-2025-001", kind, "sek", at, source, None, None, data, "", "")


def _step(seq: int, trigger: str, source: str, at: str) -> AuditEntry:
    return _entry(seq, "transitioned", {"trigger": trigger, "recorded_at": at}, at=at, source=source)


def test_a_case_is_listed_from_its_published_assessment_and_updated_by_its_next_step() -> None:
    """Listed at the fact's recording; a later step updates it; a note does not."""
    trail = [
        _entry(1, "opened", {}, at="2025-01-31T09:00:00Z"),
        _step(2, "accept", "initial_assessment", "2025-03-01T09:00:00Z"),
        _entry(
            3,
            "fact_recorded",
            {"fact": "assessment_published", "recorded_at": "2025-03-02T10:00:00Z"},
            at="2025-03-02T10:00:00Z",
        ),
        _entry(4, "note_added", {}, at="2025-03-05T10:00:00Z"),
        _step(5, "examine", "good_offices", "2025-04-01T08:00:00Z"),
        _entry(6, "document_added", {}, at="2025-04-02T10:00:00Z"),
    ]
    found = listing(trail)
    assert found is not None
    assert found.listed_at == datetime(2025, 3, 2, 10, tzinfo=UTC)
    assert found.updated_at == datetime(2025, 4, 1, 8, tzinfo=UTC)


def test_only_a_publishing_step_or_a_published_statement_lists_a_case() -> None:
    """`publish`, `close` out of the final statement and `statement_published` list a case;
    `close` from follow-up, `accept` and other facts do not."""
    at = "2025-05-01T09:00:00Z"
    assert publishes(_step(1, "publish", "final_statement", at))
    assert publishes(_step(1, "close", "final_statement", at))
    assert publishes(_entry(1, "statement_published", {}, at=at))
    assert not publishes(_step(1, "close", "follow_up", at))
    assert not publishes(_step(1, "accept", "initial_assessment", at))
    assert not publishes(_entry(1, "fact_recorded", {"fact": "mediation_agreed"}, at=at))
    assert listing([_step(1, "accept", "initial_assessment", at)]) is None


def test_a_back_dated_step_updates_the_entry_when_it_was_recorded() -> None:
    """A step given an earlier `at` updates the entry at its recording time: a feed reader
    learns of it then."""
    trail = [
        _step(1, "close", "final_statement", "2025-05-01T09:00:00Z"),
        _entry(
            2,
            "transitioned",
            {"trigger": "x", "recorded_at": "2025-06-01T09:00:00Z"},
            at="2025-04-01T00:00:00Z",
        ),
    ]
    found = listing(trail)
    assert found is not None and found.updated_at == datetime(2025, 6, 1, 9, tzinfo=UTC)


def test_a_partys_change_is_a_public_event_only_where_the_register_shows_it() -> None:
    """Its name or protection: yes; its organisation number or measures: no."""
    at = "2025-05-01T09:00:00Z"
    assert is_public_event(_entry(1, "party_changed", {"changes": {"confidential": {}}}, at=at))
    assert not is_public_event(
        _entry(1, "party_changed", {"changes": {"measures": {}, "org_number": {}}}, at=at)
    )
    assert not is_public_event(_entry(1, "correspondence_logged", {}, at=at))


def _document(**changed: Any) -> Document:
    values: dict[str, Any] = {
        "reference": "NCP-2025-001", "number": 1, "version": 1, "title": "Statement", "direction": "out",
        "party": None, "access": "public", "exemption": None, "filename": "s.pdf",
        "media_type": "application/pdf", "size": 10, "sha256": "0" * 64,
        "added_at": datetime(2025, 5, 1, tzinfo=UTC), "added_by": "sek",
    }  # fmt: skip
    return Document(**{**values, **changed})


def test_only_a_public_document_sent_by_the_ncp_to_no_protected_party_is_published() -> None:
    """Public, out, not exempt, not from or to a protected party."""
    assert is_published(_document(), [])
    assert is_published(_document(party="enterprise-1"), ["submitter-1"])
    assert not is_published(_document(access="ncp"), [])
    assert not is_published(_document(access="parties"), [])
    assert not is_published(_document(direction="in"), [])
    assert not is_published(_document(exemption="offentleglova § 13"), [])
    assert not is_published(_document(party="submitter-1"), ["submitter-1"])


def test_no_filter_keeps_every_entry() -> None:
    """The filters left out keep everything."""
    assert Filters().keep(object())  # type: ignore[arg-type]  # nothing is read
