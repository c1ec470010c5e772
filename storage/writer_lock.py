"""`WriterLock`: one SQLite writer at a time, queued in the kernel rather than in a sleep loop.

SQLite lets one transaction write; a writer that finds the database locked waits in SQLite's
busy handler, which polls with sleeps of up to 100 ms, so under load the tail latency jumps
(benchmarks/api.py, before this lock: p99 = 30 x p50). Here threads of one process queue on a
lock, and processes (the server, its workers, the scheduler, the command line) queue on an
`flock` of a file beside the database, `<database>-writer.lock`: the kernel wakes the next
writer as soon as the last one lets go. BEGIN IMMEDIATE stays the real guarantee; this lock
only decides who goes next.

The lock file is separate because closing any descriptor of the database file itself would
drop SQLite's own POSIX locks on it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from states.errors import StorageUnavailableError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: threads still queue; processes poll
    fcntl = None  # type: ignore[assignment]


def lock_path_for(database: str | None) -> Path | None:
    """`<database>-writer.lock` for a SQLite file; None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database + "-writer.lock")


class WriterLock:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._thread = threading.RLock()
        self._fd: int | None = None
        self._depth = 0  # re-entry by the holding thread takes the file lock only once

    def acquire(self, *, blocking: bool = True) -> bool:
        if not self._thread.acquire(blocking=blocking):
            return False
        if self._depth == 0 and self.path is not None and fcntl is not None:
            try:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                self._thread.release()
                return False
            except BaseException:
                self._thread.release()
                raise
        self._depth += 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread.release()

    @contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    @contextmanager
    def _held_already(self) -> Iterator[None]:
        try:
            yield
        finally:
            self.release()

    def if_free(self) -> AbstractContextManager[None] | None:
        """The lock, held, if no thread or process has it now; None rather than wait."""
        return self._held_already() if self.acquire(blocking=False) else None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _descriptor(self) -> int:
        if self._fd is None:
            assert self.path is not None
            try:
                # Read-only is enough for flock, so anyone who may read the database (a cron
                # job as another user in its group, say) can queue; 0o666 less the umask, as
                # SQLite makes its -wal and -shm files.
                self._fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
            except OSError as exc:
                raise StorageUnavailableError(
                    f"cannot open the writer lock {self.path}: {exc.strerror}"
                ) from None
        return self._fd
