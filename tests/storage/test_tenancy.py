"""Row-level security by NCP on a real PostgreSQL (storage/tenancy.py, 0038_tenancy).

Each test works in a fresh copy of the network template: NCP ZZ's demo cases are there
(tests/conftest.py), and the application role connects working for NCP NO.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy
from psycopg import errors

from states.errors import StorageUnavailableError
from storage import tenancy
from tests.conftest import APP_LOGIN, NEIGHBOUR, ROOT, InProcessCli, admin_engine, make_settings, tenant_url
from tests.helpers import open_one
from workflow.bootstrap import bootstrap
from workflow.config import ConfigError


@pytest.fixture
def url(network_admin_url: str) -> str:
    return tenant_url(network_admin_url, "NO")


@pytest.fixture
def admin(network_admin_url: str, url: str) -> Iterator[sqlalchemy.Connection]:
    """A superuser's connection to the same database: it sees every NCP's rows."""
    engine = admin_engine(network_admin_url, url.rsplit("/", 1)[1].split("?")[0])
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def _app(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """The application role's own connection, autocommit: hand-written SQL, one statement each."""
    return psycopg.connect(url, autocommit=True)


def _one(admin: sqlalchemy.Connection, sql: str, **params: object) -> tuple[object, ...]:
    return tuple(admin.exec_driver_sql(sql, params).one())


def _tables(admin: sqlalchemy.Connection) -> list[str]:
    rows = admin.exec_driver_sql(
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND relkind = 'r' "
        "AND relname NOT IN ('alembic_version', 'ncpflow_pinned') "
        "ORDER BY relname"
    )
    return [name for (name,) in rows]


def test_every_table_forces_row_level_security_on_a_role_that_cannot_bypass_it(
    admin: sqlalchemy.Connection,
) -> None:
    tables = _tables(admin)
    assert len(tables) > 40
    unforced = admin.exec_driver_sql(
        "SELECT relname FROM pg_class "
        "WHERE relname = ANY(%(t)s) AND NOT (relrowsecurity AND relforcerowsecurity)",
        {"t": tables},
    ).all()
    # The one exception: the search's lookup functions run as the owner and keep the caller's
    # NCP themselves, so that they can use the GIN indexes (0039_search_under_rls).
    assert [name for (name,) in unforced] == ["case_search"]
    role = admin.exec_driver_sql(
        "SELECT rolsuper, rolbypassrls, pg_has_role(rolname, 'ncpflow_app', 'MEMBER') FROM pg_roles "
        "WHERE rolname = %(r)s",
        {"r": APP_LOGIN},
    ).one()
    assert tuple(role) == (False, False, True)
    owned = admin.exec_driver_sql(
        "SELECT relname FROM pg_class WHERE relname = ANY(%(t)s) AND pg_has_role(%(r)s, relowner, 'MEMBER')",
        {"t": tables, "r": APP_LOGIN},
    ).all()
    assert owned == []


def test_working_for_one_ncp_every_table_shows_nothing_of_another(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """ZZ's demo cases fill most tables; NO, on the application role, sees none of their rows,
    not even asking for them by tenant."""
    tables = _tables(admin)
    held = {
        table: admin.exec_driver_sql(
            f'SELECT count(*) FROM "{table}" WHERE tenant = %(n)s', {"n": NEIGHBOUR}
        ).scalar()
        for table in tables
    }
    filled = {table for table, count in held.items() if count}
    assert {"cases", "audit_log", "parties", "deadlines", "case_documents", "procedure_versions"} <= filled
    with _app(url) as conn:
        seen = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # type: ignore[index]
            for table in tables
        }
        asked = {
            table: conn.execute(f'SELECT count(*) FROM "{table}" WHERE tenant = %s', [NEIGHBOUR]).fetchone()
            for table in tables
        }
    assert seen == dict.fromkeys(tables, 0)
    assert asked == dict.fromkeys(tables, (0,))


def test_each_ncp_opens_its_cases_under_references_another_ncp_holds_too(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """References, reference counters and the audit chain hold per NCP: NO's first case takes
    the reference ZZ's first case has, and each NCP reads its own."""
    services = bootstrap(make_settings(url))
    try:
        reference = open_one(services)
        with services.uow.read() as tx:
            assert [case.reference for case in tx.cases.list()] == [reference]
    finally:
        services.close()
    holders = admin.exec_driver_sql(
        "SELECT tenant FROM cases WHERE reference = %(r)s ORDER BY tenant", {"r": reference}
    )
    assert [ncp for (ncp,) in holders] == ["NO", NEIGHBOUR]
    neighbour = bootstrap(make_settings(url.replace("ncpflow.ncp%3DNO", f"ncpflow.ncp%3D{NEIGHBOUR}")))
    try:
        with neighbour.uow.read() as tx:
            theirs = sorted(case.reference for case in tx.cases.list())
    finally:
        neighbour.close()
    expected = admin.exec_driver_sql(
        "SELECT reference FROM cases WHERE tenant = %(n)s ORDER BY reference", {"n": NEIGHBOUR}
    )
    assert theirs == [r for (r,) in expected]


def test_hand_written_sql_cannot_change_another_ncps_rows(admin: sqlalchemy.Connection, url: str) -> None:
    before = admin.exec_driver_sql(
        "SELECT count(*), max(title) FROM cases WHERE tenant = %(n)s", {"n": NEIGHBOUR}
    ).one()
    audit = admin.exec_driver_sql(
        "SELECT count(*) FROM audit_log WHERE tenant = %(n)s", {"n": NEIGHBOUR}
    ).scalar()
    neighbours_case = admin.exec_driver_sql(
        "SELECT min(id) FROM cases WHERE tenant = %(n)s", {"n": NEIGHBOUR}
    ).scalar()
    with _app(url) as conn:
        assert conn.execute("UPDATE cases SET title = 'changed' WHERE tenant = %s", [NEIGHBOUR]).rowcount == 0
        assert conn.execute("DELETE FROM audit_log").rowcount == 0
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO reference_counters (tenant, prefix, year, last) VALUES (%s, 'NCP', 2025, 99)",
                [NEIGHBOUR],
            )
        conn.execute("INSERT INTO reference_counters (prefix, year, last) VALUES ('NCP', 2025, 1)")
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE reference_counters SET tenant = %s", [NEIGHBOUR])
        # A row of NO's pointing at ZZ's case: the foreign key names the tenant too.
        with pytest.raises(errors.ForeignKeyViolation):
            conn.execute(
                "INSERT INTO case_facts (case_id, name, happened_on, actor, recorded_at) "
                "VALUES (%s, 'mediation_agreed', '2025-01-01', 'x', now())",
                [neighbours_case],
            )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("TRUNCATE audit_log")
        with pytest.raises(errors.InsufficientPrivilege, match="owner"):
            conn.execute("ALTER TABLE cases DISABLE ROW LEVEL SECURITY")
        with pytest.raises(errors.InsufficientPrivilege, match="owner"):
            conn.execute("DROP POLICY ncpflow_tenant ON cases")
        with pytest.raises(errors.InsufficientPrivilege, match="owner"):
            conn.execute("DROP TRIGGER audit_log_no_change ON audit_log")
    after = admin.exec_driver_sql(
        "SELECT count(*), max(title) FROM cases WHERE tenant = %(n)s", {"n": NEIGHBOUR}
    ).one()
    assert tuple(after) == tuple(before)
    assert (
        admin.exec_driver_sql(
            "SELECT count(*) FROM audit_log WHERE tenant = %(n)s", {"n": NEIGHBOUR}
        ).scalar()
        == audit
    )
    assert admin.exec_driver_sql("SELECT tenant FROM reference_counters WHERE last = 1").scalar() == "NO"


def test_a_pinned_login_role_reaches_no_other_ncp_even_setting_the_tenant_itself(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """Unpinned, the connection's setting names the tenant (what `[database] ncp` sets); once
    the owner pins the role to NO, a `SET ncpflow.ncp` naming ZZ matches no row at all."""
    with _app(url) as conn:
        conn.execute(f"SET {tenancy.SETTING} = '{NEIGHBOUR}'")
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] > 0  # type: ignore[index]
    admin.exec_driver_sql(f"INSERT INTO {tenancy.PINNED} (role, ncp) VALUES (%(r)s, 'NO')", {"r": APP_LOGIN})
    try:
        with _app(url) as conn:
            conn.execute(f"SET {tenancy.SETTING} = '{NEIGHBOUR}'")
            assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0  # type: ignore[index]
            with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
                conn.execute("INSERT INTO reference_counters (prefix, year, last) VALUES ('NCP', 2025, 1)")
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {tenancy.PINNED}")
            conn.execute(f"RESET {tenancy.SETTING}")
            conn.execute("INSERT INTO reference_counters (prefix, year, last) VALUES ('NCP', 2025, 1)")
            assert conn.execute("SELECT tenant FROM reference_counters").fetchall() == [("NO",)]
    finally:
        admin.exec_driver_sql(f"DELETE FROM {tenancy.PINNED}")


def test_the_search_functions_find_only_the_callers_ncps_cases_pinned_or_not(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """The search's lookup (0039_search_under_rls) runs as the owner, past the policy of
    `case_search`, so it keeps the tenant itself: a word of ZZ's cases is found working for ZZ,
    never working for NO, nor by NO's pinned role that sets ZZ."""
    term = _one(
        admin, "SELECT split_part(head, ' ', 1) FROM case_search WHERE tenant = %(n)s LIMIT 1", n=NEIGHBOUR
    )[0]
    held = _one(
        admin,
        "SELECT count(*) FROM case_search WHERE tenant = %(n)s AND %(t)s = ANY(string_to_array(head, ' '))",
        n=NEIGHBOUR,
        t=term,
    )[0]
    assert isinstance(held, int) and held > 0
    lookups = [
        f"SELECT count(*) FROM {name}(to_tsquery('simple', %s))"
        for name in ("ncpflow_search_all", "ncpflow_search_shown")
    ]
    with _app(url) as conn:
        assert [conn.execute(sql, [f"'{term}'"]).fetchone() for sql in lookups] == [(0,), (0,)]
        conn.execute(f"SET {tenancy.SETTING} = '{NEIGHBOUR}'")
        assert [conn.execute(sql, [f"'{term}'"]).fetchone() for sql in lookups] == [(held,), (held,)]
    admin.exec_driver_sql(f"INSERT INTO {tenancy.PINNED} (role, ncp) VALUES (%(r)s, 'NO')", {"r": APP_LOGIN})
    try:
        with _app(url) as conn:
            conn.execute(f"SET {tenancy.SETTING} = '{NEIGHBOUR}'")
            assert [conn.execute(sql, [f"'{term}'"]).fetchone() for sql in lookups] == [(0,), (0,)]
    finally:
        admin.exec_driver_sql(f"DELETE FROM {tenancy.PINNED}")


def test_the_configured_ncp_names_the_tenant_of_every_connection(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """`[database] ncp` (or --ncp, $NCPFLOW_NCP) sets the tenant, here on a URL that sets none."""
    plain = url.split("?", 1)[0]
    services = bootstrap(make_settings(plain, database={"url": plain, "ncp": "SE"}))
    try:
        reference = open_one(services)
    finally:
        services.close()
    mine = "SELECT tenant FROM cases WHERE reference = %(r)s AND tenant <> %(n)s"
    assert _one(admin, mine, r=reference, n=NEIGHBOUR) == ("SE",)


def test_a_sqlite_database_refuses_an_ncp_and_stays_unchanged(sqlite_url: str) -> None:
    """SQLite holds one NCP: naming one is refused before anything connects."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    before = path.read_bytes()
    with pytest.raises(ConfigError, match=r"a SQLite database holds one NCP"):
        bootstrap(make_settings(sqlite_url, database={"url": sqlite_url, "ncp": "NO"}))
    assert path.read_bytes() == before


@pytest.mark.parametrize("code", ["N O", "NO;DROP", "", "-NO", "x" * 33])
def test_an_ncp_code_that_is_not_one_is_refused_by_the_config(code: str) -> None:
    with pytest.raises(ConfigError, match=r"\[database\] ncp: an NCP code is"):
        make_settings(
            "postgresql://app@localhost/ncpflow",
            database={"url": "postgresql://app@localhost/x", "ncp": code},
        )


def test_the_command_line_refuses_an_ncp_for_sqlite_or_one_that_is_no_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    """Bad input: exit 2, the problem named, the database file as it was."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    before = path.read_bytes()
    cli = InProcessCli(capsys, monkeypatch, sqlite_url, ROOT / "config.toml")
    for args, named in (
        (("--ncp", "NO", "case", "list"), "a SQLite database holds one NCP"),
        (("--ncp", "N O", "case", "list"), "'N O' is not an NCP code"),
    ):
        result = cli(*args)
        assert (result.returncode, named in result.stderr) == (2, True), result.stderr
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_a_postgresql_database_from_before_the_tenancy_asks_for_ncpflow_init(postgres_admin_url: str) -> None:
    """A writer's lock names the tenant: on a database not yet migrated to 0038_tenancy it
    fails with the older-schema message (run `ncpflow init`), not a database error."""
    from tests.storage.test_case_results_migration import _migrate

    engine = admin_engine(postgres_admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE ncpflow_before_tenancy")
    engine.dispose()
    url = postgres_admin_url.rsplit("/", 1)[0] + "/ncpflow_before_tenancy"
    _migrate(url, "0034_merge_followup_mediators")
    services = bootstrap(make_settings(url))
    try:
        with pytest.raises(StorageUnavailableError, match=r"older schema .*run `ncpflow init`"):
            open_one(services)
    finally:
        services.close()


def test_a_later_migrations_table_joins_the_tenancy_with_enrol(
    admin: sqlalchemy.Connection, url: str
) -> None:
    """`tenancy.enrol` after creating a table: the tenant column, per-NCP natural keys,
    same-NCP foreign keys, row-level security forced and the application's grants."""
    admin.exec_driver_sql(
        "CREATE TABLE case_tags (id serial PRIMARY KEY, case_id integer NOT NULL REFERENCES cases (id), "
        "label text NOT NULL UNIQUE)"
    )
    tenancy.enrol(admin, "case_tags")
    keys = dict(
        admin.exec_driver_sql(
            "SELECT contype, string_agg(pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint "
            "WHERE conrelid = 'case_tags'::regclass GROUP BY contype"
        ).all()
    )
    assert keys["u"] == "UNIQUE (tenant, label)"
    assert keys["f"] == "FOREIGN KEY (tenant, case_id) REFERENCES cases(tenant, id)"
    assert _one(admin, "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'case_tags'") == (True,)
    (neighbours_case,) = _one(admin, "SELECT min(id) FROM cases WHERE tenant = %(n)s", n=NEIGHBOUR)
    with _app(url) as conn:
        with pytest.raises(errors.ForeignKeyViolation):
            conn.execute("INSERT INTO case_tags (case_id, label) VALUES (%s, 'x')", [neighbours_case])
        assert conn.execute("SELECT count(*) FROM case_tags").fetchone() == (0,)
