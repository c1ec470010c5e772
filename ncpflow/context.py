"""What every command shares: the lazily built application, and how a case is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ncpflow import output
from ncpflow.output import emit_json
from ncpflow.program import starting

if TYPE_CHECKING:  # the workflow is imported when a command runs, not to build the command tree
    from typing import TypeVar

    from states.case import Case
    from workflow.application import Application
    from workflow.commands import Command
    from workflow.config import Settings

    C = TypeVar("C", bound=Command)


class Language(StrEnum):
    """A language the words come in (`--language`): English or Norwegian bokmål."""

    en = "en"
    nb = "nb"


Now = Annotated[
    str | None, typer.Option("--now", help="As of this ISO datetime (with offset) or date; default now.")
]
"""The `--now` option; a command runs as of it on `context.app().as_of(now)`."""


@dataclass
class Context:
    config: Path | None
    database: str | None
    ncp: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _app: Application | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            with starting():
                from workflow.config import load_settings

                self._settings = load_settings(self.config, database_url=self.database, ncp=self.ncp)
        return self._settings

    def app(self, *, require_initialised: bool = True) -> Application:
        """The application (`workflow.application`), built on first use."""
        if self._app is None:
            settings = self.settings()
            with starting():
                from workflow.bootstrap import bootstrap

                self._app = bootstrap(settings, require_initialised=require_initialised)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None


def context_of(ctx: typer.Context) -> Context:
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj


def print_case(case: Case, app: Application, as_json: bool) -> None:
    from workflow.read_models import json_of

    # Every command that prints a case prints the same view: who leads, why, who takes part.
    print_document(json_of(app.cases.view(case=case)), as_json)


def print_document(document: dict[str, Any], as_json: bool) -> None:
    """A case's view (`json_of`) as `--json` or as the panel people read."""
    if as_json:
        emit_json(document)
    else:
        output.case_panel(document)


def validated(model: type[C], **options: object) -> C:
    """The command's input model from its options (None: left out); bad input is refused
    (exit 2) naming the option."""
    from workflow.commands import validate

    return validate(model, options, output.flag)


def day(value: str | None, what: str) -> date | None:
    from workflow.inputs import parse_day

    return parse_day(value, what) if value is not None else None
