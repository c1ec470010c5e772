"""Users and roles of the web app and API, and what each role may do (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    HANDLER = "handler"   # the secretariat: everything on cases
    MEMBER = "member"     # reads all; advances the cases it leads
    AUDITOR = "auditor"   # read-only: audit log, exports, reports; pseudonymised submitters
    ADMIN = "admin"       # users


@dataclass(frozen=True)
class User:
    name: str
    role: str
    member_id: str | None = None
    token_hash: str | None = None
    password_hash: str | None = None

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR
