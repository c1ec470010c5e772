"""Errors the core raises. Each carries the case reference and state where it has them."""

from __future__ import annotations

from collections.abc import Sequence


class NcpflowError(Exception):
    """Base of every error ncpflow reports to a user; the message is the whole story."""


class InvalidInputError(NcpflowError, ValueError):
    """A value given by a user or a file is malformed or out of range."""


class TransitionNotAllowedError(NcpflowError):
    def __init__(self, *, reference: str, state: str, trigger: str, allowed: Sequence[str],
                 why: str = "") -> None:
        self.reference, self.state, self.trigger = reference, state, trigger
        self.allowed = tuple(allowed)
        allowed_text = ", ".join(self.allowed) if self.allowed else "none (the case is closed)"
        detail = f" ({why})" if why else ""
        super().__init__(
            f"case {reference} is in state '{state}': trigger '{trigger}' is not allowed{detail}; "
            f"allowed now: {allowed_text}"
        )


class OutcomeError(NcpflowError):
    def __init__(self, *, reference: str, state: str, trigger: str, outcome: str | None,
                 allowed: Sequence[str]) -> None:
        self.reference, self.state, self.trigger, self.outcome = reference, state, trigger, outcome
        self.allowed = tuple(allowed)
        choices = ", ".join(self.allowed) if self.allowed else "none"
        if outcome is None:
            text = f"trigger '{trigger}' needs --outcome, one of: {choices}"
        elif not self.allowed:
            text = f"trigger '{trigger}' takes no outcome, but '{outcome}' was given"
        else:
            text = f"outcome '{outcome}' does not fit trigger '{trigger}'; one of: {choices}"
        super().__init__(f"case {reference} in state '{state}': {text}")


class CaseNotFoundError(NcpflowError, LookupError):
    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"no case with reference '{reference}'")


class ConflictError(NcpflowError):
    """Someone else changed the case between our read and our write; nothing was written."""

    def __init__(self, *, reference: str, expected_version: int, actual_version: int | None,
                 state: str | None = None) -> None:
        self.reference, self.state = reference, state
        self.expected_version, self.actual_version = expected_version, actual_version
        now = f"version {actual_version}" if actual_version is not None else "a newer version"
        where = f", now in state '{state}'" if state else ""
        super().__init__(
            f"conflict: case {reference} was changed by someone else (expected version "
            f"{expected_version}, found {now}{where}); nothing was written, look again and retry"
        )


class StorageError(NcpflowError):
    """The database refused an operation; the transaction was rolled back."""


class StorageUnavailableError(StorageError):
    """The database cannot be reached, opened or is not initialised."""


class ChannelUnreachableError(NcpflowError):
    """The mail server could not be reached at all: this message and every other must wait."""


class StepRefusedError(NcpflowError):
    """A clock step (pause, resume, extend) does not fit the case as it stands."""

    def __init__(self, *, reference: str, state: str, problem: str) -> None:
        self.reference, self.state, self.problem = reference, state, problem
        super().__init__(f"case {reference} in state '{state}': {problem}")
