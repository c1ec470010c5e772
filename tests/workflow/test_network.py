"""A network's statistics (states/network.py, workflow/network.py): three NCPs in one
PostgreSQL database each publish their year's figures; the network role reads them aggregated,
matching what this test counts from its own scenario, with no name, title or reference."""

from __future__ import annotations

import json
import statistics
from datetime import UTC, date, datetime

import psycopg
import pytest
from psycopg import errors

from states import records
from states.chain import canonical_json
from states.errors import InvalidInputError
from states.permissions import PermissionDeniedError
from tests.conftest import ROOT, InProcessCli, admin_engine, make_settings, tenant_url
from tests.helpers import open_one
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance
from workflow.clock import FixedClock

NETWORK_LOGIN = "ncpflow_test_network"
CLOCK = FixedClock(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
# Per NCP: cases as (received, [(trigger, on, outcome)]), and each case's party and title.
SCENARIO: dict[str, list[tuple[date, list[tuple[str, date, str | None]]]]] = {
    "NO": [
        (
            date(2025, 1, 10),
            [
                ("begin_assessment", date(2025, 1, 20), None),
                ("accept", date(2025, 3, 1), None),
                ("conclude", date(2025, 9, 1), "agreement"),
            ],
        ),
        (
            date(2025, 2, 3),
            [("begin_assessment", date(2025, 2, 10), None), ("reject", date(2025, 4, 2), "not_accepted")],
        ),
        (
            date(2024, 11, 5),
            [
                ("begin_assessment", date(2024, 11, 20), None),
                ("accept", date(2025, 1, 15), None),
                ("conclude", date(2025, 6, 30), "no_agreement"),
            ],
        ),
    ],
    "SE": [
        (
            date(2025, 3, 3),
            [
                ("begin_assessment", date(2025, 3, 10), None),
                ("accept", date(2025, 5, 5), None),
                ("conclude", date(2025, 12, 1), "agreement"),
            ],
        ),
        (date(2025, 7, 7), []),
    ],
    "DK": [
        (
            date(2024, 6, 1),
            [
                ("begin_assessment", date(2024, 6, 5), None),
                ("accept", date(2024, 9, 1), None),
                ("conclude", date(2025, 2, 1), "agreement"),
            ],
        ),
        (
            date(2025, 4, 4),
            [("begin_assessment", date(2025, 4, 8), None), ("accept", date(2025, 6, 1), None)],
        ),
        (
            date(2025, 5, 5),
            [("begin_assessment", date(2025, 5, 9), None), ("reject", date(2025, 8, 8), "not_accepted")],
        ),
    ],
}
PARTY = "Confidential Riverside Villagers {ncp} {n}"
TITLE = "Discharges at the {ncp} fjord {n}"


def _expected(cases: list[tuple[date, list[tuple[str, date, str | None]]]], year: int) -> dict[str, object]:
    def step(steps: list[tuple[str, date, str | None]], trigger: str) -> tuple[date, str | None] | None:
        return next(((on, outcome) for t, on, outcome in steps if t == trigger), None)

    concluded = [
        (received, done)
        for received, steps in cases
        if (done := step(steps, "conclude")) and done[0].year == year
    ]
    return {
        "received": sum(1 for received, _ in cases if received.year == year),
        "accepted": sum(1 for _, steps in cases if (s := step(steps, "accept")) and s[0].year == year),
        "not_accepted": sum(1 for _, steps in cases if (s := step(steps, "reject")) and s[0].year == year),
        "concluded": len(concluded),
        "agreement": sum(1 for _, (_, outcome) in concluded if outcome == "agreement"),
        "days": [(on - received).days for received, (on, _) in concluded],
    }


def _app(url: str, ncp: str) -> Services:
    return bootstrap(make_settings(url.replace("ncpflow.ncp%3DNO", f"ncpflow.ncp%3D{ncp}")), clock=CLOCK)


@pytest.fixture
def network(network_admin_url: str) -> tuple[str, str]:
    """The NCPs' URL (working for NO; the others swap the code) and the network role's URL."""
    url = tenant_url(network_admin_url, "NO")
    engine = admin_engine(network_admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{NETWORK_LOGIN}') THEN "
            f"CREATE ROLE {NETWORK_LOGIN} LOGIN NOBYPASSRLS IN ROLE ncpflow_network; END IF; END $$"
        )
    engine.dispose()
    server, database = url.split("@", 1)[1].split("?")[0].rsplit("/", 1)
    return url, f"postgresql://{NETWORK_LOGIN}@{server}/{database}"


def test_the_network_role_reads_every_ncps_figures_matching_the_scenario_and_no_names(
    network: tuple[str, str],
) -> None:
    url, network_url = network
    words = []
    for ncp, cases in SCENARIO.items():
        services = _app(url, ncp)
        try:
            for n, (received, steps) in enumerate(cases):
                party, title = PARTY.format(ncp=ncp, n=n), TITLE.format(ncp=ncp, n=n)
                reference = open_one(services, received=received, submitter=party, title=title)
                words += [party, title, reference]
                for trigger, on, outcome in steps:
                    advance(
                        uow=services.uow,
                        clock=services.clock,
                        policy=services.policy,
                        reference=reference,
                        trigger=trigger,
                        actor="sek",
                        reason="step",
                        outcome=outcome,
                        at=on,
                    )
            services.network.publish(year=2025, actor="sek")
            entry = services.audit.log()[-1]
            assert (entry.kind, entry.case_ref, entry.data["year"]) == (
                "network_figures_published",
                None,
                2025,
            )
            assert services.audit.verify_chain().ok
            record = records.parse(entry.kind, entry.data)  # the kind tests/states/test_records.py
            assert isinstance(record, records.NetworkFiguresPublished)  # cannot read from SQLite
            assert canonical_json(record.to_data()) == canonical_json(entry.data)
        finally:
            services.close()
    reader = bootstrap(make_settings(network_url), clock=CLOCK)
    try:
        report = reader.network.statistics(year=2025)
    finally:
        reader.close()
    expected = {ncp: _expected(cases, 2025) for ncp, cases in SCENARIO.items()}
    every_day = sorted(d for e in expected.values() for d in e["days"])  # type: ignore[attr-defined]
    assert report["ncps"] == 3
    assert report["by_ncp"] == {
        ncp: {
            **{k: v for k, v in e.items() if k != "days"},
            "median_days_to_conclusion": statistics.median(e["days"]),
        }  # type: ignore[arg-type]
        for ncp, e in sorted(expected.items())
    }
    totals = {
        k: sum(e[k] for e in expected.values())
        for k in ("received", "accepted", "not_accepted", "concluded", "agreement")
    }  # type: ignore[misc]
    assert report["network"] == {**totals, "median_days_to_conclusion": statistics.median(every_day)}
    assert totals == {"received": 6, "accepted": 4, "not_accepted": 2, "concluded": 4, "agreement": 3}
    text = json.dumps(report)
    assert [w for w in words if w in text] == []


def test_the_network_role_reads_no_case_and_an_ncp_reads_only_its_own_figures(
    network: tuple[str, str],
) -> None:
    url, network_url = network
    for ncp in ("NO", "SE"):
        services = _app(url, ncp)
        try:
            open_one(services, received=date(2025, 3, 3))
            services.network.publish(year=2025, actor="sek")
        finally:
            services.close()
    own = _app(url, "NO")
    try:
        assert list(own.network.statistics(year=2025)["by_ncp"]) == ["NO"]  # type: ignore[call-overload]
    finally:
        own.close()
    with psycopg.connect(network_url, autocommit=True) as conn:
        for table in ("cases", "parties", "audit_log", "users"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f"SELECT count(*) FROM {table}")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM network_figures")
        assert conn.execute("SELECT count(*) FROM network_figures").fetchone() == (2,)


def test_a_database_of_one_ncp_refuses_to_publish_and_writes_nothing(sqlite_url: str) -> None:
    services = bootstrap(make_settings(sqlite_url), clock=CLOCK)
    try:
        before = services.audit.log()
        with pytest.raises(InvalidInputError, match="PostgreSQL database that several NCPs share"):
            services.network.publish(year=2025, actor="sek")
        assert services.audit.log() == before
    finally:
        services.close()


def test_the_command_line_publishes_for_the_ncp_it_names_and_reads_as_the_network(
    network: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, network_url = network
    plain = url.split("?", 1)[0]
    cli = InProcessCli(capsys, monkeypatch, plain, ROOT / "config.toml")
    services = _app(url, "SE")
    try:
        open_one(services, received=date(2025, 3, 3))
    finally:
        services.close()
    published = cli("--ncp", "SE", "network", "publish", "--year", "2025")
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["received"] == 1
    read = cli("--database", network_url, "network", "statistics", "--year", "2025")
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["by_ncp"]["SE"]["received"] == 1
    refused = cli("--ncp", "SE", "network", "publish", "--year", "1900")
    assert refused.returncode == 2, refused.stderr


def test_each_ncp_of_a_shared_database_keeps_its_files_apart() -> None:
    """The checkpoint log and the keys kept beside a PostgreSQL database are named per NCP."""
    from workflow.files import beside_database

    url = "postgresql://app@db.example/network"
    one = beside_database(make_settings(url), ".checkpoints.jsonl")
    no = beside_database(make_settings(url, database={"url": url, "ncp": "NO"}), ".checkpoints.jsonl")
    se = beside_database(make_settings(url, database={"url": url, "ncp": "SE"}), ".checkpoints.jsonl")
    assert (one.name, no.name, se.name) == (
        "network.checkpoints.jsonl",
        "network.NO.checkpoints.jsonl",
        "network.SE.checkpoints.jsonl",
    )


@pytest.mark.parametrize("actor", ["", "   ", "x" * 10_000])
def test_publishing_needs_an_accountable_actor_and_writes_nothing_without_one(
    network: tuple[str, str], actor: str
) -> None:
    """Every audit entry names who acted: a blank or overlong actor is refused by name before
    any figure or entry is written."""
    url, _ = network
    services = _app(url, "NO")
    try:
        before = len(services.audit.log())
        with pytest.raises(InvalidInputError, match="actor"):
            services.network.publish(year=2025, actor=actor)
        assert len(services.audit.log()) == before
        assert services.network.statistics(year=2025)["ncps"] == 0
    finally:
        services.close()


@pytest.mark.parametrize("role", ["auditor", "admin"])  # member, mediator: the table's test
def test_a_user_whose_role_may_not_publish_the_figures_is_refused_and_nothing_is_written(
    network: tuple[str, str], role: str
) -> None:
    """Publishing is the secretariat's (`Action.PUBLISH_NETWORK_FIGURES`): any other role is
    refused by name, and no figure or audit entry is written."""
    url, _ = network
    services = _app(url, "NO")
    try:
        open_one(services, received=date(2025, 3, 3))
        services.users.add(name="someone", role=role, actor="root")
        before = services.audit.log()
        with pytest.raises(PermissionDeniedError, match=f"role '{role}' may not publish the NCP's figures"):
            services.network.publish(year=2025, actor="someone")
        assert services.audit.log() == before
        assert services.network.statistics(year=2025)["ncps"] == 0
    finally:
        services.close()


def test_a_handler_publishes_the_figures_under_its_own_name(network: tuple[str, str]) -> None:
    """A handler may publish; the audit entry names it."""
    url, _ = network
    services = _app(url, "NO")
    try:
        open_one(services, received=date(2025, 3, 3))
        services.users.add(name="hanna", role="handler", actor="root")
        assert services.network.publish(year=2025, actor="hanna").received == 1
        assert services.audit.log()[-1].actor == "hanna"
        assert services.network.statistics(year=2025)["ncps"] == 1
    finally:
        services.close()


def test_the_command_line_refuses_a_user_who_may_not_publish_with_exit_1(
    network: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`network publish --actor` names a user: an auditor exits 1 naming role and action, nothing
    written; a handler publishes."""
    url, _ = network
    plain = url.split("?", 1)[0]
    cli = InProcessCli(capsys, monkeypatch, plain, ROOT / "config.toml")
    services = _app(url, "SE")
    try:
        open_one(services, received=date(2025, 3, 3))
        services.users.add(name="aud", role="auditor", actor="root")
        services.users.add(name="hanna", role="handler", actor="root")
        before = services.audit.log()
    finally:
        services.close()
    refused = cli("--ncp", "SE", "network", "publish", "--year", "2025", "--actor", "aud")
    assert refused.returncode == 1, refused.stderr
    assert "role 'auditor' may not publish the NCP's figures of a year to the network" in refused.stderr
    assert "Traceback" not in refused.stderr
    services = _app(url, "SE")
    try:
        assert services.audit.log() == before
        assert services.network.statistics(year=2025)["ncps"] == 0
    finally:
        services.close()
    done = cli("--ncp", "SE", "network", "publish", "--year", "2025", "--actor", "hanna")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["received"] == 1
