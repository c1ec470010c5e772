"""`run_write(app, work)`: where a route's write use case runs.

FastAPI runs plain `def` routes in a thread pool. For SQLite writes that hop costs more than
the write: one writer goes at a time anyway, and the worker threads and the event loop hand
the GIL back and forth at every SQLite call while the writer's turn is held (benchmarks/api.py:
290 requests/s in the pool against about 500 inline). So a write runs inline on the event
loop when the writer's turn is free at once, and in the pool otherwise: the loop never waits
for another writer (the scheduler's sweep, a command, another worker), and on PostgreSQL, whose
writers wait on the server, every write goes to the pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from workflow.application import Application

T = TypeVar("T")


async def run_write(app: Application, work: Callable[[], T]) -> T:
    turn = app.uow.writer_if_free()
    if turn is None:
        return await run_in_threadpool(work)
    with turn:
        return work()
