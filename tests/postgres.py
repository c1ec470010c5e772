"""A throwaway PostgreSQL server for the test session, on loopback, owned by the tests.

Uses $NCPFLOW_TEST_POSTGRES_URL when set (an admin URL to a running server); otherwise starts a
private cluster with the Debian binaries when they are installed (.ci/run installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import free_port


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def unavailable_reason() -> str | None:
    if os.environ.get("NCPFLOW_TEST_POSTGRES_URL"):
        return None
    if _binaries() is None:
        return (
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and "
            "NCPFLOW_TEST_POSTGRES_URL is not set; `bash .ci/run` installs it"
        )
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start a private PostgreSQL cluster"
    return None


@contextmanager
def server() -> Iterator[str]:
    """Yield an admin URL (postgresql://postgres@127.0.0.1:PORT/postgres)."""
    given = os.environ.get("NCPFLOW_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = _binaries()
    assert bindir is not None
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="ncpflow-pg-"))
    data = base / "data"
    port = free_port()

    def run(*args: str) -> None:
        command = [str(bindir / args[0]), *args[1:]]
        if as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    if as_root:
        shutil.chown(base, "postgres", "postgres")
    run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(
        "pg_ctl",
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c max_connections=200",
        "start",
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        # The cluster holds a database per test (a million files by the end of a run): removing
        # it took the last test of each worker a minute, so an `rm` left running in the
        # background does it (the shell returns at once; nothing is left for us to wait on).
        subprocess.run(
            ["sh", "-c", 'rm -rf "$1" </dev/null >/dev/null 2>&1 &', "sh", str(base)],
            check=True,
            start_new_session=True,
        )
