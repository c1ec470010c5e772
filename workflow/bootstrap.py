"""The composition root: the one module that picks concrete adapters and wires them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notifications.smtp import SmtpChannel
from states.errors import StorageUnavailableError
from storage.connect import check_sqlite_file, connect
from storage.sql import SqlUnitOfWork
from workflow.application import Application
from workflow.clock import SystemClock
from workflow.config import ConfigError, NetworkNcp, Settings, load_network
from workflow.files import create_private
from workflow.ports import Channel, Clock, LetterRenderer

if TYPE_CHECKING:
    from notifications.handbook.render import Printer
    from notifications.letters.render import Stationery
    from notifications.render import RenderedMessage
    from states.handbook import Handbook

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


class HandbookPages:
    """`notifications.handbook.render.Printer`, imported by the first handbook drawn: a command
    that draws none does not load Jinja2 or WeasyPrint."""

    def _printer(self) -> Printer:
        from notifications.handbook.render import Printer

        return Printer()

    def body(self, handbook: Handbook) -> str:
        return self._printer().body(handbook)

    def html(self, handbook: Handbook) -> str:
        return self._printer().html(handbook)

    def pdf(self, handbook: Handbook) -> bytes:
        return self._printer().pdf(handbook)


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
    source = connect(settings.database.url, ncp=settings.database.ncp, pool_size=settings.database.pool_size)
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
        printer=HandbookPages(),
        close=uow.close,
        turn=uow.turn,
    )


class Network:
    """The NCPs of a network folder (`serve --network`, `scheduler --network`), each with an
    application of its own (its settings, its connection pool, its keys), built on first use
    and closed together. Nothing is shared between two NCPs' applications: a request or a job
    for one NCP runs on that NCP's connections only, which the database keeps to its rows."""

    def __init__(
        self, ncps: Sequence[NetworkNcp], build: Callable[[Settings], Application] | None = None
    ) -> None:
        self.ncps = tuple(ncps)
        self._build = build or bootstrap
        self._by_host = {ncp.host: ncp for ncp in self.ncps}
        self._by_code = {ncp.code: ncp for ncp in self.ncps}
        self._apps: dict[str, Application] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, folder: Path) -> Network:
        """The network of `folder`'s config files (workflow/config.py `load_network`)."""
        return cls(load_network(folder))

    def ncp_at(self, host: str) -> NetworkNcp | None:
        """The NCP whose `[web] public_url` has this host name (lower case, no port); None
        for any other."""
        return self._by_host.get(host)

    def application(self, code: str) -> Application:
        """NCP `code`'s application, built the first time it is asked for."""
        with self._lock:
            app = self._apps.get(code)
            if app is None:
                app = self._apps[code] = self._build(self._by_code[code].settings)
            return app

    def applications(self) -> Iterator[tuple[NetworkNcp, Application]]:
        """Every NCP with its application (building those not built yet)."""
        for ncp in self.ncps:
            yield ncp, self.application(ncp.code)

    def close(self) -> None:
        with self._lock:
            apps, self._apps = list(self._apps.values()), {}
        for app in apps:
            app.close()


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
