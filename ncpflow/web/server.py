"""uvicorn for `ncpflow serve`: a stop signal also tells the embedded scheduler, and the process
then returns normally (exit 0) instead of dying by the signal uvicorn re-raises after its
shutdown, which skipped stopping the scheduler and left the message in flight leased."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

import uvicorn

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._on_stop = on_stop

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._on_stop is not None:
            self._on_stop()  # at once: the scheduler stops taking messages while we shut down
        super().handle_exit(sig, frame)


def _already_handled(_signum: int, _frame: FrameType | None) -> None:
    """uvicorn re-raises the stop signal after its shutdown; the shutdown has been done."""


def run(app: Any, *, host: str, port: int, grace: float, on_stop: Callable[[], None] | None = None) -> None:
    """Serve until SIGTERM or SIGINT, calling `on_stop` when one arrives; then return.

    Requests still open after `grace` seconds are cut off, so that a stop stays bounded."""
    # No `server: uvicorn` header; forwarded headers are believed only from
    # `[web] trusted_proxies`, in the app itself (ncpflow/web/app.py), never by default.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=max(1, round(grace)),
        server_header=False,
        proxy_headers=False,
    )
    previous = {sig: signal.signal(sig, _already_handled) for sig in SIGNALS}
    try:
        _Server(config, on_stop).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
