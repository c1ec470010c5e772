"""Which redaction a reader gets: the one place every view, feed, report and export asks.

The rule itself (what matches, what replaces it) is `states.redaction`; who may see identities
is `states.permissions`. Here the protected names, numbers and contact details are read from the
database, inside the caller's transaction, for a reader who may not see them:

- handlers and admins (`may_see_at_risk`) see everything as stored;
- members (`may_see_identities`) see withheld parties, and the parties at risk of reprisal of the
  cases they lead; the parties at risk of reprisal of every other case are hidden from them;
- everyone else (auditors), and every export and report, gets `protecting`: every withheld
  party and every party at risk of reprisal, with their contacts' names, e-mail and postal
  addresses, hidden.
"""

from __future__ import annotations

from states.permissions import may_see_at_risk, may_see_identities, scoped
from states.redaction import NOTHING, Protected, Redaction
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
    """The redaction of every protected party and its contacts (exports, reports, any reader
    without the right to see identities); its labels in `language` (exports: English)."""
    return Redaction(tx.cases.protected_parties(), translator(language))


def hidden_from(tx: Transaction, viewer: User) -> list[Protected]:
    """What `viewer` may not see: nothing for handlers and admins; for a member, the parties at
    risk of reprisal of the cases it does not lead (and their contacts); else every protected
    party and its contacts."""
    if may_see_at_risk(viewer.role):
        return []
    protected = tx.cases.protected_parties()
    if may_see_identities(viewer.role):
        return [
            item
            for item in protected
            if item.reprisal_risk and (viewer.member_id is None or item.lead != viewer.member_id)
        ]
    return protected


def for_viewer(tx: Transaction, viewer: User, language: str = "en") -> Redaction:
    """Nothing hidden for a role that sees every party; for a member, the parties at risk of
    reprisal of the cases it does not lead; else `protecting`."""
    hidden = hidden_from(tx, viewer)
    return Redaction(hidden, translator(language)) if hidden else NOTHING


def mediated_by(viewer: User | None) -> str | None:
    """The read filter of every list of cases: the mediator whose cases are all `viewer` may
    see (a mediator's user, `states.permissions.scoped`; "" when it names none: no case); None
    for everyone else. A case named directly is checked by `workflow.mediators.may_see`."""
    if viewer is None or not scoped(viewer.role):
        return None
    return viewer.mediator_id or ""


def read_for_viewer(uow: UnitOfWork, viewer: User, language: str = "en") -> Redaction:
    """`for_viewer` in a read of its own (a view assembled from several reads)."""
    if may_see_at_risk(viewer.role):
        return NOTHING
    with uow.read() as tx:
        return for_viewer(tx, viewer, language)
