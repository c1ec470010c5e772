"""Statements drafted from templates, circulated for comment with a window the alert sweep keeps,
comments logged, rounds closed, and publishing that fires the procedure's fact or step: on both
backends; each refusal names its input and writes nothing; a protected party is never named in
a draft; the lead's alerts and the parties' reminder go out once however often the sweep runs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from notifications.memory import RecordingChannel
from states.errors import InvalidInputError, NcpflowError, StepRefusedError
from states.pseudonyms import pseudonym
from states.users import User
from tests import helpers
from tests.conftest import make_settings
from tests.dbdump import dump
from workflow.application import Application
from workflow.audit import audit_entries
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.documents import spool
from workflow.rotation import Notices

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SECTIONS: dict[str, Any] = {
    "smtp": {"sender": "ncp@ncp.test"},
    "ncp": {"name": "Norway's NCP", "secretariat": ["sek@ncp.test"]},
}


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


def build(url: str, channel: RecordingChannel, **sections: Any) -> Application:
    return bootstrap(make_settings(url, **{**SECTIONS, **sections}), clock=FixedClock(NOW), channel=channel)


@pytest.fixture
def app(database_url: str, channel: RecordingChannel) -> Iterator[Application]:
    built = build(database_url, channel)
    yield built
    built.close()


def kinds(app: Application, ref: str) -> list[str]:
    return [e.kind for e in audit_entries(uow=app.uow, case_ref=ref)]


def protected_case(app: Application) -> str:
    """A case whose submitter's identity is withheld, its name in the title; in examination."""
    case = open_case(
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        reference_prefix="NCP",
        title="Kari Nordmann against Nordic Metals",
        submitters=[PartyInput("Kari Nordmann", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="h",
        received=date(2025, 1, 31),
        notices=Notices(app.settings, app.render),
    )
    ref = case.reference
    for trigger, outcome in (("begin_assessment", None), ("accept", None), ("examine", "no_agreement")):
        app.cases.advance(reference=ref, trigger=trigger, actor="h", reason="step", outcome=outcome)
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="h", name="CEO", email="ceo@nordic.example"
    )
    app.parties.add_contact(
        reference=ref,
        party="submitter-1",
        actor="h",
        name="Kari Nordmann",
        email="kari@example.org",
        language="nb",
    )
    app.cases.add_issue(reference=ref, title="Kari Nordmann's health", chapters=["iv"], actor="h")
    return ref


def pdf_text(app: Application, ref: str, number: int, version: int | None = None) -> str:
    opened = app.documents.open(reference=ref, number=number, version=version)
    data = b"".join(opened.chunks)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_statement_is_drafted_circulated_commented_closed_and_published_on_both_backends(
    app: Application, channel: RecordingChannel
) -> None:
    """The round trip: a draft (internal documents), a round to both parties (an e-mail each
    with the PDF, a correspondence entry each), a comment with a document, the round closed,
    the statement published: public PDF, the `publish` step fired, the audit kinds in order."""
    ref = protected_case(app)
    drafted = app.statements.draft(reference=ref, kind="final_statement", actor="h")
    docs = app.documents.list(reference=ref).documents
    assert [(d.number, d.direction, d.access) for d in docs] == [
        (1, "internal", "ncp"),
        (2, "internal", "ncp"),
    ]
    held = app.statements.circulate(
        reference=ref, statement=drafted.number, parties=["submitter-1", "enterprise-1"], actor="h", days=14
    )
    assert (held.number, held.due_on, held.parties) == (1, date(2025, 6, 16), ("submitter-1", "enterprise-1"))
    entries = app.correspondence.list(reference=ref).entries
    assert [(e.party, e.channel, list(e.documents)) for e in entries] == [
        ("submitter-1", "email", [2]),
        ("enterprise-1", "email", [2]),
    ]
    app.outbox.dispatch()
    assert sorted(m.recipient for m in channel.sent) == ["ceo@nordic.example", "kari@example.org"]
    assert all(channel.attached[m.message_id][0][0] == f"{ref}-statement-1.pdf" for m in channel.sent)
    with spool([b"%PDF-1.4\n% comments\n"], filename="comments.pdf", max_size=10**6) as upload:
        app.statements.comment(
            reference=ref,
            round=1,
            party="enterprise-1",
            via="email",
            actor="h",
            text="Too harsh.",
            upload=upload,
        )
    shown = app.statements.circulated(reference=ref, party="enterprise-1")
    assert [(c.round, c.statement, c.kind, c.document, c.version, c.open) for c in shown] == [
        (1, 1, "final_statement", 2, 1, True)
    ]
    app.statements.close(reference=ref, round=1, actor="h")
    app.cases.advance(reference=ref, trigger="conclude", actor="h", reason="done", outcome="determination")
    published = app.statements.publish(reference=ref, statement=1, actor="h")
    assert (published.status.value, published.fired, published.published_version) == (
        "published",
        "trigger:publish",
        2,
    )
    assert app.cases.get(reference=ref).state == "follow_up"
    public = [
        v for d in app.documents.list(reference=ref).documents for v in d.versions if v.access == "public"
    ]
    assert [(v.number, v.version, v.direction) for v in public] == [(2, 2, "out")]
    assert [(p.kind, p.document, p.version) for p in app.statements.published(reference=ref)] == [
        ("final_statement", 2, 2)
    ]
    trail = kinds(app, ref)
    for kind in ("statement_drafted", "statement_circulated", "comment_received", "comment_round_closed"):
        assert kind in trail
    assert trail[-2:] == ["transitioned", "statement_published"] or trail[-3:-1] == [
        "transitioned",
        "document_added",
    ]
    listed = app.statements.list(reference=ref)
    assert [(c.party, c.via, c.text, c.document) for c in listed.comments] == [
        ("enterprise-1", "email", "Too harsh.", 3)
    ]


def test_a_draft_never_names_the_protected_submitter(app: Application, channel: RecordingChannel) -> None:
    """The submitter's identity is withheld: the draft's PDF and the e-mails sent with it hold
    a neutral word and a pseudonym, never the name (in the title, an issue's title or a contact)."""
    ref = protected_case(app)
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    app.statements.circulate(reference=ref, statement=1, parties=["enterprise-1"], actor="h")
    app.outbox.dispatch()
    texts = [pdf_text(app, ref, 2), *(m.text + m.html + m.subject for m in channel.sent)]
    assert channel.sent and all("Nordmann" not in text for text in texts)
    assert "Nordic Metals ASA" in texts[0] and "IV. Human Rights" in texts[0]


def test_a_published_statement_holds_no_checkable_pseudonym_and_no_other_case_s_protected_name(
    app: Application,
) -> None:
    """Anyone can hash a guessed name into its pseudonym, so the public PDF gives a neutral label
    instead; a protected party of another case named in this case's text is hidden too."""
    other = open_case(
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        reference_prefix="NCP",
        title="Another case",
        submitters=[PartyInput("Ola Varsler", confidential=True)],
        enterprises=[PartyInput("Arctic Ore AS")],
        actor="h",
        received=date(2025, 2, 3),
        notices=Notices(app.settings, app.render),
    ).reference
    ref = protected_case(app)
    app.cases.add_issue(reference=ref, title="Ola Varsler's testimony", chapters=["v"], actor="h")
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    text = pdf_text(app, ref, 2)
    for name in ("Kari Nordmann", "Ola Varsler"):
        assert name not in text
    assert pseudonym(ref, "Kari Nordmann").split()[-1] not in text
    assert pseudonym(other, "Ola Varsler").split()[-1] not in text
    assert "[confidential submitter]" in text


def test_a_member_not_leading_sees_no_name_at_reprisal_risk_in_the_comments(app: Application) -> None:
    """A comment naming a party at reprisal risk reaches a member who does not lead the case
    with the name redacted, and what that party itself wrote is withheld (as its documents are)."""
    ref = protected_case(app)
    app.parties.change_party(
        reference=ref, party="enterprise-1", actor="h", reprisal_risk=True, measures="Kept apart"
    )
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    app.statements.circulate(reference=ref, statement=1, parties=["submitter-1", "enterprise-1"], actor="h")
    app.statements.comment(
        reference=ref, round=1, party="submitter-1", via="email", actor="h", text="Nordic Metals ASA lied."
    )
    app.statements.comment(
        reference=ref, round=1, party="enterprise-1", via="email", actor="h", text="Signed, Nordic Metals ASA"
    )
    lead = app.cases.get(reference=ref).lead_member
    member = User(name="mari", role="member", member_id=f"not-{lead}")
    shown = app.statements.list(reference=ref, viewer=member).comments
    assert [(c.party, c.withheld) for c in shown] == [("submitter-1", False), ("enterprise-1", True)]
    assert "Nordic Metals" not in (shown[0].text or "") and shown[0].text and "lied" in shown[0].text
    assert shown[1].text is None
    handler = User(name="hanna", role="handler")
    assert [c.text for c in app.statements.list(reference=ref, viewer=handler).comments] == [
        "Nordic Metals ASA lied.",
        "Signed, Nordic Metals ASA",
    ]


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("kind", ["initial_assessment", "final_statement", "follow_up"])
def test_every_kind_renders_in_both_languages_with_every_variable_given(
    sqlite_url: str, channel: RecordingChannel, kind: str, language: str
) -> None:
    """Each template renders under StrictUndefined (a missing variable would fail) in en and nb."""
    from notifications.letters.render import render_letter, text_of
    from workflow.statements import statement_values

    app = build(sqlite_url, channel)
    try:
        ref = helpers.open_one(app)
        with app.uow.read() as tx:
            stored = tx.cases.get(ref)
        values = statement_values(
            case=stored,
            issues=[],
            kind=kind,
            language=language,
            today=date(2025, 6, 2),
            settings=app.settings,
            lead=None,
        )
        text = text_of(render_letter(f"statement_{kind}", language, values))
        assert ref in text and "Naturvernforbundet" in text
        assert ("juni" if language == "nb" else "June") in text
    finally:
        app.close()


def refused(app: Application, url: str, call: Any, error: type[Exception], words: str) -> None:
    before = dump(url)
    with pytest.raises(error) as caught:
        call()
    assert words in str(caught.value)
    assert dump(url) == before


def test_each_refusal_names_its_input_and_writes_nothing(
    app: Application, database_url: str, channel: RecordingChannel
) -> None:
    """Unknown kind, a kind the state does not offer, unknown party, days out of bounds, a
    comment from a party the round did not go to, closing a closed round, publishing a kind the
    state does not publish, a statement that is not there: each refused, nothing written."""
    ref = protected_case(app)
    s = app.statements
    refused(
        app,
        database_url,
        lambda: s.draft(reference=ref, kind="apology", actor="h"),
        InvalidInputError,
        "apology",
    )
    refused(
        app,
        database_url,
        lambda: s.draft(reference=ref, kind="follow_up", actor="h"),
        InvalidInputError,
        "the statement kind (kind)",
    )
    s.draft(reference=ref, kind="final_statement", actor="h")
    refused(
        app,
        database_url,
        lambda: s.circulate(reference=ref, statement=1, parties=["submitter-9"], actor="h"),
        NcpflowError,
        "submitter-9",
    )
    for days in (0, 91):
        refused(
            app,
            database_url,
            lambda days=days: s.circulate(
                reference=ref, statement=1, parties=["enterprise-1"], actor="h", days=days
            ),
            InvalidInputError,
            "the comment window in days (days)",
        )
    refused(
        app,
        database_url,
        lambda: s.publish(reference=ref, statement=7, actor="h"),
        InvalidInputError,
        "no statement 7",
    )
    refused(
        app,
        database_url,
        lambda: s.publish(reference=ref, statement=1, actor="h"),
        InvalidInputError,
        "offers no final_statement",
    )
    s.circulate(reference=ref, statement=1, parties=["enterprise-1"], actor="h")
    refused(
        app,
        database_url,
        lambda: s.comment(reference=ref, round=1, party="submitter-1", via="post", actor="h", text="x"),
        InvalidInputError,
        "was not sent to submitter-1",
    )
    refused(
        app,
        database_url,
        lambda: s.comment(reference=ref, round=1, party="enterprise-1", via="pigeon", actor="h", text="x"),
        InvalidInputError,
        "pigeon",
    )
    s.close(reference=ref, round=1, actor="h")
    refused(
        app,
        database_url,
        lambda: s.close(reference=ref, round=1, actor="h"),
        StepRefusedError,
        "already closed",
    )
    refused(
        app,
        database_url,
        lambda: s.comment(reference=ref, round=1, party="enterprise-1", via="post", actor="h", text="late"),
        StepRefusedError,
        "already closed",
    )


def test_an_open_procedural_review_refuses_publishing_and_nothing_is_written(
    app: Application, database_url: str
) -> None:
    """The guard no_open_review refuses the `publish` step: no public PDF, no entry."""
    ref = protected_case(app)
    app.cases.advance(reference=ref, trigger="conclude", actor="h", reason="done", outcome="determination")
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    app.cases.record(reference=ref, fact="review_requested", on=date(2025, 6, 2), actor="h", by="submitter")
    refused(
        app,
        database_url,
        lambda: app.statements.publish(reference=ref, statement=1, actor="h"),
        NcpflowError,
        "review",
    )


def test_publishing_an_initial_assessment_records_the_fact(app: Application) -> None:
    """oecd-2023 version 4: the initial assessment fires the fact `assessment_published`."""
    ref = protected_case(app)
    app.statements.draft(reference=ref, kind="initial_assessment", actor="h")
    published = app.statements.publish(reference=ref, statement=1, actor="h")
    assert published.fired == "fact:assessment_published"
    assert [f.name for f in app.cases.get(reference=ref).facts] == ["assessment_published"]
    assert kinds(app, ref)[-2:] == ["fact_recorded", "document_added"] or "statement_published" in kinds(
        app, ref
    )


def test_the_window_alerts_the_lead_and_reminds_the_parties_once_and_the_sweep_closes_it(
    app: Application, channel: RecordingChannel
) -> None:
    """A 14-day window: the parties' reminder three days before the end, once; the lead's rungs
    once each (two sweeps a day); the day after the end the sweep closes the round."""
    ref = protected_case(app)
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    app.statements.circulate(reference=ref, statement=1, parties=["enterprise-1"], actor="h", days=14)

    def window(day: str) -> list[tuple[str, tuple[str, ...]]]:
        """Two sweeps on `day`: the rungs of round 1's window fired, with their recipients."""
        later = app.as_of(day)
        fired = later.alerts.sweep() + later.alerts.sweep()
        return [(a["rung"], tuple(a["recipients"])) for a in fired if a["deadline"] == "comments-1"]

    assert window("2025-06-09") == [("before-7d", ("sek@ncp.test",))]  # [alerts] before: 7d
    assert window("2025-06-13") == [("parties-before-3d", ("enterprise-1",))]
    assert window("2025-06-14") == []
    assert window("2025-06-16") == [("due", ("sek@ncp.test",))]
    app.as_of("2025-06-16").outbox.dispatch()
    assert [m.subject.split(": ", 1)[1] for m in channel.sent if m.recipient == "ceo@nordic.example"] == [
        "Draft final statement for comment by 16 June 2025",
        "Reminder: comments on the draft final statement by 16 June 2025",
    ]
    assert [m.recipient for m in channel.sent].count("sek@ncp.test") == 2
    assert window("2025-06-17") == []
    assert not app.statements.list(reference=ref).rounds[0].open
    assert kinds(app, ref).count("comment_round_closed") == 1
    assert window("2025-06-18") == []
    assert kinds(app, ref).count("comment_round_closed") == 1


def test_a_pause_holds_the_window_so_the_parties_are_still_reminded_after_the_resume(
    app: Application,
) -> None:
    """Opened 2 June for 14 days (to 16 June); the case paused 5 to 15 June: the window ends ten
    days later (26 June), the parties are reminded three days before that, and it closes after."""
    ref = protected_case(app)
    app.statements.draft(reference=ref, kind="final_statement", actor="h")
    app.statements.circulate(reference=ref, statement=1, parties=["enterprise-1"], actor="h", days=14)
    app.as_of("2025-06-05T10:00:00+00:00").cases.pause(reference=ref, actor="h", reason="Court case")
    app.as_of("2025-06-15T10:00:00+00:00").cases.resume(reference=ref, actor="h")

    def fired(day: str) -> list[str]:
        return [a["rung"] for a in app.as_of(day).alerts.sweep() if a["deadline"] == "comments-1"]

    assert fired("2025-06-17") == []  # the old end has passed: the round stays open
    assert app.statements.list(reference=ref).rounds[0].open
    assert app.statements.circulated(reference=ref, party="enterprise-1")[0].due_on == date(2025, 6, 26)
    assert "parties-before-3d" in fired("2025-06-23")
    fired("2025-06-27")
    assert not app.statements.list(reference=ref).rounds[0].open


def version_3() -> str:
    """oecd-2023 version 3, exactly as shipped: version 4 without its statements."""

    text = helpers.oecd_version_4().replace('version = "4"', 'version = "3"')
    start = text.index("# ------------------------------------------------------------------ statements")
    return (
        text[:start]
        + text[text.index("# ------------------------------------------------------------------ reports") :]
    )


V3_SHA256 = "64670b58a157f87e3ebcf1d88fc48c6f8291158d3f9ba3f64ede1f33b696e3f0"


def test_a_case_on_an_older_procedure_version_offers_no_statements_until_migrated(
    app: Application, database_url: str, tmp_path: Path
) -> None:
    """A case pinned to oecd-2023 version 3 (no [statements]) keeps working; drafting is refused,
    naming the version and `case migrate`; migrated to version 4 it drafts."""
    import hashlib

    text = version_3()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == V3_SHA256
    (tmp_path / "v3.toml").write_text(text, encoding="utf-8")
    old = bootstrap(
        make_settings(database_url, procedure={"file": str(tmp_path / "v3.toml")}), clock=app.clock
    )
    try:
        ref = helpers.open_one(old)
    finally:
        old.close()
    app.cases.advance(reference=ref, trigger="begin_assessment", actor="h", reason="ok")
    assert app.cases.get(reference=ref).procedure.version == "3"
    refused(
        app,
        database_url,
        lambda: app.statements.draft(reference=ref, kind="initial_assessment", actor="h"),
        InvalidInputError,
        "version 3, which has no statements",
    )
    assert app.statements.list(reference=ref).drafted == []
    app.cases.migrate(reference=ref, to="oecd-2023@6", actor="chair", reason="statements")
    assert app.statements.draft(reference=ref, kind="initial_assessment", actor="h").number == 1
