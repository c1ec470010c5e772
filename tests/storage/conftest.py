"""The storage contract runs on SQLite, on PostgreSQL as a single NCP, and per tenant of a
network database: as the application role (row-level security, storage/tenancy.py) working
for NCP NO, then for NCP SE, each beside another NCP's cases (tests/conftest.py NEIGHBOUR)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import _fresh_postgres, tenant_url

TENANTS = ("NO", "SE")


@pytest.fixture(params=["sqlite", "postgresql", *(f"postgresql-ncp-{ncp}" for ncp in TENANTS)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A freshly migrated database, empty for the NCP the test works for."""
    if request.param == "sqlite":
        path = tmp_path / "ncpflow.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    if request.param == "postgresql":
        return _fresh_postgres(request.getfixturevalue("postgres_admin_url"))
    if request.node.get_closest_marker("owner"):
        pytest.skip(
            "needs the tables' owner: the application role of a network NCP may not migrate, drop "
            "a trigger or truncate (tests/storage/test_tenancy.py)"
        )
    return tenant_url(request.getfixturevalue("network_admin_url"), request.param.rsplit("-", 1)[1])
