"""The command line asks the permission table when the actor is a user: admin commands and
`audit export --reveal` (states/permissions.py); an actor who is no user is the operator."""

from __future__ import annotations

import io

import pytest

from tests.conftest import InProcessCli

# Every admin command, as an actor would give it; the user `target` exists.
ADMIN_COMMANDS = [
    ["users", "add", "newcomer", "--role", "auditor"],
    ["users", "disable", "target"],
    ["users", "new-token", "target"],
    ["users", "revoke-token", "target", "--all"],
    ["users", "totp", "target"],
    ["users", "passwd", "target", "--password-stdin"],
    ["users", "calendar-url", "target"],  # another user's calendar URL
]


@pytest.fixture
def people(ncp: InProcessCli) -> InProcessCli:
    """A handler, an auditor, an admin, and the user `target` the commands act on."""
    for name, role in [("hanna", "handler"), ("aud", "auditor"), ("root", "admin"), ("target", "handler")]:
        assert ncp("users", "add", name, "--role", role).returncode == 0
    return ncp


def _log(ncp: InProcessCli) -> str:
    return ncp("audit", "log").stdout


@pytest.mark.parametrize(("actor", "role"), [("hanna", "handler"), ("aud", "auditor")])
def test_an_admin_command_by_a_user_whose_role_may_not_manage_users_is_refused(
    people: InProcessCli, monkeypatch: pytest.MonkeyPatch, actor: str, role: str
) -> None:
    """Each admin command exits 1, naming the role and the action; nothing is written."""
    before = _log(people)
    for command in ADMIN_COMMANDS:
        monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n"))
        refused = people(*command, "--actor", actor)
        assert refused.returncode == 1, (command, refused.stderr)
        assert f"role '{role}' may not manage users" in refused.stderr
    assert _log(people) == before


@pytest.mark.parametrize("actor", ["root", "operator"])
def test_an_admin_command_by_an_admin_or_by_no_user_is_done(
    people: InProcessCli, monkeypatch: pytest.MonkeyPatch, actor: str
) -> None:
    """An admin may manage users; an actor who is no user (the operator) is not in the table."""
    for command in ADMIN_COMMANDS:
        monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n"))
        done = people(*command, "--actor", actor)
        assert done.returncode == 0, (command, done.stderr)


@pytest.mark.parametrize(
    "command",
    [["users", "passwd", "hanna", "--password-stdin"], ["users", "totp", "hanna"]],
    ids=["passwd", "totp"],
)
def test_a_user_sets_its_own_password_and_second_factor(
    people: InProcessCli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Every role may set its own credentials (SET_OWN_CREDENTIALS), not another's."""
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n"))
    assert people(*command, "--actor", "hanna").returncode == 0


@pytest.mark.parametrize(("actor", "code"), [("hanna", 1), ("aud", 1), ("root", 0), ("operator", 0)])
def test_a_revealing_export_needs_a_role_that_may_reveal_identities(
    people: InProcessCli, actor: str, code: int
) -> None:
    """`audit export --reveal --actor A`: refused for a handler or auditor, done by an admin or
    by an actor who is no user; a refusal is not audited."""
    before = _log(people)
    result = people("audit", "export", "--reveal", "--actor", actor)
    assert result.returncode == code, result.stderr
    if code:
        assert "may not export confidential submitters' identities" in result.stderr
        assert _log(people) == before
    else:
        assert "audit_export_revealed" in _log(people)
