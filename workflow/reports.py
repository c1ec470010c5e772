"""Reports computed from the audit log (see states/reports.py for the rules)."""

from __future__ import annotations

from typing import Any

from states.calendar import to_local_date
from states.guidelines import THEMES
from states.reports import annual_report, histories, oecd_rows, timelines_report
from workflow import inputs
from workflow.config import Settings
from workflow.ports import Clock, UnitOfWork


def _histories(uow: UnitOfWork, settings: Settings) -> dict[str, Any]:
    with uow.read() as tx:
        return histories(tx.audit.entries(), settings.ncp.timezone)


def timelines(*, uow: UnitOfWork, clock: Clock, settings: Settings,
              year: int | None = None) -> dict[str, Any]:
    year = inputs.year(year)
    as_of = to_local_date(clock.now(), settings.ncp.timezone)
    return timelines_report(_histories(uow, settings), settings.policy.timelines, as_of, year)


def annual(*, uow: UnitOfWork, clock: Clock, settings: Settings, year: int) -> dict[str, Any]:
    inputs.year(year)
    as_of = to_local_date(clock.now(), settings.ncp.timezone)
    return annual_report(_histories(uow, settings), settings.policy.timelines, as_of, year)


def oecd(*, uow: UnitOfWork, settings: Settings, year: int | None = None) -> list[dict[str, Any]]:
    year = inputs.year(year)
    return oecd_rows(_histories(uow, settings), lead_ncp=settings.ncp.country,
                     chapters=THEMES, year=year)
