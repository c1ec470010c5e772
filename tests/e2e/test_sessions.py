"""Sessions that really end, sign-in that resists guessing, CSRF for sign-in and cookie writes,
disabled users, and the TOTP second factor (issue 10, item 11), over HTTP in-process."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.auth import PRESESSION_COOKIE, SESSION_COOKIE
from tests.conftest import make_settings
from tests.helpers import csrf_of, sign_in
from workflow import audit, signin, users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.signin import Gate, Outcome, SignIn

PASSWORD = "correct horse battery"
SECRET = "test-secret-that-is-long-enough-0123456789"


class Site:
    def __init__(self, services: Services, clock: FixedClock) -> None:
        self.services, self.clock = services, clock
        self.app = create_app(services, secret=SECRET)

    def browser(self) -> TestClient:
        return TestClient(self.app)

    def user(self, name: str, role: str = "handler") -> str:
        return users.add_user(
            uow=self.services.uow, clock=self.clock, name=name, role=role, actor="test", password=PASSWORD
        ).token

    def kinds(self) -> list[str]:
        return [e.kind for e in audit.audit_entries(uow=self.services.uow)]

    def entries(self, kind: str) -> list[Any]:
        return [e for e in audit.audit_entries(uow=self.services.uow) if e.kind == kind]


@pytest.fixture
def site(database_url: str, clock: FixedClock) -> Iterator[Site]:
    settings = make_settings(database_url, web={"require_totp_for": ["admin"]})
    services = bootstrap(settings, clock=clock)
    yield Site(services, clock)
    services.close()


def test_a_cookie_replayed_after_sign_out_no_longer_works(site: Site) -> None:
    """Sign-out revokes the session on the server: the old cookie gets the sign-in page."""
    site.user("hanna")
    with site.browser() as browser:
        assert sign_in(browser, "hanna", PASSWORD).status_code == 303
        cookie = browser.cookies[SESSION_COOKIE]
        assert browser.get("/", follow_redirects=False).status_code == 200
        page = browser.get("/")
        out = browser.post("/signout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert out.status_code == 303
    with site.browser() as thief:
        thief.cookies.set(SESSION_COOKIE, cookie)
        answer = thief.get("/", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
        assert thief.get("/api/cases").status_code == 401


def test_a_session_expires_after_12_hours_and_stores_only_a_hash(site: Site) -> None:
    """The cookie's id is not in the database (its sha256 is); after 12 hours it is refused."""
    site.user("hanna")
    with site.browser() as browser:
        sign_in(browser, "hanna", PASSWORD)
        raw = browser.cookies[SESSION_COOKIE]
        with site.services.uow.read() as tx:
            found = tx.users.session(signin.session_hash(raw), now=site.clock.now())
        assert found is not None and found.user.name == "hanna"
        assert found.expires_at - found.created_at == signin.SESSION_LIFETIME
        site.clock.advance(hours=11, minutes=59)
        assert browser.get("/", follow_redirects=False).status_code == 200
        site.clock.advance(minutes=2)
        assert browser.get("/", follow_redirects=False).status_code == 303


def test_ended_sessions_are_forgotten_after_30_days(site: Site) -> None:
    """The sessions table does not grow for ever: a sign-in drops sessions long ended."""
    site.user("hanna")
    with site.browser() as browser:
        sign_in(browser, "hanna", PASSWORD)
        site.clock.advance(days=31)
        sign_in(browser, "hanna", PASSWORD)
    with site.services.uow.read() as tx:
        rows = tx.db.all("SELECT user_name FROM sessions")  # type: ignore[attr-defined]
    assert rows == [("hanna",)]


def test_a_new_password_ends_every_session_of_the_user(site: Site) -> None:
    """A new password (`users passwd`) signs every browser of that user out, no one else's."""
    site.user("hanna")
    site.user("ola")
    with site.browser() as mine, site.browser() as other, site.browser() as theirs:
        sign_in(mine, "hanna", PASSWORD)
        sign_in(other, "hanna", PASSWORD)
        sign_in(theirs, "ola", PASSWORD)
        ended = users.set_password(
            uow=site.services.uow,
            clock=site.clock,
            name="hanna",
            password="another long secret",
            actor="root",
        )
        assert ended == 2
        assert mine.get("/", follow_redirects=False).status_code == 303
        assert other.get("/", follow_redirects=False).status_code == 303
        assert theirs.get("/", follow_redirects=False).status_code == 200


def test_enrolling_a_second_factor_ends_the_sessions_signed_in_without_it(site: Site) -> None:
    """A browser signed in with the password alone is signed out once TOTP is enrolled."""
    site.user("hanna")
    with site.browser() as browser:
        sign_in(browser, "hanna", PASSWORD)
        assert browser.get("/", follow_redirects=False).status_code == 200
        users.enrol_totp(
            uow=site.services.uow, clock=site.clock, name="hanna", actor="admin", issuer="ncpflow"
        )
        assert browser.get("/", follow_redirects=False).status_code == 303


def test_failures_spread_over_many_names_never_unlock_a_locked_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the throttle is full, it forgets the least-failed keys, never a locked one."""
    monkeypatch.setattr(signin, "TRACKED", 20)
    throttle = signin.Throttle(limit=3)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(3):
        throttle.fail("victim", now)
    assert throttle.retry_after("victim", now) > 0
    for n in range(200):
        throttle.fail(f"noise-{n}", now)
    assert throttle.retry_after("victim", now) > 0


def test_sign_in_is_throttled_per_user_after_five_failures_and_audited(site: Site) -> None:
    """Five wrong passwords lock the name out (429, even with the right one), audited."""
    site.user("hanna")
    with site.browser() as browser:
        for _ in range(signin.PER_USER):
            assert sign_in(browser, "hanna", "wrong password").status_code == 401
        locked = sign_in(browser, "hanna", PASSWORD)
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
        assert "Too many failed sign-ins" in locked.text or "For mange" in locked.text
        assert SESSION_COOKIE not in browser.cookies
        failed = site.entries("sign_in_failed")
        assert len(failed) == signin.PER_USER and {e.actor for e in failed} == {"hanna"}
        throttled = site.entries("sign_in_throttled")
        assert len(throttled) == 1 and throttled[0].data["locked"] == "user"
        site.clock.advance(minutes=16)  # the failures age out of the window
        assert sign_in(browser, "hanna", PASSWORD).status_code == 303


def test_sign_in_is_throttled_per_client_address(site: Site) -> None:
    """Guessing across many names from one address locks the address, audited as anonymous."""
    site.user("hanna")
    with site.browser() as browser:
        for n in range(signin.PER_ADDRESS):
            name = f"guess{n}" if n % 2 else f"bad name {n}"
            assert sign_in(browser, name, "wrong password").status_code == 401
        assert sign_in(browser, "hanna", PASSWORD).status_code == 429
    throttled = site.entries("sign_in_throttled")
    assert [e.data["locked"] for e in throttled] == ["address"]
    assert {e.actor for e in site.entries("sign_in_failed")} >= {"anonymous", "guess1"}


def test_a_locked_out_name_is_refused_before_any_password_is_hashed(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The throttle is checked first: a locked-out name costs no argon2 work."""
    site.user("hanna")
    gate = SignIn(site.services.uow, site.clock)
    for _ in range(signin.PER_USER):
        assert gate.password("hanna", "wrong", "10.0.0.1").outcome is Outcome.FAILED
    hashed = []
    monkeypatch.setattr(users, "check_password", lambda **kw: hashed.append(kw))
    attempt = gate.password("hanna", PASSWORD, "10.0.0.2")
    assert attempt.outcome is Outcome.THROTTLED and attempt.retry_after > 0 and not hashed


def test_parallel_sign_ins_run_at_most_two_argon2_verifications_at_once(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve sign-ins at once: two hash at a time, a few wait, the rest are refused as busy."""
    running, most = 0, 0
    lock = threading.Lock()

    def slow_check(**_: Any) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1

    monkeypatch.setattr(users, "check_password", slow_check)
    gate = SignIn(site.services.uow, site.clock, gate=Gate(at_once=2, waiting=2))
    outcomes: list[Outcome] = []
    threads = [
        threading.Thread(
            target=lambda n=n: outcomes.append(gate.password(f"user{n}", "guess", f"10.0.0.{n}").outcome)
        )
        for n in range(12)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 2
    assert outcomes.count(Outcome.FAILED) == 4 and outcomes.count(Outcome.BUSY) == 8


def test_a_sign_in_token_from_another_browser_is_refused(site: Site) -> None:
    """Login CSRF: the sign-in form's token is bound to the browser's pre-session cookie."""
    site.user("hanna")
    with site.browser() as attacker:
        token = csrf_of(attacker.get("/signin").text)
        assert PRESESSION_COOKIE in attacker.cookies
    with site.browser() as victim:
        victim.get("/healthz")
        forced = victim.post(
            "/signin",
            data={"username": "hanna", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert forced.status_code == 403 and SESSION_COOKIE not in victim.cookies
        victim.get("/signin")  # the victim has a pre-session of their own now
        forced = victim.post(
            "/signin",
            data={"username": "hanna", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert forced.status_code == 403 and SESSION_COOKIE not in victim.cookies


def test_a_cookie_signed_in_api_write_needs_the_csrf_header(site: Site) -> None:
    """Without X-CSRF-Token a cookie-authenticated POST is 403; Bearer writes need none."""
    token = site.user("hanna")
    body = {"title": "T", "enterprises": ["E"], "submitters": ["S"]}
    with site.browser() as browser:
        sign_in(browser, "hanna", PASSWORD)
        refused = browser.post("/api/cases", json=body)
        assert refused.status_code == 403 and refused.json()["error"] == "csrf"
        forged = browser.post("/api/cases", json=body, headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
        assert browser.get("/api/cases").json()["total"] == 0  # nothing was written
        session = browser.get("/api/session").json()
        assert session["name"] == "hanna"
        done = browser.post("/api/cases", json=body, headers={"X-CSRF-Token": session["csrf_token"]})
        assert done.status_code == 201, done.text
    with site.browser() as script:
        made = script.post("/api/cases", json=body, headers={"Authorization": f"Bearer {token}"})
        assert made.status_code == 201


def test_a_disabled_user_is_signed_out_at_once_and_cannot_sign_in(site: Site) -> None:
    """`users disable` ends the sessions and refuses the password; `enable` lets them back."""
    site.user("hanna")
    with site.browser() as browser:
        sign_in(browser, "hanna", PASSWORD)
        users.set_disabled(uow=site.services.uow, clock=site.clock, name="hanna", disabled=True, actor="root")
        assert browser.get("/", follow_redirects=False).status_code == 303
        assert sign_in(browser, "hanna", PASSWORD).status_code == 401
        users.set_disabled(
            uow=site.services.uow, clock=site.clock, name="hanna", disabled=False, actor="root"
        )
        assert sign_in(browser, "hanna", PASSWORD).status_code == 303
    assert [e.actor for e in site.entries("user_disabled")] == ["root"]


def _totp(site: Site, name: str) -> pyotp.TOTP:
    made = users.enrol_totp(
        uow=site.services.uow, clock=site.clock, name=name, actor="root", issuer="Test NCP"
    )
    assert made.uri.startswith("otpauth://totp/") and made.secret in made.uri
    return pyotp.TOTP(made.secret)


def _code_step(browser: TestClient, step: Any, code: str) -> Any:
    """Answer the code step that `step` (the page after the password) asks for."""
    pending = re.search(r'name="pending" value="([^"]+)"', step.text)
    assert pending, step.text
    return browser.post(
        "/signin/code",
        data={"pending": pending.group(1), "csrf_token": csrf_of(step.text), "code": code, "next": "/"},
        follow_redirects=False,
    )


def test_an_enrolled_user_signs_in_with_password_then_a_one_time_code(site: Site) -> None:
    """The password alone gives no session; a wrong code is refused; a code works once."""
    site.user("hanna")
    totp = _totp(site, "hanna")
    with site.browser() as browser:
        step = sign_in(browser, "hanna", PASSWORD)
        assert step.status_code == 200 and SESSION_COOKIE not in browser.cookies
        assert 'name="code"' in step.text and "One-time code" in step.text
        pending = re.search(r'name="pending" value="([^"]+)"', step.text)
        assert pending
        form = {"pending": pending.group(1), "csrf_token": csrf_of(step.text), "next": "/"}
        wrong = browser.post("/signin/code", data={**form, "code": "000000"}, follow_redirects=False)
        assert wrong.status_code == 401 and SESSION_COOKIE not in browser.cookies
        code = totp.at(site.clock.now())
        done = browser.post("/signin/code", data={**form, "code": code}, follow_redirects=False)
        assert done.status_code == 303 and SESSION_COOKIE in browser.cookies
    with site.browser() as replay:  # the same code, seen over a shoulder, a second time
        again = _code_step(replay, sign_in(replay, "hanna", PASSWORD), code)
        assert again.status_code == 401
    assert len(site.entries("sign_in_failed")) == 2


def test_a_pending_code_step_from_another_browser_is_refused(site: Site) -> None:
    """The 'password was right' step is bound to the browser that gave the password."""
    site.user("hanna")
    totp = _totp(site, "hanna")
    with site.browser() as first:
        step = sign_in(first, "hanna", PASSWORD)
        pending = re.search(r'name="pending" value="([^"]+)"', step.text)
        assert pending
    with site.browser() as other:
        token = csrf_of(other.get("/signin").text)
        answer = other.post(
            "/signin/code",
            data={"pending": pending.group(1), "csrf_token": token, "code": totp.at(site.clock.now())},
            follow_redirects=False,
        )
        assert answer.status_code == 401 and SESSION_COOKIE not in other.cookies


def test_a_password_reset_during_the_code_step_cancels_it(site: Site) -> None:
    """The pending code step is bound to the user's stamp: a new password set in the meantime
    voids it (the right code is refused, nothing audited as a guess), and the new password
    starts a step that works."""
    site.user("hanna")
    totp = _totp(site, "hanna")
    with site.browser() as browser:
        step = sign_in(browser, "hanna", PASSWORD)
        users.set_password(
            uow=site.services.uow,
            clock=site.clock,
            name="hanna",
            password="another long secret",
            actor="root",
        )
        stale = _code_step(browser, step, totp.at(site.clock.now()))
        assert stale.status_code == 401 and SESSION_COOKIE not in browser.cookies
        assert 'name="pending"' not in stale.text and 'name="password"' in stale.text
        assert site.entries("sign_in_failed") == []
        step = sign_in(browser, "hanna", "another long secret")
        done = _code_step(browser, step, totp.at(site.clock.now()))
        assert done.status_code == 303 and SESSION_COOKIE in browser.cookies


def test_a_role_that_requires_totp_cannot_sign_in_without_enrolment(site: Site) -> None:
    """`[web] require_totp_for = ["admin"]`: an admin without TOTP is told to enrol via the CLI."""
    site.user("root", "admin")
    with site.browser() as browser:
        refused = sign_in(browser, "root", PASSWORD)
        assert refused.status_code == 403 and SESSION_COOKIE not in browser.cookies
        assert "ncpflow users totp" in refused.text
        english = browser.post(
            "/signin?lang=en",
            data={
                "username": "root",
                "password": PASSWORD,
                "csrf_token": csrf_of(browser.get("/signin?lang=en").text),
            },
        )
        assert "Your role must sign in with a one-time code" in english.text
    totp = _totp(site, "root")
    with site.browser() as browser:
        done = _code_step(browser, sign_in(browser, "root", PASSWORD), totp.at(site.clock.now()))
        assert done.status_code == 303


def test_every_new_sign_in_text_has_a_norwegian_translation() -> None:
    """The sign-in page's new words exist in both languages, and differ."""
    from ncpflow.web.pages import SIGNIN_PROBLEMS
    from translations import translator

    nb = translator("nb")
    for english in [
        "One-time code",
        "Enter the 6-digit code from your authenticator app.",
        *SIGNIN_PROBLEMS.values(),
    ]:
        assert nb.gettext(english) != english, english


def test_sign_in_keeps_no_parameter_or_helper_that_nothing_uses() -> None:
    """No test-only password check in the web layer; no unused parameters in sign-in."""
    import inspect

    from ncpflow.web import auth

    assert not hasattr(auth, "check_password")
    assert list(inspect.signature(users.set_password).parameters) == [
        "uow",
        "clock",
        "name",
        "password",
        "actor",
    ]
    assert list(inspect.signature(SignIn._succeeded).parameters) == ["self", "name"]
