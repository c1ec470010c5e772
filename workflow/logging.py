"""structlog, configured once by the entry point; everything else just asks for a logger."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from states.limits import neutralise


def configure(*, level: str = "warning", json: bool = False) -> None:
    renderers: list[structlog.types.Processor] = (
        [structlog.processors.JSONRenderer()] if json
        else [_neutralised, structlog.dev.ConsoleRenderer(colors=False)]
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            *renderers,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]),
        # Logs go to stderr so that --json output on stdout stays machine-readable.
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def _neutralised(_logger: object, _method: str, event: MutableMapping[str, Any]
                 ) -> MutableMapping[str, Any]:
    """Log lines for a terminal: text values (an actor, a title) with control characters
    spelled out, as ncpflow/output.py prints everything else; JSON logs keep them escaped."""
    return {key: neutralise(value) if isinstance(value, str) else value
            for key, value in event.items()}
