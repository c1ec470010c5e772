"""How the command line prints: JSON for scripts, Rich tables for people, errors on stderr."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import typer

from states.deadlines import human_month
from states.errors import (
    BundleRefusedError,
    CaseNotFoundError,
    ConflictError,
    InvalidInputError,
    NcpflowError,
    OutcomeError,
    StorageError,
    TransitionNotAllowedError,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from states.case import Case


class _Terminal:
    """A `ncpflow.terminal.SafeConsole`, made on first use: `--help` and the JSON, CSV and
    file output never import Rich (a third of what `--help` would cost)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends: not the console's business
            raise AttributeError(name)
        if self._console is None:
            from ncpflow.program import starting

            with starting():
                from ncpflow.terminal import SafeConsole

                self._console = SafeConsole(**self._options)
        return getattr(self._console, name)


# Wide enough for the case table when output is piped; a terminal's own width wins.
out = cast("Console", _Terminal(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 140))
err = cast("Console", _Terminal(stderr=True, highlight=False))


def escape(text: str) -> str:
    """Rich's markup escape, for text printed to `out` or `err` (which load Rich anyway)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


# Exit codes: documented in the README so scripts can tell refusals from breakage.
EXIT_CODES: list[tuple[type[NcpflowError], int]] = [
    (TransitionNotAllowedError, 1),
    (OutcomeError, 1),
    (InvalidInputError, 2),
    (ConflictError, 3),
    (CaseNotFoundError, 4),
    (StorageError, 5),
    (BundleRefusedError, 7),
]


def exit_code(error: NcpflowError) -> int:
    # A bad config file is bad input too. Its error lives with the config's pydantic models,
    # which a command that never reads the config (`--help`) does not import.
    from workflow.config import ConfigError

    if isinstance(error, ConfigError):
        return 2
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), 1)


# Inputs the command line spells otherwise than `--field-name`: repeated options in the
# singular, and arguments (the input models' fields, workflow/commands.py, and the core's).
FLAGS = {
    "enterprises": "--enterprise",
    "submitters": "--submitter",
    "submitter_type": "--submitter-type",
    "submitter_types": "--submitter-type",
    "themes": "--theme",
    "host_countries": "--host-country",
    "supporting_ncps": "--supporting-ncp",
    "org_numbers": "--org-number",
    "documents": "--document",
    "expected_version": "--expect-version",
    "mapping": "--map",
    "chapters": "--chapter",
    "trigger": "TRIGGER",
    "fact": "FACT",
    "number": "N",
    "name": "NAME",
    "since": "--from",
    "until": "--to",
    "file": "FILE",
    "exemption": "--exempt",
    "id": "ID",
    "languages": "--language",
    "conflicts": "--conflict",
    "soft_conflicts": "--soft-conflict",
    "interpreters": "--interpreter",
    "attendees": "--attendee",
    "commitments": "--commitment",
    "reasons": "--reason",
    "lead": "NCP",
    "ncp": "NCP",
    "ncps": "--ncp",
    "external_reference": "--ref",
    "link": "NUMBER",
    "item": "ITEM",
}


def flag(field: str) -> str:
    """An input as the command line names it: its option (`reason` -> `--reason`,
    `host_countries` -> `--host-country`) or its argument (`TRIGGER`)."""
    return FLAGS.get(field) or "--" + field.replace("_", "-")


def report_error(error: NcpflowError) -> int:
    err.print(f"error: {escape(error.words(naming=flag))}", soft_wrap=True)
    return exit_code(error)


def output_option(help: str = "Write here, not stdout.") -> Any:
    """The `--output FILE` option of every command that writes a file: checked before the
    command runs, so a folder or a missing folder is refused (exit 2) and nothing is written."""
    return typer.Option("--output", help=help, callback=checked_output, metavar="FILE")


def checked_output(value: Path | None) -> Path | None:
    if value is None:
        return None
    shown = str(value)
    if str(value).strip() == "":
        raise InvalidInputError("--output is empty; name a file")
    try:
        if value.is_dir():
            raise InvalidInputError(f"--output '{shown}' is a folder; name a file in it")
        folder = value.parent
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise InvalidInputError(f"--output '{shown}': the folder '{folder}' {what}")
        if not os.access(value if value.exists() else folder, os.W_OK):
            raise InvalidInputError(f"--output '{shown}' cannot be written: permission denied")
    except OSError as exc:  # a name too long, a loop of links ...
        raise InvalidInputError(f"--output '{shown}' cannot be used: {exc.strerror or exc}") from None
    return value


@contextlib.contextmanager
def output_errors(path: Path | None) -> Iterator[None]:
    """A failure to write the --output file is bad input (exit 2) naming the path."""
    try:
        yield
    except OSError as exc:
        raise InvalidInputError(f"--output '{path}' cannot be written: {exc.strerror or exc}") from None


@contextlib.contextmanager
def output_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """The --output file, open for writing (text as UTF-8)."""
    text = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    with output_errors(path), open(path, mode, **text) as handle:  # type: ignore[call-overload]
        yield handle


def write_output(data: str | bytes, path: Path | None) -> None:
    """`data` to the --output file, else to stdout."""
    if path is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    with output_file(path, "wb" if isinstance(data, bytes) else "w") as handle:
        handle.write(data)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def emit_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def emit_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )


def _status_style(status: str) -> str:
    return {"overdue": "bold red", "met": "green"}.get(status, "")


def cases_table(cases: list[Case], today: date, title: str = "Cases") -> Table:
    from rich.table import Table

    from workflow.queries import next_due

    table = Table(title=title, title_justify="left")
    for column in ("reference", "stage", "title", "lead", "next due", "deadline", "days left"):
        table.add_column(column, no_wrap=column != "title", ratio=1 if column == "title" else None)
    for case in cases:
        upcoming = next_due(case)
        if upcoming:
            status = upcoming.status(today).value
            left = (upcoming.due - today).days
            due, name = upcoming.due.isoformat(), upcoming.name
            days = f"[{_status_style(status)}]{left}[/]" if _status_style(status) else str(left)
        else:
            due, name, days = "—", "—", "—"
        table.add_row(
            case.reference,
            case.state,
            escape(case.title),
            escape(case.lead_member or "—"),
            due,
            name,
            days,
        )
    return table


def case_panel(view: dict[str, Any]) -> None:
    from rich.table import Table

    out.print(f"[bold]{view['reference']}[/]  {escape(view['title'])}")
    out.print(
        f"stage: {view['state']}   outcome: {view['outcome'] or '—'}   "
        f"received: {_received(view)}   lead: {escape(view['lead_member'] or '—')}   "
        f"version: {view['version']}"
    )
    out.print(f"procedure: {view['procedure_id']} version {view['procedure_version']}")
    kept = {field: value for field, value in view.get("results", {}).items() if field != "outcome"}
    if kept:  # an examined case keeps its mediation result beside the determination
        out.print("   ".join(f"{field.replace('_', ' ')}: {value}" for field, value in kept.items()))
    if "lead" in view:
        _lead_lines(view)
    for party in view["parties"]:
        flag = " (identity confidential)" if party["confidential"] else ""
        kind = f", {party['type']}" if party["type"] else ""
        out.print(f"{party['role']}: {escape(party['name'])}{kind}{flag}")
    for fact in view.get("facts", ()):
        by = f" (by {fact['by']})" if fact["by"] else ""
        note = f": {fact['note']}" if fact["note"] else ""
        out.print(f"fact: {fact['on']} {escape(fact['label'] + by + note)}", soft_wrap=True)
    if view.get("review_open"):
        out.print("[yellow]a procedural review is open: publication waits for its conclusion[/]")
    if view.get("issues"):
        issue_lines(view["reference"], view["issues"])
    for line in link_lines(view.get("links", [])):
        out.print(escape(line), soft_wrap=True)
    table = Table(title="Deadlines", title_justify="left")
    for column in ("deadline", "due", "status", "explanation"):
        table.add_column(column, no_wrap=column != "explanation")
    for d in view["deadlines"]:
        style = _status_style(d["status"])
        status = f"[{style}]{d['status']}[/]" if style else d["status"]
        table.add_row(d["name"], d["due"], status, escape(d["explanation"]))
    out.print(table)


def _received(view: dict[str, Any]) -> str:
    """The date of receipt: `2025-01-10`, or only its month ("Feb 2007") when that is all that is known."""
    return _day(view, "received", at="received")


def _day(view: dict[str, Any], field: str, *, at: str | None = None) -> str:
    """`view`'s date `{field}_on` (or `at`) with its `{field}_precision`: `2025-01-10`, or only
    its month ("Feb 2007")."""
    given = view[at or f"{field}_on"]
    if view.get(f"{field}_precision") == "month":
        return human_month(date.fromisoformat(f"{given}-01"))
    return str(given)


LINK_RELATIONS = {
    "parallel": "parallel complaint",
    "follow_on": "follows on from",
    "followed_by": "followed by",
    "same_facts": "same facts as",
}


def link_lines(links: list[dict[str, Any]]) -> list[str]:
    """A case's links to related cases, one line each (not yet escaped for Rich)."""
    lines = []
    for link in links:
        if link["withheld"]:
            other = "a case here you may not see"
        elif link["case"] is not None:
            other = f"{link['case']} ({link['title']})"
        else:
            other = f"{link['ncp']} {link['external_reference']}" + (
                f" <{link['url']}>" if link["url"] else ""
            )
        lines.append(
            f"link {link['number']}: {LINK_RELATIONS.get(link['relation'], link['relation'])} {other}"
        )
    return lines


def issue_lines(reference: str, issues: list[dict[str, Any]]) -> None:
    """A case's issues, one line each: number, title, chapters, decision, outcome."""
    if not issues:
        out.print(f"{escape(reference)}: no issues recorded")
        return
    for issue in issues:
        decided = f" on {_day(issue, 'decided')}" if issue["decided_on"] else ""
        outcome = f"; outcome: {issue['outcome']} on {_day(issue, 'outcome')}" if issue["outcome"] else ""
        chapters = "[" + ", ".join(issue["chapters"]) + "]"
        out.print(
            f"issue {issue['number']}: {escape(issue['title'])} {escape(chapters)}: "
            f"{issue['decision']}{decided}{outcome}",
            soft_wrap=True,
        )


def _lead_lines(view: dict[str, Any]) -> None:
    lead = view["lead"]
    who = (
        f"{lead['member']} ({lead['name']})"
        if lead["member"] and lead["name"]
        else (lead["member"] or "nobody")
    )
    out.print(f"lead: {escape(who)}: {escape(lead['why'])}", soft_wrap=True)
    taking = [
        p["member"] + (" (lead)" if p["lead"] else "") + (f" [{p['note']}]" if p["note"] else "")
        for p in view["taking_part"]
    ]
    if taking:
        out.print(f"taking part: {escape(', '.join(taking))}", soft_wrap=True)
    for skip in view["not_taking_part"]:
        out.print(f"not taking part: {escape(skip['member'])}: {escape(skip['detail'])}", soft_wrap=True)


def _drift(view: dict[str, Any]) -> None:
    if view.get("config_changes"):
        err.print(
            f"warning: config.toml's [[members]] differ from the database "
            f"({escape(view['config_changes'])}); run `ncpflow members sync`",
            soft_wrap=True,
        )


def members_table(view: dict[str, Any]) -> None:
    from rich.table import Table

    _drift(view)
    if not view["members"]:
        out.print("no members in the database; run `ncpflow members sync`")
        return
    table = Table(title="Members", title_justify="left")
    for column in (
        "id",
        "name",
        "role",
        "active",
        "conflicts",
        "soft conflicts",
        "leave",
        "last led",
        "open cases",
    ):
        table.add_column(column)
    for m in view["members"]:
        away = "; ".join(f"{p['from']} to {p['to']}" for p in m["leave"])
        if m["on_leave_today"]:
            away = f"[bold]{away} (now)[/]"
        table.add_row(
            m["id"],
            escape(m["name"]),
            m["role"],
            "yes" if m["active"] else "no",
            escape("; ".join(m["conflicts"])),
            escape("; ".join(m["soft_conflicts"])),
            away,
            m["last_led"] or "—",
            str(m["open_caseload"]),
        )
    out.print(table)


def rotation_panel(view: dict[str, Any]) -> None:
    from rich.table import Table

    _drift(view)
    out.print(f"mode: {view['mode']}   on: {view['on']}   next: {view['next'] or 'nobody'}")
    if view["duty"]:
        duty = view["duty"]
        out.print(
            f"on duty: {duty['member']} since {duty['since']} until {duty['until']} (every {view['every']})"
        )
    out.print(f"rule: {escape(view['rule'])}", soft_wrap=True)
    table = Table(title="Rotation order", title_justify="left")
    for column in ("#", "member", "role", "status", "why"):
        table.add_column(column, no_wrap=column != "why")
    for row in view["members"]:
        style = "bold green" if row["status"] == "next" else ""
        status = f"[{style}]{row['status']}[/]" if style else row["status"]
        table.add_row(str(row["place"] or "—"), row["member"], row["role"], status, escape(row["why"]))
    out.print(table)


def follow_up_report_table(report: dict[str, Any]) -> None:
    """`report follow-up`: counts per status and the implementation rate by year, then by theme."""
    from rich.table import Table

    statuses = ("implemented", "partly", "not", "unknown")
    for title, rows in (("by year", report["by_year"]), ("by theme", report["by_theme"])):
        table = Table(title=f"Follow-up of commitments, {title}", title_justify="left")
        for column in ("year" if title == "by year" else "theme", *statuses, "total", "rate"):
            table.add_column(column)
        for row in rows:
            rate = "—" if row["rate"] is None else f"{100 * row['rate']:.1f} %"
            table.add_row(row["key"], *(str(row["counts"][s]) for s in statuses), str(row["total"]), rate)
        out.print(table)
    total = report["total"]
    rate = "—" if total["rate"] is None else f"{100 * total['rate']:.1f} %"
    out.print(
        f"commitments: {total['total']}   known: {total['known']}   implementation rate: {rate} "
        "(implemented 1, partly 0.5, not 0; unknown left out)"
    )


def rotation_report_table(report: dict[str, Any]) -> None:
    from rich.table import Table

    period = f"{report['from'] or 'the start'} to {report['to'] or 'today'}"
    table = Table(title=f"Rotation, {period}", title_justify="left")
    for column in ("member", "active", "cases led", "given up", "skipped", "open caseload"):
        table.add_column(column)
    for row in report["members"]:
        given = ", ".join(f"{k} {v}" for k, v in row["given_up"].items()) or "—"
        skipped = ", ".join(f"{k} {v}" for k, v in row["skipped"].items()) or "—"
        table.add_row(
            row["member"],
            "yes" if row["active"] else "no",
            str(row["led"]),
            given,
            skipped,
            str(row["open_caseload"]),
        )
    out.print(table)
    reasons = ", ".join(f"{k} {v}" for k, v in report["skips_by_reason"].items()) or "none"
    out.print(
        f"decisions: {report['decisions']}   skips by reason: {reasons}   "
        f"without a lead: {report['without_lead']} "
        f"(open now: {report['open_without_lead']})"
    )
