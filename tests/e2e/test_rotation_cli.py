"""Lead rotation from the command line: members sync/list, assignment on `case open`, reassign,
recuse, rotation show/check/advance, the report, refusals that write nothing, and two real
processes opening cases at once."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, InProcessCli
from tests.e2e.test_concurrency import race
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, open_case
from workflow.config import load_settings
from workflow.rotation import sync_members

MEMBERS = """\
[ncp]
secretariat = ["post@ncp.test"]
language = "nb"
{rotation}
[[members]]
id = "anna"
name = "Anna"
email = "anna@ncp.test"
role = "chair"

[[members]]
id = "bjorn"
name = "Bjørn"
email = "bjorn@ncp.test"
conflicts = ["Nordic Metals ASA"]

[[members]]
id = "cecilie"
name = "Cecilie"
email = "cecilie@ncp.test"
soft_conflicts = [{{ name = "Havbruk Seafood ASA", org_number = "923 456 789" }}]

[[members]]
id = "dag"
name = "Dag"
email = "dag@ncp.test"
leave = [{{ from = 2025-06-01, to = 2025-08-31 }}]
"""


def write_config(folder: Path, rotation: str = "", name: str = "config.toml") -> Path:
    path = folder / name
    path.write_text(MEMBERS.format(rotation=rotation), encoding="utf-8")
    return path


@pytest.fixture
def rot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> InProcessCli:
    ncp = InProcessCli(capsys, monkeypatch, database_url, write_config(tmp_path))
    assert ncp("members", "sync").returncode == 0
    return ncp


def opened(
    ncp: InProcessCli, enterprise: str = "Other AS", received: str = "2025-03-03", *extra: str
) -> dict[str, Any]:
    view = ncp.json(
        "case",
        "open",
        "--title",
        "Complaint",
        "--enterprise",
        enterprise,
        "--submitter",
        "Naturvernforbundet",
        "--received",
        received,
        "--actor",
        "sek",
        *extra,
        "--json",
    )
    assert isinstance(view, dict)
    return view


def snapshot(ncp: InProcessCli, reference: str) -> tuple[str, str, str]:
    return (
        ncp("case", "show", reference, "--json").stdout,
        ncp("audit", "log").stdout,
        ncp("members", "list", "--json").stdout,
    )


def test_open_and_show_give_the_lead_as_a_member_id_and_who_takes_part(rot: InProcessCli) -> None:
    """`case open --json` and `case show --json`: lead_member is the id; the panel is listed."""
    view = opened(rot, "Havbruk Seafood ASA", "2025-03-03", "--org-number", "havbruk seafood asa=923456789")
    assert view["lead_member"] == "anna"
    shown = rot.json("case", "show", view["reference"], "--json")
    assert shown["lead_member"] == "anna"
    assert shown["lead"]["why"].startswith("chose anna (never led a case")
    assert [(p["member"], p["lead"]) for p in shown["taking_part"]] == [
        ("anna", True),
        ("bjorn", False),
        ("cecilie", False),
        ("dag", False),
    ]
    assert "takes part, never leads" in shown["taking_part"][2]["note"]
    assert shown["parties"][1]["name"] == "Havbruk Seafood ASA"
    text = rot("case", "show", view["reference"]).stdout
    assert "lead: anna (Anna): chose anna" in text
    assert "taking part: anna (lead), bjorn, cecilie [soft conflict" in text


def test_the_acceptance_sequence_from_the_command_line(rot: InProcessCli) -> None:
    """Cases 1-8 go to A B C D A C B D; case 6's audit entry says why B was skipped."""
    leads = [opened(rot, f"Enterprise {n} AS")["lead_member"] for n in range(1, 6)]
    sixth = opened(rot, "nordic metals  asa")
    leads.append(sixth["lead_member"])
    leads += [opened(rot, f"Enterprise {n} AS")["lead_member"] for n in (7, 8)]
    assert leads == ["anna", "bjorn", "cecilie", "dag", "anna", "cecilie", "bjorn", "dag"]
    log = [json.loads(line) for line in rot("audit", "log", sixth["reference"]).stdout.splitlines()]
    decision = next(e for e in log if e["kind"] == "lead_assigned")
    assert 'bjorn: hard conflict with "Nordic Metals ASA"' in decision["reason"]


BAD_CONFIGS = [
    (
        '[[members]]\nid = "a"\nname = "A"\nemail = "a@x.no"\n'
        '[[members]]\nid = "a"\nname = "B"\nemail = "b@x.no"\n',
        "member id 'a' appears twice",
    ),
    ('[[members]]\nid = "a"\nname = "A"\nemail = "a@x.no"\nrole = "boss"\n', "[[members]] #1 role"),
    (
        '[[members]]\nid = "a"\nname = "A"\nemail = "a@x.no"\n'
        "leave = [{ from = 2025-08-31, to = 2025-06-01 }]\n",
        "leave ends (2025-06-01) before it starts (2025-08-31)",
    ),
    (
        '[[members]]\nid = "a"\nname = "A"\nemail = "a@x.no"\nconflicts = [{ org = "1" }]\n',
        "[[members]] #1 conflicts",
    ),
    ('[rotation]\nmode = "periodic"\nevery = "monthly"\n', "[rotation] every"),
]


@pytest.mark.parametrize(("toml", "message"), BAD_CONFIGS, ids=[m for _, m in BAD_CONFIGS])
def test_a_bad_members_config_is_refused_with_a_message_and_nothing_written(
    ncp: InProcessCli, tmp_path: Path, toml: str, message: str
) -> None:
    """Duplicate ids, an unknown role, leave ending before it starts: exit 2, no members."""
    bad = tmp_path / "bad.toml"
    bad.write_text(toml, encoding="utf-8")
    for command in (["members", "sync"], ["init"]):
        result = ncp("--config", str(bad), *command)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
    assert ncp.json("members", "list", "--json")["members"] == []
    assert ncp("audit", "log").stdout == ""


def test_reassign_refuses_an_unknown_or_conflicted_member_and_writes_nothing(rot: InProcessCli) -> None:
    ref = opened(rot, "Nordic Metals ASA")["reference"]
    before = snapshot(rot, ref)
    unknown = rot("case", "reassign", ref, "--to", "zed", "--actor", "anna", "--reason", "r")
    assert unknown.returncode == 2
    assert "unknown member 'zed'" in unknown.stderr
    conflicted = rot("case", "reassign", ref, "--to", "bjorn", "--actor", "anna", "--reason", "r")
    assert conflicted.returncode == 1
    assert 'bjorn may not lead it (hard conflict with "Nordic Metals ASA")' in conflicted.stderr
    assert "--override" in conflicted.stderr
    missing = rot("case", "reassign", "NCP-2099-001", "--to", "cecilie", "--actor", "anna", "--reason", "r")
    assert missing.returncode == 4
    assert snapshot(rot, ref) == before
    done = rot.json(
        "case",
        "reassign",
        ref,
        "--to",
        "bjorn",
        "--actor",
        "anna",
        "--reason",
        "agreed by the parties",
        "--override",
        "--json",
    )
    assert done["lead_member"] == "bjorn"
    assert "override" in done["lead"]["why"]


def test_recuse_hands_the_case_to_the_next_eligible_member(rot: InProcessCli) -> None:
    ref = opened(rot)["reference"]
    view = rot.json(
        "case",
        "recuse",
        ref,
        "--member",
        "anna",
        "--actor",
        "anna",
        "--reason",
        "former board member",
        "--json",
    )
    assert view["lead_member"] == "bjorn"
    assert view["not_taking_part"] == [
        {"member": "anna", "reason": "recused", "detail": "recused from this case"}
    ]
    refused = rot("case", "recuse", ref, "--member", "anna", "--actor", "a", "--reason", "r")
    assert refused.returncode == 1
    assert "anna does not lead the case (the lead is bjorn)" in refused.stderr


def test_an_actor_who_is_a_member_user_reassigns_and_recuses_only_as_the_chair(rot: InProcessCli) -> None:
    """`--actor` naming a member user: the chair's user (linked to anna) reassigns and recuses;
    another member's user is refused (exit 1) naming the action, and nothing is written."""
    assert rot("users", "add", "clara", "--role", "member", "--member", "anna").returncode == 0
    assert rot("users", "add", "bo", "--role", "member", "--member", "dag").returncode == 0
    ref = opened(rot)["reference"]
    before = snapshot(rot, ref)
    for step in (["reassign", "--to", "cecilie"], ["recuse", "--member", "anna"]):
        refused = rot("case", step[0], ref, *step[1:], "--actor", "bo", "--reason", "r")
        assert refused.returncode == 1, refused.stderr
        assert f"role 'member' may not {step[0]}" in refused.stderr
        assert "member dag is not the NCP's chair (chair: anna)" in refused.stderr
    assert snapshot(rot, ref) == before
    moved = rot.json(
        "case", "reassign", ref, "--to", "cecilie", "--actor", "clara", "--reason", "r", "--json"
    )
    assert moved["lead_member"] == "cecilie"
    recused = rot.json(
        "case", "recuse", ref, "--member", "cecilie", "--actor", "clara", "--reason", "r", "--json"
    )
    assert recused["lead_member"] not in (None, "cecilie")
    actors = [json.loads(line)["actor"] for line in rot("audit", "log", ref).stdout.splitlines()]
    assert actors[-2:] == ["clara", "clara"]


def test_no_eligible_member_opens_the_case_without_a_lead_and_show_says_why(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    config = tmp_path / "one.toml"
    config.write_text(
        '[[members]]\nid = "anna"\nname = "Anna"\nemail = "a@x.no"\n'
        'role = "chair"\nconflicts = ["Statkraft SF"]\n',
        encoding="utf-8",
    )
    assert ncp("--config", str(config), "members", "sync").returncode == 0
    view = ncp.json(
        "--config",
        str(config),
        "case",
        "open",
        "--title",
        "T",
        "--enterprise",
        "STATKRAFT SF",
        "--submitter",
        "S",
        "--received",
        "2025-03-03",
        "--actor",
        "sek",
        "--json",
    )
    assert view["lead_member"] is None
    shown = ncp("--config", str(config), "case", "show", view["reference"]).stdout
    assert 'lead: nobody: no eligible member (anna: hard conflict with "Statkraft SF")' in shown


def test_members_list_show_check_and_report(rot: InProcessCli, tmp_path: Path) -> None:
    """The read side as JSON, and `rotation check` after a new leave is brought in."""
    first = opened(rot)["reference"]
    opened(rot, "Nordic Metals ASA")
    listed = rot.json("members", "list", "--json")
    assert [(m["id"], m["last_led"], m["open_caseload"]) for m in listed["members"]] == [
        ("anna", first, 1),
        ("bjorn", None, 0),
        ("cecilie", "NCP-2025-002", 1),
        ("dag", None, 0),
    ]
    shown = rot.json("rotation", "show", "--json")
    assert shown["mode"] == "per_case" and shown["next"] == "bjorn"
    assert [m["member"] for m in shown["members"]] == ["bjorn", "dag", "anna", "cecilie"]
    assert rot.json("rotation", "check", "--json") == []
    report = rot.json("report", "rotation", "--from", "2025-01-01", "--to", "2025-12-31", "--json")
    assert report["skips_by_reason"] == {"hard_conflict": 1}
    assert {m["member"]: m["led"] for m in report["members"]} == {
        "anna": 1,
        "bjorn": 0,
        "cecilie": 1,
        "dag": 0,
    }
    bad = rot("report", "rotation", "--from", "2025-13-01")
    assert bad.returncode == 2

    config = tmp_path / "config.toml"  # the file the `rot` fixture wrote
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'role = "chair"', 'role = "chair"\nleave = [{ from = 2020-01-01, to = 2099-12-31 }]'
        ),
        encoding="utf-8",
    )
    warned = rot("rotation", "show")
    assert "run `ncpflow members sync`" in warned.stderr
    assert rot("members", "sync").returncode == 0
    (problem,) = rot.json("rotation", "check", "--json")
    assert (problem["reference"], problem["lead"]) == (first, "anna")
    assert problem["problems"][0]["detail"] == "on leave 2020-01-01 to 2099-12-31"
    assert rot.json("case", "show", first, "--json")["lead_member"] == "anna"  # not moved


def test_periodic_duty_from_the_command_line(ncp: InProcessCli, tmp_path: Path) -> None:
    """`rotation advance` hands duty on when the period is over, and not before."""
    config = write_config(tmp_path, '[rotation]\nmode = "periodic"\nevery = "0 0 1 * *"\n', "periodic.toml")
    run = ["--config", str(config)]
    assert ncp(*run, "members", "sync").returncode == 0
    first = ncp.json(*run, "rotation", "advance", "--now", "2025-04-01", "--json")
    assert (first["rotated"], first["duty"]) == (True, "anna")
    assert first["until"] == "2025-05-01T00:00:00+02:00"
    again = ncp.json(*run, "rotation", "advance", "--now", "2025-04-20", "--json")
    assert (again["rotated"], again["duty"]) == (False, "anna")
    forced = ncp.json(*run, "rotation", "advance", "--now", "2025-04-21", "--force", "--json")
    assert (forced["rotated"], forced["duty"]) == (True, "bjorn")
    view = ncp.json(*run, "rotation", "show", "--json")
    assert view["duty"]["member"] == "bjorn" and view["next"] == "bjorn"
    case = ncp.json(
        *run,
        "case",
        "open",
        "--title",
        "T",
        "--enterprise",
        "Nordic Metals ASA",
        "--submitter",
        "S",
        "--received",
        "2025-04-22",
        "--actor",
        "sek",
        "--json",
    )
    assert case["lead_member"] == "cecilie"
    per_case = ncp("rotation", "advance")
    assert per_case.returncode == 2 and "per_case" in per_case.stderr


def test_init_brings_the_shipped_members_in(ncp: InProcessCli) -> None:
    """`ncpflow init` syncs config.toml's four members; a second init changes nothing."""
    assert "members: added chair, member-b, member-c, member-d" in ncp("init").stdout
    assert "members: no changes" in ncp("init").stdout
    assert opened(ncp)["lead_member"] == "chair"


# -- two real processes -------------------------------------------------------------------------


@pytest.mark.slow
def test_two_processes_opening_fifty_cases_each_match_opening_them_one_by_one(
    cli: Cli, services: Services, tmp_path: Path, sqlite_template: Path
) -> None:
    """Racing openings (half of them against Nordic Metals) give exactly the leads that the
    same 100 openings one by one give: no two processes ever read the same turn."""
    config = write_config(tmp_path)
    cli.env["NCPFLOW_CONFIG"] = str(config)
    cli("members", "sync", check=True)

    def opener(who: str, enterprise: str) -> tuple[int, list[str]]:
        return (
            50,
            [
                "case",
                "open",
                "--title",
                f"{who} {{i}}",
                "--enterprise",
                enterprise,
                "--submitter",
                "Naturvernforbundet",
                "--received",
                "2025-04-01",
                "--actor",
                who,
            ],
        )

    results = race(cli, opener("alpha", "Other AS"), opener("beta", "Nordic Metals ASA"))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]

    with services.uow.read() as tx:
        raced = tx.cases.list()
    assert len(raced) == 100
    raced.sort(key=lambda c: c.reference)
    assert raced[-1].reference == "NCP-2025-100"
    assert len({c.title.split()[0] for c in raced[:50]}) == 2, "the two processes never overlapped"

    replay_db = tmp_path / "replay.db"
    shutil.copy(sqlite_template, replay_db)
    replay = bootstrap(load_settings(config, database_url=f"sqlite:///{replay_db}"), clock=services.clock)
    try:
        sync_members(uow=replay.uow, clock=replay.clock, settings=replay.settings)
        one_by_one = [
            open_case(
                uow=replay.uow,
                clock=replay.clock,
                policy=replay.policy,
                reference_prefix="NCP",
                title=case.title,
                submitters=[PartyInput("Naturvernforbundet")],
                enterprises=[PartyInput(case.parties[1].name)],
                actor="x",
                received=case.received_at,
            ).lead_member
            for case in raced
        ]
    finally:
        replay.close()
    assert [c.lead_member for c in raced] == one_by_one
    counts = Counter(c.lead_member for c in raced)
    assert sum(counts.values()) == 100 and counts["bjorn"] <= 50
    assert all(c.lead_member != "bjorn" for c in raced if c.parties[1].name.startswith("Nordic"))
    verdict = json.loads(cli("audit", "verify", "--json", check=True).stdout)
    assert verdict["ok"] is True and verdict["entries"] == 1 + 200
