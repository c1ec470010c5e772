"""0015_issue_precision fills in `case_issues.decided_precision` and `outcome_precision` of
existing rows from the audit log's `imported` marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_import import with_month_issue
from tests.storage.test_case_results_migration import _migrate

pytestmark = pytest.mark.owner


def test_the_migration_gives_an_imported_issue_its_month_again(
    ncp: InProcessCli, database_url: str, tmp_path: Path
) -> None:
    """An issue imported as decided 2008-09, migrated from 0014, is listed as `2008-09` again."""
    made = ncp.json("case", "import", str(with_month_issue(tmp_path)), "--actor", "importer", "--json")
    ref = made["cases"][0]["reference"]
    before = ncp.json("case", "issue", "list", ref, "--json")
    _migrate(database_url, "0014_case_results", down=True)
    _migrate(database_url, "head")
    after = ncp.json("case", "issue", "list", ref, "--json")
    assert after == before and after["issues"][0]["decided_on"] == "2008-09"
