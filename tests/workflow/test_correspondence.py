"""The correspondence log on both backends: entries with their date, direction, party, channel,
subject and documents; one audit entry each; refusals write nothing; redaction per viewer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from states.errors import InvalidInputError
from states.users import User
from tests import helpers
from tests.conftest import make_settings
from tests.dbdump import Dumper
from workflow.application import Application
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
AUDITOR = User(name="revisor", role="auditor")
HANDLER = User(name="hanna", role="handler")


@pytest.fixture
def app(database_url: str) -> Iterator[Application]:
    built = bootstrap(make_settings(database_url), clock=FixedClock(NOW))
    yield built
    built.close()


def test_an_entry_is_logged_with_its_fields_and_one_audit_entry(app: Application) -> None:
    """The party by name becomes its key; the entry's `at` is when it happened (a local day's
    start in UTC); the audit entry holds every field and the chain verifies."""
    ref = helpers.open_one(app)
    for title in ("Complaint", "Annex"):
        app.documents.add(
            reference=ref, source=[b"%PDF-1.4\n"], filename="a.pdf", title=title, direction="in",
            access="parties", actor="hanna",
        )  # fmt: skip
    entry = app.correspondence.log(
        reference=ref,
        direction="in",
        party="Naturvernforbundet",
        channel="email",
        subject="Annexes to the complaint",
        at=date(2025, 2, 3),
        documents=[2, 1, 2],
        actor="hanna",
    )
    assert (entry.number, entry.party, entry.documents) == (1, "submitter-1", (2, 1))
    assert entry.at == datetime(2025, 2, 2, 23, 0, tzinfo=UTC)  # midnight in Oslo
    (logged,) = [e for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "correspondence_logged"]
    assert logged.actor == "hanna" and logged.at == "2025-02-02T23:00:00.000000Z"
    assert logged.data == {
        "number": 1,
        "direction": "in",
        "party": "submitter-1",
        "channel": "email",
        "subject": "Annexes to the complaint",
        "documents": [2, 1],
        "recorded_at": NOW.isoformat(),
    }
    second = app.correspondence.log(
        reference=ref, direction="out", party="enterprise-1", channel="post", subject="Letter", actor="hanna"
    )
    assert second.number == 2 and second.at == NOW
    listed = app.correspondence.list(reference=ref)
    assert [(e.number, e.party, e.party_name) for e in listed.entries] == [
        (1, "submitter-1", "Naturvernforbundet"),
        (2, "enterprise-1", "Havbruk Seafood ASA"),
    ]
    assert verify_chain(uow=app.uow).ok


def test_the_log_lists_entries_by_when_they_happened(app: Application) -> None:
    """An entry logged later about an earlier call comes first."""
    ref = helpers.open_one(app)
    for day, subject in ((date(2025, 5, 1), "later"), (date(2025, 3, 1), "earlier")):
        app.correspondence.log(
            reference=ref,
            direction="out",
            party="submitter-1",
            channel="phone",
            subject=subject,
            at=day,
            actor="h",
        )
    assert [e.subject for e in app.correspondence.list(reference=ref).entries] == ["earlier", "later"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"party": "enterprise-7"},
            "case NCP-2025-001 has no party 'enterprise-7'; its parties are submitter-1, enterprise-1",
        ),
        ({"channel": "pigeon"}, "unknown channel 'pigeon'; one of: email, post, phone, meeting, video, hand"),
        ({"direction": "sideways"}, "unknown direction 'sideways'"),
        ({"subject": "  "}, "the subject (subject) is required"),
        ({"subject": "x" * 2001}, "at most 2000"),
        ({"at": datetime(2025, 7, 1, tzinfo=UTC)}, "is in the future"),
        ({"documents": [1]}, "case NCP-2025-001 has no document 1; its documents are -"),
    ],
)
def test_each_refusal_names_the_input_and_writes_nothing(
    app: Application, database_url: str, change: dict[str, object], message: str
) -> None:
    """An unknown party, channel or direction, a blank or long subject, a future date: refused."""
    ref = helpers.open_one(app)
    dumper = Dumper(database_url)
    before = dumper.dump()
    arguments: dict[str, object] = {
        "direction": "in",
        "party": "submitter-1",
        "channel": "email",
        "subject": "Complaint",
    }
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        app.correspondence.log(reference=ref, actor="hanna", **{**arguments, **change})  # type: ignore[arg-type]
    assert dumper.dump() == before
    dumper.engine.dispose()


def test_an_auditor_sees_a_pseudonym_in_names_and_subjects(app: Application) -> None:
    """A confidential submitter's name is replaced in the party's name and in free-text subjects
    for an auditor; a handler sees both as stored."""
    from workflow.cases import PartyInput, open_case
    from workflow.rotation import Notices

    case = open_case(
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        reference_prefix="NCP",
        title="Mine tailings",
        submitters=[PartyInput("Kari Nordmann", "individual", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 1, 31),
        notices=Notices(app.settings, app.render),
    )
    app.correspondence.log(
        reference=case.reference,
        direction="in",
        party="submitter-1",
        channel="meeting",
        subject="Meeting with Kari Nordmann in Oslo",
        actor="hanna",
    )
    seen = app.correspondence.list(reference=case.reference, viewer=AUDITOR).entries[0]
    assert "Kari" not in seen.subject and "Nordmann" not in seen.party_name
    assert seen.subject.endswith(" in Oslo") and seen.party == "submitter-1"
    assert (
        app.correspondence.list(reference=case.reference, viewer=HANDLER).entries[0].party_name
        == "Kari Nordmann"
    )
