"""A recording channel for unit tests: keeps what it was asked to send, fails on request."""

from __future__ import annotations

from dataclasses import dataclass, field

from notifications.smtp import DeliveryError, ServerUnreachableError
from states.outbox import Mail


@dataclass
class RecordingChannel:
    sent: list[Mail] = field(default_factory=list)
    failing: bool = False
    unreachable: bool = False

    def send(self, mail: Mail) -> None:
        if self.unreachable:
            raise ServerUnreachableError("recording channel told it has no server")
        if self.failing:
            raise DeliveryError("recording channel told to fail")
        self.sent.append(mail)
