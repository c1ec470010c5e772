"""A full run through every use case that audits, on SQLite and PostgreSQL: each entry is of a
declared kind, and the chain is the one the code wrote before audit records were declared,
byte for byte and hash for hash."""

from __future__ import annotations

import json
from pathlib import Path

from states import records
from states.chain import canonical_json
from tests.workflow import audit_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_a_full_run_writes_every_declared_kind_and_the_same_chain_as_before(database_url: str) -> None:
    """Every kind the use cases write is declared and every declared kind is written; same
    events, same data, same hashes as before records were declared, so exports stay valid."""
    chain = audit_scenario.run(database_url)
    assert {row["kind"] for row in chain} == set(records.KINDS)
    before = json.loads(audit_scenario.FIXTURE.read_text(encoding="utf-8"))
    assert len(chain) == len(before)
    for now, then in zip(chain, before, strict=True):
        assert canonical_json(now["data"]) == canonical_json(then["data"]), now["seq"]
        assert now == then


def test_use_cases_write_only_declared_records() -> None:
    """No entry point or use case builds a generic record (that is for reading only)."""
    for package in ("workflow", "ncpflow", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            assert "GenericRecord(" not in path.read_text(encoding="utf-8"), path
