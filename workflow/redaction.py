"""Which redaction a reader gets: the one place every view, feed, report and export asks.

The rule itself (what matches, what replaces it) is `states.redaction`; who may see identities
is `states.permissions.may_see_identities`. Here the protected names and numbers are read from the
database, inside the caller's transaction, for a reader who may not see them.
"""

from __future__ import annotations

from states.permissions import may_see_identities
from states.redaction import NOTHING, Redaction
from states.users import User
from translations import translator
from workflow.ports import Transaction, UnitOfWork

# Keys of a view or audit entry that hold identifiers, not free text: never rewritten.
IDENTIFIERS = frozenset(
    {
        "reference",
        "case_ref",
        "seq",
        "kind",
        "state",
        "from_state",
        "to_state",
        "prev_hash",
        "hash",
        "version",
        "at",
    }
)


def protecting(tx: Transaction, language: str = "en") -> Redaction:
    """The redaction of every confidential submitter (exports, reports, any reader without
    the right to see identities); its labels in `language` (exports: English)."""
    return Redaction(tx.cases.protected_parties(), translator(language))


def for_viewer(tx: Transaction, viewer: User, language: str = "en") -> Redaction:
    """Nothing hidden for a role that may see identities, else `protecting`."""
    return NOTHING if may_see_identities(viewer.role) else protecting(tx, language)


def read_for_viewer(uow: UnitOfWork, viewer: User, language: str = "en") -> Redaction:
    """`for_viewer` in a read of its own (a view assembled from several reads)."""
    if may_see_identities(viewer.role):
        return NOTHING
    with uow.read() as tx:
        return protecting(tx, language)
