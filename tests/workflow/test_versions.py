"""Procedure versions in the database: each version a case follows is stored once with its
sha256, a changed definition under the same version is refused, cases keep their version when
config moves on, and `case migrate` moves one (audited, chain intact), refused without a mapping."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from states import records
from states.case import Case
from states.durations import Duration
from states.errors import InvalidInputError, ProcedureChangedError, StepRefusedError
from states.lifecycle import Trigger
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import OECD, open_one
from workflow import procedures, versions
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance
from workflow.clock import FixedClock

FIXTURES = Path(__file__).with_name("fixtures")
V2 = FIXTURES / "oecd-2023-v2.toml"  # oecd-2023 version "2-test": good_offices renamed mediation
V1 = OECD.version  # the shipped version


@pytest.fixture
def app_for(database_url: str, clock: FixedClock) -> Iterator[Any]:
    """Applications on the one database, each with its own [procedure] section."""
    made: list[Services] = []

    def build(**procedure: str) -> Services:
        sections = {"procedure": procedure} if procedure else {}
        services = bootstrap(make_settings(database_url, **sections), clock=clock)
        made.append(services)
        return services

    yield build
    for services in made:
        services.close()


def _stored(url: str) -> list[tuple[Any, ...]]:
    return [(row[0], row[1], row[2]) for row in dump(url)["procedure_versions"]]


def _pinned(url: str) -> dict[str, tuple[str, str]]:
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sqlalchemy.text("SELECT reference, procedure_id, procedure_version FROM cases")
            )
            return {reference: (ident, version) for reference, ident, version in rows}
    finally:
        engine.dispose()


def _step(services: Services, ref: str, trigger: str, outcome: str | None = None) -> Case:
    """`trigger` fired on the case a day later."""
    services.clock.advance(days=1)  # type: ignore[attr-defined]
    return advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=ref,
        trigger=trigger,
        outcome=outcome,
        actor="sek",
        reason="step",
    )


def _accepted(services: Services) -> str:
    """A case opened and accepted: in good offices."""
    ref = open_one(services)
    for trigger in (Trigger.BEGIN_ASSESSMENT, Trigger.ACCEPT):
        _step(services, ref, trigger)
    return ref


def test_the_version_a_case_follows_is_stored_once_with_its_text_and_sha256(
    app_for: Any, database_url: str
) -> None:
    """Two cases under oecd-2023 v1: one stored row, its text the shipped text, its sha256 the
    text's; each case pins it, and each opening audit entry carries id, version and sha256."""
    services = app_for()
    first, second = open_one(services), open_one(services, "Nordic Metals ASA")
    rows = dump(database_url)["procedure_versions"]
    assert len(rows) == 1
    ident, version, sha256, content, _stored_at = rows[0]
    assert (ident, version) == ("oecd-2023", V1)
    assert content == OECD.text
    assert sha256 == hashlib.sha256(OECD.text.encode("utf-8")).hexdigest() == OECD.sha256
    assert _pinned(database_url) == {first: ("oecd-2023", V1), second: ("oecd-2023", V1)}
    opened = [e for e in audit_entries(uow=services.uow) if e.kind == "opened"]
    assert [e.data["procedure"] for e in opened] == [
        {"id": "oecd-2023", "version": V1, "sha256": OECD.sha256}
    ] * 2
    record = records.read(opened[0])
    assert isinstance(record, records.Opened)
    assert record.procedure == records.ProcedurePin("oecd-2023", V1, OECD.sha256)


def test_a_changed_definition_under_a_stored_version_is_refused_and_nothing_is_written(
    app_for: Any, database_url: str, tmp_path: Path
) -> None:
    """A file with oecd-2023 version 1's id and version but other content: opening a case is
    refused naming the file, id and version; the database is as before."""
    open_one(app_for())
    changed = tmp_path / "ours.toml"
    changed.write_text(OECD.text.replace('duration = "3mo"', 'duration = "4mo"', 1), encoding="utf-8")
    assert procedures.from_file(changed).sha256 != OECD.sha256
    services = app_for(file=str(changed))
    before = dump(database_url)
    with pytest.raises(ProcedureChangedError) as refused:
        open_one(services)
    message = str(refused.value)
    assert str(changed) in message and f"oecd-2023 version {V1}" in message and "new version" in message
    assert isinstance(refused.value, InvalidInputError)  # exit 2, HTTP 422
    assert dump(database_url) == before


def test_a_case_keeps_its_version_after_config_selects_a_newer_one(app_for: Any, database_url: str) -> None:
    """Opened under v1, the case still follows v1 (its states, its steps) once config selects v2;
    a case opened then follows v2; both versions are stored."""
    ref = _accepted(app_for())
    services = app_for(file=str(V2))
    assert services.policy.procedure.version == "2-test"
    with services.uow.read() as tx:
        case = tx.cases.get(ref)
    assert (case.procedure.id, case.procedure.version, case.state) == ("oecd-2023", V1, "good_offices")
    moved = _step(services, ref, "conclude", "agreement")
    assert moved.state == "final_statement" and moved.procedure.version == V1
    newer = open_one(services, "Nordic Metals ASA")
    assert _pinned(database_url) == {ref: ("oecd-2023", V1), newer: ("oecd-2023", "2-test")}
    assert sorted(r[:2] for r in _stored(database_url)) == sorted(
        [("oecd-2023", V1), ("oecd-2023", "2-test")]
    )


def _migrate(services: Services, ref: str, mapping: dict[str, str], to: str = "oecd-2023@2-test") -> Any:
    return versions.migrate_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        settings=services.settings,
        reference=ref,
        to=to,
        mapping=mapping,
        actor="chair",
        reason="Version 2 adopted",
    )


def test_migrating_without_a_mapping_for_a_missing_state_is_refused_and_writes_nothing(
    app_for: Any, database_url: str
) -> None:
    """good_offices is not a state of v2: without --map the migration is refused, naming the
    state and the target's states; the database is as before."""
    ref = _accepted(app_for())
    services = app_for(file=str(V2))
    before = dump(database_url)
    with pytest.raises(StepRefusedError) as refused:
        _migrate(services, ref, {})
    assert "has no state 'good_offices'" in str(refused.value)
    assert "--map good_offices=STATE" in str(refused.value)
    assert dump(database_url) == before


def test_migrating_with_a_mapping_is_audited_and_the_chain_verifies(app_for: Any, database_url: str) -> None:
    """With good_offices=mediation the case follows v2 in mediation, keeps its deadlines, one
    `migrated` entry names both versions and the mapping, and the chain verifies; then v2's
    steps apply to it."""
    ref = _accepted(app_for())
    services = app_for(file=str(V2))
    with services.uow.read() as tx:
        before = tx.cases.get(ref)
    services.clock.advance(days=1)
    migrated = _migrate(services, ref, {"good_offices": "mediation"})
    assert (migrated.state, migrated.procedure.version, migrated.version) == (
        "mediation",
        "2-test",
        before.version + 1,
    )
    assert [d.name for d in migrated.deadlines] == [d.name for d in before.deadlines]
    kept = migrated.deadline("good_offices")
    assert kept is not None and kept.is_open  # v2 keeps it open in mediation
    assert _pinned(database_url)[ref] == ("oecd-2023", "2-test")
    entry = audit_entries(uow=services.uow, case_ref=ref)[-1]
    assert (entry.kind, entry.from_state, entry.to_state) == ("migrated", "good_offices", "mediation")
    v2 = services.policy.procedure
    assert entry.data["from"] == {"id": "oecd-2023", "version": V1, "sha256": OECD.sha256}
    assert entry.data["to"] == {"id": "oecd-2023", "version": "2-test", "sha256": v2.sha256}
    assert entry.data["mapping"] == {"good_offices": "mediation"}
    assert isinstance(records.read(entry), records.Migrated)
    assert verify_chain(uow=services.uow).ok
    concluded = _step(services, ref, "conclude", "agreement")
    assert concluded.state == "final_statement"
    closed = concluded.deadline("good_offices")
    assert closed is not None and not closed.is_open


def test_a_migration_meets_deadlines_the_target_closes_and_starts_the_ones_it_opens(
    app_for: Any, tmp_path: Path
) -> None:
    """A target that keeps no good_offices deadline open in mediation but opens a new one there:
    the old one is met at the migration, the new one starts, counted from the migration."""
    text = V2.read_text(encoding="utf-8").replace('version = "2-test"', 'version = "3-test"')
    text = text.replace('open_in = ["mediation"]', 'open_in = ["examination"]', 1)
    text += '\n[deadlines.mediation_report]\nlabel = { en = "mediation report", nb = "meklingsrapport" }\n'
    text += 'title = { en = "the mediation report", nb = "meklingsrapporten" }\nbasis = "entered"\n'
    text += 'duration = "1mo"\nopen_in = ["mediation"]\n'
    v3 = tmp_path / "v3.toml"
    v3.write_text(text, encoding="utf-8")
    ref = _accepted(app_for())
    services = app_for(file=str(v3))
    services.clock.advance(days=1)
    migrated = _migrate(services, ref, {"good_offices": "mediation"}, to="3-test")
    now = services.clock.now()
    good_offices, report = migrated.deadline("good_offices"), migrated.deadline("mediation_report")
    assert good_offices is not None and good_offices.met_at == now
    assert report is not None and report.is_open and report.basis_label == "migrated"
    assert report.basis_on == migrated.calendar.local_date(now)
    assert report.due == Duration.parse("1mo").added_to(report.basis_on)
    entry = audit_entries(uow=services.uow, case_ref=ref)[-1]
    assert [m["name"] for m in entry.data["deadlines_met"]] == ["good_offices"]
    assert [s["name"] for s in entry.data["deadlines_started"]] == ["mediation_report"]


def test_migrating_to_an_unknown_version_or_with_a_bad_mapping_is_bad_input(
    app_for: Any, database_url: str
) -> None:
    """An unknown target lists the versions known; a mapping naming a state neither version
    has is refused naming the pair; nothing is written."""
    ref = _accepted(app_for())
    services = app_for(file=str(V2))
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match=r"no procedure oecd-2023@9; known: ") as unknown:
        _migrate(services, ref, {}, to="9")
    assert f"oecd-2023@{V1}" in str(unknown.value) and "oecd-2023@2-test" in str(unknown.value)
    with pytest.raises(InvalidInputError, match=r"--map good_offices=mediaton: 'mediaton' is not a state"):
        _migrate(services, ref, {"good_offices": "mediaton"})
    with pytest.raises(InvalidInputError, match=f"already follows oecd-2023 version {V1}"):
        _migrate(services, ref, {}, to=f"oecd-2023@{V1}")
    assert dump(database_url) == before


def test_procedure_diff_lists_the_renamed_state_and_what_follows_from_it() -> None:
    """v1 -> v2: state good_offices removed, mediation added, the transitions and deadlines
    that named it changed."""
    found = versions.diff(OECD, procedures.from_file(V2))
    changes = {(c.part, c.name, c.change) for c in found.changes}
    assert ("state", "good_offices", "removed") in changes
    assert ("state", "mediation", "added") in changes
    assert ("transition", "initial_assessment --accept-->", "changed") in changes
    assert ("deadline", "good_offices", "changed") in changes
    assert ("procedure", "title", "changed") not in changes
    accept = next(c for c in found.changes if c.name == "initial_assessment --accept-->")
    assert [(f.field, f.before, f.after) for f in accept.fields] == [
        ("to", "good_offices", "mediation"),
        ("guards", ["checklist_complete"], []),  # version 6's guard; the v2 fixture predates it
        ("letters", ["acceptance", "invitation"], []),  # and the letters steps offer
    ]
    assert versions.diff(OECD, OECD).changes == []


def _embedded() -> str:
    """The oecd-2023 version 1 text 0007_procedure_versions embeds."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "storage/migrations/versions/0007_procedure_versions.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return str(migration.OECD_2023_TEXT)


def test_the_migration_embeds_the_shipped_version_1_text() -> None:
    """0007_procedure_versions stored oecd-2023 version 1 as shipped; while the shipped file says
    version 1 it must be that text (a change to it needs a new version number)."""
    embedded = procedures.from_text(_embedded(), source="0007")
    assert (embedded.id, embedded.version) == ("oecd-2023", "1")
    if OECD.version == "1":
        assert OECD.text == embedded.text


def test_a_database_with_cases_from_before_versions_is_backfilled_with_oecd_2023_version_1(
    tmp_path: Path, clock: FixedClock
) -> None:
    """Upgrading from 0006: existing cases follow oecd-2023 version 1, whose embedded text is
    stored; they read back with it."""
    from alembic import command
    from alembic.config import Config

    from storage.engine import WRITE, make_engine
    from storage.migrate import MIGRATIONS
    from workflow.bootstrap import initialise

    url = f"sqlite:///{tmp_path / 'old.db'}"
    services = bootstrap(make_settings(url), clock=clock, require_initialised=False)
    initialise(services)
    ref = open_one(services, received=date(2025, 1, 31))
    services.close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(url)
    with engine.connect() as conn:  # back to 0006: no versions table, no pinned columns
        config.attributes["connection"] = conn.execution_options(**{WRITE: True})
        command.downgrade(config, "0006_merge_heads")
        conn.commit()
    engine.dispose()
    assert "procedure_versions" not in dump(url)
    services = bootstrap(make_settings(url), clock=clock)
    try:
        initialise(services)
        embedded = procedures.from_text(_embedded(), source="0007")
        assert _stored(url) == [("oecd-2023", "1", embedded.sha256)]
        with services.uow.read() as tx:
            case = tx.cases.get(ref)
        assert case.procedure == embedded
    finally:
        services.close()


def test_procedure_diff_from_version_5_shows_the_checklists_the_handbook_texts_and_the_guard() -> None:
    """oecd-2023 5 -> 6: each checklist item added with its stage, each stage's handbook text
    and the coordination text added, and accept and reject from the initial assessment gain the
    guard checklist_complete."""
    from tests.helpers import oecd_version_5

    five = procedures.from_text(oecd_version_5(), source="v5")
    found = versions.diff(five, OECD)
    changed = {(c.part, c.name): c for c in found.changes}
    items = [(c.name, c.fields[0].after) for c in found.changes if c.part == "checklist"]
    assert items[:6] == [
        (item, "initial_assessment")
        for item in ("ia_identity", "ia_material", "ia_link", "ia_law", "ia_other_proceedings", "ia_purposes")
    ]
    assert len(items) == 12 and {c.change for c in found.changes if c.part == "checklist"} == {"added"}
    assert [c.name for c in found.changes if c.part == "handbook"] == list(OECD.states)
    assert changed["procedure", "coordination"].change == "added"
    assert ("state", "initial_assessment") not in changed  # its items are named one by one
    for step in ("accept", "reject"):
        (guards,) = changed["transition", f"initial_assessment --{step}-->"].fields
        assert (guards.field, guards.before, guards.after) == ("guards", [], ["checklist_complete"])
    assert len(found.changes) == 12 + 7 + 1 + 2
