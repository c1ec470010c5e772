"""Company engagement through the application, on SQLite and PostgreSQL: invitations, responses
and concerns each one audit entry; refusals that name their input and write nothing; the
derived "no response"; who reads a concern's text; and the report's rate and reasons, computed
here from the data the test writes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import sqlalchemy

from states import records
from states.engagement import DEFAULT_REASONS
from states.errors import Input, InvalidInputError
from states.permissions import PermissionDeniedError
from states.users import User
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock

CONCERN = "The enterprise's counsel threatened the submitter Kari Nordmann"


def _user(services: Services, name: str, role: str) -> User:
    users.add_user(uow=services.uow, clock=services.clock, name=name, role=role, member_id=None, actor="root")
    return User(name=name, role=role, member_id=None)


def test_an_invitation_a_decline_and_a_concern_are_each_one_audit_entry(services: Services) -> None:
    """Each write reads back and leaves one entry of its kind; a concern's entry holds its
    sha256 and length, never its text; the chain verifies."""
    ref = open_one(services)
    invitation = services.engagement.invite(
        reference=ref, party="enterprise-1", to="good_offices", channel="email", actor="sek"
    )
    assert (invitation.number, invitation.party) == (1, "enterprise-1")
    assert invitation.respond_by == date(2025, 7, 2)  # [engagement] respond_within = "30d"
    response = services.engagement.respond(
        reference=ref,
        invitation=1,
        response="declined",
        reasons=["parallel_proceedings", "reputational_risk"],
        actor="sek",
    )
    assert response.reasons == ("parallel_proceedings", "reputational_risk")
    services.engagement.concern(reference=ref, side="enterprise", text=CONCERN, actor="sek")
    log = services.audit.log(case_ref=ref)
    kinds = [e.kind for e in log]
    for kind in ("engagement_invited", "engagement_responded", "good_faith_concern_raised"):
        assert kinds.count(kind) == 1
    raised = next(e for e in log if e.kind == "good_faith_concern_raised")
    assert raised.data["sha256"] == hashlib.sha256(CONCERN.encode()).hexdigest()
    assert raised.data["length"] == len(CONCERN)
    assert isinstance(records.parse(raised.kind, raised.data), records.GoodFaithConcernRaised)
    assert CONCERN not in json.dumps([e.as_dict() for e in services.audit.log()])
    listed = services.engagement.list(reference=ref)
    (shown,) = listed.invitations
    assert shown.standing == "declined" and shown.responses[0].reasons == list(response.reasons)
    assert listed.concerns[0].text == CONCERN
    assert services.audit.verify_chain().ok


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ({"party": "enterprise-9"}, "party"),
        ({"party": "submitter-1"}, "party"),
        ({"to": "lunch"}, "to"),
        ({"channel": "pigeon"}, "channel"),
        ({"at": date(2025, 6, 3)}, "at"),
        ({"at": date(2025, 1, 1)}, "at"),
        ({"respond_by": date(2025, 5, 1)}, "respond_by"),
    ],
)
def test_a_refused_invitation_names_its_input_and_writes_nothing(
    services: Services, database_url: str, step: dict[str, object], field: str
) -> None:
    """An unknown party, a submitter invited as an enterprise, an unknown kind or channel, a day
    in the future or before the case was received, an answer due before the invitation."""
    ref = open_one(services)
    before = dump(database_url)
    values: dict[str, object] = {"party": "enterprise-1", "to": "meeting", "channel": "post", **step}
    with pytest.raises(InvalidInputError) as refused:
        services.engagement.invite(reference=ref, actor="sek", **values)  # type: ignore[arg-type]
    assert field in {v.field for v in refused.value.params.values() if isinstance(v, Input)}
    assert dump(database_url) == before


@pytest.mark.parametrize(
    ("step", "needle"),
    [
        ({"invitation": 2}, "no invitation 2"),
        ({"reasons": ["bored"]}, "unknown reason 'bored'"),
        ({"reasons": []}, "at least one reason"),
        ({"response": "accepted", "reasons": ["other"]}, "only with a decline"),
        ({"response": "maybe", "reasons": []}, "unknown response 'maybe'"),
        ({"response": "no_response", "reasons": []}, "waits for an answer until 2025-07-01"),
        ({"at": date(2025, 5, 30)}, "before invitation 1 was sent"),
    ],
)
def test_a_refused_response_names_its_input_and_writes_nothing(
    services: Services, database_url: str, step: dict[str, object], needle: str
) -> None:
    """A response to no such invitation, an unknown or missing reason, reasons with an accept,
    an unknown response, no response before the wait is over, an answer before the invitation."""
    ref = open_one(services)
    services.engagement.invite(
        reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek", at=date(2025, 6, 1)
    )
    before = dump(database_url)
    values: dict[str, object] = {"invitation": 1, "response": "declined", "reasons": ["other"], **step}
    with pytest.raises(InvalidInputError, match=needle):
        services.engagement.respond(reference=ref, actor="sek", **values)  # type: ignore[arg-type]
    assert dump(database_url) == before


def test_an_answered_invitation_is_not_answered_again_but_a_recorded_silence_may_be(
    services: Services, clock: FixedClock
) -> None:
    """After a decline a second answer is refused; after a recorded no response (the wait over)
    a late acceptance stands."""
    ref = open_one(services)
    services.engagement.invite(reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek")
    services.engagement.invite(reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek")
    services.engagement.respond(
        reference=ref, invitation=1, response="declined", reasons=["other"], actor="sek"
    )
    with pytest.raises(InvalidInputError, match="already answered"):
        services.engagement.respond(reference=ref, invitation=1, response="accepted", actor="sek")
    clock.advance(days=31)
    services.engagement.respond(reference=ref, invitation=2, response="no_response", actor="sek")
    services.engagement.respond(reference=ref, invitation=2, response="accepted", actor="sek")
    standings = [i.standing for i in services.engagement.list(reference=ref).invitations]
    assert standings == ["declined", "accepted"]


def test_no_response_is_derived_once_the_wait_has_passed(services: Services, clock: FixedClock) -> None:
    """An unanswered invitation waits until its day to answer by, then stands as no response
    (derived, not recorded: nothing is written)."""
    ref = open_one(services)
    services.engagement.invite(
        reference=ref,
        party="enterprise-1",
        to="comment",
        channel="email",
        actor="sek",
        respond_by=date(2025, 6, 9),
    )
    clock.advance(days=7)  # 2025-06-09: the last day to answer
    (waiting,) = services.engagement.list(reference=ref).invitations
    assert (waiting.standing, waiting.derived) == ("pending", False)
    clock.advance(days=1)
    (silent,) = services.engagement.list(reference=ref).invitations
    assert (silent.standing, silent.derived, silent.responses) == ("no_response", True, [])


def test_a_concerns_text_is_withheld_from_auditors_and_protected_names_from_readers_who_may_not_see_them(
    services: Services,
) -> None:
    """An auditor sees that a concern was raised, by which side and when, not its text; a
    withheld enterprise's name reaches it as a pseudonym; an admin reads the text."""
    ref = open_one(services, "Hemmelig Gruve AS")
    services.parties.change_party(reference=ref, party="enterprise-1", withheld=True, actor="sek")
    services.engagement.invite(reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek")
    services.engagement.concern(reference=ref, side="submitter", text=CONCERN, actor="sek")
    auditor = _user(services, "revisor", "auditor")
    admin = _user(services, "ada", "admin")
    seen = services.engagement.list(reference=ref, viewer=auditor)
    (hidden,) = seen.concerns
    assert (hidden.text, hidden.withheld, hidden.side, hidden.length) == (
        None,
        True,
        "submitter",
        len(CONCERN),
    )
    assert CONCERN not in seen.model_dump_json()
    assert "Hemmelig Gruve" not in seen.model_dump_json()
    assert services.engagement.list(reference=ref, viewer=admin).concerns[0].text == CONCERN


def test_a_user_without_the_permission_may_not_log_engagement(services: Services, database_url: str) -> None:
    """An admin (no LOG_ENGAGEMENT) is refused, naming its role; nothing is written."""
    ref = open_one(services)
    _user(services, "ada", "admin")
    before = dump(database_url)
    with pytest.raises(PermissionDeniedError, match="admin"):
        services.engagement.invite(
            reference=ref, party="enterprise-1", to="meeting", channel="post", actor="ada"
        )
    assert dump(database_url) == before


def test_engagement_rows_are_append_only(services: Services, database_url: str) -> None:
    """UPDATE and DELETE on the engagement tables are refused by the database on both backends."""
    ref = open_one(services)
    services.engagement.invite(reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek")
    engine = sqlalchemy.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        for statement in (
            "UPDATE engagement_invitations SET channel = 'post'",
            "DELETE FROM engagement_invitations",
        ):
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def test_the_report_gives_the_participation_rate_and_reasons_by_year_and_by_sector(
    database_url: str,
) -> None:
    """Invitations over two years and two sectors (one case without a sector), answered,
    declined, silent past the wait and still waiting: the figures match those counted here."""
    clock = FixedClock(datetime(2024, 3, 1, 9, 0, tzinfo=UTC))
    services = bootstrap(make_settings(database_url, engagement={"respond_within": "14d"}), clock=clock)
    try:
        mining = open_one(services, received=date(2024, 2, 1), title="Mine")
        services.cases.edit(reference=mining, actor="sek", reason="sector known", sector="Mining")
        fish = open_one(services, received=date(2024, 2, 1), title="Fish")
        # (case, invited on, answer, reasons, sector as the report names it)
        plan = [
            (mining, date(2024, 2, 10), "accepted", [], "Mining"),
            (mining, date(2024, 2, 11), "declined", ["parallel_proceedings", "other"], "Mining"),
            (fish, date(2024, 2, 12), "declined", ["parallel_proceedings"], "unknown"),
            (fish, date(2024, 2, 13), None, [], "unknown"),  # silent: the wait has passed
            (mining, date(2024, 2, 25), None, [], "Mining"),  # still waiting on 2024-03-01
        ]
        for reference, on, answer, reasons, _sector in plan:
            invitation = services.engagement.invite(
                reference=reference,
                party="enterprise-1",
                to="good_offices",
                channel="email",
                actor="sek",
                at=on,
            )
            if answer:
                services.engagement.respond(
                    reference=reference,
                    invitation=invitation.number,
                    response=answer,
                    reasons=reasons,
                    actor="sek",
                    at=on,
                )
        clock.current = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
        services.engagement.invite(
            reference=fish, party="enterprise-1", to="meeting", channel="post", actor="sek"
        )
        clock.current = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
        report = services.reports.engagement()
        only_2024 = services.reports.engagement(year=2024)
    finally:
        services.close()

    def standing(answer: str | None, on: date, today: date) -> str:
        if answer:
            return answer
        return "no_response" if (today - on).days > 14 else "pending"

    today = date(2025, 3, 5)
    rows = [(on.year, sector, standing(a, on, today), r) for _ref, on, a, r, sector in plan]
    rows.append((2025, "unknown", "pending", []))

    def expected(chosen: list[tuple[int, str, str, list[str]]]) -> dict[str, object]:
        counts = Counter(s for _y, _sec, s, _r in chosen)
        settled = counts["accepted"] + counts["declined"] + counts["no_response"]
        reasons = Counter(code for _y, _sec, s, r in chosen if s == "declined" for code in r)
        return {
            "invitations": len(chosen),
            "accepted": counts["accepted"],
            "declined": counts["declined"],
            "no_response": counts["no_response"],
            "pending": counts["pending"],
            "settled": settled,
            "participation_rate": round(counts["accepted"] / settled, 4) if settled else None,
            "reasons": dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        }

    assert report["totals"] == expected(rows)
    assert report["by_year"] == [
        {"year": y, **expected([row for row in rows if row[0] == y])} for y in (2024, 2025)
    ]
    assert report["by_sector"] == [
        {"sector": s, **expected([row for row in rows if row[1] == s])} for s in ("Mining", "unknown")
    ]
    assert only_2024["totals"] == expected([row for row in rows if row[0] == 2024])
    assert [r["year"] for r in only_2024["by_year"]] == [2024]
    assert report["reasons_known"] == [reason.code for reason in DEFAULT_REASONS]


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ({"respond_within": "10wd"}, "counts working days"),
        ({"decline_reasons": []}, "name at least one reason"),
        ({"decline_reasons": [{"code": "Bad Code", "en": "x", "nb": "y"}]}, "is not a reason code"),
        ({"decline_reasons": [{"code": "a", "en": "x", "nb": "y"}] * 2}, "reason code 'a' appears twice"),
        ({"decline_reasons": [{"code": "a", "en": "x"}]}, "nb"),
    ],
)
def test_a_bad_engagement_section_is_refused_naming_the_key(section: dict[str, object], needle: str) -> None:
    """A wait in working days, an empty list, a malformed or repeated code, a reason without its
    Norwegian words: refused when config.toml is read, naming [engagement]."""
    from workflow.config import ConfigError

    with pytest.raises(ConfigError, match=needle) as refused:
        make_settings("sqlite:///unused.db", engagement=section)
    assert "engagement" in str(refused.value)


def test_configured_reasons_replace_the_shipped_ones_with_their_own_words() -> None:
    """[engagement] decline_reasons: the codes a decline may give, worded in en and nb as configured."""
    from translations import translator

    settings = make_settings(
        "sqlite:///unused.db",
        engagement={
            "decline_reasons": [{"code": "sanctions", "en": "Under sanctions", "nb": "Under sanksjoner"}]
        },
    )
    (reason,) = settings.engagement.reasons
    assert reason.code == "sanctions"
    assert (reason.words(translator("en"), "en"), reason.words(translator("nb"), "nb")) == (
        "Under sanctions",
        "Under sanksjoner",
    )


def test_the_report_names_no_protected_party_even_in_a_sector(services: Services) -> None:
    """A sector that names a confidential submitter reaches the report as its pseudonym."""
    from workflow.cases import PartyInput, open_case
    from workflow.rotation import Notices

    secret = "Kari Hemmelig Nordmann"
    ref = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="Tailings",
        submitters=[PartyInput(secret, "individual", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 1, 31),
        sector=f"Mining, as {secret} says",
        notices=Notices(services.settings, services.render),
    ).reference
    services.engagement.invite(reference=ref, party="enterprise-1", to="meeting", channel="post", actor="sek")
    report = services.reports.engagement()
    assert secret not in json.dumps(report)
    assert report["by_sector"][0]["invitations"] == 1
