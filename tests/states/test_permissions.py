"""The permission table, one row per role and action, written out so a change is a decision."""

from __future__ import annotations

import itertools

import pytest

from states.permissions import (
    PERMISSIONS,
    Action,
    PermissionDeniedError,
    actions_of,
    allows,
    may_see_identities,
    require,
)
from states.users import Role

A = Action
H, M, U, D, X = "handler", "member", "auditor", "admin", "mediator"

# (action, the roles that may do it): the README's roles, spelled out.
TABLE: dict[Action, set[str]] = {
    A.READ_SESSION: {H, M, U, D, X},
    A.SET_OWN_CREDENTIALS: {H, M, U, D, X},
    A.READ_HANDBOOK: {H, M, U, D, X},
    A.READ_CASES: {H, M, U, D},
    A.OPEN_CASE: {H},
    A.EDIT_CASE: {H},
    A.ADVANCE_ANY_CASE: {H},
    A.ADVANCE_LED_CASE: {H, M},
    A.PAUSE_CASE: {H},
    A.RESUME_CASE: {H},
    A.EXTEND_DEADLINE: {H},
    A.REASSIGN_CASE: {H},
    A.RECUSE_MEMBER: {H},
    A.CHANGE_LEAD_AS_CHAIR: {M},
    A.RECORD_FACT: {H},
    A.READ_AUDIT: {H, M, U, D},
    A.EXPORT_AUDIT: {H, U, D},
    A.SEE_IDENTITIES: {H, M, D},
    A.REVEAL_IDENTITIES: {D},
    A.READ_MEMBERS: {H, M, U, D},
    A.READ_REPORTS: {H, M, U, D},
    A.MANAGE_USERS: {D},
    A.MANAGE_MEMBERS: {H, D},
    A.MIGRATE_CASE: {H, D},
    A.IMPORT_CASES: {D},
    A.SUBSCRIBE_CALENDAR: {H, M, U, D, X},
    A.READ_INTERNAL: {H, M, D},
    A.WRITE_NOTE: {H, M},
    A.ADD_DOCUMENT: {H},
    A.SEND_LETTER: {H},
    A.MANAGE_STATEMENTS: {H},
    A.PUBLISH_STATEMENT: {H},
    A.LOG_CORRESPONDENCE: {H},
    A.MANAGE_PARTIES: {H},
    A.SEE_AT_RISK_IDENTITIES: {H, D},
    A.READ_ASSIGNED_CASES: {X},
    A.MANAGE_MEDIATORS: {H, D},
    A.RECORD_MEDIATION: {H, X},
    A.TRACK_FOLLOW_UP: {H},
    A.LOG_ENGAGEMENT: {H},
    A.LINK_CASES: {H},
    A.MANAGE_PARTY_LINKS: {H},
    A.TICK_CHECKLIST: {H},
    A.PUBLISH_NETWORK_FIGURES: {H},
}


def test_the_written_table_names_every_action() -> None:
    """Each action has its row here, so a new action needs a decision in this test."""
    assert set(TABLE) == set(Action)
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role, Action)))
def test_a_role_may_do_an_action_exactly_when_the_table_says(role: Role, action: Action) -> None:
    """`allows(role, action)` is the row of the table for that role and action."""
    assert allows(role, action) is (role.value in TABLE[action])


@pytest.mark.parametrize("role", ["visitor", "", "HANDLER", "handler "])
def test_a_role_the_table_does_not_know_may_do_nothing(role: str) -> None:
    """An unknown role, or a known one misspelt, gets no action at all."""
    assert actions_of(role) == frozenset()
    assert not may_see_identities(role)


def test_a_refusal_names_the_role_and_the_action() -> None:
    """`require` raises PermissionDeniedError saying which role may not do what."""
    with pytest.raises(PermissionDeniedError, match="role 'auditor' may not pause cases") as err:
        require("auditor", Action.PAUSE_CASE)
    assert err.value.role == "auditor" and err.value.action is Action.PAUSE_CASE


def test_one_allowed_action_of_several_is_enough() -> None:
    """A member may advance some case (the ones it leads), though not any case."""
    require("member", Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE)
    with pytest.raises(PermissionDeniedError, match="may not advance any case"):
        require("member", Action.ADVANCE_ANY_CASE)


def test_seeing_identities_is_the_tables_row() -> None:
    """`may_see_identities` answers what the table's SEE_IDENTITIES row says."""
    assert {r for r in Role if may_see_identities(r)} == TABLE[A.SEE_IDENTITIES]


def test_a_mediator_reads_only_its_assigned_cases_and_reads_them_as_cases() -> None:
    """The mediator role is scoped: lists hold its own cases; on a case it may see, it reads it
    (`READ_CASES` on that case) and nothing more than the table gives it."""
    from states.permissions import allows_on_case, scoped

    assert scoped("mediator") and not any(scoped(r) for r in (H, M, U, D))
    assert allows_on_case("mediator", A.READ_CASES) and not allows("mediator", A.READ_CASES)
    assert not allows_on_case("mediator", A.READ_INTERNAL, A.EDIT_CASE, A.READ_AUDIT)
    assert allows_on_case("mediator", A.RECORD_MEDIATION)
    assert not allows_on_case("auditor", A.EDIT_CASE)
