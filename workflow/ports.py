"""The ports the use cases need. Adapters in storage/ match them structurally."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from states.case import Case
from states.chain import AuditEntry
from states.lifecycle import State


class Clock(Protocol):
    def now(self) -> datetime: ...


class CaseRepository(Protocol):
    def get(self, reference: str) -> Case: ...
    def add(self, case: Case) -> None: ...
    def save(self, case: Case, *, previous: Case) -> Case: ...
    def list(self, *, state: State | None = None, overdue_on: date | None = None) -> list[Case]: ...
    def next_reference(self, *, prefix: str, year: int) -> str: ...


class AuditLog(Protocol):
    def append(self, *, case_ref: str | None, kind: str, actor: str, at: datetime,
               from_state: str | None, to_state: str | None, reason: str | None,
               data: Mapping[str, Any]) -> AuditEntry: ...
    def entries(self, *, case_ref: str | None = None) -> Iterator[AuditEntry]: ...


class Transaction(Protocol):
    @property
    def cases(self) -> CaseRepository: ...
    @property
    def audit(self) -> AuditLog: ...


class UnitOfWork(Protocol):
    """Opens transactions: `write()` commits on a clean exit and rolls back on any error."""

    def read(self) -> AbstractContextManager[Transaction]: ...
    def write(self) -> AbstractContextManager[Transaction]: ...
