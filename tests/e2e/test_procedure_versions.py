"""Procedure versions through the command line and the API: `procedure list|show|validate|diff`,
`case migrate` and `POST /api/cases/{ref}/migrate` (refused without a mapping, audited with one),
and a changed definition under a stored version refused at `case open` (exit 2, nothing written)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT, InProcessCli
from tests.dbdump import dump
from tests.helpers import OECD
from workflow import procedures
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members
from workflow.users import add_user

V2 = ROOT / "tests" / "workflow" / "fixtures" / "oecd-2023-v2.toml"  # version "2-test"
V1 = OECD.version  # the shipped version
OPEN = ("--title", "Tailings", "--enterprise", "Nordic Metals ASA", "--submitter", "Fjord NGO")


def _config(tmp_path: Path, procedure_file: Path | None) -> Path:
    """The repository's config.toml, with [procedure] file = `procedure_file` when given."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    if procedure_file is not None:
        text = text.replace("[procedure]\n", f'[procedure]\nfile = "{procedure_file}"\n', 1)
    path = tmp_path / f"ncp-{procedure_file.stem if procedure_file else 'v1'}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cli_for(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> Any:
    """The command line on the one database, with config selecting `procedure_file` (v1: None)."""

    def make(procedure_file: Path | None = None) -> InProcessCli:
        return InProcessCli(capsys, monkeypatch, database_url, _config(tmp_path, procedure_file))

    return make


def _accepted(ncp: InProcessCli) -> str:
    made = ncp.json("case", "open", *OPEN, "--actor", "sek", "--received", "2025-05-02", "--json")
    ref = str(made["reference"])
    for trigger in ("begin_assessment", "accept"):
        result = ncp("case", "advance", ref, trigger, "--actor", "sek", "--reason", "step")
        assert result.returncode == 0, result.stderr
    return ref


def test_procedure_list_shows_shipped_configured_and_stored_versions_with_their_cases(cli_for: Any) -> None:
    """After a case under v1 and config switched to v2: both listed, v2 configured, v1 stored
    with its one case, v1 shipped; the text table names them too."""
    _accepted(cli_for())
    ncp = cli_for(V2)
    rows = {(r["id"], r["version"]): r for r in ncp.json("procedure", "list", "--json")}
    v1, v2 = rows["oecd-2023", V1], rows["oecd-2023", "2-test"]
    assert (v1["shipped"], v1["configured"], v1["stored"], v1["cases"]) == (True, False, True, 1)
    assert (v2["shipped"], v2["configured"], v2["stored"], v2["cases"]) == (False, True, False, 0)
    assert v1["sha256"] == OECD.sha256 and not v1["differs"]
    table = ncp("procedure", "list")
    assert table.returncode == 0 and "configured" in table.stdout and OECD.sha256[:12] in table.stdout


def test_procedure_show_gives_states_transitions_and_deadlines_in_the_language_asked(cli_for: Any) -> None:
    """`procedure show oecd-2023@VERSION --language nb --json`: nb labels; the text form too."""
    ncp = cli_for()
    shown = ncp.json("procedure", "show", f"oecd-2023@{V1}", "--language", "nb", "--json")
    assert (shown["id"], shown["version"], shown["sha256"]) == ("oecd-2023", V1, OECD.sha256)
    states = {s["name"]: s for s in shown["states"]}
    assert states["good_offices"]["label"] == "dialog og mekling"
    assert states["closed"]["terminal"] is True
    assert {"source": "initial_assessment", "trigger": "accept", "dest": "good_offices"}.items() <= next(
        t for t in shown["transitions"] if t["trigger"] == "accept"
    ).items()
    assert {d["name"] for d in shown["deadlines"]} == set(OECD.deadlines)
    text = ncp("procedure", "show", str(V2), "--language", "en")
    assert text.returncode == 0, text.stderr
    assert (
        "mediation (mediation)" in text.stdout and "initial_assessment --accept--> mediation" in text.stdout
    )
    assert "closed (closed) [terminal" in text.stdout  # bracketed words printed, not read as markup


def test_procedure_show_lists_each_stages_checklist_in_the_language_asked(cli_for: Any) -> None:
    """The initial assessment's six items under its state, with their help text: in nb as the
    definition words them, and in --json with id, label and help; a stage without one has none."""
    ncp = cli_for()
    text = ncp("procedure", "show", f"oecd-2023@{V1}", "--language", "nb")
    assert text.returncode == 0, text.stderr
    assert (
        "    checklist:\n      ia_identity: Hvem klageren er, og klagerens interesse i saken\n" in text.stdout
    )
    assert (
        "        Parallelle prosesser utelukker ikke i seg selv en klagesak; de kan stanse den."
        in text.stdout
    )
    english = ncp("procedure", "show", f"oecd-2023@{V1}", "--language", "en").stdout
    assert "      fs_comments_considered: The parties' comments considered" in english
    shown = ncp.json("procedure", "show", f"oecd-2023@{V1}", "--language", "en", "--json")
    states = {s["name"]: s for s in shown["states"]}
    assert [item["id"] for item in states["initial_assessment"]["checklist"]] == [
        item.id for item in OECD.checklist("initial_assessment")
    ]
    assert states["initial_assessment"]["checklist"][0] == {
        "id": "ia_identity",
        "label": "The identity of the party concerned and its interest in the matter",
        "help": None,
    }
    assert states["received"]["checklist"] == []


def test_procedure_diff_names_a_checklist_item_and_a_handbook_text_changed(
    cli_for: Any, tmp_path: Path
) -> None:
    """Against a file with an item reworded and a stage's handbook text changed: both named on
    the command line, with the label before and after."""
    assert OECD.states["closed"].handbook is not None
    told = OECD.states["closed"].handbook.description.en
    text = OECD.text.replace('version = "6"', 'version = "7-test"', 1).replace(told, told + " Done.", 1)
    text = text.replace('"Partenes kommentarer vurdert"', '"Partenes kommentarer lest"', 1)
    edited = tmp_path / "edited.toml"
    edited.write_text(text, encoding="utf-8")
    result = cli_for()("procedure", "diff", f"oecd-2023@{V1}", str(edited))
    assert result.returncode == 0, result.stderr
    reworded = "label_nb: Partenes kommentarer vurdert -> Partenes kommentarer lest"
    assert f"~ checklist fs_comments_considered\n    {reworded}" in result.stdout
    assert "~ handbook closed\n    description: " in result.stdout
    assert "no differences" not in result.stdout


def test_procedure_validate_summarises_a_good_file_and_names_the_key_of_a_bad_one(
    cli_for: Any, tmp_path: Path
) -> None:
    """A valid file: exit 0 and a summary; a broken one: exit 2 naming file and key; one with a
    stored version's id and version but other content: exit 2 naming file, id and version."""
    ncp = cli_for()
    good = ncp("procedure", "validate", str(V2))
    assert good.returncode == 0, good.stderr
    assert "valid; oecd-2023 version 2-test, 7 states" in good.stdout
    assert ncp.json("procedure", "validate", str(V2), "--json")["stored"] is False
    bad = tmp_path / "bad.toml"
    bad.write_text(
        V2.read_text(encoding="utf-8").replace('to = "mediation"', 'to = "mediaton"'), encoding="utf-8"
    )
    refused = ncp("procedure", "validate", str(bad))
    assert refused.returncode == 2
    assert f"{bad}: transitions[" in refused.stderr and "unknown state 'mediaton'" in refused.stderr
    _accepted(ncp)  # stores v1
    changed = tmp_path / "changed.toml"
    changed.write_text(OECD.text.replace('duration = "3mo"', 'duration = "4mo"', 1), encoding="utf-8")
    clash = ncp("procedure", "validate", str(changed))
    assert clash.returncode == 2
    assert f"{changed}: procedure oecd-2023 version {V1} is stored with other content" in clash.stderr
    assert "Traceback" not in clash.stderr + refused.stderr


def test_opening_a_case_under_a_changed_definition_exits_2_and_writes_nothing(
    cli_for: Any, database_url: str, tmp_path: Path
) -> None:
    """config selects a file that changes oecd-2023 version 1 without a new number: `case open`
    exits 2 naming the file, id and version; the database is as before."""
    _accepted(cli_for())
    changed = tmp_path / "changed.toml"
    changed.write_text(OECD.text.replace('duration = "3mo"', 'duration = "4mo"', 1), encoding="utf-8")
    ncp = cli_for(changed)
    before = dump(database_url)
    result = ncp("case", "open", *OPEN, "--actor", "sek")
    assert result.returncode == 2, result.stderr
    assert f"{changed}: procedure oecd-2023 version {V1} is stored with other content" in result.stderr
    assert dump(database_url) == before


def test_procedure_diff_names_what_v2_renamed(cli_for: Any) -> None:
    """`procedure diff oecd-2023@VERSION FILE`: the renamed state removed and added, the accept
    transition's destination changed; --json has the same."""
    ncp = cli_for()
    result = ncp("procedure", "diff", f"oecd-2023@{V1}", str(V2))
    assert result.returncode == 0, result.stderr
    assert "- state good_offices" in result.stdout and "+ state mediation" in result.stdout
    assert "~ transition initial_assessment --accept-->" in result.stdout
    assert "to: good_offices -> mediation" in result.stdout
    found = ncp.json("procedure", "diff", f"oecd-2023@{V1}", str(V2), "--json")
    assert any(
        {"part": "state", "name": "mediation", "change": "added"}.items() <= change.items()
        for change in found["changes"]
    )
    unknown = ncp("procedure", "diff", "oecd-2023@7", str(V2))
    assert unknown.returncode == 2 and "no procedure oecd-2023@7; known:" in unknown.stderr


def test_case_migrate_is_refused_without_a_mapping_and_audited_with_one(
    cli_for: Any, database_url: str
) -> None:
    """`case migrate REF --to 2`: exit 1 naming the missing state, nothing written; with
    `--map good_offices=mediation`: the case in mediation under v2, a `migrated` entry, and
    `audit verify` passes."""
    ref = _accepted(cli_for())
    ncp = cli_for(V2)
    before = dump(database_url)
    refused = ncp("case", "migrate", ref, "--to", "2-test", "--actor", "chair")
    assert refused.returncode == 1, refused.stderr
    assert "has no state 'good_offices'; give --map good_offices=STATE" in refused.stderr
    assert dump(database_url) == before
    bad = ncp("case", "migrate", ref, "--to", "2-test", "--actor", "chair", "--map", "good_offices")
    assert bad.returncode == 2 and "--map: 'good_offices' is not OLD=NEW" in bad.stderr
    moved = ncp.json(
        "case",
        "migrate",
        ref,
        "--to",
        "oecd-2023@2-test",
        "--map",
        "good_offices=mediation",
        "--actor",
        "chair",
        "--json",
    )
    assert moved["state"] == "mediation"
    log = ncp("audit", "log", ref)
    assert log.returncode == 0, log.stderr
    last = json.loads(log.stdout.splitlines()[-1])
    assert last["kind"] == "migrated" and last["data"]["mapping"] == {"good_offices": "mediation"}
    verified = ncp("audit", "verify")
    assert verified.returncode == 0, verified.stderr + verified.stdout


@pytest.fixture
def v2_api(database_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[tuple[TestClient, Any, str]]:
    """A case accepted under v1 (the repository's config), and the API with config on v2."""
    v1 = bootstrap(load_settings(ROOT / "config.toml", database_url=database_url), clock=clock)
    sync_members(uow=v1.uow, clock=clock, settings=v1.settings)
    from tests.helpers import open_one
    from workflow.cases import advance

    ref = open_one(v1)
    for trigger in ("begin_assessment", "accept"):
        advance(
            uow=v1.uow, clock=clock, policy=v1.policy, reference=ref, trigger=trigger, actor="sek", reason="s"
        )
    v1.close()
    settings = load_settings(_config(tmp_path, V2), database_url=database_url)
    services = bootstrap(settings, clock=clock)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield client, services, ref
    services.close()


def _token(services: Any, name: str, role: str) -> dict[str, str]:
    made = add_user(uow=services.uow, clock=services.clock, name=name, role=role, actor="test")
    return {"Authorization": f"Bearer {made.token}"}


def test_the_api_migrates_a_case_refusing_without_a_mapping(
    v2_api: tuple[TestClient, Any, str], database_url: str
) -> None:
    """POST /api/cases/{ref}/migrate: 409 naming the state without a mapping (nothing written),
    403 for an auditor, 422 for an unknown version, 200 with the mapping (state mediation, the
    `migrated` entry in the case's audit)."""
    client, services, ref = v2_api
    handler, auditor = _token(services, "hanna", "handler"), _token(services, "aud", "auditor")
    before = dump(database_url)
    answer = client.post(f"/api/cases/{ref}/migrate", json={"to": "2-test"}, headers=handler)
    assert answer.status_code == 409, answer.text
    assert "has no state 'good_offices'" in answer.json()["detail"]
    forbidden = client.post(f"/api/cases/{ref}/migrate", json={"to": "2-test"}, headers=auditor)
    assert forbidden.status_code == 403
    unknown = client.post(f"/api/cases/{ref}/migrate", json={"to": "oecd-2023@9"}, headers=handler)
    assert unknown.status_code == 422 and "no procedure oecd-2023@9" in unknown.json()["detail"]
    assert {k: v for k, v in dump(database_url).items() if k not in {"users", "api_tokens", "audit_log"}} == {
        k: v for k, v in before.items() if k not in {"users", "api_tokens", "audit_log"}
    }
    moved = client.post(
        f"/api/cases/{ref}/migrate",
        json={
            "to": "oecd-2023@2-test",
            "mapping": {"good_offices": "mediation"},
            "reason": "Version 2 adopted",
        },
        headers=handler,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "mediation"
    items = client.get(f"/api/cases/{ref}/audit", headers=handler).json()["items"]
    migrated = next(e for e in items if e["kind"] == "migrated")
    assert migrated["reason"] == "Version 2 adopted"
    assert migrated["data"]["to"]["version"] == "2-test"
    assert procedures.from_file(V2).sha256 == migrated["data"]["to"]["sha256"]
