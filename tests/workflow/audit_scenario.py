"""One deterministic run through every use case that writes an audit entry, on a fixed clock.

`run(url)` makes every kind of entry the code writes (the demo's cases, pauses, extensions,
edits, every lead decision, duty, alerts, e-mails, users, a revealing export, a case's issues,
members' leave and conflicts set in the browser, calendar URLs, documents, a case's notes,
parties and contacts, party links, external mediators) and returns the chain as exported.
Message-IDs come from a counter, so the same code writes the same chain, hashes included:
tests/workflow/fixtures/audit_chain.json is this run on the code as it was before audit records
were declared, with server-side sessions (`python -m tests.workflow.audit_scenario` writes it
anew); audit_chain_before_sessions.json the same run (without the sign-in steps) on the code
before sessions and tokens were listed.
"""

from __future__ import annotations

import itertools
import json
import secrets
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from notifications.memory import RecordingChannel
from tests.conftest import make_settings
from workflow.alerts import sweep
from workflow.audit import audit_entries
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.cases import PartyInput, advance, edit_case, open_case
from workflow.clock import FixedClock
from workflow.correspondence import log_entry
from workflow.demo import load_demo
from workflow.exports import export_rows
from workflow.facts import record_fact
from workflow.feeds import make_feed, revoke_feed
from workflow.follow_up import Evidence
from workflow.issues import add_issue, conclude_issue, decide_issue
from workflow.member_settings import add_conflict, add_leave, remove_setting
from workflow.notes import add_note
from workflow.outbox import dispatch
from workflow.pausing import extend_deadline, pause_case, resume_case
from workflow.rotation import (
    Notices,
    advance_duty,
    alert_unavailable_leads,
    reassign,
    recuse,
    sync_members,
)
from workflow.signin import PER_USER, SignIn
from workflow.users import (
    add_user,
    enrol_totp,
    issue_token,
    remove_totp,
    revoke_token,
    set_disabled,
    set_password,
)
from workflow.versions import migrate_case

FIXTURE = Path(__file__).with_name("fixtures") / "audit_chain.json"
V2 = Path(__file__).with_name("fixtures") / "oecd-2023-v2.toml"  # good_offices renamed mediation
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
BLOCKED = "Blocked Holdings AS"
MEMBERS: list[dict[str, Any]] = [
    {"id": "anna", "name": "Anna", "email": "anna@ncp.test", "role": "chair", "soft_conflicts": [BLOCKED]},
    {
        "id": "bjorn",
        "name": "Bjørn",
        "email": "bjorn@ncp.test",
        "conflicts": ["Nordic Metals ASA"],
        "soft_conflicts": [BLOCKED],
    },
    {
        "id": "cecilie",
        "name": "Cecilie",
        "email": "cecilie@ncp.test",
        "language": "en",
        "soft_conflicts": [BLOCKED],
    },
]
SECTIONS: dict[str, Any] = {
    "ncp": {"name": "Norway's NCP", "language": "nb", "secretariat": ["post@ncp.test"]},
    "smtp": {"sender": "ncpflow@ncp.test"},
}


@contextmanager
def _counted_secrets() -> Iterator[None]:
    """Message-IDs and API tokens from counters: the same run writes the same entries."""
    ids, tokens = itertools.count(1), itertools.count(1)
    with (
        mock.patch.object(uuid, "uuid4", side_effect=lambda: uuid.UUID(int=next(ids))),
        mock.patch.object(secrets, "token_urlsafe", side_effect=lambda _n=32: f"token-{next(tokens):038d}"),
    ):
        yield


@contextmanager
def _fixed_zip_times(clock: FixedClock) -> Iterator[None]:
    """zipfile stamps each member with the wall clock's local time: the scenario's instead."""
    import time
    import zipfile

    fixed = mock.Mock(wraps=time)
    fixed.time = lambda: clock.now().timestamp()
    fixed.localtime = lambda *_: time.gmtime(clock.now().timestamp())
    with mock.patch.object(zipfile, "time", fixed):
        yield


def _services(
    url: str,
    clock: FixedClock,
    members: list[dict[str, Any]],
    channel: RecordingChannel,
    procedure: dict[str, Any] | None = None,
    parties: dict[str, Any] | None = None,
    **rotation: Any,
) -> Services:
    sections = {
        **SECTIONS,
        **({"rotation": rotation} if rotation else {}),
        **({"procedure": procedure} if procedure else {}),
        **({"parties": parties} if parties else {}),
    }
    return bootstrap(make_settings(url, members=members, **sections), clock=clock, channel=channel)


def _steps(url: str, clock: FixedClock, channel: RecordingChannel) -> None:
    app = _services(url, clock, MEMBERS, channel)
    try:
        notices = Notices(app.settings, app.render)
        sync_members(uow=app.uow, clock=clock, settings=app.settings, actor="config")
        load_demo(app)  # opened, transitioned, lead_assigned
        clock.advance(hours=1)
        case = open_case(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference_prefix="NCP",
            title="Tailings dam",
            submitters=[
                PartyInput("Kari Nordmann", "individual", confidential=True),
                PartyInput("Friends of the Fjord", "ngo", org_number="987 654 321"),
            ],
            enterprises=[PartyInput("Nordic Metals ASA", org_number="923456789")],
            actor="sek",
            received=date(2025, 2, 24),
            themes=["environment"],
            host_countries=["BR"],
            sector="Mining",
            guidelines_edition="2023",
            supporting_ncps=["SE"],
            notices=notices,
        )
        ref = case.reference
        blocked = open_case(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference_prefix="NCP",
            title="Nobody may lead",
            submitters=[PartyInput("Fellesforbundet", "trade_union")],
            enterprises=[PartyInput(BLOCKED)],
            actor="sek",
            received=date(2025, 2, 25),
            notices=notices,
        )  # lead_unassigned
        clock.advance(hours=1)
        advance(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference=ref,
            trigger="begin_assessment",
            actor="sek",
            reason="Receipt acknowledged",
        )
        clock.advance(hours=1)
        pause_case(
            uow=app.uow,
            clock=clock,
            reference=ref,
            actor="sek",
            reason="Parallel proceedings",
            requested_by="Nordic Metals ASA",
        )
        clock.advance(days=5)
        pause_case(
            uow=app.uow, clock=clock, reference=blocked.reference, actor="sek", reason="Awaiting documents"
        )
        resume_case(uow=app.uow, clock=clock, reference=ref, actor="sek")
        clock.advance(hours=1)
        resume_case(
            uow=app.uow, clock=clock, reference=blocked.reference, actor="sek", reason="Documents arrived"
        )
        extend_deadline(
            uow=app.uow,
            clock=clock,
            reference=ref,
            deadline="initial_assessment",
            actor="chair",
            days=10,
            reason="Translation of annexes awaited",
        )
        extend_deadline(
            uow=app.uow,
            clock=clock,
            reference=ref,
            deadline="initial_assessment",
            actor="chair",
            months=1,
            reason="More time",
        )
        clock.advance(hours=1)
        advance(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference=ref,
            trigger="accept",
            actor="sek",
            reason="Material issues",
            scope="Chapter VI only",
        )
        clock.advance(hours=1)
        edit_case(
            uow=app.uow,
            clock=clock,
            reference=ref,
            actor="chair",
            reason="Harm continues",
            guidelines_edition="both",
            supporting_ncps=["SE", "DK"],
            sector="",
        )
        edit_case(
            uow=app.uow,
            clock=clock,
            reference=ref,
            actor="chair",
            reason="Scope",
            themes=["environment", "human_rights"],
            host_countries=["BR", "CL"],
            sector="Metals",
        )
        clock.advance(hours=1)
        with app.uow.read() as tx:  # the lead now, whoever the rotation chose
            current = tx.cases.get(ref).lead_member
        other = next(m["id"] for m in MEMBERS if m["id"] not in {current, "bjorn"})
        reassign(
            uow=app.uow,
            clock=clock,
            reference=ref,
            to=other,
            actor="chair",
            reason="Workload",
            notices=notices,
        )
        clock.advance(hours=1)
        reassign(
            uow=app.uow,
            clock=clock,
            reference=ref,
            to="bjorn",
            actor="chair",
            reason="Expertise",
            override=True,
            notices=notices,
        )
        clock.advance(hours=1)
        recuse(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference=ref,
            member="bjorn",
            actor="bjorn",
            reason="Former employer",
            notices=notices,
        )
        clock.advance(days=60)
        sweep(uow=app.uow, clock=clock, settings=app.settings, render=app.render)  # alert
        dispatch(uow=app.uow, clock=clock, channel=channel)  # notified
        add_user(uow=app.uow, clock=clock, name="auditor", role="auditor", actor="admin")
        add_user(
            uow=app.uow,
            clock=clock,
            name="anna",
            role="member",
            actor="admin",
            member_id="anna",
            password="correct horse battery",
        )
        set_password(uow=app.uow, clock=clock, name="auditor", password="staple battery", actor="admin")
        issued = issue_token(uow=app.uow, clock=clock, name="auditor", actor="admin")
        revoke_token(uow=app.uow, clock=clock, name="auditor", token_id=issued.listed.id, actor="admin")
        revoke_token(uow=app.uow, clock=clock, name="auditor", token_id=None, actor="admin")
        enrol_totp(uow=app.uow, clock=clock, name="anna", actor="admin", issuer="ncpflow")
        remove_totp(uow=app.uow, clock=clock, name="anna", actor="admin")
        set_disabled(uow=app.uow, clock=clock, name="auditor", disabled=True, actor="admin")
        set_disabled(uow=app.uow, clock=clock, name="auditor", disabled=False, actor="admin")
        signin = SignIn(app.uow, clock)
        for _ in range(PER_USER):  # sign_in_failed each time, sign_in_throttled at the last
            signin.password("anna", "not her password", "192.0.2.7")
        clock.advance(hours=1)
        list(export_rows(uow=app.uow, clock=clock, reveal=True, actor="admin"))
        list(
            export_rows(
                uow=app.uow,
                clock=clock,
                case_ref=ref,
                since=date(2025, 1, 1),
                until=date(2025, 12, 31),
                reveal=True,
                actor="admin",
            )
        )
    finally:
        app.close()
    # Config changes: a new conflict for every lead (members_synced, then lead_alert).
    clock.advance(days=1)
    changed = [
        {
            **m,
            "conflicts": [
                *m.get("conflicts", []),
                "Nordic Metals ASA",
                "Nordic Wind Power AS",
                "Havbruk Seafood ASA",
            ],
        }
        for m in MEMBERS[::-1]
    ] + [{"id": "dag", "name": "Dag", "email": "dag@ncp.test"}]
    app = _services(url, clock, changed, channel)
    try:
        sync_members(uow=app.uow, clock=clock, settings=app.settings, actor="config")
        alert_unavailable_leads(uow=app.uow, clock=clock, notices=Notices(app.settings, app.render))
    finally:
        app.close()
    clock.advance(days=1)
    app = _services(url, clock, changed, channel, mode="periodic", every="1mo")
    try:
        advance_duty(uow=app.uow, clock=clock, policy=app.policy)  # duty_rotated
        clock.advance(days=1)
        advance_duty(uow=app.uow, clock=clock, policy=app.policy, actor="chair", force=True)
        dispatch(uow=app.uow, clock=clock, channel=channel)
        # A case's issues (issue 12): added, decided (one back-dated), one concluded.
        clock.advance(hours=1)
        add_issue(
            uow=app.uow,
            clock=clock,
            reference=ref,
            actor="sek",
            title="Kari Nordmann's drinking water",
            chapters=["vi", "human_rights"],
        )
        add_issue(uow=app.uow, clock=clock, reference=ref, actor="sek", title="Tax planning", chapters=["xi"])
        decide_issue(
            uow=app.uow,
            clock=clock,
            reference=ref,
            number=1,
            decision="accepted",
            actor="sek",
            at=date(2025, 4, 1),
            reason="Material and substantiated",
        )
        decide_issue(uow=app.uow, clock=clock, reference=ref, number=2, decision="not_accepted", actor="sek")
        conclude_issue(uow=app.uow, clock=clock, reference=ref, number=1, outcome="agreement", actor="sek")
        clock.advance(hours=1)
        record_fact(  # fact_recorded (last, so the chain before it is as it was)
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference=ref,
            fact="mediation_agreed",
            on=date(2025, 3, 14),
            actor="sek",
            note="Nordic Metals ASA agreed to meet",
        )
    finally:
        app.close()
    # Config selects oecd-2023 version 2-test (good_offices renamed mediation): a case moves (migrated).
    clock.advance(days=1)
    app = _services(url, clock, changed, channel, procedure={"file": str(V2)})
    try:
        with app.uow.read() as tx:
            moving = next(c for c in tx.cases.list() if c.state == "good_offices")
        migrate_case(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            settings=app.settings,
            reference=moving.reference,
            to="oecd-2023@2-test",
            mapping={"good_offices": "mediation"},
            actor="chair",
            reason="The NCP adopted version 2",
        )
    finally:
        app.close()
    # Leave and conflicts set in the browser (issue 13): added, then removed.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        leave = add_leave(
            uow=app.uow,
            clock=clock,
            member="cecilie",
            first_day=date(2025, 7, 1),
            last_day=date(2025, 7, 31),
            reason=None,
            actor="sek",
        )
        conflict = add_conflict(
            uow=app.uow,
            clock=clock,
            member="cecilie",
            party_name="Fjord Mining AS",
            org_number="912 345 678",
            soft=True,
            reason="Board member until 2024",
            actor="sek",
        )
        for setting in (leave, conflict):
            remove_setting(uow=app.uow, clock=clock, member="cecilie", setting_id=setting.id, actor="sek")
    finally:
        app.close()
    # Calendar subscription URLs (issue 13): made, made anew (the first revoked), revoked.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        make_feed(uow=app.uow, clock=clock, name="anna", actor="anna", language="nb", scope="mine")
        make_feed(uow=app.uow, clock=clock, name="anna", actor="anna", language="en")
        revoke_feed(uow=app.uow, clock=clock, name="anna", actor="admin")
    finally:
        app.close()
    # Parties and their contacts (issue 14): a party added, changed; a contact added, changed, removed.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        from workflow import parties

        key = parties.add_party(
            uow=app.uow, clock=clock, reference=ref, actor="sek", role="submitter", name="Fjord Fishers"
        )
        parties.change_party(
            uow=app.uow,
            clock=clock,
            reference=ref,
            party=key,
            actor="sek",
            withheld=True,
            reprisal_risk=True,
            measures="Letters by hand only",
        )
        parties.add_contact(
            uow=app.uow,
            clock=clock,
            reference=ref,
            party=key,
            actor="sek",
            name="Per Fisker",
            email="per@fjord.example",
            language="nb",
        )
        parties.change_contact(
            uow=app.uow, clock=clock, reference=ref, party=key, number=1, actor="sek", address="Kaia 3"
        )
        parties.remove_contact(
            uow=app.uow, clock=clock, reference=ref, party=key, number=1, actor="sek", reason="moved"
        )
    finally:
        app.close()
    # A case's documents (issue 14): one filed, then a new version of it.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        with app.uow.read() as tx:
            filed_on = tx.cases.list()[0].reference
        for replaces, text in ((None, b"%PDF-1.4\n% Kari Nordmann's complaint\n"), (1, b"%PDF-1.4\n% v2\n")):
            app.documents.add(
                reference=filed_on,
                source=[text],
                filename="complaint.pdf",
                title="Complaint from Kari Nordmann",
                direction="in",
                party="submitter-1",
                access="parties",
                exemption="offentleglova § 13",
                actor="sek",
                replaces=replaces,
            )
    finally:
        app.close()
    # A case's internal notes (issue 14): one written, one back-dated replacing it.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        add_note(
            uow=app.uow,
            clock=clock,
            reference=ref,
            text="Kari Nordmann called: she fears reprisals.",
            actor="sek",
        )
        add_note(
            uow=app.uow,
            clock=clock,
            reference=ref,
            text="Kari Nordmann called on Monday: she fears reprisals at work.",
            actor="sek",
            at=date(2025, 3, 10),
            replaces=1,
        )
    finally:
        app.close()
    # The correspondence log (issue 14): a letter received, logged with its documents.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        log_entry(
            uow=app.uow,
            clock=clock,
            reference=filed_on,
            actor="sek",
            direction="in",
            party="submitter-1",
            channel="post",
            subject="Further evidence from Kari Nordmann",
            at=date(2025, 3, 20),
            documents=[1],
        )
    finally:
        app.close()
    # Letters (issue 14): drafted, edited, sent by post. Word files hold their zip members'
    # times: the clock is fixed for them, so the DOCX (and the chain holding its hash) is the same.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        with _fixed_zip_times(clock):
            app.letters.draft(reference=filed_on, kind="acknowledgement", party="submitter-1", actor="sek")
            app.letters.edit(
                reference=filed_on, letter=1, paragraphs=["Receipt", "We have your complaint."], actor="sek"
            )
            app.letters.send(reference=filed_on, letter=1, channel="post", actor="sek")
    finally:
        app.close()
    # Keeping parties informed (issue 14): the sweep reminds the leads of parties without word.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel, parties={"update_every": "3mo"})
    try:
        sweep(uow=app.uow, clock=clock, settings=app.settings, render=app.render)
    finally:
        app.close()
    # Statements (issue 15): an initial assessment drafted, edited in Word, circulated for
    # comment, a comment logged, the round closed, the statement published (its fact recorded).
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        with _fixed_zip_times(clock):
            stated = app.cases.open(
                title="Statements", submitters=[PartyInput("Kari Nordmann", confidential=True)],
                enterprises=[PartyInput("Havbruk ASA")], actor="sek", received=date(2025, 3, 1),
            ).reference  # fmt: skip
            advance(
                uow=app.uow, clock=clock, policy=app.policy, reference=stated, trigger="begin_assessment",
                actor="sek", reason="complete",
            )  # fmt: skip
            drafted = app.statements.draft(reference=stated, kind="initial_assessment", actor="sek")
            word = b"".join(app.documents.open(reference=stated, number=drafted.docx_document).chunks)
            from workflow.documents import spool

            with spool([word], filename="edited.docx", max_size=10**7) as upload:
                app.statements.edit(reference=stated, statement=1, upload=upload, actor="sek")
            app.statements.circulate(
                reference=stated, statement=1, parties=["enterprise-1"], actor="sek", days=14
            )
            app.statements.comment(
                reference=stated, round=1, party="enterprise-1", via="email", actor="sek", text="Agreed."
            )
            app.statements.close(reference=stated, round=1, actor="sek")
            advance(
                uow=app.uow, clock=clock, policy=app.policy, reference=stated, trigger="accept",
                actor="sek", reason="merits examination",
            )  # fmt: skip
            app.statements.publish(reference=stated, statement=1, actor="sek")
    finally:
        app.close()
    # Party links (issue 15): one issued, a comment sent through it, then revoked.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        with mock.patch.dict("os.environ", {"NCPFLOW_PARTY_LINK_KEY": "k" * 40}):
            link = app.party_links.issue(reference=filed_on, party="submitter-1", actor="sek", days=30)
            app.party_links.send_comment(token=link.token, text="We agree with the draft.", title="Comment")
            app.party_links.revoke(reference=filed_on, link=link.link.id, actor="sek")
    finally:
        app.close()

    # Company engagement (issue 15): an invitation, its decline, a concern about good faith.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        app.engagement.invite(
            reference=filed_on, party="enterprise-1", to="good_offices", channel="email", actor="sek"
        )
        app.engagement.respond(
            reference=filed_on,
            invitation=1,
            response="declined",
            reasons=["parallel_proceedings", "other"],
            actor="sek",
        )
        app.engagement.concern(
            reference=filed_on, side="submitter", text="Kari Nordmann was told to withdraw.", actor="sek"
        )
    finally:
        app.close()
    # External mediators (issue 15): one added and changed, assigned despite its hard conflict
    # (an audited override), a session recorded, and unassigned.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        app.mediators.add(
            actor="sek",
            mediator_id="kari-mekler",
            name="Kari Mekler",
            email="kari@mekling.example",
            organisation="Mekling AS",
            languages=("nb", "en"),
            conflicts=(("Nordic Metals ASA", None),),
            soft_conflicts=((None, "987654321"),),
        )
        app.mediators.change(actor="sek", mediator_id="kari-mekler", changes={"competence": "Mining"})
        app.mediators.assign(
            reference=ref, mediator="kari-mekler", actor="sek", override="Both parties asked for her"
        )
        app.mediators.add_session(
            reference=ref,
            actor="sek",
            starts=datetime(2025, 4, 2, 10, 0),
            format="hybrid",
            place="Oslo",
            interpreters=("fr",),
            attendees=("submitter-1", "enterprise-1"),
            notes="Internal: the company may offer a fund.",
        )
        app.mediators.unassign(reference=ref, mediator="kari-mekler", actor="sek")
    finally:
        app.close()
    # Follow-up of commitments (issue 15): one recorded, its status set with an evidence file, an
    # update asked of its owner, and the sweep alerting the lead when that falls due.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        app.parties.add_contact(
            reference=filed_on, party="enterprise-1", actor="sek", name="Ola", email="ola@metals.example"
        )
        app.follow_up.add(
            reference=filed_on,
            source="agreement",
            owner="enterprise",
            party="enterprise-1",
            text="Meet Kari Nordmann's village every quarter",
            due=date(2026, 12, 31),
            actor="sek",
        )
        app.follow_up.set_status(
            reference=filed_on,
            commitment=1,
            status="partly",
            note="Two meetings held",
            evidence=[1],
            upload=Evidence([b"%PDF-1.4\n% minutes\n"], "minutes.pdf", "Minutes"),
            actor="sek",
        )
        app.follow_up.request_update(reference=filed_on, party="enterprise-1", actor="sek")
        clock.advance(days=31)
        sweep(uow=app.uow, clock=clock, settings=app.settings, render=app.render)
    finally:
        app.close()
    # The NCPs of a case (issue 16): coordination begun, supporting NCPs in their roles, the
    # complainant's preference, the lead agreed (joint), a review task on a draft that falls due
    # and is answered, the lead handed over.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        with _fixed_zip_times(clock):
            shared = app.cases.open(
                title="Three countries", submitters=[PartyInput("Fagforbundet")],
                enterprises=[PartyInput("Nordic Metals ASA")], actor="sek", received=app.today(),
            ).reference  # fmt: skip
            app.ncps.begin_coordination(reference=shared, actor="sek")
            app.ncps.add_supporting(reference=shared, ncp="SE", role="consulted", actor="sek")
            app.ncps.add_supporting(reference=shared, ncp="CL", role="translates", actor="sek")
            app.ncps.change_role(reference=shared, ncp="SE", role="reviews_drafts", actor="sek")
            app.ncps.remove_supporting(reference=shared, ncp="CL", actor="sek", reason="not concerned")
            app.ncps.prefer(reference=shared, ncp="DK", actor="sek", note="the mine is Danish-owned")
            app.ncps.set_lead(reference=shared, lead=["NO", "DK"], actor="sek", reason="agreed by e-mail")
            advance(
                uow=app.uow, clock=clock, policy=app.policy, reference=shared, trigger="begin_assessment",
                actor="sek", reason="complete",
            )  # fmt: skip
            app.statements.draft(reference=shared, kind="initial_assessment", actor="sek")
            app.ncps.request_review(reference=shared, statement=1, actor="sek")
            clock.advance(days=30)
            sweep(uow=app.uow, clock=clock, settings=app.settings, render=app.render)
            app.ncps.record_review(reference=shared, ncp="SE", comment="Agree; see para 4.", actor="sek")
            # Stage checklists (issue 17): two criteria ticked, one unticked again.
            app.checklists.tick(reference=shared, item="ia_identity", actor="sek")
            app.checklists.tick(reference=shared, item="ia_material", actor="sek")
            app.checklists.untick(reference=shared, item="ia_material", actor="sek")
            app.ncps.transfer(reference=shared, to="SE", actor="sek", reason="handover to the Swedish NCP")
    finally:
        app.close()
    # Related instances (issue 16): two cases here linked (an entry on each), a parallel
    # complaint at another NCP, and the first link removed with a reason.
    clock.advance(hours=1)
    app = _services(url, clock, changed, channel)
    try:
        follow_on = app.case_links.link(reference=filed_on, kind="follow_on", case=ref, actor="sek")
        app.case_links.link(
            reference=filed_on,
            kind="parallel",
            ncp="SE",
            external_reference="NKP 2025/7",
            url="https://ncp.example.se/cases/7",
            actor="sek",
        )
        app.case_links.unlink(
            reference=ref, number=follow_on.number, actor="sek", reason="Not the same facts after all"
        )
    finally:
        app.close()
    _bundles(url, clock, changed, channel, filed_on)
    _network_figures(url, clock, changed, channel)


def _bundles(
    url: str, clock: FixedClock, members: list[dict[str, Any]], channel: RecordingChannel, reference: str
) -> None:
    """Case bundles (issue 16): the case shared with Sweden's NCP with a document, and Sweden's
    bundle back taken in. Fixed keys and a fixed clock: the same run writes the same hashes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from states import bundles
    from states.signatures import Signer

    ours, theirs = (Signer(Ed25519PrivateKey.from_private_bytes(bytes([n]) * 32)) for n in (1, 2))
    clock.advance(hours=1)
    with tempfile.TemporaryDirectory() as folder:
        keys = Path(folder)
        (keys / "signing.pem").write_text(ours.private_pem())
        (keys / "se.pem").write_text(theirs.public_pem())
        settings = make_settings(
            url,
            members=members,
            **SECTIONS,
            audit={"signing_key_file": str(keys / "signing.pem")},
            peers=[{"ncp": "SE", "name": "Sweden's NCP", "public_key_file": str(keys / "se.pem")}],
        )
        app = bootstrap(settings, clock=clock, channel=channel)
        try:
            shared = app.bundles.share(
                reference=reference, to="SE", actor="sek", documents=[1], out=keys / "to-se.json"
            )
            payload = {
                "format": bundles.FORMAT,
                "version": bundles.VERSION,
                "kind": bundles.SHARE,
                "from": {"ncp": "SE", "name": "Sweden's NCP", "key": theirs.key_id},
                "to": {"ncp": "NO", "name": "Norway's NCP"},
                "created": "2025-03-04T09:00:00.000000Z",
                "sequence": 1,
                "previous": None,
                "case": {
                    "reference": "SE-2025-007",
                    "recipient_reference": shared.reference,
                    "title": "Tailings dam",
                    "received": "2025-02-24",
                    "parties": [],
                },
                "documents": [],
                "audit": [],
                "reviews": [],
            }
            (keys / "from-se.json").write_bytes(bundles.seal(payload, theirs))
            clock.advance(hours=1)
            app.bundles.receive(path=keys / "from-se.json", actor="sek")
        finally:
            app.close()


class _HeldFigures:
    """The network's figures table exists only in a PostgreSQL network database
    (tests/workflow/test_network.py covers it there); the fixture needs the audit entry."""

    def available(self) -> bool:
        return True

    def publish(self, figures: object, *, at: datetime) -> None:
        pass


class _NetworkTx:
    def __init__(self, tx: Any) -> None:
        self._tx = tx
        self.network = _HeldFigures()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


class _NetworkUow:
    def __init__(self, uow: Any) -> None:
        self._uow = uow

    @contextmanager
    def write(self) -> Iterator[_NetworkTx]:
        with self._uow.write() as tx:
            yield _NetworkTx(tx)


def _network_figures(
    url: str, clock: FixedClock, members: list[dict[str, Any]], channel: RecordingChannel
) -> None:
    """This NCP's figures of a year published to the network (issue 16), through the use case."""
    from workflow.network import publish

    clock.advance(hours=1)
    app = _services(url, clock, members, channel)
    try:
        publish(uow=_NetworkUow(app.uow), clock=clock, settings=app.settings, year=2025, actor="sek")
    finally:
        app.close()


def run(url: str) -> list[dict[str, Any]]:
    """Every kind of entry, through the use cases; the chain as `audit export` writes it."""
    clock = FixedClock(START)
    with _counted_secrets():
        _steps(url, clock, RecordingChannel())
    app = _services(url, clock, MEMBERS, RecordingChannel())
    try:
        return [entry.as_dict() for entry in audit_entries(uow=app.uow)]
    finally:
        app.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/scenario.db"
        built = bootstrap(make_settings(url), require_initialised=False)
        initialise(built)
        built.close()
        chain = run(url)
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(
        json.dumps(chain, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    kinds = sorted({e["kind"] for e in chain})
    sys.stdout.write(f"{len(chain)} entries, {len(kinds)} kinds: {', '.join(kinds)}\n")


if __name__ == "__main__":
    main()
