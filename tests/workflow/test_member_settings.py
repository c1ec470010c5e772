"""Leave and conflicts set in the browser, on SQLite and PostgreSQL: the rotation respects them,
a config sync keeps them, each change is audited, refusals write nothing; and the users rule
that nobody disables themselves or the last enabled admin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest

from states.errors import InvalidInputError
from states.permissions import PermissionDeniedError
from tests import helpers
from tests.conftest import make_settings
from tests.dbdump import dump
from workflow import member_settings, users
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.queries import get_case
from workflow.rotation import sync_members

MEMBERS: list[dict[str, Any]] = [
    {"id": "anna", "name": "Anna", "email": "anna@ncp.test", "role": "chair"},
    {"id": "bjorn", "name": "Bjørn", "email": "bjorn@ncp.test", "conflicts": ["Nordic Metals ASA"]},
    {"id": "cecilie", "name": "Cecilie", "email": "cecilie@ncp.test"},
]
NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
open_one = partial(helpers.open_one, received=date(2025, 10, 1))


def build(url: str, clock: FixedClock, members: list[dict[str, Any]] = MEMBERS) -> Services:
    return bootstrap(make_settings(url, members=members), clock=clock)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> Iterator[Services]:
    built = build(database_url, clock)
    sync_members(uow=built.uow, clock=clock, settings=built.settings)
    yield built
    built.close()


def leave(app: Services, member: str, first: date, last: date, actor: str = "hanna") -> Any:
    return member_settings.add_leave(
        uow=app.uow, clock=app.clock, member=member, first_day=first, last_day=last, reason=None, actor=actor
    )


def conflict(app: Services, member: str, **party: Any) -> Any:
    return member_settings.add_conflict(
        uow=app.uow,
        clock=app.clock,
        member=member,
        party_name=party.get("name"),
        org_number=party.get("org_number"),
        soft=party.get("soft", False),
        reason="Former employer",
        actor="hanna",
    )


def entries(app: Services, kind: str) -> list[Any]:
    return [e for e in audit_entries(uow=app.uow) if e.kind == kind]


def test_a_member_on_leave_set_in_the_browser_is_skipped_by_the_next_lead_choice(app: Services) -> None:
    """Anna, next in turn, is given leave in the browser: the next case goes to Bjørn, and the
    decision says why Anna was skipped, in words."""
    leave(app, "anna", date(2025, 9, 20), date(2025, 10, 10))
    ref = open_one(app, "Other AS")
    assert get_case(uow=app.uow, reference=ref).lead_member == "bjorn"
    (decision,) = [e for e in entries(app, "lead_assigned") if e.case_ref == ref]
    assert decision.data["skipped"] == [
        {"member": "anna", "reason": "on_leave", "detail": "on leave 2025-09-20 to 2025-10-10"}
    ]
    assert "skipped anna: on leave 2025-09-20 to 2025-10-10" in decision.reason
    (added,) = entries(app, "member_leave_added")
    assert added.actor == "hanna" and added.case_ref is None
    assert added.data == {"member": "anna", "setting": 1, "from": "2025-09-20", "to": "2025-10-10"}
    assert verify_chain(uow=app.uow).ok


def test_a_conflict_set_in_the_browser_matches_by_organisation_number(app: Services) -> None:
    """A hard conflict declared by number alone keeps Anna off a case whose enterprise gives
    that number, however it is spaced; a soft one lets her take part but not lead."""
    conflict(app, "anna", org_number="912 345 678")
    ref = open_one(app, "Fjord Mining AS", numbers={"Fjord Mining AS": "912345678"})
    assert get_case(uow=app.uow, reference=ref).lead_member == "bjorn"
    (added,) = entries(app, "member_conflict_added")
    assert added.reason == "Former employer"
    assert added.data == {
        "member": "anna",
        "setting": 1,
        "name": None,
        "org_number": "912 345 678",
        "soft": False,
    }
    conflict(app, "cecilie", name="havbruk  seafood asa", soft=True)
    with app.uow.read() as tx:
        cecilie = next(m for m in tx.members.all() if m.id == "cecilie")
    assert [m.name for m in cecilie.soft_conflicts] == ["havbruk  seafood asa"]


def test_a_sync_keeps_what_the_browser_set_and_changes_only_configs_values(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """config.toml gains a leave for Cecilie and loses Bjørn's conflict: the preview lists both
    as field changes, before and after; the sync applies them and keeps Anna's browser leave."""
    set_here = leave(app, "anna", date(2025, 12, 1), date(2025, 12, 24))
    changed = [
        MEMBERS[0],
        {**MEMBERS[1], "conflicts": []},
        {**MEMBERS[2], "leave": [{"from": "2025-11-01", "to": "2025-11-30"}]},
    ]
    later = build(database_url, clock, changed)
    try:
        preview = member_settings.sync_preview(uow=later.uow, settings=later.settings, language="en")
        assert not preview.empty and preview.kept == 1
        rows = {(c.member, c.change, c.field): (c.before, c.after) for c in preview.changes}
        assert rows == {
            ("bjorn", "changed", "conflicts"): (["Nordic Metals ASA"], []),
            ("cecilie", "changed", "leave"): ([], ["2025-11-01 to 2025-11-30"]),
        }
        nb = member_settings.sync_preview(uow=later.uow, settings=later.settings, language="nb")
        assert nb.summary != preview.summary  # worded in Norwegian
        sync_members(uow=later.uow, clock=clock, settings=later.settings, actor="hanna")
        with later.uow.read() as tx:
            assert tx.members.settings() == [set_here]
            anna = next(m for m in tx.members.all() if m.id == "anna")
            assert anna.leave_on(date(2025, 12, 10)) is not None
        assert member_settings.sync_preview(uow=later.uow, settings=later.settings).empty
    finally:
        later.close()


def test_removing_a_browser_value_is_audited_and_a_config_value_cannot_be_removed(app: Services) -> None:
    """A value set in the browser is removed by its id (audited with what it was); Bjørn's
    conflict from config.toml has no such id, and asking is refused, naming the file."""
    made = conflict(app, "bjorn", name="Fjord Mining AS", soft=True)
    member_settings.remove_setting(
        uow=app.uow, clock=app.clock, member="bjorn", setting_id=made.id, actor="ada"
    )
    (removed,) = entries(app, "member_conflict_removed")
    assert removed.actor == "ada"
    assert removed.data == {
        "member": "bjorn",
        "setting": made.id,
        "name": "Fjord Mining AS",
        "org_number": None,
        "soft": True,
    }
    with pytest.raises(InvalidInputError, match=r"values from config\.toml change only in the file"):
        member_settings.remove_setting(
            uow=app.uow, clock=app.clock, member="bjorn", setting_id=1, actor="ada"
        )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda app: leave(app, "nobody", date(2025, 1, 1), date(2025, 1, 2)), "no member with id 'nobody'"),
        (lambda app: conflict(app, "anna"), "a conflict needs a party name or an organisation number"),
        (lambda app: conflict(app, "bjorn", name="NORDIC METALS ASA"), "already declares this conflict"),
    ],
    ids=["unknown-member", "no-party", "same-as-config"],
)
def test_a_refused_value_writes_nothing(app: Services, database_url: str, call: Any, message: str) -> None:
    """An unknown member, a conflict naming nothing, one config already declares: refused
    with a message saying so, and the database is as it was."""
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match=message):
        call(app)
    assert dump(database_url) == before


def test_the_same_leave_twice_and_a_member_no_longer_in_the_file_are_refused(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """A second identical leave period is refused; so is any value for a deactivated member."""
    leave(app, "anna", date(2025, 12, 1), date(2025, 12, 24))
    with pytest.raises(InvalidInputError, match="already has leave from 2025-12-01 to 2025-12-24"):
        leave(app, "anna", date(2025, 12, 1), date(2025, 12, 24))
    later = build(database_url, clock, MEMBERS[:2])
    try:
        sync_members(uow=later.uow, clock=clock, settings=later.settings)
        with pytest.raises(InvalidInputError, match="member 'cecilie' is inactive"):
            leave(later, "cecilie", date(2025, 12, 1), date(2025, 12, 2))
    finally:
        later.close()


def test_only_users_who_may_manage_members_set_values_or_sync(app: Services) -> None:
    """A user of role member or auditor is refused (naming the action); a handler may."""
    for name, role in (("mari", "member"), ("aud", "auditor"), ("hanna", "handler")):
        users.add_user(
            uow=app.uow,
            clock=app.clock,
            name=name,
            role=role,
            actor="test",
            member_id="anna" if role == "member" else None,
        )
    for actor in ("mari", "aud"):
        with pytest.raises(PermissionDeniedError, match="may not manage members' leave and conflicts"):
            leave(app, "anna", date(2025, 12, 1), date(2025, 12, 2), actor=actor)
        with pytest.raises(PermissionDeniedError, match="may not manage members' leave and conflicts"):
            sync_members(uow=app.uow, clock=app.clock, settings=app.settings, actor=actor)
    leave(app, "anna", date(2025, 12, 1), date(2025, 12, 2), actor="hanna")


def test_nobody_disables_themselves_or_the_last_enabled_admin(app: Services) -> None:
    """The rule the command line and the pages share: `root` may not disable `root`; with
    `ada` disabled, `root` is the last admin and the operator may not disable it either."""
    for name in ("root", "ada"):
        users.add_user(
            uow=app.uow, clock=app.clock, name=name, role="admin", actor="test", password="long enough"
        )
    disable = partial(users.set_disabled, uow=app.uow, clock=app.clock, disabled=True)
    with pytest.raises(InvalidInputError, match="you cannot disable yourself"):
        disable(name="root", actor="root")
    disable(name="ada", actor="root")
    with pytest.raises(InvalidInputError, match="root is the last enabled administrator"):
        disable(name="root", actor="cli")
    assert [e.data["user"] for e in entries(app, "user_disabled")] == ["ada"]


def test_the_users_summary_counts_active_tokens_and_knows_the_latest_sign_in(app: Services) -> None:
    """Three tokens, two revoked: one active; a session begun is the latest sign-in; a user made
    without a token (the pages) has none, and its `user_added` entry says so."""
    users.add_user(uow=app.uow, clock=app.clock, name="kari", role="handler", actor="ada")
    users.issue_token(uow=app.uow, clock=app.clock, name="kari", actor="ada")
    users.revoke_token(uow=app.uow, clock=app.clock, name="kari", token_id=None, actor="ada")
    users.issue_token(uow=app.uow, clock=app.clock, name="kari", actor="ada")
    bare = users.add_user(
        uow=app.uow,
        clock=app.clock,
        name="ola",
        role="auditor",
        actor="ada",
        password="long enough",
        with_token=False,
    )
    assert bare.token == ""
    with app.uow.write() as tx:
        tx.users.add_session(id_hash="h", name="ola", at=NOW, expires_at=NOW.replace(hour=21), address=None)
    listed = {u.name: u for u in users.summaries(uow=app.uow)}
    assert listed["kari"].active_tokens == 1 and listed["kari"].last_signed_in is None
    assert listed["ola"].active_tokens == 0 and listed["ola"].password
    assert listed["ola"].last_signed_in == NOW.isoformat()
    assert entries(app, "user_added")[-1].data["token"] is None
