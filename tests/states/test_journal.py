"""The journal's rules (pure): which document versions are entries, the period, and the title
each reader sees."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from states import journal
from states.documents import Document
from states.messages import ENGLISH

FILED = Document(
    reference="NCP-2025-001",
    number=1,
    version=1,
    title="Complaint from Kari Nordmann",
    direction="in",
    party="submitter-1",
    access="parties",
    exemption=None,
    filename="complaint.pdf",
    media_type="application/pdf",
    size=10,
    sha256="0" * 64,
    added_at=datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
    added_by="sek",
)
NAMES = {"NCP-2025-001": {"submitter-1": "Kari Nordmann", "enterprise-1": "Nordic Metals ASA"}}


def _lines(*documents: Document, since: date | None = None, until: date | None = None) -> list[journal.Line]:
    return journal.lines(
        documents, day_of=lambda d: d.added_at.date(), parties=NAMES, since=since, until=until
    )


def test_documents_in_and_out_are_entries_internal_ones_are_not() -> None:
    """Direction in or out, each version; internal documents are no journal entries."""
    sent = replace(FILED, number=2, direction="out", party="enterprise-1")
    memo = replace(FILED, number=3, direction="internal", party=None)
    later = replace(FILED, version=2)
    found = _lines(FILED, sent, memo, later)
    assert [(line.number, line.version, line.direction, line.party) for line in found] == [
        (1, 1, "in", "Kari Nordmann"),
        (2, 1, "out", "Nordic Metals ASA"),
        (1, 2, "in", "Kari Nordmann"),
    ]


def test_the_period_holds_both_its_days() -> None:
    """From and to are both included; either may be left out."""
    days = [replace(FILED, number=n, added_at=datetime(2025, 3, n, 12, tzinfo=UTC)) for n in (1, 2, 3, 4)]
    assert [line.number for line in _lines(*days, since=date(2025, 3, 2), until=date(2025, 3, 3))] == [2, 3]
    assert [line.number for line in _lines(*days, since=date(2025, 3, 4))] == [4]
    assert [line.number for line in _lines(*days, until=date(2025, 3, 1))] == [1]


def test_the_public_sees_an_exempt_documents_ground_not_its_title() -> None:
    """Exempt: its ground instead of its title, in the public variant only."""
    (line,) = _lines(replace(FILED, exemption="offentleglova § 13"))
    assert line.withheld
    public = journal.shown_title(line, ENGLISH, public=True, internal=True)
    assert public == "Exempt from public access, offentleglova § 13"
    assert journal.shown_title(line, ENGLISH, public=False, internal=True) == FILED.title


def test_an_ncp_only_documents_title_is_for_readers_of_internal_documents_alone() -> None:
    """`ncp` access: `[internal document]` for the public and for a reader without the right."""
    (line,) = _lines(replace(FILED, access="ncp"))
    assert journal.shown_title(line, ENGLISH, public=True, internal=True) == "[internal document]"
    assert journal.shown_title(line, ENGLISH, public=False, internal=False) == "[internal document]"
    assert journal.shown_title(line, ENGLISH, public=False, internal=True) == FILED.title


def test_a_public_document_without_exemption_keeps_its_title_everywhere() -> None:
    """Nothing withheld: the title as filed (protected names are the redaction's business)."""
    (line,) = _lines(replace(FILED, access="public"))
    assert not line.withheld
    assert journal.shown_title(line, ENGLISH, public=True, internal=False) == FILED.title
