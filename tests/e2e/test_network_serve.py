"""One process serving a network of NCPs (`serve --network`), and its schedulers, on a real
PostgreSQL.

Each NCP is a config file of a network folder, its own login role pinned to it by the database
(docs/network.md), so what one NCP's app can reach is decided by row-level security, not by the
dispatcher. The database is a fresh copy of the network template: NCP ZZ's demo cases are there
too, and no NCP served here may show one of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.network import NetworkSite
from notifications.memory import RecordingChannel
from states.errors import StorageUnavailableError
from states.users import User
from storage import tenancy
from tests.conftest import ROOT, admin_engine, tenant_url
from tests.helpers import free_port, open_one, sign_in, wait_for
from workflow import scheduler
from workflow.bootstrap import Network, bootstrap
from workflow.config import ConfigError, Settings, load_network

PASSWORD = "correct horse battery"
ALERTS_PER_CASE = 6  # as tests/e2e/test_scheduler.py: 3 overdue deadlines x (overdue rung + escalation)


@dataclass
class NetworkDb:
    admin: sqlalchemy.Engine  # a superuser on the network's database: it sees every NCP's rows
    server: str
    name: str

    def login(self, ncp: str) -> str:
        """NCP `ncp`'s own login role (a member of ncpflow_app, pinned to the NCP)."""
        role = f"ncpflow_e1_{ncp.lower()}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
                f"CREATE ROLE {role} LOGIN NOBYPASSRLS IN ROLE {tenancy.APP_ROLE}; END IF; END $$"
            )
            conn.exec_driver_sql(
                f"INSERT INTO {tenancy.PINNED} (role, ncp) VALUES (%(r)s, %(n)s)", {"r": role, "n": ncp}
            )
        return f"postgresql://{role}@{self.server}/{self.name}"

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.admin.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql)]


@pytest.fixture
def network_db(network_admin_url: str) -> Iterator[NetworkDb]:
    name = tenant_url(network_admin_url, "ZZ").rsplit("/", 1)[1].split("?")[0]
    engine = admin_engine(network_admin_url, name)
    yield NetworkDb(engine, network_admin_url.split("@", 1)[1].rsplit("/", 1)[0], name)
    engine.dispose()


def write_ncp(folder: Path, db: NetworkDb, ncp: str, **scheduler_settings: int) -> Path:
    """NCP `ncp`'s config file: the shipped config.toml on its own pinned login role, with its
    own host name (its pool left at the network default)."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text, found = re.subn(
        r'(?m)^url = "sqlite:///var/ncpflow.db"$',
        f'url = "{db.login(ncp)}"\nncp = "{ncp}"',
        text,
    )
    assert found == 1
    text, found = re.subn(
        r'(?m)^# public_url = "https://ncp.example.org"$',
        f'public_url = "https://{ncp.lower()}.ncp.test"',
        text,
    )
    assert found == 1
    for key, value in scheduler_settings.items():
        text, found = re.subn(rf"(?m)^{key} = \d+", f"{key} = {value}", text)
        assert found == 1, key
    path = folder / f"{ncp}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_ncps(tmp_path: Path, network_db: NetworkDb) -> Iterator[Network]:
    folder = tmp_path / "network"
    folder.mkdir()
    for ncp in ("NO", "SE"):
        write_ncp(folder, network_db, ncp)
    network = Network.load(folder)
    yield network
    network.close()


def client(site: NetworkSite, host: str) -> TestClient:
    # https, as each NCP's public_url: its session cookie is Secure.
    return TestClient(site, base_url=f"https://{host}", raise_server_exceptions=False)


def test_one_process_serves_each_ncp_only_its_own_cases_by_host(
    two_ncps: Network, network_db: NetworkDb
) -> None:
    """Pages and API: NO's host shows NO's case, SE's host SE's; neither shows the other's,
    nor NCP ZZ's demo cases in the same database."""
    no, se = two_ncps.application("NO"), two_ncps.application("SE")
    open_one(no, title="Norwegian fish farm")
    open_one(se, title="Swedish paper mill")
    tokens = {
        code: app.users.add(name="handler", role="handler", actor="test", password=PASSWORD).token
        for code, app in (("NO", no), ("SE", se))
    }
    site = NetworkSite(two_ncps, create_app)
    demo = "Tailings dam safety"  # one of ZZ's demo cases (workflow/demo.py), in the same database
    assert network_db.rows(f"SELECT count(*) FROM cases WHERE tenant = 'ZZ' AND title LIKE '{demo}%%'") == [
        (1,)
    ]
    pairs = (
        ("NO", "Norwegian fish farm", "Swedish paper mill"),
        ("SE", "Swedish paper mill", "Norwegian fish farm"),
    )
    for code, mine, theirs in pairs:
        with client(site, f"{code.lower()}.ncp.test") as browser:
            api = browser.get("/api/cases", headers={"Authorization": f"Bearer {tokens[code]}"})
            assert api.status_code == 200, api.text
            titles = [item["title"] for item in api.json()["items"]]
            assert titles == [mine]
            assert sign_in(browser, "handler", PASSWORD).status_code == 303
            for path in ("/", "/cases"):
                page = browser.get(path)
                assert page.status_code == 200, page.text
                assert mine in page.text
                assert theirs not in page.text and demo not in page.text


def test_an_ncps_user_session_and_token_mean_nothing_on_another_ncps_host(two_ncps: Network) -> None:
    no = two_ncps.application("NO")
    open_one(no, title="Norwegian fish farm")
    token = no.users.add(name="nora", role="handler", actor="test", password=PASSWORD).token
    site = NetworkSite(two_ncps, create_app)
    with client(site, "no.ncp.test") as at_no, client(site, "se.ncp.test") as at_se:
        # NO's user signing in on SE's host is refused, as any unknown user is.
        refused = sign_in(at_se, "nora", PASSWORD)
        assert refused.status_code != 303
        assert "Norwegian fish farm" not in refused.text
        # NO's token on SE's host: not a token there.
        assert at_se.get("/api/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        # NO's session cookie carried to SE's host: signed out there.
        assert sign_in(at_no, "nora", PASSWORD).status_code == 303
        for name, value in at_no.cookies.items():
            at_se.cookies.set(name, value)
        page = at_se.get("/", follow_redirects=False)
        assert page.status_code == 303 and "/signin" in page.headers["location"]
        assert at_no.get("/").status_code == 200  # still signed in where it belongs


def test_precedents_the_start_page_and_checklists_stay_within_each_ncp(two_ncps: Network) -> None:
    """Issue 17's reads under row-level security: SE's concluded case on the same enterprise is a
    precedent at SE and none at NO; NO's start page lists only NO's cases its handler acted on,
    though SE's handler has the same name; a tick at NO is not on SE's case of the same reference."""
    no, se = two_ncps.application("NO"), two_ncps.application("SE")
    se_open = open_one(se, "Nordic Metals ASA", title="SE open", actor="handler")
    se_closed = open_one(se, "Nordic Metals ASA", title="SE closed", actor="handler")
    for trigger in ("begin_assessment", "reject", "close"):
        se.cases.advance(reference=se_closed, trigger=trigger, actor="handler", reason="r")
    mine = open_one(no, "Nordic Metals ASA", title="NO open", actor="handler")
    assert mine == se_open  # the same reference at each NCP
    assert [p.reference for p in se.cases.similar(reference=se_open).precedents] == [se_closed]
    assert no.cases.similar(reference=mine).precedents == []
    for app in (no, se):
        app.cases.advance(reference=mine, trigger="begin_assessment", actor="handler", reason="r")
    no.checklists.tick(reference=mine, item="ia_law", actor="handler")
    assert [line.item for line in no.checklists.show(reference=mine).items if line.ticked] == ["ia_law"]
    assert not any(line.ticked for line in se.checklists.show(reference=mine).items)
    start = no.users.start(viewer=User(name="handler", role="handler"))
    assert [(c.reference, c.title) for c in start.cases] == [(mine, "NO open")]


def test_a_host_no_ncp_has_gets_a_404_page_naming_no_ncp(two_ncps: Network) -> None:
    no = two_ncps.application("NO")
    open_one(no, title="Norwegian fish farm")
    token = no.users.add(name="nora", role="handler", actor="test", password=PASSWORD).token
    site = NetworkSite(two_ncps, create_app)
    for host in ("unknown.test", "127.0.0.1", "no.ncp.test.evil.test", "[::1]"):
        with client(site, host) as stranger:
            for path in ("/", "/api/cases", "/signin", "/healthz"):
                answer = stranger.get(path, headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 404, (host, path)
                assert "No NCP is served at this address." in answer.text
                assert "Ingen" in answer.text  # the Norwegian line (lang="nb")
                assert "fish farm" not in answer.text and "NO" not in answer.text.replace("NOT", "")
    # A port, or capitals, in the Host header still name NO.
    with client(site, "NO.ncp.test:8443") as with_port:
        answer = with_port.get("/api/cases", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert [c["title"] for c in answer.json()["items"]] == ["Norwegian fish farm"]


def test_each_ncps_app_is_built_on_its_first_request_only(two_ncps: Network) -> None:
    built: list[str] = []

    def build(settings: Settings) -> Any:
        built.append(str(settings.database.ncp))
        return bootstrap(settings)

    network = Network(two_ncps.ncps, build=build)
    site = NetworkSite(network, create_app)
    try:
        with client(site, "se.ncp.test") as at_se:
            assert built == []  # the lifespan's start builds nothing
            assert at_se.get("/healthz").status_code == 200
            assert at_se.get("/healthz").status_code == 200
        assert built == ["SE"]  # once, and NO never
    finally:
        network.close()


def test_each_ncps_pool_is_its_own_and_small(two_ncps: Network) -> None:
    """No `[database] pool_size` in the files: a network NCP keeps two, two more at most under
    load; a file's own value is kept."""
    engines = [two_ncps.application(code).uow.engine for code in ("NO", "SE")]  # type: ignore[attr-defined]
    assert engines[0] is not engines[1]
    for engine in engines:
        assert engine.pool.size() == 2
        assert engine.pool._max_overflow == 2
    (path,) = [ncp.path for ncp in two_ncps.ncps if ncp.code == "SE"]
    path.write_text(
        path.read_text(encoding="utf-8").replace('ncp = "SE"', 'ncp = "SE"\npool_size = 7', 1),
        encoding="utf-8",
    )
    assert [ncp.settings.database.pool_size for ncp in load_network(path.parent)] == [2, 7]


def test_a_network_folder_refuses_what_cannot_be_one(tmp_path: Path, network_db: NetworkDb) -> None:
    """Every refusal names the file and key; nothing is connected to."""
    folder = tmp_path / "net"
    with pytest.raises(ConfigError, match="no such folder"):
        load_network(folder)
    folder.mkdir()
    with pytest.raises(ConfigError, match="no NCP config"):
        load_network(folder)
    good = write_ncp(folder, network_db, "NO")
    text = good.read_text(encoding="utf-8")
    cases = {
        "sqlite": (
            text.replace(f'url = "{_url(text)}"', 'url = "sqlite:///x.db"').replace('ncp = "NO"\n', ""),
            "one PostgreSQL",
        ),
        "no ncp": (text.replace('ncp = "NO"\n', ""), r"\[database\] ncp: missing"),
        "another ncp": (text.replace('ncp = "NO"', 'ncp = "SE"'), "not the file's NCP"),
        "no host": (text.replace('public_url = "https://no.ncp.test"\n', ""), r"\[web\] public_url: missing"),
    }
    for label, (changed, message) in cases.items():
        good.write_text(changed, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_network(folder)
        assert str(good) in _message(folder), label
    good.write_text(text, encoding="utf-8")
    twin = folder / "SE.toml"
    twin.write_text(text.replace('ncp = "NO"', 'ncp = "SE"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"host no\.ncp\.test is .*NO\.toml's too"):
        load_network(folder)


def _url(text: str) -> str:
    found = re.search(r'(?m)^url = "([^"]+)"', text)
    assert found
    return found.group(1)


def _message(folder: Path) -> str:
    try:
        load_network(folder)
    except ConfigError as exc:
        return str(exc)
    raise AssertionError("not refused")


def test_a_network_scheduler_takes_each_ncps_job_turn_one_at_a_time(
    two_ncps: Network, tmp_path: Path
) -> None:
    """The turn is the database's: another process (another application on the same
    database) gets NO's sweep turn only once the first gives it back; SE's is free meanwhile."""
    other = Network(two_ncps.ncps)
    try:
        first_no, second_no = two_ncps.application("NO"), other.application("NO")
        second_se = other.application("SE")
        with first_no.turn(scheduler.SWEEP_JOB) as mine:
            assert mine
            with second_no.turn(scheduler.SWEEP_JOB) as theirs:
                assert not theirs
            with (
                second_no.turn(scheduler.DISPATCH_JOB) as dispatch,
                second_se.turn(scheduler.SWEEP_JOB) as se,
            ):
                assert dispatch and se
        with second_no.turn(scheduler.SWEEP_JOB) as theirs:
            assert theirs
    finally:
        other.close()


def test_a_login_role_pinned_to_another_ncp_gets_no_turn_and_says_why(
    tmp_path: Path, network_db: NetworkDb
) -> None:
    folder = tmp_path / "network"
    folder.mkdir()
    path = write_ncp(folder, network_db, "NO")
    path.rename(folder / "SE.toml")
    (folder / "SE.toml").write_text(
        path.with_name("SE.toml")
        .read_text(encoding="utf-8")
        .replace('ncp = "NO"', 'ncp = "SE"')
        .replace("https://no.ncp.test", "https://se.ncp.test"),
        encoding="utf-8",
    )
    network = Network.load(folder)  # SE's file, on NO's pinned login role
    try:
        app = network.application("SE")
        with (
            pytest.raises(StorageUnavailableError, match="pinned to another NCP"),
            app.turn(scheduler.SWEEP_JOB),
        ):
            raise AssertionError("no turn is given")
    finally:
        network.close()


@pytest.mark.slow
def test_two_network_schedulers_over_three_ncps_send_each_alert_once(
    tmp_path: Path, network_db: NetworkDb
) -> None:
    folder = tmp_path / "network"
    folder.mkdir()
    codes = ("DK", "NO", "SE")
    for code in codes:
        write_ncp(folder, network_db, code, sweep_interval=1, dispatch_interval=1)
    channels = [RecordingChannel(), RecordingChannel()]
    networks = [
        Network(load_network(folder), build=lambda s, ch=channel: bootstrap(s, channel=ch))
        for channel in channels
    ]
    for code in codes:  # overdue cases in each NCP, opened through its own application
        for n in range(2):
            open_one(networks[0].application(code), title=f"{code} complaint {n}", received=_day(n))
    beats = [scheduler.background_network(network) for network in networks]
    expected = ALERTS_PER_CASE * 2 * len(codes)
    try:
        for beat in beats:
            beat.start()
        wait_for(lambda: _all_sent(network_db, expected), "every NCP's alerts to be sent", timeout=60)
        # A few more beats of both: a duplicate would show up now.
        time.sleep(2.5)
    finally:
        stoppers = [threading.Thread(target=beat.stop) for beat in beats]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for network in networks:
            network.close()

    alerts = network_db.rows("SELECT tenant, deadline_id, rung, due_on FROM alerts WHERE tenant <> 'ZZ'")
    assert len(alerts) == len(set(alerts)) == expected
    assert {tenant for tenant, *_ in alerts} == set(codes)
    outbox = network_db.rows("SELECT tenant, message_id, status FROM outbox WHERE tenant <> 'ZZ'")
    assert {status for *_, status in outbox} == {"sent"}
    sent = [mail.message_id for channel in channels for mail in channel.sent]
    assert sorted(sent) == sorted(message_id for _, message_id, _ in outbox)  # each e-mail once
    fired = network_db.rows(
        "SELECT tenant, case_ref, data FROM audit_log WHERE kind = 'alert' AND tenant <> 'ZZ'"
    )
    assert len(fired) == expected


def _day(n: int) -> Any:
    from datetime import date

    return date(2025, 1, 2 + n)


def _all_sent(db: NetworkDb, expected: int) -> bool:
    if db.rows("SELECT count(*) FROM alerts WHERE tenant <> 'ZZ'")[0][0] < expected:
        return False
    statuses = db.rows("SELECT status FROM outbox WHERE tenant <> 'ZZ'")
    return bool(statuses) and all(status == "sent" for (status,) in statuses)


@pytest.mark.slow
def test_serve_network_runs_every_ncp_in_one_process_with_its_scheduler(
    tmp_path: Path, network_db: NetworkDb
) -> None:
    """The real command: one process, each NCP by its host name, the network's scheduler
    beating inside it (its jobs logged per NCP), a clean stop on SIGTERM."""
    folder = tmp_path / "network"
    folder.mkdir()
    tokens = {}
    for code in ("NO", "SE"):
        settings = load_network_file(
            write_ncp(folder, network_db, code, sweep_interval=1, dispatch_interval=1)
        )
        app = bootstrap(settings)
        try:
            open_one(app, title=f"{code} complaint", received=_day(0))
            tokens[code] = app.users.add(
                name="handler", role="handler", actor="test", password=PASSWORD
            ).token
        finally:
            app.close()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCPFLOW_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "ncpflow", "serve", "--network", str(folder), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), "serve --network to come up", timeout=60)
        for code in ("NO", "SE"):
            answer = httpx.get(
                base + "/api/cases",
                headers={"Host": f"{code.lower()}.ncp.test", "Authorization": f"Bearer {tokens[code]}"},
            )
            assert [c["title"] for c in answer.json()["items"]] == [f"{code} complaint"]
        assert httpx.get(base + "/healthz").status_code == 404  # 127.0.0.1 is no NCP's host
        wait_for(
            lambda: {t for (t,) in network_db.rows("SELECT DISTINCT tenant FROM alerts")} >= {"NO", "SE"},
            "the embedded scheduler to sweep both NCPs",
            timeout=60,
        )
    finally:
        server.terminate()
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "serving 2 NCP(s)" in out and "with the scheduler" in out
    assert "Traceback" not in err


def _answers(base: str) -> bool:
    try:
        return httpx.get(base + "/healthz", headers={"Host": "no.ncp.test"}, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def load_network_file(path: Path) -> Settings:
    return next(ncp.settings for ncp in load_network(path.parent) if ncp.path == path)


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        ("serve", ("--database", "postgresql://x@h/d"), "leave out --database"),
        ("scheduler", ("--ncp", "NO"), "leave out --ncp"),
        ("serve", (), "no such folder"),
    ],
)
def test_the_network_commands_refuse_what_names_one_ncp_or_no_folder(
    tmp_path: Path, command: str, extra: tuple[str, ...], message: str
) -> None:
    folder = tmp_path / ("missing" if not extra else "network")
    if extra:
        folder.mkdir()
    before = sorted(tmp_path.rglob("*"))
    options = [*extra, command, "--network", str(folder)] if extra else [command, "--network", str(folder)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCPFLOW_")}
    result = subprocess.run(
        [sys.executable, "-m", "ncpflow", *options],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(tmp_path.rglob("*")) == before  # nothing made


@pytest.mark.slow
def test_two_scheduler_processes_split_a_network_and_log_each_job_with_its_ncp(
    tmp_path: Path, network_db: NetworkDb
) -> None:
    """The real `scheduler --network`, twice: both sweep, every NCP's alerts are queued once,
    each job's log line names its NCP, and SIGTERM stops each cleanly."""
    folder = tmp_path / "network"
    folder.mkdir()
    codes = ("DK", "NO", "SE")
    for code in codes:
        settings = load_network_file(
            write_ncp(folder, network_db, code, sweep_interval=1, dispatch_interval=1)
        )
        app = bootstrap(settings)
        try:
            open_one(app, title=f"{code} complaint", received=_day(0))
        finally:
            app.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCPFLOW_")}
    logs = [tmp_path / f"scheduler-{n}.log" for n in range(2)]
    processes = []
    for log_path in logs:
        with log_path.open("w", encoding="utf-8") as log_file:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "ncpflow", "scheduler", "--network", str(folder)],
                    cwd=tmp_path,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log_file,
                )
            )
    try:
        wait_for(
            lambda: (
                network_db.rows("SELECT count(*) FROM alerts WHERE tenant <> 'ZZ'")[0][0]
                >= ALERTS_PER_CASE * 3
            ),
            "both schedulers to sweep every NCP",
            timeout=60,
        )
        time.sleep(2)  # more beats of both: a duplicate would show up now
    finally:
        for process in processes:
            process.terminate()
        codes_out = [process.wait(timeout=60) for process in processes]
    assert codes_out == [0, 0], [log.read_text() for log in logs]
    alerts = network_db.rows("SELECT tenant, deadline_id, rung, due_on FROM alerts WHERE tenant <> 'ZZ'")
    assert len(alerts) == len(set(alerts)) == ALERTS_PER_CASE * 3
    events = [
        json.loads(line) for log in logs for line in log.read_text().splitlines() if line.startswith("{")
    ]
    ran = [e for e in events if e["event"] == "job_ran" and e["job"] == scheduler.SWEEP_JOB]
    assert {e["ncp"] for e in ran} == set(codes)  # each sweep's line names its NCP
    assert sum(e["queued"] for e in ran) == ALERTS_PER_CASE * 3  # queued once, by one or the other
    assert not [e for e in events if e["event"] == "job_failed"]
    assert all("Traceback" not in log.read_text() for log in logs)
