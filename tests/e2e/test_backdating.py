"""Back-dating through the command line and the API (issue 12): `pause`, `resume`, `extend` and
`edit` take `--at` / `at` as `advance` does, under the same not-before rule; the entry's `at` is
the effective time and its `recorded_at` the clock's; an extension or an edit recorded now never
blocks a step back-dated later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.dbdump import dump
from tests.e2e.test_api import running_api
from workflow.clock import FixedClock

OPEN = ["case", "open", "--title", "Fish farm discharges", "--submitter", "Naturvernforbundet"]
OPEN += ["--enterprise", "Havbruk Seafood ASA", "--actor", "sek", "--received", "2025-01-31", "--json"]

# One back-dated call per command, on a case in assessment since 3 Feb 2025 (resume: paused
# since 3 Feb). The command line's options and the API's path, method and body.
CLI_STEPS = {
    "pause": ["case", "pause", "{ref}", "--actor", "sek", "--reason", "court case"],
    "resume": ["case", "resume", "{ref}", "--actor", "sek"],
    "extend": [
        *("case", "extend", "{ref}", "--deadline", "procedure", "--days", "5"),
        *("--actor", "chair", "--reason", "annexes"),
    ],
    "edit": ["case", "edit", "{ref}", "--sector", "aquaculture", "--actor", "chair", "--reason", "scope"],
}
API_STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "pause": ("POST", "/pause", {"reason": "court case"}),
    "resume": ("POST", "/resume", {}),
    "extend": ("POST", "/extend", {"deadline": "procedure", "days": 5, "reason": "annexes"}),
    "edit": ("PATCH", "", {"sector": "aquaculture", "reason": "scope"}),
}
KIND = {"pause": "paused", "resume": "resumed", "extend": "extended", "edit": "edited"}
COMMANDS = list(KIND)


# ---- the command line (the system clock: every 2025 date is long past) ------------------------


def cli_case(ncp: InProcessCli, command: str) -> str:
    ref = str(ncp.json(*OPEN)["reference"])
    begun = ncp(
        "case", "advance", ref, "begin_assessment", "--actor", "sek", "--reason", "r", "--at", "2025-02-03"
    )
    assert begun.returncode == 0, begun.stderr
    if command == "resume":
        assert cli_step(ncp, "pause", ref, "--at", "2025-02-03").returncode == 0
    return ref


def cli_step(ncp: InProcessCli, command: str, ref: str, *extra: str) -> Any:
    return ncp(*[a.format(ref=ref) for a in CLI_STEPS[command]], *extra)


def cli_log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


@pytest.mark.parametrize("command", COMMANDS)
def test_the_command_line_back_dates_each_step_and_the_log_keeps_both_times(
    ncp: InProcessCli, command: str
) -> None:
    """`--at 2025-03-03`: the entry's `at` is that day in Oslo, `recorded_at` the clock's now."""
    ref = cli_case(ncp, command)
    started = datetime.now(UTC)
    result = cli_step(ncp, command, ref, "--at", "2025-03-03", "--json")
    assert result.returncode == 0, result.stderr
    entry = cli_log(ncp, ref)[-1]
    assert (entry["kind"], entry["at"]) == (KIND[command], "2025-03-02T23:00:00.000000Z")
    recorded = datetime.fromisoformat(entry["data"]["recorded_at"])
    assert started - timedelta(seconds=1) <= recorded <= datetime.now(UTC)
    assert ncp.json("audit", "verify", "--json")["ok"] is True


@pytest.mark.parametrize(
    ("at", "words"),
    [
        ("2025-02-01", "--at 2025-02-01 is before the case's last recorded step"),
        ("2199-01-01", "--at 2199-01-01 is in the future"),
    ],
    ids=["before-last-step", "future"],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_the_command_line_refuses_a_time_before_the_last_step_or_to_come_with_exit_2(
    ncp: InProcessCli, database_url: str, command: str, at: str, words: str
) -> None:
    """Exit 2 naming `--at`, nothing on stdout, nothing written."""
    ref = cli_case(ncp, command)
    before = dump(database_url)
    result = cli_step(ncp, command, ref, "--at", at)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: ") and words in result.stderr
    assert dump(database_url) == before


@pytest.mark.parametrize("command", ["extend", "edit"])
def test_the_command_line_accepts_a_step_back_dated_before_an_extension_or_edit_recorded_now(
    ncp: InProcessCli, command: str
) -> None:
    """The regression: extend (or edit) today, then accept as of 1 March 2025: accepted."""
    ref = cli_case(ncp, command)
    assert cli_step(ncp, command, ref).returncode == 0
    accepted = ncp.json(
        "case",
        "advance",
        ref,
        "accept",
        "--actor",
        "sek",
        "--reason",
        "material",
        "--at",
        "2025-03-01",
        "--json",
    )
    assert accepted["state"] == "good_offices"
    assert cli_log(ncp, ref)[-1]["at"] == "2025-02-28T23:00:00.000000Z"


# ---- the API (the fixed clock: 2 June 2025, 09:00 UTC) -----------------------------------------


class Api:
    def __init__(self, database_url: str, clock: FixedClock) -> None:
        self.database_url, self.clock = database_url, clock

    def __enter__(self) -> Api:
        self._running = running_api(self.database_url, self.clock)
        base = self._running.__enter__()
        self.client, self.handler = base.client, base.user("hanna", "handler")
        return self

    def __exit__(self, *exc: object) -> None:
        self._running.__exit__(None, None, None)

    def send(self, command: str, ref: str, **body: Any) -> Any:
        method, path, shape = API_STEPS[command]
        return self.client.request(
            method, f"/api/cases/{ref}{path}", headers=self.handler, json={**shape, **body}
        )

    def case(self, command: str) -> str:
        made = self.client.post(
            "/api/cases",
            headers=self.handler,
            json={
                "title": "Fish farm discharges",
                "submitters": ["Naturvernforbundet"],
                "enterprises": ["Havbruk Seafood ASA"],
                "received": "2025-01-31",
            },
        )
        ref = str(made.json()["reference"])
        self.advance(ref, "begin_assessment", "2025-02-03")
        if command == "resume":
            assert self.send("pause", ref, at="2025-02-03").status_code == 200
        return ref

    def advance(self, ref: str, trigger: str, at: str) -> Any:
        answer = self.client.post(
            f"/api/cases/{ref}/transitions",
            headers=self.handler,
            json={"trigger": trigger, "reason": "r", "at": at},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def entries(self, ref: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.client.get(f"/api/cases/{ref}/audit", headers=self.handler).json()[
            "items"
        ]
        return items


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with Api(database_url, clock) as made:
        yield made


@pytest.mark.parametrize("command", COMMANDS)
def test_the_api_back_dates_each_step_and_the_entry_keeps_both_times(api: Api, command: str) -> None:
    """`"at": "2025-03-03"`: the entry's `at` is that day in Oslo, `recorded_at` the clock's."""
    ref = api.case(command)
    answer = api.send(command, ref, at="2025-03-03")
    assert answer.status_code == 200, answer.text
    entry = api.entries(ref)[-1]
    assert (entry["kind"], entry["at"]) == (KIND[command], "2025-03-02T23:00:00.000000Z")
    assert entry["data"]["recorded_at"] == "2025-06-02T09:00:00+00:00"


@pytest.mark.parametrize(
    ("at", "words"),
    [
        ("2025-02-01", "at 2025-02-01 is before the case's last recorded step"),
        ("2025-06-03", "at 2025-06-03 is in the future"),
    ],
    ids=["before-last-step", "future"],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_the_api_refuses_a_time_before_the_last_step_or_to_come_with_422(
    api: Api, command: str, at: str, words: str
) -> None:
    """422 naming the field `at`, nothing written."""
    ref = api.case(command)
    before = dump(api.database_url)
    answer = api.send(command, ref, at=at)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_input" and body["detail"].startswith(words)  # `at`, not `--at`
    assert dump(api.database_url) == before


@pytest.mark.parametrize("command", ["extend", "edit"])
def test_the_api_accepts_a_step_back_dated_before_an_extension_or_edit_recorded_now(
    api: Api, command: str
) -> None:
    """The regression: extend (or edit) now, then accept as of 1 March 2025: accepted."""
    ref = api.case(command)
    assert api.send(command, ref).status_code == 200
    assert api.advance(ref, "accept", "2025-03-01")["state"] == "good_offices"
    assert [e["at"] for e in api.entries(ref)[-2:]] == [
        "2025-06-02T09:00:00.000000Z",
        "2025-02-28T23:00:00.000000Z",
    ]
