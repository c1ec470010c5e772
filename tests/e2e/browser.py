"""What the browser tests share: the headless Chromium they drive, and a real `ncpflow serve` on a
loopback port for it to visit.

Without /usr/bin/chromium (or the playwright package) the tests are skipped, unless
NCPFLOW_REQUIRE_BROWSER is set, as .ci/run does: then a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.helpers import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# A served site's config.toml (`url`: its database): the NCP in Oslo, two members.
SITE_CONFIG = """\
[ncp]
name = "Test NCP"
language = "en"
timezone = "Europe/Oslo"

[database]
url = "{url}"

[[members]]
id = "chair"
name = "Chair of the NCP"
email = "chair@example.org"
role = "chair"

[[members]]
id = "member-b"
name = "Member B"
email = "member-b@example.org"
"""
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install playwright)"
    return None


def require_browser() -> None:
    """Skip the calling fixture without a browser, or fail when NCPFLOW_REQUIRE_BROWSER is set."""
    reason = browser_missing()
    if reason and os.environ.get("NCPFLOW_REQUIRE_BROWSER"):
        pytest.fail(f"NCPFLOW_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)


def site_files(work: Path, template: Path, config: str) -> tuple[Path, Path, str]:
    """A site's files in `work`: a copy of the initialised database `template` and its config.toml
    (`config` with the database's `url` filled in); (work, config path, database URL)."""
    db = work / "ncpflow.db"
    shutil.copy(template, db)
    url = f"sqlite:///{db}"
    path = work / "config.toml"
    path.write_text(config.format(url=url), encoding="utf-8")
    return work, path, url


@contextmanager
def served(work: Path, config: Path, url: str, secret: str) -> Iterator[str]:
    """`ncpflow serve` (no scheduler) on a free loopback port, up and answering /healthz; its base
    URL. Stopped on leaving."""
    port = free_port()
    env = {
        **os.environ,
        "NCPFLOW_CONFIG": str(config),
        "NCPFLOW_DATABASE_URL": url,
        "NCPFLOW_SECRET_KEY": secret,
        "NCPFLOW_LOG_LEVEL": "warning",
    }
    command = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-scheduler"]
    server = subprocess.Popen(
        [sys.executable, "-m", "ncpflow", *command],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                out = server.stdout.read() if server.stdout else ""
                pytest.fail(f"ncpflow serve did not come up on {base}:\n{out}")
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """The headless /usr/bin/chromium, through Playwright's driver."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot to test-artifacts/`name`."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
