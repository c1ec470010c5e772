"""Declared audit records: every kind reads back to the data it was written with, byte for byte,
entries written before records were declared keep their hashes, unknown kinds stay readable,
and docs/audit-format.md documents every kind."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from states import records
from states.chain import AuditEntry, ChainHead, canonical_json, seal, verify
from states.durations import Duration
from states.lifecycle import DeadlineName
from states.reports import histories, timelines_report

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "workflow" / "fixtures"
FIXTURE = FIXTURES / "audit_chain.json"  # as the code wrote it when sessions came (issue 10)
# ... and as it wrote it before that: user_added without a token, password_set without
# sessions_ended.
CHAINS = sorted(FIXTURES.glob("audit_chain*.json"))
DOC = ROOT / "docs" / "audit-format.md"


def _chain(path: Path = FIXTURE) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8")))


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**row)


def _of_kind(kind: str) -> list[dict[str, Any]]:
    return [row for path in CHAINS for row in _chain(path) if row["kind"] == kind]


def _reseal(row: dict[str, Any], record: records.AuditRecord, prev_hash: str) -> AuditEntry:
    """The entry the audit log would seal for `record` with the fixture's envelope."""
    at = datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
    prev = ChainHead(row["seq"] - 1, prev_hash) if row["seq"] > 1 else None
    return seal(
        prev=prev,
        case_ref=row["case_ref"],
        kind=record.kind,
        actor=row["actor"],
        at=at,
        from_state=row["from_state"],
        to_state=row["to_state"],
        reason=row["reason"],
        data=record.to_data(),
    )


@pytest.mark.parametrize("path", CHAINS, ids=lambda path: path.stem)
def test_the_fixture_chains_written_before_records_were_declared_verify(path: Path) -> None:
    """The chains the code wrote before audit records were declared are intact."""
    assert verify(_entry(row) for row in _chain(path)).ok
    assert len(CHAINS) >= 2
    assert {row["kind"] for row in _chain()} >= set(records.KINDS)


@pytest.mark.parametrize("kind", records.KINDS)
def test_every_declared_kind_reads_back_to_its_stored_data_and_hash(kind: str) -> None:
    """Each entry of the kind parses to its record, whose data is the stored canonical JSON,
    sealed again to the stored hash; the record parsed from its own data is the same record."""
    rows = _of_kind(kind)
    assert rows, f"no entry of kind {kind} in {FIXTURE.name}: add one to the scenario"
    for row in rows:
        record = records.parse(kind, row["data"])
        assert not isinstance(record, records.GenericRecord)
        assert record.kind == kind
        assert canonical_json(record.to_data()) == canonical_json(row["data"])
        assert _reseal(row, record, row["prev_hash"]).hash == row["hash"]
        assert records.parse(kind, json.loads(canonical_json(record.to_data()))) == record


def test_every_kind_in_the_fixture_is_declared() -> None:
    """No kind the code writes is missing from the declared records."""
    undeclared = {row["kind"] for path in CHAINS for row in _chain(path)} - set(records.KINDS)
    assert not undeclared


def test_an_opened_entry_from_before_editions_keeps_its_shape() -> None:
    """An `opened` entry written before editions and supporting NCPs (and org numbers) existed
    reads with those empty, and is written back without the keys it never had."""
    row = _of_kind("opened")[0]
    old = {k: v for k, v in row["data"].items() if k not in {"guidelines_edition", "supporting_ncps"}}
    old["parties"] = [{k: v for k, v in p.items() if k != "org_number"} for p in old["parties"]]
    record = records.parse("opened", old)
    assert isinstance(record, records.Opened)
    assert record.guidelines_edition is None and record.supporting_ncps == ()
    assert all(p.org_number is None for p in record.parties)
    assert canonical_json(record.to_data()) == canonical_json(old)


def test_a_party_with_an_organisation_number_keeps_it() -> None:
    """Org numbers given at registration are part of the `opened` record."""
    numbers = [p.get("org_number") for row in _of_kind("opened") for p in row["data"]["parties"]]
    assert "923456789" in numbers and "987 654 321" in numbers


def test_an_unknown_kind_parses_to_a_generic_record_with_its_data_untouched() -> None:
    """A kind written by a newer version is a generic record, not an error."""
    data = {"user": "kari", "address": "192.0.2.1", "nested": {"x": [1, 2]}}
    record = records.parse("written_by_a_newer_version", data)
    assert isinstance(record, records.GenericRecord)
    assert record.kind == "written_by_a_newer_version"
    assert record.to_data() == data
    assert not records.is_declared("written_by_a_newer_version")


def test_data_that_does_not_fit_its_kind_is_refused_by_name_and_read_as_generic() -> None:
    """parse names the kind and the key; read() keeps going with a generic record."""
    row = _of_kind("transitioned")[0]
    broken = {k: v for k, v in row["data"].items() if k != "trigger"}
    with pytest.raises(records.RecordError, match=r"transitioned: 'trigger' is missing"):
        records.parse("transitioned", broken)
    wrong = {**row["data"], "version": "two"}
    with pytest.raises(records.RecordError, match=r"'version' should be an integer"):
        records.parse("transitioned", wrong)
    with pytest.raises(records.RecordError, match=r"transitioned.deadlines_met\[0\]: 'on' is missing"):
        records.parse("transitioned", {**row["data"], "deadlines_met": [{"name": "x"}]})
    read = records.read(replace(_entry(row), data=broken))
    assert isinstance(read, records.GenericRecord)
    assert read.problem is not None and "trigger" in read.problem


def test_reports_pass_over_unknown_kinds_and_data_that_does_not_fit() -> None:
    """Histories from a log holding newer kinds and a malformed entry equal those without."""
    chain = [_entry(row) for row in _chain()]
    timelines = {name: Duration(months=3) for name in DeadlineName}
    plain = histories(chain, "Europe/Oslo")
    odd = replace(chain[1], kind="written_by_a_newer_version")
    malformed = replace(chain[1], kind="paused", data={"requested_by": 7})
    mixed = histories([*chain, odd, malformed], "Europe/Oslo")
    assert mixed == plain
    as_of = date(2025, 12, 31)
    assert timelines_report(mixed, timelines, as_of) == timelines_report(plain, timelines, as_of)


def test_records_built_from_values_give_the_documented_optional_keys() -> None:
    """`scope` and `org_number` are absent unless given; a duty decision has no `rule`."""
    at = datetime(2025, 1, 31, 9, tzinfo=UTC)
    plain = records.Transitioned("accept", None, (), (), 2, at)
    assert "scope" not in plain.to_data()
    assert records.Transitioned("accept", None, (), (), 2, at, "").to_data()["scope"] == ""
    party = records.PartyData("submitter", "Kari", None, True)
    assert "org_number" not in party.to_data()
    duty = records.Decision((), (), None, "no active members")
    assert "rule" not in duty.to_data()


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_audit_format_document_has_a_section_for_every_declared_kind() -> None:
    """docs/audit-format.md documents each declared kind, and no kind that is not declared."""
    sections = _sections()
    assert set(sections) == set(records.KINDS)


@pytest.mark.parametrize("kind", records.KINDS)
def test_every_key_an_entry_holds_is_in_its_kinds_field_table(kind: str) -> None:
    """Each top-level key of each stored entry of the kind is a row of its section's table."""
    section = _sections()[kind]
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE))
    for row in _of_kind(kind):
        assert set(row["data"]) <= documented, (kind, set(row["data"]) - documented)


def _declared_kinds() -> list[type]:
    return [type(records.parse(kind, row["data"])) for kind in records.KINDS for row in _of_kind(kind)[:1]]


def test_every_kind_is_spelled_from_its_declaration_alone() -> None:
    """No declared kind writes its own to_data or from_data: both come from its fields."""
    kinds = _declared_kinds()
    assert len(kinds) == len(records.KINDS)
    for made in kinds:
        for klass in made.__mro__:
            if klass.__module__ == records.__name__ and klass.__name__ not in {"_Shape", "_Record"}:
                assert {"to_data", "from_data", "read", "kind"}.isdisjoint(vars(klass)), klass


def test_a_key_left_out_when_none_holds_its_type_when_present() -> None:
    """`scope` may be absent, but a present `scope` must be a string, as documented."""
    row = _of_kind("transitioned")[0]
    with pytest.raises(records.RecordError, match=r"'scope' should be a string"):
        records.parse("transitioned", {**row["data"], "scope": None})
