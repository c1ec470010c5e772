"""Real processes racing on one database, through the real `ncpflow` command line.

Each racer is a separate Python process that imports the CLI, reports "ready", and waits for
"go" on stdin, so that both start their database work at the same moment rather than whenever
their (much slower) imports happen to finish. Then it runs `ncpflow.cli.main`, the function
behind the installed `ncpflow` command, once or several times.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from states.lifecycle import State
from tests.conftest import Cli
from workflow.audit import audit_entries
from workflow.bootstrap import Services

pytestmark = pytest.mark.slow

RACER = r"""
import sys
from ncpflow.cli import main

rounds, args = int(sys.argv[1]), sys.argv[2:]
print("ready", flush=True)
sys.stdin.readline()
worst = 0
for i in range(rounds):
    try:
        main([a.replace("{i}", str(i)) for a in args])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    worst = worst or code
sys.exit(worst)
"""


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def race(cli: Cli, *commands: tuple[int, list[str]]) -> list[Finished]:
    """Start one process per (rounds, argv), release them together, and collect their results."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(rounds), *argv],
            cwd=cli.workdir,
            env=cli.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rounds, argv in commands
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        done.append(Finished(proc.returncode, out, err))
    return done


def _open_case(cli: Cli) -> str:
    result = cli(
        "case",
        "open",
        "--title",
        "Tailings in the fjord",
        "--enterprise",
        "Nordisk Gruve AS",
        "--submitter",
        "Naturvernforbundet",
        "--received",
        "2025-03-03",
        "--actor",
        "secretariat",
        "--json",
        check=True,
    )
    reference = json.loads(result.stdout)["reference"]
    assert reference == "NCP-2025-001"
    return str(reference)


def _audit_log(services: Services) -> list[dict[str, object]]:
    return [e.as_dict() for e in audit_entries(uow=services.uow)]


def _assert_advanced_once(services: Services, reference: str) -> None:
    log = _audit_log(services)
    assert [(e["kind"], e["to_state"]) for e in log] == [
        ("opened", "received"),
        ("transitioned", "initial_assessment"),
    ]
    with services.uow.read() as tx:
        case = tx.cases.get(reference)
    assert case.state == State.INITIAL_ASSESSMENT
    assert case.version == 2


def _assert_chain_verifies(cli: Cli, entries: int) -> None:
    result = cli("audit", "verify", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["ok"] is True
    assert verdict["entries"] == entries


def test_two_processes_advancing_one_version_let_exactly_one_win(cli: Cli, services: Services) -> None:
    """With --expect-version 1, one racer exits 0 and the other exits 3 with a conflict."""
    reference = _open_case(cli)
    advance = [
        reference,
        "begin_assessment",
        "--expect-version",
        "1",
        "--reason",
        "submission complete",
        "--json",
    ]
    actors = ["member-b", "member-c"]
    results = race(cli, *[(1, ["case", "advance", *advance, "--actor", a]) for a in actors])

    codes = sorted(r.returncode for r in results)
    assert codes == [0, 3], [(r.returncode, r.stderr) for r in results]
    winner = next(i for i, r in enumerate(results) if r.returncode == 0)
    loser = results[1 - winner]
    assert "conflict" in loser.stderr.lower(), loser.stderr
    assert json.loads(results[winner].stdout)["version"] == 2

    _assert_advanced_once(services, reference)
    assert _audit_log(services)[1]["actor"] == actors[winner]
    _assert_chain_verifies(cli, 2)


def test_two_processes_opening_ten_cases_each_get_twenty_references_without_gaps(
    cli: Cli, services: Services
) -> None:
    """Concurrent `case open` calls share one gap-free per-year sequence and one valid chain."""

    def opener(who: str) -> tuple[int, list[str]]:
        return (
            10,
            [
                "case",
                "open",
                "--title",
                f"Complaint {who} {{i}}",
                "--enterprise",
                "Nordisk Gruve AS",
                "--submitter",
                f"Submitter {who} {{i}}",
                "--received",
                "2025-04-01",
                "--actor",
                who,
                "--json",
            ],
        )

    results = race(cli, opener("alpha"), opener("beta"))

    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    printed = [ref for r in results for ref in re.findall(r'"reference": "(NCP-\d{4}-\d{3})"', r.stdout)]
    expected = [f"NCP-2025-{n:03d}" for n in range(1, 21)]
    assert sorted(printed) == expected
    with services.uow.read() as tx:
        stored = tx.cases.list()
    assert sorted(c.reference for c in stored) == expected
    assert sorted(c.title for c in stored) == sorted(
        f"Complaint {who} {i}" for who in ("alpha", "beta") for i in range(10)
    )
    log = _audit_log(services)
    assert sorted(str(e["case_ref"]) for e in log) == expected
    assert [e["seq"] for e in log] == list(range(1, 21))
    _assert_chain_verifies(cli, 20)


def test_two_processes_racing_the_same_trigger_write_it_once(cli: Cli, services: Services) -> None:
    """Without --expect-version, one begin_assessment wins; the other is refused, not doubled."""
    reference = _open_case(cli)
    advance = ["case", "advance", reference, "begin_assessment", "--reason", "complete"]
    results = race(cli, (1, [*advance, "--actor", "member-b"]), (1, [*advance, "--actor", "member-c"]))

    codes = sorted(r.returncode for r in results)
    # 3: both read version 1 and the version check refused the later write;
    # 1: the later process already saw the new state, where begin_assessment is not allowed.
    assert codes[0] == 0, [(r.returncode, r.stderr) for r in results]
    assert codes[1] in {1, 3}, [(r.returncode, r.stderr) for r in results]
    loser = next(r for r in results if r.returncode != 0)
    assert re.search(r"conflict|not allowed", loser.stderr), loser.stderr

    _assert_advanced_once(services, reference)
    _assert_chain_verifies(cli, 2)
