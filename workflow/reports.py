"""Reports computed from the audit log (see states/reports.py for the rules).

No report shows party names; so that free text (a sector, say) cannot carry one either, every
report passes through the shared redaction of confidential submitters (`workflow.redaction`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from states import records
from states.calendar import to_local_date
from states.case import Policy, duration_of
from states.guidelines import THEMES
from states.procedure import Procedure
from states.redaction import Redaction
from states.reports import Rules, annual_report, histories, oecd_rows, timelines_report
from workflow import inputs
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.ports import Clock, Transaction, UnitOfWork


def rules(procedure: Procedure, policy: Policy) -> Rules:
    """What `procedure` tells the reports, its deadlines running as config.toml says for the
    configured procedure (`[timelines]`), else as the definition says."""
    durations = {name: duration_of(procedure, name, policy) for name in procedure.deadlines}
    return Rules.of(procedure, durations)


def rules_for(tx: Transaction, policy: Policy) -> Callable[[records.ProcedurePin | None], Rules]:
    """Each case's rules: those of the procedure version its opening entry pins, when stored;
    else the configured procedure's. Each version's are worked out once."""
    configured = rules(policy.procedure, policy)
    known: dict[tuple[str, str], Rules] = {}

    def rules_for(pin: records.ProcedurePin | None) -> Rules:
        if pin is None:
            return configured
        key = (pin.id, pin.version)
        if key not in known:
            if key == (policy.procedure.id, policy.procedure.version):
                known[key] = configured
            else:
                found = tx.procedures.get(pin.id, pin.version)
                known[key] = rules(found, policy) if found is not None else configured
        return known[key]

    return rules_for


def _histories(uow: UnitOfWork, settings: Settings) -> tuple[dict[str, Any], Redaction]:
    with uow.read() as tx:
        found = histories(tx.audit.entries(), settings.ncp.timezone, rules_for(tx, settings.policy))
        return found, redactions.protecting(tx)


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
        rules=rules(policy.procedure, policy),
    )
    return dict(redaction.value(report, keep=redactions.IDENTIFIERS))


def annual(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, year: int, include_approximate: bool = False
) -> dict[str, Any]:
    inputs.year(year)
    as_of = to_local_date(clock.now(), settings.ncp.timezone)
    cases, redaction = _histories(uow, settings)
    report = annual_report(
        cases,
        settings.policy.durations,
        as_of,
        year,
        include_approximate=include_approximate,
        rules=rules(settings.policy.procedure, settings.policy),
        own=settings.ncp.country,
    )
    return dict(redaction.value(report, keep=redactions.IDENTIFIERS))


def procedures(*, uow: UnitOfWork, settings: Settings) -> list[Procedure]:
    """The procedure versions reported cases may follow, to word their names by: the configured
    one first, then every other stored version."""
    configured = settings.policy.procedure
    found = [configured]
    with uow.read() as tx:
        for stored in tx.procedures.versions():
            if (stored.id, stored.version) != (configured.id, configured.version):
                procedure = tx.procedures.get(stored.id, stored.version)
                if procedure is not None:
                    found.append(procedure)
    return found


def oecd(*, uow: UnitOfWork, settings: Settings, year: int | None = None) -> list[dict[str, Any]]:
    year = inputs.year(year)
    cases, redaction = _histories(uow, settings)
    rows = oecd_rows(cases, lead_ncp=settings.ncp.country, chapters=THEMES, year=year)
    return [dict(redaction.value(row, row["reference"], keep=redactions.IDENTIFIERS)) for row in rows]
