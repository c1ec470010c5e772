"""What every command shares: the lazily built services, and how a case is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ncpflow import output
from ncpflow.output import emit_json

if TYPE_CHECKING:  # the workflow is imported when a command runs, not to build the command tree
    from states.case import Case
    from workflow import rotation
    from workflow.bootstrap import Services
    from workflow.config import Settings


@dataclass
class Context:
    config: Path | None
    database: str | None
    _settings: Settings | None = field(default=None, repr=False)
    _services: Services | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from workflow.config import load_settings

            self._settings = load_settings(self.config, database_url=self.database)
        return self._settings

    def services(self, *, require_initialised: bool = True) -> Services:
        if self._services is None:
            from workflow.bootstrap import bootstrap

            self._services = bootstrap(self.settings(), require_initialised=require_initialised)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


def context_of(ctx: typer.Context) -> Context:
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj


def today(services: Services) -> date:
    return services.policy.calendar.local_date(services.clock.now())


def notices(services: Services) -> rotation.Notices:
    from workflow import rotation

    return rotation.Notices(services.settings, services.render)


def print_case(case: Case, services: Services, as_json: bool) -> None:
    from workflow import queries, read_models, rotation_views

    # Every command that prints a case prints the same view: who leads, why, who takes part.
    view = read_models.json_of(queries.case_document(
        case, rotation_views.lead_view(uow=services.uow, case=case), today=today(services)))
    if as_json:
        emit_json(view)
    else:
        output.case_panel(view)


def when(value: str | None, what: str) -> date | datetime | None:
    """An optional date/time option: left out means now; given, it must be a bounded date."""
    from workflow.inputs import parse_when

    return parse_when(value, what) if value is not None else None


def day(value: str | None, what: str) -> date | None:
    from workflow.inputs import parse_day

    return parse_day(value, what) if value is not None else None


def as_of(services: Services, value: str | None, what: str = "--now") -> None:
    """`--now`: run the command as of that date (its local midnight) or instant."""
    if value is None:
        return
    from workflow.clock import FixedClock
    from workflow.inputs import parse_when

    parsed = parse_when(value, what)
    services.clock = FixedClock(parsed if isinstance(parsed, datetime)
                                else services.policy.calendar.start_of_day(parsed))
