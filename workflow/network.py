"""A network of NCPs sharing one PostgreSQL database (storage/tenancy.py): each NCP publishes
its year's figures; the network role reads everyone's, aggregated, with no case or name."""

from __future__ import annotations

import structlog

from states import audit_wording, records
from states.calendar import to_local_date
from states.case import require_actor
from states.errors import InvalidInputError
from states.messages import N_
from states.network import NcpFigures, figures_of, network_statistics
from states.permissions import Action
from states.reports import annual_report, concluded_in, days_to_conclusion, histories
from workflow import inputs
from workflow.config import Settings
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.reports import rules, rules_for
from workflow.users import authorise

log = structlog.get_logger()

_SINGLE = N_(
    "network figures are kept only in a PostgreSQL database that several NCPs share; "
    "this database holds one NCP"
)


def _network(tx: Transaction) -> None:
    if not tx.network.available():
        raise InvalidInputError(_SINGLE)


def publish(*, uow: UnitOfWork, clock: Clock, settings: Settings, year: int, actor: str) -> NcpFigures:
    """This NCP's figures of `year`, from its audit log, stored for the network (replacing
    what it published for that year before) and audited. An actor who is a user must be allowed
    to publish them (`Action.PUBLISH_NETWORK_FIGURES`: PermissionDeniedError, nothing written)."""
    require_actor(actor)
    inputs.year(year)
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.PUBLISH_NETWORK_FIGURES)
        _network(tx)
        cases = histories(tx.audit.entries(), settings.ncp.timezone, rules_for(tx, settings.policy))
        annual = annual_report(
            cases,
            settings.policy.durations,
            to_local_date(now, settings.ncp.timezone),
            year,
            rules=rules(settings.policy.procedure, settings.policy),
        )
        days = days_to_conclusion(concluded_in(cases, year))
        figures = figures_of(settings.database.ncp or "default", annual, days)
        tx.network.publish(figures, at=now)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.NETWORK_PUBLISHED.format(year=year),
            record=records.NetworkFiguresPublished(
                year=year,
                received=figures.received,
                accepted=figures.accepted,
                not_accepted=figures.not_accepted,
                concluded=figures.concluded,
                agreement=figures.agreement,
                days_counted=len(figures.days_to_conclusion),
            ),
        )
    log.info("network_figures_published", year=year, actor=actor)
    return figures


def statistics(*, uow: UnitOfWork, year: int) -> dict[str, object]:
    """The year's figures of every NCP this connection may read (the network role: all; an
    NCP's own role: its own), per NCP code and for the network."""
    inputs.year(year)
    with uow.read() as tx:
        _network(tx)
        return network_statistics(tx.network.published(year), year)
