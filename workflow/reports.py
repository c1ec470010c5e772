"""Reports computed from the audit log (see states/reports.py for the rules).

No report shows party names; so that free text (a sector, say) cannot carry one either, every
report passes through the shared redaction of confidential submitters (`workflow.redaction`)."""

from __future__ import annotations

from typing import Any

from states.calendar import to_local_date
from states.guidelines import THEMES
from states.redaction import Redaction
from states.reports import annual_report, histories, oecd_rows, timelines_report
from workflow import inputs
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.ports import Clock, UnitOfWork


def _histories(uow: UnitOfWork, settings: Settings) -> tuple[dict[str, Any], Redaction]:
    with uow.read() as tx:
        return histories(tx.audit.entries(), settings.ncp.timezone), redactions.protecting(tx)


def timelines(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    year: int | None = None,
    include_approximate: bool = False,
) -> dict[str, Any]:
    year = inputs.year(year)
    as_of = to_local_date(clock.now(), settings.ncp.timezone)
    cases, redaction = _histories(uow, settings)
    policy = settings.policy
    report = timelines_report(
        cases,
        policy.durations,
        as_of,
        year,
        calendar=policy.calendar,
        include_approximate=include_approximate,
    )
    return dict(redaction.value(report, keep=redactions.IDENTIFIERS))


def annual(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, year: int, include_approximate: bool = False
) -> dict[str, Any]:
    inputs.year(year)
    as_of = to_local_date(clock.now(), settings.ncp.timezone)
    cases, redaction = _histories(uow, settings)
    report = annual_report(
        cases, settings.policy.durations, as_of, year, include_approximate=include_approximate
    )
    return dict(redaction.value(report, keep=redactions.IDENTIFIERS))


def oecd(*, uow: UnitOfWork, settings: Settings, year: int | None = None) -> list[dict[str, Any]]:
    year = inputs.year(year)
    cases, redaction = _histories(uow, settings)
    rows = oecd_rows(cases, lead_ncp=settings.ncp.country, chapters=THEMES, year=year)
    return [dict(redaction.value(row, row["reference"], keep=redactions.IDENTIFIERS)) for row in rows]
