"""The Rich console the command line prints to people with; imported on the first such print."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from states.limits import neutralise


class SafeConsole(Console):
    """A Rich console for terminal output that neutralises control characters in all text.

    Stored text (titles, names, reasons) is kept verbatim, control characters included; a
    terminal would obey them (`states.limits.neutralise` lists which). Every string Rich
    prints (`print` arguments, table cells and titles, measured or rendered) passes through
    `render_str`, so this is the one place: markup and Rich's own styling are unaffected, and
    JSON, JSONL and CSV (written to stdout directly) keep text verbatim."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(neutralise(text), **options)
