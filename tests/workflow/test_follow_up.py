"""The follow-up of commitments on both backends: commitments recorded with one audit entry each,
a status history in its order with evidence filed in the same transaction, refusals that name
their input and write nothing, update requests e-mailed to the owner's contacts with a due date
the sweep alerts the lead on once, redaction per reader, and the report's figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from notifications.memory import RecordingChannel
from states import commitments as rules
from states.errors import InvalidInputError
from states.permissions import PermissionDeniedError
from states.users import User
from tests import helpers
from tests.conftest import make_settings
from tests.dbdump import Dumper
from workflow.application import Application
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.follow_up import Evidence
from workflow.outbox import dispatch
from workflow.rotation import Notices

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
AUDITOR = User(name="revisor", role="auditor")
HANDLER = User(name="hanna", role="handler")
SECTIONS: dict[str, Any] = {
    "smtp": {"sender": "ncp@ncp.test"},
    "ncp": {"name": "Norway's NCP", "secretariat": ["sek@ncp.test"]},
}


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


@pytest.fixture
def app(database_url: str, channel: RecordingChannel) -> Iterator[Application]:
    built = bootstrap(make_settings(database_url, **SECTIONS), clock=FixedClock(NOW), channel=channel)
    yield built
    built.close()


def kinds(app: Application, ref: str) -> list[str]:
    return [e.kind for e in audit_entries(uow=app.uow, case_ref=ref)]


def at(app: Application, when: datetime) -> Application:
    return app.as_of(when.isoformat())


def test_a_commitment_is_recorded_with_its_fields_and_one_audit_entry(app: Application) -> None:
    """The party by name becomes its key; made today unless said; the entry holds every field."""
    ref = helpers.open_one(app)
    made = app.follow_up.add(
        reference=ref,
        source="agreement",
        owner="enterprise",
        party="Havbruk Seafood ASA",
        text="Publish a grievance mechanism",
        due=date(2025, 12, 31),
        actor="hanna",
    )
    assert (made.number, made.party, made.made_on, made.due) == (
        1,
        "enterprise-1",
        date(2025, 6, 2),
        date(2025, 12, 31),
    )
    second = app.follow_up.add(
        reference=ref, source="statement", owner="ncp", text="Follow up in a year", actor="hanna",
        made_on=date(2025, 3, 1),
    )  # fmt: skip
    assert second.number == 2 and second.party is None
    (entry,) = [e for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "commitment_recorded"][:1]
    assert entry.data == {
        "number": 1,
        "source": "agreement",
        "owner": "enterprise",
        "text": "Publish a grievance mechanism",
        "made_on": "2025-06-02",
        "recorded_at": NOW.isoformat(),
        "party": "enterprise-1",
        "due": "2025-12-31",
    }
    listed = app.follow_up.list(reference=ref)
    assert [(c.number, c.status, c.party_name) for c in listed.commitments] == [
        (1, "unknown", "Havbruk Seafood ASA"),
        (2, "unknown", None),
    ]
    assert verify_chain(uow=app.uow).ok


def test_the_history_reads_by_day_then_as_recorded_and_the_last_is_current(app: Application) -> None:
    """A status recorded later for an earlier day sits before the later day's; the same day's
    entries keep the order they were recorded in; the current status is the last."""
    ref = helpers.open_one(app)
    app.follow_up.add(
        reference=ref, source="agreement", owner="enterprise", text="Train staff", actor="h",
        made_on=date(2025, 2, 1),
    )  # fmt: skip
    for status, on in (
        ("partly", date(2025, 5, 1)),
        ("not", date(2025, 3, 1)),
        ("implemented", date(2025, 5, 1)),
    ):
        app.follow_up.set_status(reference=ref, commitment=1, status=status, on=on, actor="h")
    (shown,) = app.follow_up.list(reference=ref).commitments
    assert [(e.seq, e.status, e.on) for e in shown.history] == [
        (2, "not", date(2025, 3, 1)),
        (1, "partly", date(2025, 5, 1)),
        (3, "implemented", date(2025, 5, 1)),
    ]
    assert shown.status == "implemented"
    assert kinds(app, ref).count("commitment_status_set") == 3


def test_evidence_is_filed_as_a_document_in_the_status_transaction(app: Application) -> None:
    """An uploaded file becomes the case's next document (direction in, the owner's party,
    access parties), its `document_added` entry before the status's; a filed one by number."""
    ref = helpers.open_one(app)
    app.documents.add(
        reference=ref, source=[b"%PDF-1.4\n"], filename="a.pdf", title="Agreement", direction="in",
        access="parties", actor="h",
    )  # fmt: skip
    app.follow_up.add(
        reference=ref, source="agreement", owner="enterprise", party="enterprise-1", text="Report", actor="h",
        document=1,
    )  # fmt: skip
    entry = app.follow_up.set_status(
        reference=ref,
        commitment=1,
        status="implemented",
        note="Report received",
        evidence=[1],
        upload=Evidence([b"%PDF-1.4\nreport"], "report.pdf", "Annual report"),
        actor="h",
    )
    assert entry.evidence == (1, 2)
    document = app.documents.list(reference=ref).documents[1]
    assert (document.number, document.direction, document.party, document.access, document.title) == (
        2,
        "in",
        "enterprise-1",
        "parties",
        "Annual report",
    )
    assert kinds(app, ref)[-2:] == ["document_added", "commitment_status_set"]


@pytest.mark.parametrize(
    ("call", "change", "message"),
    [
        ("add", {"source": "promise"}, "source: unknown value 'promise'"),
        ("add", {"owner": "state"}, "owner: unknown value 'state'"),
        ("add", {"text": " "}, "the commitment's text"),
        ("add", {"text": "x" * 2001}, "the commitment's text"),
        ("add", {"party": "submitter-1"}, r"party: submitter-1 is not a party of the owner's kind"),
        ("add", {"party": "nobody"}, "has no party 'nobody'"),
        ("add", {"owner": "ncp", "party": "enterprise-1"}, "a commitment the NCP owns names no party"),
        ("add", {"document": 9}, "document: case NCP-2025-001 has no document 9"),
        ("add", {"made_on": date(2025, 7, 1)}, r"made \(made_on\) 2025-07-01 is in the future"),
        ("add", {"made_on": date(2024, 1, 1)}, "before the case was received"),
        ("add", {"due": date(2025, 1, 1), "made_on": date(2025, 5, 1)}, r"date \(due\) 2025-01-01 is before"),
        ("status", {"status": "done"}, "status: unknown value 'done'"),
        ("status", {"commitment": 7}, "commitment: case NCP-2025-001 has no commitment 7"),
        ("status", {"evidence": [4]}, "evidence: case NCP-2025-001 has no document 4"),
        ("status", {"on": date(2025, 6, 3)}, "is in the future"),
        ("status", {"note": "x" * 2001}, "the status note"),
        ("status", {"upload": Evidence([b"%PDF-1.4\n"], "a.pdf", " ")}, "title"),
        ("request", {"party": "submitter-1"}, "party: submitter-1 of case NCP-2025-001 owns no commitment"),
        ("request", {"due": date(2025, 6, 2)}, r"due date \(due\) 2025-06-02 is not after today"),
        ("request", {"commitments": [3]}, "commitment: case NCP-2025-001 has no commitment 3"),
    ],
)
def test_each_refusal_names_its_input_and_writes_nothing(
    app: Application, database_url: str, call: str, change: dict[str, Any], message: str
) -> None:
    """Bad input to add, status or request: refused naming the input, the database unchanged."""
    ref = helpers.open_one(app)
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="h", name="Ola", email="ola@example.org"
    )
    app.follow_up.add(reference=ref, source="agreement", owner="enterprise", text="Report", actor="h")
    dumper = Dumper(database_url)
    before = dumper.dump()
    calls = {
        "add": lambda: app.follow_up.add(
            reference=ref,
            actor="h",
            **{"source": "agreement", "owner": "enterprise", "text": "Train", **change},
        ),
        "status": lambda: app.follow_up.set_status(
            reference=ref, actor="h", **{"commitment": 1, "status": "partly", **change}
        ),
        "request": lambda: app.follow_up.request_update(
            reference=ref, actor="h", **{"party": "enterprise-1", **change}
        ),
    }
    with pytest.raises(InvalidInputError, match=message):
        calls[call]()
    assert dumper.dump() == before
    dumper.engine.dispose()


def test_a_user_who_may_not_track_follow_up_is_refused(app: Application) -> None:
    """An actor who is an auditor user may not record commitments."""
    ref = helpers.open_one(app)
    app.users.add(name="revisor", role="auditor", actor="root")
    with pytest.raises(PermissionDeniedError, match="track the follow-up"):
        app.follow_up.add(reference=ref, source="agreement", owner="ncp", text="x", actor="revisor")


def test_a_request_emails_the_owner_and_the_sweep_alerts_the_lead_once_per_rung_until_answered(
    app: Application, channel: RecordingChannel
) -> None:
    """An e-mail per e-mail contact of the party naming its unimplemented commitments and the due
    date, a correspondence entry, `update_requested`; the sweep alerts the lead at each `[alerts]`
    rung of the due date once, however often it runs, and no more once the update is recorded."""
    ref = helpers.open_one(app)
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="h", name="Ola", email="ola@example.org"
    )
    for text in ("Publish a policy", "Train staff"):
        app.follow_up.add(reference=ref, source="agreement", owner="enterprise", text=text, actor="h")
    app.follow_up.add(reference=ref, source="agreement", owner="submitter", text="Share data", actor="h")
    app.follow_up.set_status(reference=ref, commitment=1, status="implemented", actor="h")
    request = app.follow_up.request_update(reference=ref, party="enterprise-1", actor="hanna")
    assert (request.number, request.commitments, request.due) == (1, (2,), date(2025, 7, 2))  # 30d
    assert dispatch(uow=app.uow, clock=app.clock, channel=channel).as_dict()["sent"] == 1
    (mail,) = channel.sent
    assert mail.recipient == "ola@example.org" and "2. Train staff" in mail.text
    assert "Publish a policy" not in mail.text and "Share data" not in mail.text
    logged = app.correspondence.list(reference=ref).entries[-1]
    assert (logged.direction, logged.party, logged.channel, logged.subject) == (
        "out",
        "enterprise-1",
        "email",
        mail.subject,
    )
    assert [r.number for r in app.follow_up.list(reference=ref).requests] == [1]

    def rungs() -> list[str]:
        entries = audit_entries(uow=app.uow, case_ref=ref)
        return [e.data["rung"] for e in entries if e.kind == "update_request_due"]

    app.alerts.sweep()  # the day it went out: no reminder (30 days before is today)
    assert rungs() == []
    for day in (date(2025, 6, 25), date(2025, 7, 2), date(2025, 7, 2)):
        at(app, datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8)).alerts.sweep()
    assert rungs() == ["before-7d", "due"]
    answer = at(app, datetime(2025, 7, 3, 8, 0, tzinfo=UTC))
    answer.follow_up.set_status(reference=ref, commitment=2, status="partly", actor="h")
    at(app, datetime(2025, 7, 9, 8, 0, tzinfo=UTC)).alerts.sweep()  # overdue-1, but answered
    assert rungs() == ["before-7d", "due"]
    later = FixedClock(datetime(2025, 7, 10, tzinfo=UTC))
    while dispatch(uow=app.uow, clock=later, channel=channel).as_dict()["sent"]:
        pass
    alerts = [m for m in channel.sent if "Havbruk Seafood ASA" in m.subject]
    assert [m.recipient for m in alerts] == ["sek@ncp.test"] * 2
    assert alerts[0].subject != alerts[1].subject and all(ref in m.subject for m in alerts)
    assert verify_chain(uow=app.uow).ok


def test_a_request_to_a_party_without_an_email_contact_is_refused_naming_the_party(app: Application) -> None:
    """No contact takes e-mail: refused, naming the input."""
    ref = helpers.open_one(app)
    app.follow_up.add(reference=ref, source="agreement", owner="enterprise", text="Report", actor="h")
    with pytest.raises(
        InvalidInputError, match=r"party: enterprise-1 of case .* has no contact who takes e-mail"
    ):
        app.follow_up.request_update(reference=ref, party="enterprise-1", actor="h")


def test_an_auditor_reads_a_pseudonym_in_commitment_texts_and_notes(app: Application) -> None:
    """A confidential submitter's name in a commitment's text and a status note is replaced for
    an auditor; a handler reads both as stored."""
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
    ref = case.reference
    app.follow_up.add(
        reference=ref, source="agreement", owner="submitter", party="submitter-1",
        text="Kari Nordmann shares her data", actor="h",
    )  # fmt: skip
    app.follow_up.set_status(
        reference=ref, commitment=1, status="partly", note="Met Kari Nordmann", actor="h"
    )
    seen = app.follow_up.list(reference=ref, viewer=AUDITOR).commitments[0]
    assert "Kari" not in seen.text + (seen.party_name or "") + (seen.history[0].note or "")
    assert seen.text.endswith("shares her data")
    handler = app.follow_up.list(reference=ref, viewer=HANDLER).commitments[0]
    assert handler.text == "Kari Nordmann shares her data" and handler.party_name == "Kari Nordmann"


def test_a_request_never_names_a_protected_party_to_another(
    app: Application, channel: RecordingChannel
) -> None:
    """The enterprise's e-mail words its commitment with the withheld submitter's name hidden."""
    ref = open_case(
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
    ).reference
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="h", name="Ola", email="ola@example.org"
    )
    app.follow_up.add(
        reference=ref, source="agreement", owner="enterprise", text="Compensate Kari Nordmann", actor="h"
    )
    app.follow_up.request_update(reference=ref, party="enterprise-1", actor="h")
    dispatch(uow=app.uow, clock=app.clock, channel=channel)
    (mail,) = channel.sent
    assert "Compensate " in mail.text and "Kari" not in mail.text + mail.html + mail.subject


def test_the_report_counts_statuses_and_rates_by_year_and_theme(app: Application) -> None:
    """The figures are computed here from the data by the documented rules: implemented 1,
    partly 0.5, not 0, unknown left out; the year of `made_on`; each of the case's themes."""
    first = helpers.open_one(app)
    second = open_case(
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        reference_prefix="NCP",
        title="Wages",
        submitters=[PartyInput("LO", "trade_union")],
        enterprises=[PartyInput("Textile AS")],
        actor="sek",
        received=date(2024, 1, 31),
        themes=["employment", "human_rights"],
        notices=Notices(app.settings, app.render),
    ).reference
    plan = [
        (first, date(2025, 2, 1), "implemented"),
        (first, date(2025, 2, 1), "partly"),
        (first, date(2025, 3, 1), None),
        (second, date(2024, 5, 1), "not"),
        (second, date(2024, 6, 1), "partly"),
        (second, date(2025, 4, 1), "unknown"),
    ]
    for n, (ref, made, status) in enumerate(plan):
        app.follow_up.add(
            reference=ref, source="agreement", owner="ncp", text=f"c{n}", made_on=made, actor="h"
        )
        if status:
            number = app.follow_up.list(reference=ref).commitments[-1].number
            app.follow_up.set_status(reference=ref, commitment=number, status=status, actor="h")
    weights = {"implemented": 1.0, "partly": 0.5, "not": 0.0}
    themes = {first: ["none"], second: ["employment", "human_rights"]}

    def expected(selected: list[str | None]) -> tuple[int, int, float | None]:
        known = [weights[s] for s in selected if s in weights]
        return len(selected), len(known), (sum(known) / len(known) if known else None)

    report = app.reports.follow_up()
    assert (report.total.total, report.total.known, report.total.rate) == expected([s for *_, s in plan])
    for row in report.by_year:
        chosen = [s for _, made, s in plan if str(made.year) == row.key]
        assert (row.total, row.known, row.rate) == expected(chosen)
        assert row.counts["unknown"] == sum(1 for s in chosen if s in (None, "unknown"))
    assert [row.key for row in report.by_year] == ["2024", "2025"]
    for row in report.by_theme:
        chosen = [s for ref, _, s in plan if row.key in themes[ref]]
        assert (row.total, row.known, row.rate) == expected(chosen)
    assert [row.key for row in report.by_theme] == ["human_rights", "employment", "none"]
    only = app.reports.follow_up(year=2024)
    assert (only.total.total, only.total.rate) == expected([s for _, made, s in plan if made.year == 2024])[
        ::2
    ]


def test_the_rate_rules_count_partly_half_and_leave_unknown_out() -> None:
    """The pure rules: no known status gives no rate, never 0."""
    counted = rules.rate(["implemented", "partly", "not", "unknown"])
    assert (counted.total, counted.known, counted.score, counted.rate) == (4, 3, 1.5, 0.5)
    assert rules.rate(["unknown"]).rate is None and rules.rate([]).rate is None
