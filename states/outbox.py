"""An e-mail waiting in the outbox, as the dispatcher sees it; what a rendered e-mail and a
message to send offer (the one declaration the renderer, the use cases and the channels share)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class Rendered(Protocol):
    """A rendered e-mail: what `notifications.render` makes of a template."""

    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...


class Mail(Rendered, Protocol):
    """What a channel needs of a message to send; the outbox's rows provide it."""

    @property
    def message_id(self) -> str: ...
    @property
    def recipient(self) -> str: ...


@dataclass(frozen=True)
class Attachment:
    """A file an outbox message carries: stored content named by its sha256 (a document's),
    read when the message is sent, never copied into the outbox."""

    filename: str
    media_type: str
    sha256: str
    size: int


class Content(Protocol):
    """An attachment as a channel reads it at send time: its name and type, the sha256 and size
    its bytes must have, and the bytes themselves, a chunk at a time."""

    @property
    def filename(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def size(self) -> int: ...

    def chunks(self) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    message_id: str
    recipient: str
    subject: str
    text: str
    html: str
    case_ref: str | None
    kind: str
    attempts: int
    attachments: tuple[Attachment, ...] = ()
