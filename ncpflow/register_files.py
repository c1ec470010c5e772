"""The register's export as a file (`ncpflow register export`, `/register/export.csv|.json`): the
same CSV and JSON as `report oecd` writes, one row per listed case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ncpflow.commands.reports import _csv, _json


def export_file(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """`rows` as `fmt` (csv or json), as `report oecd --format` writes them."""
    return _csv(list(rows)) if fmt == "csv" else _json(list(rows))
