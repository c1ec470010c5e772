"""structlog, configured once by the entry point; everything else asks `get_logger` for one.

Libraries that log through the standard library (APScheduler, uvicorn) are routed through the
same renderer by structlog's `ProcessorFormatter` on the root logger, so a JSON log stays one
JSON object a line whoever writes to it.

structlog imports asyncio, Rich's traceback renderer and attrs: about a sixth of a short
command's start-up. The command line therefore configures on first use
(`configure_on_first_use`): a command whose modules ask for no logger, as the reads do, never
imports structlog.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from states.limits import neutralise

if TYPE_CHECKING:
    import structlog

# The root handler this module installs, found again (and replaced) by a later configure().
_HANDLER_NAME = "ncpflow-structlog"
# Libraries chatty at info: their run-by-run lines repeat our own `job_ran` events.
_QUIET = ("apscheduler",)


# The configuration asked for by configure_on_first_use, applied by the first get_logger.
_pending: tuple[str, bool] | None = None


def get_logger(name: str) -> Any:
    """structlog's logger of that name; configures first if the entry point asked to."""
    import structlog

    if _pending is not None:
        level, json = _pending
        configure(level=level, json=json)
    return structlog.get_logger(name)


def configure_on_first_use(*, level: str = "warning", json: bool = False) -> None:
    """`configure` now if structlog is loaded (someone may log already), else as the first
    logger is asked for. Until then, standard-library records go to Python's last-resort
    handler (warnings and worse, on stderr)."""
    global _pending
    if "structlog" in sys.modules:
        configure(level=level, json=json)
    else:
        _pending = (level, json)


def configure(*, level: str = "warning", json: bool = False) -> None:
    import structlog

    global _pending
    _pending = None
    threshold = logging.getLevelNamesMapping()[level.upper()]
    # On a terminal, text values (an actor, a title) have their control characters spelled
    # out, as ncpflow/output.py prints everything else; JSON escapes them itself.
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else _Neutralised(structlog.dev.ConsoleRenderer(colors=False))
    )
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            timestamper,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(threshold),
        # Logs go to stderr so that --json output on stdout stays machine-readable.
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    _route_stdlib(threshold, renderer, timestamper, json=json)


def _route_stdlib(
    threshold: int, renderer: structlog.types.Processor, timestamper: structlog.types.Processor, *, json: bool
) -> None:
    """Standard-library records: rendered like our own events, on stderr."""
    import structlog

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            timestamper,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # JSON carries a traceback as a string; the console renderer draws its own.
            *([structlog.processors.format_exc_info] if json else []),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(threshold)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(threshold, logging.WARNING))


class _Neutralised:
    """A renderer that spells out control characters in text values before rendering."""

    def __init__(self, renderer: structlog.types.Processor) -> None:
        self._renderer = renderer

    def __call__(self, logger: Any, method: str, event: MutableMapping[str, Any]) -> Any:
        return self._renderer(
            logger,
            method,
            {key: neutralise(value) if isinstance(value, str) else value for key, value in event.items()},
        )
