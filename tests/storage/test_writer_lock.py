"""The SQLite writer's turn: queued across threads and processes, never waited for by `if_free`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from states.errors import StorageUnavailableError
from storage.writer_lock import WriterLock, lock_path_for
from tests.conftest import ROOT
from workflow.bootstrap import Services, bootstrap

HOLD = """
import sys, time
from pathlib import Path
from storage.writer_lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
with lock.held():
    print("held", flush=True)
    sys.stdin.readline()  # hold until the test closes our stdin
"""


def test_the_lock_file_sits_beside_a_database_file_and_not_beside_memory() -> None:
    assert lock_path_for("/data/ncp.db") == Path("/data/ncp.db-writer.lock")
    assert lock_path_for(":memory:") is None
    assert lock_path_for(None) is None


def test_if_free_gives_the_turn_when_nobody_holds_it_and_keeps_it_until_the_block_ends(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.db-writer.lock"
    mine, other = WriterLock(path), WriterLock(path)  # two descriptors: like two processes
    turn = mine.if_free()
    assert turn is not None
    with turn:
        assert other.if_free() is None
    again = other.if_free()
    assert again is not None
    with again:
        assert mine.if_free() is None


def test_if_free_answers_none_at_once_while_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "x.db-writer.lock"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        lock = WriterLock(path)
        started = time.perf_counter()
        assert lock.if_free() is None
        assert time.perf_counter() - started < 0.5
        holder.stdin.close()
        holder.wait(timeout=30)
    turn = lock.if_free()
    assert turn is not None
    with turn:
        pass


def test_a_blocked_writer_goes_as_soon_as_the_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "x.db-writer.lock"
    first, second = WriterLock(path), WriterLock(path)
    order: list[str] = []
    first.acquire()
    waiter = threading.Thread(target=lambda: (second.acquire(), order.append("second"), second.release()))
    waiter.start()
    time.sleep(0.2)
    assert order == []  # still waiting in the kernel
    order.append("first done")
    first.release()
    waiter.join(timeout=10)
    assert order == ["first done", "second"]


def test_the_lock_file_is_made_as_sqlite_makes_its_own_files_for_the_group_to_share(tmp_path: Path) -> None:
    # A cron job as another user of the database's group must be able to queue too (it only
    # needs to read the file: flock works on a read-only descriptor).
    path = tmp_path / "x.db-writer.lock"
    old = os.umask(0o002)
    try:
        lock = WriterLock(path)
        assert lock.if_free() is not None
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    path.chmod(0o444)
    reader = WriterLock(path)  # opening a read-only file still gives a turn to queue for
    turn = reader.if_free()
    assert turn is None  # `lock` above still holds it


def test_the_holding_thread_may_take_the_turn_again_and_keeps_it_until_the_outer_release(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.db-writer.lock"
    lock, other = WriterLock(path), WriterLock(path)
    with lock.held():
        with lock.held():
            pass
        assert other.if_free() is None  # the inner release did not let go of the file
    assert other.if_free() is not None


def test_a_lock_file_that_cannot_be_made_is_named_in_the_error_and_blocks_nobody(tmp_path: Path) -> None:
    lock = WriterLock(tmp_path / "missing-dir" / "x.db-writer.lock")
    with pytest.raises(StorageUnavailableError, match="missing-dir"):
        lock.acquire()
    # Another thread gets the same clear error rather than waiting on a lock left held.
    errors: list[Exception] = []

    def try_again() -> None:
        try:
            lock.acquire()
        except StorageUnavailableError as exc:
            errors.append(exc)

    other = threading.Thread(target=try_again)
    other.start()
    other.join(timeout=10)
    assert not other.is_alive() and len(errors) == 1


def test_a_sqlite_unit_of_work_offers_the_turn_only_when_no_other_writer_has_it(
    services: Services, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        assert services.uow.writer_if_free() is None  # PostgreSQL writers wait on the server
        return
    other = bootstrap(services.settings)  # its own engine and descriptor: another process
    try:
        entered, leave = threading.Event(), threading.Event()

        def write_and_wait() -> None:
            with other.uow.write():
                entered.set()
                leave.wait(10)

        writer = threading.Thread(target=write_and_wait)
        writer.start()
        assert entered.wait(10)
        assert services.uow.writer_if_free() is None
        leave.set()
        writer.join(timeout=10)
        turn = services.uow.writer_if_free()
        assert turn is not None
        with turn, services.uow.write() as tx:  # the same thread writes under the turn it holds
            assert tx.users.get("nobody") is None
    finally:
        other.close()
