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


# Who may read confidential submitters' names and organisation numbers as stored. Auditors see
# pseudonyms (states/redaction.py); an unknown role sees nothing it should not.
SEES_IDENTITIES = frozenset({Role.HANDLER, Role.MEMBER, Role.ADMIN})


def may_see_identities(role: str) -> bool:
    """Whether a user of `role` may see confidential submitters' names and numbers as stored."""
    return role in SEES_IDENTITIES
