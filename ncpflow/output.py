"""How the command line prints: JSON for scripts, Rich tables for people, errors on stderr."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from states.case import Case
from states.errors import (
    CaseNotFoundError,
    ConflictError,
    InvalidInputError,
    NcpflowError,
    OutcomeError,
    StorageError,
    TransitionNotAllowedError,
)
from workflow.config import ConfigError
from workflow.queries import next_due

# Wide enough for the case table when output is piped; a terminal's own width wins.
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True, highlight=False)

# Exit codes: documented in the README so scripts can tell refusals from breakage.
EXIT_CODES: list[tuple[type[NcpflowError], int]] = [
    (TransitionNotAllowedError, 1),
    (OutcomeError, 1),
    (InvalidInputError, 2),
    (ConfigError, 2),
    (ConflictError, 3),
    (CaseNotFoundError, 4),
    (StorageError, 5),
]


def exit_code(error: NcpflowError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), 1)


def report_error(error: NcpflowError) -> int:
    err.print(f"error: {escape(str(error))}", soft_wrap=True)
    return exit_code(error)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def emit_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def emit_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                         for k, v in row.items()})


def _status_style(status: str) -> str:
    return {"overdue": "bold red", "met": "green"}.get(status, "")


def cases_table(cases: list[Case], today: date, title: str = "Cases") -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("reference", "stage", "title", "lead", "next due", "deadline", "days left"):
        table.add_column(column, no_wrap=column != "title", ratio=1 if column == "title" else None)
    for case in cases:
        upcoming = next_due(case)
        if upcoming:
            status = upcoming.status(today).value
            left = (upcoming.due - today).days
            due, name = upcoming.due.isoformat(), upcoming.name.value
            days = f"[{_status_style(status)}]{left}[/]" if _status_style(status) else str(left)
        else:
            due, name, days = "—", "—", "—"
        table.add_row(case.reference, case.state.value, escape(case.title),
                      escape(case.lead_member or "—"), due, name, days)
    return table


def case_panel(view: dict[str, Any]) -> None:
    out.print(f"[bold]{view['reference']}[/]  {escape(view['title'])}")
    out.print(f"stage: {view['state']}   outcome: {view['outcome'] or '—'}   "
              f"received: {view['received']}   lead: {escape(view['lead_member'] or '—')}   "
              f"version: {view['version']}")
    for party in view["parties"]:
        flag = " (identity confidential)" if party["confidential"] else ""
        kind = f", {party['type']}" if party["type"] else ""
        out.print(f"{party['role']}: {escape(party['name'])}{kind}{flag}")
    table = Table(title="Deadlines", title_justify="left")
    for column in ("deadline", "due", "status", "explanation"):
        table.add_column(column, no_wrap=column != "explanation")
    for d in view["deadlines"]:
        style = _status_style(d["status"])
        status = f"[{style}]{d['status']}[/]" if style else d["status"]
        table.add_row(d["name"], d["due"], status, escape(d["explanation"]))
    out.print(table)
