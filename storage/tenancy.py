"""One PostgreSQL database for a network of NCPs: row-level security by NCP (0038_tenancy).

Every table gets a column `tenant` (the NCP's code) whose server default is the connection's tenant,
`ncpflow_tenant()`: the session setting `ncpflow.ncp` (set at connect time from `[database]
ncp`, storage/engine.py), else `default`, the tenant of a single-NCP database. Row-level
security is enabled and forced on each table (the owner is held to it too), with one policy:
rows are seen, written and moved only where `tenant = ncpflow_tenant()`. The application connects
as a member of `ncpflow_app` (NOBYPASSRLS, not the owner); the migrations run as the owner.
A login role the owner pins to an NCP (`ncpflow_pinned`) works for that NCP whatever the
connection sets: a `SET ncpflow.ncp = 'SE'` on NO's connection then reaches no row at all.

Keys that are natural (a reference, a member's id, the audit chain's sequence number, a
document's sha256) hold per NCP: they become (tenant, …), and the foreign keys to them too. Keys
holding a generated id (a serial, or a foreign key to one) stay: the id is unique in the whole
database already, so the statements' ON CONFLICT targets on them stay as they are; the few on
natural keys name the tenant on PostgreSQL (`Db.key`).

The network role `ncpflow_network` sees one table, `network_figures`: each NCP's annual
figures as it published them (`ncpflow network publish`), never a case or a name.

SQLite is untouched: one database, one NCP. A later migration's new table joins the tenancy with
`enrol(connection, name)` (on PostgreSQL; a no-op on SQLite).
"""

from __future__ import annotations

import re
from typing import Any

SETTING = "ncpflow.ncp"
COLUMN = "tenant"
DEFAULT_TENANT = "default"
APP_ROLE = "ncpflow_app"
NETWORK_ROLE = "ncpflow_network"
FIGURES = "network_figures"
# Login roles bound to one NCP (role → ncp), written by the owner; the application cannot read it.
PINNED = "ncpflow_pinned"
POLICY = "ncpflow_tenant"
# The suffix of the unique (tenant, id) each foreign key to a generated id refers to.
TENANT_KEY = "tenant_key"
# A tenant is an NCP code: letters, digits, '-' and '_' (it travels in the connection options).
TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
# Tables the tenancy leaves alone: Alembic's own.
_SKIPPED = frozenset({"alembic_version", PINNED})


def connect_options(ncp: str) -> str:
    """The libpq `options` that set the tenant for a whole connection (a `RESET ALL` keeps it)."""
    if TENANT.fullmatch(ncp) is None:
        raise ValueError(f"'{ncp}' is not an NCP code (letters, digits, '-' and '_')")
    return f"-c {SETTING}={ncp}"


def _rows(connection: Any, sql: str, **params: Any) -> list[Any]:
    from sqlalchemy import text

    return list(connection.execute(text(sql), params).all())


def _run(connection: Any, sql: str) -> None:
    connection.exec_driver_sql(sql)


def install(connection: Any) -> None:
    """The tenancy over every table there is now (0038_tenancy); PostgreSQL only."""
    if connection.dialect.name != "postgresql":
        return
    _run(connection, f"CREATE TABLE {PINNED} (role name PRIMARY KEY, ncp text NOT NULL)")
    schema = _rows(connection, "SELECT current_schema()")[0][0]
    # The setting names the tenant, unless the login role is pinned to an NCP: then that NCP,
    # and a setting naming another matches no row (so `SET ncpflow.ncp` on a pinned
    # connection reaches no other NCP). Security definer: only it reads the pins.
    _run(
        connection,
        "CREATE OR REPLACE FUNCTION ncpflow_tenant() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
        f'SET search_path = "{schema}", pg_temp AS $$ '
        f"SELECT CASE WHEN p.ncp IS NULL THEN coalesce(s.ncp, '{DEFAULT_TENANT}') "
        "WHEN s.ncp IS NULL OR s.ncp = p.ncp THEN p.ncp END "
        f"FROM (SELECT nullif(current_setting('{SETTING}', true), '') AS ncp) s "
        f"LEFT JOIN {PINNED} p ON p.role = session_user $$",
    )
    _roles(connection)
    _figures_table(connection)
    tables = _tables(connection)
    for table in tables:
        _add_column(connection, table)
    _per_tenant_keys(connection, tables)
    _same_tenant_references(connection, tables)
    for table in tables:
        _secure(connection, table)
    _run(connection, f"GRANT SELECT ON alembic_version TO {APP_ROLE}")
    _run(connection, f"GRANT SELECT, INSERT, UPDATE, DELETE ON {FIGURES} TO {APP_ROLE}")
    _run(connection, f"GRANT SELECT ON {FIGURES} TO {NETWORK_ROLE}")
    _run(connection, f"CREATE POLICY ncpflow_network ON {FIGURES} FOR SELECT TO {NETWORK_ROLE} USING (true)")


def enrol(connection: Any, table: str) -> None:
    """A table made after 0038_tenancy joins the tenancy: the column, per-tenant natural keys,
    row-level security and the application role's grants. Call it in the migration right after
    creating the table; a foreign key to another table's natural key must then name the tenant
    too (`FOREIGN KEY (tenant, member_id) REFERENCES members (tenant, id)`)."""
    if connection.dialect.name != "postgresql":
        return
    _add_column(connection, table)
    _per_tenant_keys(connection, [table])
    _same_tenant_references(connection, [table])
    _secure(connection, table)


def _roles(connection: Any) -> None:
    # Roles belong to the cluster, not the database: made once, by whoever may make them.
    for role in (APP_ROLE, NETWORK_ROLE):
        _run(
            connection,
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN NOBYPASSRLS; END IF; END $$",
        )
    _run(connection, f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {NETWORK_ROLE}")
    _run(connection, "GRANT EXECUTE ON FUNCTION ncpflow_tenant() TO PUBLIC")


def _figures_table(connection: Any) -> None:
    _run(
        connection,
        f"CREATE TABLE {FIGURES} ("
        "year integer NOT NULL, "
        "received integer NOT NULL, accepted integer NOT NULL, not_accepted integer NOT NULL, "
        "concluded integer NOT NULL, agreement integer NOT NULL, "
        "days_to_conclusion integer[] NOT NULL, "
        "published_at timestamp with time zone NOT NULL, "
        "PRIMARY KEY (year))",
    )


def _tables(connection: Any) -> list[str]:
    rows = _rows(
        connection,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname",
    )
    return [name for (name,) in rows if name not in _SKIPPED]


def _add_column(connection: Any, table: str) -> None:
    # Rows there already take the migrating connection's tenant (`default` unless it set one).
    _run(
        connection,
        f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS {COLUMN} text NOT NULL DEFAULT ncpflow_tenant()',
    )


def _secure(connection: Any, table: str) -> None:
    _run(connection, f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    _run(connection, f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    _run(connection, f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
    _run(
        connection,
        # A subquery: the tenant is worked out once per statement, not once per row.
        f'CREATE POLICY {POLICY} ON "{table}" USING ({COLUMN} = (SELECT ncpflow_tenant())) '
        f"WITH CHECK ({COLUMN} = (SELECT ncpflow_tenant()))",
    )
    _run(connection, f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {APP_ROLE}')
    for (sequence,) in _rows(
        connection,
        "SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
        "WHERE d.refobjid = CAST(:t AS regclass) AND d.deptype IN ('a', 'i')",
        t=f'"{table}"',
    ):
        _run(connection, f'GRANT USAGE, SELECT ON SEQUENCE "{sequence}" TO {APP_ROLE}')


def _generated(connection: Any) -> set[tuple[str, str]]:
    """Columns holding a database-wide generated id: serial or identity columns, and the
    one-column foreign keys to them (followed to the end)."""
    found = {
        (table, column)
        for table, column in _rows(
            connection,
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped AND "
            "(a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')",
        )
    }
    links = _rows(
        connection,
        "SELECT c.relname, a.attname, rc.relname, ra.attname FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class rc ON rc.oid = k.confrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
        "JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1] "
        "WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 AND n.nspname = current_schema()",
    )
    while True:
        more = {(t, c) for t, c, rt, rc in links if (rt, rc) in found and (t, c) not in found}
        if not more:
            return found
        found |= more


def _per_tenant_keys(connection: Any, tables: list[str]) -> None:
    """Primary keys, unique constraints and unique indexes on natural values become (tenant, …),
    with the foreign keys that point at them."""
    generated = _generated(connection)
    chosen = set(tables)
    keys = _rows(
        connection,
        # Constraints (primary key, unique) and unique indexes that back no constraint.
        "SELECT c.relname, k.conname, k.contype, k.conindid, pg_get_constraintdef(k.oid), "
        "ARRAY(SELECT a.attname FROM unnest(k.conkey) u(n) JOIN pg_attribute a "
        "ON a.attrelid = k.conrelid AND a.attnum = u.n)::text[] "
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u') "
        "UNION ALL "
        "SELECT c.relname, i.relname, 'i', x.indexrelid, pg_get_indexdef(x.indexrelid), "
        "ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) u(n) JOIN pg_attribute a "
        "ON a.attrelid = x.indrelid AND a.attnum = u.n)::text[] "
        "FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND x.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
        "WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))",
    )
    natural = [
        (table, name, kind, index, definition)
        for table, name, kind, index, definition, cols in keys
        if table in chosen and COLUMN not in cols and not any((table, col) in generated for col in cols)
    ]
    if not natural:
        return
    indexes = [index for _t, _n, _k, index, _d in natural]
    referring = _rows(
        connection,
        "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'f' AND k.conindid = ANY(:ix)",
        ix=indexes,
    )
    for table, name, _definition in referring:
        _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for table, name, kind, _index, definition in natural:
        if kind == "i":
            _run(connection, f'DROP INDEX "{name}"')
            _run(connection, re.sub(r" USING (\w+) \(", rf" USING \1 ({COLUMN}, ", definition, count=1))
        else:
            _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            widened = re.sub(r"^(PRIMARY KEY|UNIQUE) \(", rf"\1 ({COLUMN}, ", definition, count=1)
            _run(connection, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {widened}')
    for table, name, definition in referring:
        widened = re.sub(r"^FOREIGN KEY \(", f"FOREIGN KEY ({COLUMN}, ", definition, count=1)
        widened = re.sub(r"REFERENCES ([\w.\"]+)\(", rf"REFERENCES \1({COLUMN}, ", widened, count=1)
        _run(connection, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {widened}')


def _same_tenant_references(connection: Any, tables: list[str]) -> None:
    """Every other foreign key (to a generated id) names the tenant too, against a unique
    (tenant, id) beside the referenced key: a row refers only to a row of its own NCP, even one
    written by hand with another NCP's id. The foreign key checks read past row-level
    security, so without this such an id would be accepted (and its existence told)."""
    chosen = set(tables)
    fks = _rows(
        connection,
        "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid), rc.relname, "
        "ARRAY(SELECT a.attname FROM unnest(k.confkey) u(n) JOIN pg_attribute a "
        "ON a.attrelid = k.confrelid AND a.attnum = u.n)::text[] "
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class rc ON rc.oid = k.confrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    for table, name, definition, referred, columns in fks:
        widened_already = definition.startswith(f"FOREIGN KEY ({COLUMN}, ")
        if widened_already or (table not in chosen and referred not in chosen):
            continue
        key = f"{referred}_{'_'.join(columns)}_{TENANT_KEY}"[-63:]
        _run(
            connection,
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '{key}') THEN "
            f'ALTER TABLE "{referred}" ADD CONSTRAINT "{key}" UNIQUE ({COLUMN}, {", ".join(columns)}); '
            "END IF; END $$",
        )
        _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        widened = re.sub(r"^FOREIGN KEY \(", f"FOREIGN KEY ({COLUMN}, ", definition, count=1)
        widened = re.sub(r"REFERENCES ([\w.\"]+)\(", rf"REFERENCES \1({COLUMN}, ", widened, count=1)
        _run(connection, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {widened}')


def uninstall(connection: Any) -> None:
    """Undo `install` (0038_tenancy's downgrade) while the database holds one NCP only; with
    several, refuse: their keys would collide, and nothing says which NCP to keep."""
    if connection.dialect.name != "postgresql":
        return
    tables = [t for t in _tables(connection) if t != FIGURES]
    for table in tables:  # the owner reads past the policies again, to count the NCPs
        _run(connection, f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    held = {
        ncp for table in tables for (ncp,) in _rows(connection, f'SELECT DISTINCT {COLUMN} FROM "{table}"')
    }
    if len(held) > 1:
        raise RuntimeError(
            f"0038_tenancy is not downgraded: the database holds {len(held)} NCPs ({', '.join(sorted(held))})"
        )
    _run(connection, f"DROP TABLE {FIGURES}")
    for table in tables:
        _run(connection, f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        _run(connection, f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    _narrow_keys(connection, tables)
    for table in tables:
        _run(connection, f'ALTER TABLE "{table}" DROP COLUMN {COLUMN}')
    _run(connection, "DROP FUNCTION ncpflow_tenant()")
    _run(connection, f"DROP TABLE {PINNED}")


def _narrow_keys(connection: Any, tables: list[str]) -> None:
    chosen = set(tables)
    fks = [
        (t, n, d)
        for t, n, d in _rows(
            connection,
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE k.contype = 'f' AND n.nspname = current_schema()",
        )
        if t in chosen and d.startswith(f"FOREIGN KEY ({COLUMN}, ")
    ]
    for table, name, _d in fks:
        _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for table, name in _rows(
        connection,
        "SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "WHERE k.contype = 'u' AND k.conname LIKE :suffix",
        suffix=f"%\\_{TENANT_KEY}",
    ):
        _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    keys = _rows(
        connection,
        "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u')",
    )
    for table, name, definition in keys:
        if table in chosen and re.match(rf"^(PRIMARY KEY|UNIQUE) \({COLUMN}, ", definition):
            _run(connection, f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            narrowed = definition.replace(f"({COLUMN}, ", "(", 1)
            _run(connection, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {narrowed}')
    indexes = _rows(
        connection,
        "SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND x.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
        "WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))",
    )
    for table, name, definition in indexes:
        if table in chosen and re.search(rf" USING \w+ \({COLUMN}, ", definition):
            _run(connection, f'DROP INDEX "{name}"')
            _run(connection, re.sub(rf" USING (\w+) \({COLUMN}, ", r" USING \1 (", definition, count=1))
    for table, name, definition in fks:
        narrowed = definition.replace(f"FOREIGN KEY ({COLUMN}, ", "FOREIGN KEY (", 1)
        narrowed = re.sub(rf"REFERENCES ([\w.\"]+)\({COLUMN}, ", r"REFERENCES \1(", narrowed, count=1)
        _run(connection, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {narrowed}')
