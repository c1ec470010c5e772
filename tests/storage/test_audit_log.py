"""The audit log is append-only in the database, and tampering past that is caught by the chain.

Runs on SQLite and PostgreSQL. The "intruder" tests drop the append-only triggers first, as
someone with direct database access could, and then check that `audit verify` (the workflow
function and the CLI's `main`, in this process for speed; one test runs the command in its own
process) names the first entry that no longer fits the chain.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy.exc import DBAPIError

from states.chain import entry_hash
from tests.conftest import Cli, InProcessCli
from tests.helpers import open_one
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services
from workflow.cases import advance


def _seed(services: Services) -> None:
    """Five entries: three cases opened, two of them moved to initial assessment."""
    first = open_one(services, title="Tailings in the fjord", received=date(2025, 3, 3))
    second = open_one(services, title="Union busting at the depot", received=date(2025, 4, 7))
    open_one(services, title="Land rights, Sámi reindeer grazing", received=date(2025, 5, 12))
    for reference in (first, second):
        advance(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference=reference,
            trigger="begin_assessment",
            actor="chair",
            reason="complete submission",
        )


def _snapshot(services: Services) -> list[dict[str, Any]]:
    return [e.as_dict() for e in audit_entries(uow=services.uow)]


def _sql(services: Services, *statements: str, params: dict[str, Any] | None = None) -> None:
    engine: sqlalchemy.Engine = services.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sqlalchemy.text(statement), params or {})


def _is_sqlite(services: Services) -> bool:
    return services.settings.database.url.startswith("sqlite")


def _drop_append_only_triggers(services: Services) -> None:
    if _is_sqlite(services):
        _sql(services, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")
    else:
        _sql(services, "DROP TRIGGER audit_log_no_change ON audit_log")


def _assert_cli_names_bad_seq(run: Callable[..., Any], seq: int) -> None:
    result = run("audit", "verify", "--json")
    assert result.returncode != 0, result.stdout
    verdict = json.loads(result.stdout)
    assert verdict["ok"] is False
    assert verdict["first_bad_seq"] == seq, verdict


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 2",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE seq = 5",
        "DELETE FROM audit_log",
    ],
    ids=["update-one", "update-all", "delete-one", "delete-all"],
)
def test_the_database_refuses_to_update_or_delete_audit_entries(services: Services, statement: str) -> None:
    """An UPDATE or DELETE on audit_log fails in the database and leaves every entry as it was."""
    _seed(services)
    before = _snapshot(services)
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(services, statement)
    assert _snapshot(services) == before
    assert verify_chain(uow=services.uow).ok


@pytest.mark.owner
def test_the_database_refuses_to_truncate_the_audit_log_on_postgresql(services: Services) -> None:
    """TRUNCATE audit_log is refused by a statement-level trigger on PostgreSQL."""
    if _is_sqlite(services):
        pytest.skip("SQLite has no TRUNCATE; its DELETE without WHERE is covered above")
    _seed(services)
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(services, "TRUNCATE audit_log")
    assert len(_snapshot(services)) == 5


def test_an_intact_log_verifies_and_the_cli_exits_zero(services: Services, cli: Cli) -> None:
    """An untouched log verifies through verify_chain and `ncpflow audit verify` exits 0."""
    _seed(services)
    verdict = verify_chain(uow=services.uow)
    assert verdict.ok
    assert verdict.entries == 5
    assert verdict.head_seq == 5
    result = cli("audit", "verify", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    # The chain's verdict, plus what the checkpoints add (none here).
    assert {k: printed[k] for k in verdict.as_dict()} == verdict.as_dict()
    assert (printed["checkpoints"], printed["truncated"], printed["checkpoint_problems"]) == (0, None, [])


@pytest.mark.owner
def test_the_installed_cli_names_the_first_bad_seq(services: Services, cli: Cli) -> None:
    """`ncpflow audit verify` in its own process exits non-zero and names the bad seq."""
    _seed(services)
    _drop_append_only_triggers(services)
    _sql(services, "UPDATE audit_log SET kind = 'noted' WHERE seq = 3")
    _assert_cli_names_bad_seq(cli, 3)
    result = cli("audit", "verify")
    assert result.returncode != 0
    assert "seq 3" in result.stderr, result.stderr
    assert "altered" in result.stderr


def test_an_empty_log_verifies(services: Services, ncp: InProcessCli) -> None:
    """A fresh database has an empty, valid chain."""
    assert verify_chain(uow=services.uow).ok
    assert ncp.json("audit", "verify", "--json")["entries"] == 0


def _edit_reason(services: Services) -> int:
    _sql(services, "UPDATE audit_log SET reason = 'incomplete submission' WHERE seq = 4")
    return 4


def _edit_data(services: Services) -> int:
    _sql(
        services,
        "UPDATE audit_log SET data = :data WHERE seq = 2",
        params={"data": '{"title":"Something harmless"}'},
    )
    return 2


def _edit_actor_of_first(services: Services) -> int:
    _sql(services, "UPDATE audit_log SET actor = 'chair' WHERE seq = 1")
    return 1


def _edit_and_rehash(services: Services) -> int:
    # A cleverer intruder recomputes the edited entry's own hash: the next link then breaks.
    entry = next(e for e in audit_entries(uow=services.uow) if e.seq == 3)
    body = {**entry.hashed_body(), "reason": "withdrawn by submitter"}
    _sql(
        services,
        "UPDATE audit_log SET reason = :reason, hash = :hash WHERE seq = 3",
        params={"reason": body["reason"], "hash": entry_hash(entry.prev_hash, body)},
    )
    return 4


def _delete_middle(services: Services) -> int:
    _sql(services, "DELETE FROM audit_log WHERE seq = 3")
    return 3


def _swap_two(services: Services) -> int:
    _sql(
        services,
        "UPDATE audit_log SET seq = -1 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = -1",
    )
    return 2


@pytest.mark.owner
@pytest.mark.parametrize(
    "tamper",
    [
        _edit_reason,
        _edit_data,
        _edit_actor_of_first,
        _edit_and_rehash,
        _delete_middle,
        _swap_two,
    ],
    ids=["edit-reason", "edit-data", "edit-first-entry", "edit-and-rehash", "delete-one", "swap-two"],
)
def test_tampering_after_dropping_the_triggers_is_caught_at_the_first_bad_seq(
    services: Services, ncp: InProcessCli, tamper: Callable[[Services], int]
) -> None:
    """With the triggers dropped, an edit, deletion or reordering fails verify at its seq."""
    _seed(services)
    assert verify_chain(uow=services.uow).ok
    _drop_append_only_triggers(services)
    bad_seq = tamper(services)
    verdict = verify_chain(uow=services.uow)
    assert not verdict.ok
    assert verdict.first_bad_seq == bad_seq, verdict
    assert verdict.problem
    _assert_cli_names_bad_seq(ncp, bad_seq)


def test_a_page_of_the_log_is_filtered_ordered_and_sliced_in_the_database(services: Services) -> None:
    refs = [open_one(services, title=f"Case {n}", received=date(2025, 3, 3 + n)) for n in range(3)]
    for ref in refs[:2]:
        advance(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference=ref,
            actor="s",
            trigger="begin_assessment",
            reason="r",
        )
    with services.uow.read() as tx:
        log = list(tx.audit.entries())
        oldest = tx.audit.page(limit=2, offset=1)
        newest = tx.audit.page(limit=2, newest_first=True)
        below = tx.audit.page(limit=10, before=log[2].seq, newest_first=True)
        moved = tx.audit.page(kind="transitioned", limit=10)
        of_case = tx.audit.page(case_ref=refs[1], limit=10, newest_first=True)
        kinds = tx.audit.kinds()
        acted = tx.audit.cases_acted_on("s")
        acted_by_nobody = tx.audit.cases_acted_on("nobody")
    seq = [e.seq for e in log]
    assert [e.seq for e in oldest] == seq[1:3]
    assert [e.seq for e in newest] == seq[::-1][:2]
    assert [e.seq for e in below] == seq[:2][::-1]
    assert [e.case_ref for e in moved] == refs[:2]
    assert [e.seq for e in of_case] == [e.seq for e in log if e.case_ref == refs[1]][::-1]
    assert oldest == log[1:3]  # the same entries, hashes and all
    assert kinds == sorted({e.kind for e in log}) and "transitioned" in kinds
    assert acted == set(refs[:2]) and acted_by_nobody == set()  # the actor of the two steps only
