"""The journal as a file to keep: CSV or JSON, the same for `ncpflow journal export` and the
journal pages' downloads (workflow/journal.py reads it; the read model's JSON is the contract)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from workflow import read_models

COLUMNS = ("date", "case", "document", "version", "direction", "party", "title", "access", "exemption")
"""The CSV's columns: each entry's keys but `title_withheld` (the JSON has it)."""


def journal_csv(journal: read_models.Journal) -> str:
    """One row per entry, a header first; empty cells for what is not there."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for entry in read_models.json_of(journal)["entries"]:
        writer.writerow({name: "" if entry[name] is None else entry[name] for name in COLUMNS})
    return buffer.getvalue()


def journal_json(journal: read_models.Journal) -> str:
    document: Any = read_models.json_of(journal)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def journal_file(journal: read_models.Journal, fmt: str) -> str:
    """The journal in `fmt`: csv or json."""
    return journal_csv(journal) if fmt == "csv" else journal_json(journal)


def filename(journal: read_models.Journal, fmt: str) -> str:
    """`ncpflow-journal-public-2025-01-01-2025-12-31.csv`: what it holds, in its name."""
    parts = ["ncpflow-journal", *(["public"] if journal.public else [])]
    parts += [day.isoformat() for day in (journal.since, journal.until) if day is not None]
    return "-".join(parts) + f".{fmt}"
