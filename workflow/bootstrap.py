"""The composition root: the one module that picks concrete adapters and wires them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from notifications.smtp import SmtpChannel
from states.errors import StorageUnavailableError
from storage.connect import check_sqlite_file, connect
from storage.sql import SqlUnitOfWork
from workflow.application import Application
from workflow.clock import SystemClock
from workflow.config import Settings
from workflow.files import create_private
from workflow.ports import Channel, Clock

if TYPE_CHECKING:
    from notifications.render import RenderedMessage

# The older name of the application; tests and helpers still type their fixture with it.
Services = Application


def render(kind: str, language: str, context: dict[str, Any]) -> RenderedMessage:
    """`notifications.render.render`, imported by the first message rendered: a command that
    sends none (every read) does not load the templates' labels and Babel's dates."""
    from notifications.render import render as render_message

    return render_message(kind, language, context)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    channel: Channel | None = None,
    require_initialised: bool = True,
) -> Application:
    """The application, its use cases bound to the database, the clock, the policy, the
    settings, the renderer and the notifier (lead notices always on)."""
    source = connect(settings.database.url)
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
        close=uow.close,
    )


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
