"""The composition root: the one module that picks concrete adapters and wires them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notifications.smtp import SmtpChannel
from states.errors import StorageUnavailableError
from storage.connect import check_sqlite_file, connect
from storage.sql import SqlUnitOfWork
from workflow.application import Application
from workflow.clock import SystemClock
from workflow.config import ConfigError, Settings
from workflow.files import create_private
from workflow.ports import Channel, Clock, LetterRenderer

if TYPE_CHECKING:
    from notifications.letters.render import Stationery
    from notifications.render import RenderedMessage

# The older name of the application; tests and helpers still type their fixture with it.
Services = Application


def render(kind: str, language: str, context: dict[str, Any]) -> RenderedMessage:
    """`notifications.render.render`, imported by the first message rendered: a command that
    sends none (every read) does not load the templates' labels and Babel's dates."""
    from notifications.render import render as render_message

    return render_message(kind, language, context)


class Letters:
    """`notifications.letters.Stationery` over `folder` ([letters] templates), imported by the
    first letter: a command that writes none does not load docxtpl, Jinja2 or WeasyPrint."""

    def __init__(self, folder: str | None) -> None:
        self._folder = Path(folder) if folder is not None else None
        self._made: Stationery | None = None

    def _stationery(self) -> Stationery:
        if self._made is None:
            from notifications.letters.render import Stationery

            self._made = Stationery(self._folder)
        return self._made

    def render_letter(self, kind: str, language: str, context: Mapping[str, Any]) -> bytes:
        return self._stationery().render_letter(kind, language, context)

    def render_edited(
        self, paragraphs: Sequence[str], context: Mapping[str, Any], language: str
    ) -> tuple[bytes, bytes]:
        return self._stationery().render_edited(paragraphs, context, language)

    def pdf(self, docx: bytes, language: str) -> bytes:
        return self._stationery().pdf(docx, language)

    def paragraphs_of(self, docx: bytes) -> list[str]:
        return self._stationery().paragraphs_of(docx)

    def text_of(self, docx: bytes) -> str:
        return self._stationery().text_of(docx)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    channel: Channel | None = None,
    require_initialised: bool = True,
) -> Application:
    """The application, its use cases bound to the database, the clock, the policy, the
    settings, the renderer and the notifier (lead notices always on)."""
    if settings.database.ncp is not None and settings.database.url.startswith("sqlite"):
        raise ConfigError(
            "[database] ncp (--ncp, $NCPFLOW_NCP) names an NCP of a PostgreSQL database that a "
            "network shares; a SQLite database holds one NCP: leave it out"
        )
    source = connect(settings.database.url, ncp=settings.database.ncp)
    if source.sqlite:
        # Connecting would create a missing file or make an empty one a database: a command
        # that refuses must write nothing. Only `init` (require_initialised=False) creates.
        check_sqlite_file(source.database, must_exist=require_initialised)
    uow = SqlUnitOfWork(source, settings.policy.procedure)
    smtp = settings.smtp
    return Application(
        settings=settings,
        uow=uow,
        clock=clock or SystemClock(),
        channel=channel or SmtpChannel(smtp.host, smtp.port, smtp.sender, smtp.timeout),
        render=render,
        letterpress=letters_of(settings),
        close=uow.close,
    )


def letters_of(settings: Settings) -> LetterRenderer:
    """The letter renderer over the configured templates."""
    return Letters(settings.letters.templates)


def initialise(services: Application) -> None:
    """Create or upgrade the schema (idempotent)."""
    uow = services.uow
    assert isinstance(uow, SqlUnitOfWork)
    url = services.settings.database.url
    if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") not in {"", ":memory:"}:
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Made owner-only before SQLite opens it: SQLite gives its -wal and -shm files the
        # main file's mode.
        create_private(path)
    from storage import migrate  # Alembic is heavy; only `init` pays for importing it

    try:
        migrate.upgrade(uow.engine)
    except Exception as exc:
        raise StorageUnavailableError(f"cannot initialise {url}: {exc}") from None
