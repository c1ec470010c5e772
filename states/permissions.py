"""Who may do what: the one table of roles and actions (pure).

Every entry point asks this table: the API's dependencies and the pages' guard
(`ncpflow.web.auth.Allow`), the templates' flags, the command line's admin commands and
`--reveal` when the actor is a user (`workflow.users.authorise`), and the read models
(`may_see_identities`, `workflow.views.may_advance`, `workflow.rotation.may_change_lead`).

The rows follow the README: a handler does everything on cases; a member reads all and
advances the cases it leads (and, unlike the others, does not download the audit export); the
member user linked to the NCP's chair (the `[[members]]` entry with `role = "chair"`) also
reassigns cases and recuses their leads (`CHANGE_LEAD_AS_CHAIR`, resolved with the members by
`workflow.rotation.may_change_lead`, as `ADVANCE_LED_CASE` is by `workflow.views.may_advance`); an
auditor reads, without confidential submitters' identities; an admin manages users, imports
past cases (`case import`), reads all and alone may export identities as stored. Handlers and
admins manage the members' leave and conflicts set in the browser and run the sync from
config.toml (`MANAGE_MEMBERS`); members and auditors only read them. Handlers manage the parties
of cases and their contacts (`MANAGE_PARTIES`). A party at risk of reprisal is seen as stored only
by handlers and admins (`SEE_AT_RISK_IDENTITIES`) and by the case's lead member (resolved by
`states.parties.may_see`); other members see its pseudonym, like auditors. Handlers, members and
admins read the NCP's internal material, notes among it (`READ_INTERNAL`); auditors never do.
Handlers and members write notes on cases (`WRITE_NOTE`). Handlers log company engagement
(`LOG_ENGAGEMENT`: invitations, responses, concerns about good faith) and issue and revoke the
parties' links to their cases (`MANAGE_PARTY_LINKS`). Handlers and admins keep the register of
external mediators and assign them to cases (`MANAGE_MEDIATORS`); a mediator user reads only the
cases it is assigned to (`READ_ASSIGNED_CASES`, `scoped`: any other case is unknown to it) and
records sessions on them (`RECORD_MEDIATION`, with handlers). Handlers track the follow-up of
commitments (`TRACK_FOLLOW_UP`); everyone who reads cases reads it. Handlers link related cases
(a parallel complaint at another NCP, a follow-on complaint, the same facts) and remove such links
(`LINK_CASES`); everyone who reads a case reads its links. Handlers tick and untick the items of
a case's stage checklist (`TICK_CHECKLIST`); everyone who reads a case reads it. Handlers, the
secretariat that writes the annual report, publish the NCP's figures of a year to a network of
NCPs (`PUBLISH_NETWORK_FIGURES`, `ncpflow network publish --actor`). A role the table does not
know may do nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from states.errors import Input, NcpflowError, Term
from states.messages import N_
from states.users import Role


class Action(StrEnum):
    """Everything a user can do or read; the value is the action's words in a refusal (marked for
    the catalogue: the error pages word it in the page's language)."""

    READ_SESSION = N_("read its own session")
    SET_OWN_CREDENTIALS = N_("set its own password or second factor")
    READ_CASES = N_("read cases")
    OPEN_CASE = N_("open cases")
    EDIT_CASE = N_("edit cases")
    ADVANCE_ANY_CASE = N_("advance any case")
    ADVANCE_LED_CASE = N_("advance the cases it leads")
    PAUSE_CASE = N_("pause cases")
    RESUME_CASE = N_("resume cases")
    EXTEND_DEADLINE = N_("extend deadlines")
    RECORD_FACT = N_("record facts of cases")
    REASSIGN_CASE = N_("reassign cases")
    RECUSE_MEMBER = N_("recuse members")
    CHANGE_LEAD_AS_CHAIR = N_("reassign cases and recuse members as the NCP's chair")
    IMPORT_CASES = N_("import past cases")
    READ_AUDIT = N_("read the audit log")
    EXPORT_AUDIT = N_("export the audit log")
    SEE_IDENTITIES = N_("see confidential submitters' identities")
    REVEAL_IDENTITIES = N_("export confidential submitters' identities")
    READ_MEMBERS = N_("read the members and the rotation")
    READ_REPORTS = N_("read reports")
    MANAGE_USERS = N_("manage users")
    MANAGE_MEMBERS = N_("manage members' leave and conflicts")
    MIGRATE_CASE = N_("migrate cases to another procedure version")
    SUBSCRIBE_CALENDAR = N_("subscribe to the deadline calendar")
    ADD_DOCUMENT = N_("add documents to cases")
    READ_INTERNAL = N_("read NCP-internal documents and notes")
    WRITE_NOTE = N_("write internal notes on cases")
    SEND_LETTER = N_("write and send letters to the parties")
    LOG_CORRESPONDENCE = N_("log correspondence with the parties")
    MANAGE_PARTIES = N_("manage the parties of cases and their contacts")
    SEE_AT_RISK_IDENTITIES = N_("see the identities of parties at risk of reprisal")
    READ_ASSIGNED_CASES = N_("read the cases it mediates")
    MANAGE_MEDIATORS = N_("manage the mediators and assign them to cases")
    RECORD_MEDIATION = N_("record mediation sessions")
    MANAGE_PARTY_LINKS = N_("issue and revoke the parties' links to their cases")
    MANAGE_STATEMENTS = N_("draft statements, circulate them for comment and log comments")
    PUBLISH_STATEMENT = N_("publish statements")
    TRACK_FOLLOW_UP = N_("track the follow-up of commitments")
    LOG_ENGAGEMENT = N_("log company engagement: invitations, responses and concerns about good faith")
    LINK_CASES = N_("link related cases and remove such links")
    READ_HANDBOOK = N_("read the procedure handbook")
    TICK_CHECKLIST = N_("tick and untick the items of a case's checklist")
    PUBLISH_NETWORK_FIGURES = N_("publish the NCP's figures of a year to the network")


# What every signed-in user may do, whatever its role.
_EVERYONE = frozenset({Action.READ_SESSION, Action.SET_OWN_CREDENTIALS, Action.READ_HANDBOOK})
# Reading all there is, with identities as stored.
_READ_ALL = frozenset(
    {
        Action.READ_CASES,
        Action.READ_AUDIT,
        Action.READ_MEMBERS,
        Action.READ_REPORTS,
        Action.SEE_IDENTITIES,
        Action.SUBSCRIBE_CALENDAR,
        Action.READ_INTERNAL,
    }
)
_ON_CASES = frozenset(
    {
        Action.OPEN_CASE,
        Action.EDIT_CASE,
        Action.ADVANCE_ANY_CASE,
        Action.ADVANCE_LED_CASE,
        Action.PAUSE_CASE,
        Action.RESUME_CASE,
        Action.EXTEND_DEADLINE,
        Action.RECORD_FACT,
        Action.REASSIGN_CASE,
        Action.RECUSE_MEMBER,
        Action.MIGRATE_CASE,
        Action.LOG_CORRESPONDENCE,
        Action.SEND_LETTER,
    }
)

PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.HANDLER: _EVERYONE
    | _READ_ALL
    | _ON_CASES
    | {
        Action.EXPORT_AUDIT,
        Action.MANAGE_MEMBERS,
        Action.ADD_DOCUMENT,
        Action.WRITE_NOTE,
        Action.MANAGE_PARTIES,
        Action.SEE_AT_RISK_IDENTITIES,
        Action.MANAGE_MEDIATORS,
        Action.RECORD_MEDIATION,
        Action.MANAGE_PARTY_LINKS,
        Action.MANAGE_STATEMENTS,
        Action.PUBLISH_STATEMENT,
        Action.TRACK_FOLLOW_UP,
        Action.LOG_ENGAGEMENT,
        Action.LINK_CASES,
        Action.TICK_CHECKLIST,
        Action.PUBLISH_NETWORK_FIGURES,
    },
    Role.MEMBER: _EVERYONE
    | _READ_ALL
    | {Action.ADVANCE_LED_CASE, Action.CHANGE_LEAD_AS_CHAIR, Action.WRITE_NOTE},
    Role.AUDITOR: _EVERYONE
    | _READ_ALL - {Action.SEE_IDENTITIES, Action.READ_INTERNAL}
    | {Action.EXPORT_AUDIT},
    Role.ADMIN: _EVERYONE
    | _READ_ALL
    | {
        Action.EXPORT_AUDIT,
        Action.MANAGE_USERS,
        Action.MANAGE_MEMBERS,
        Action.REVEAL_IDENTITIES,
        Action.MIGRATE_CASE,
        Action.IMPORT_CASES,
        Action.SEE_AT_RISK_IDENTITIES,
        Action.MANAGE_MEDIATORS,
    },
    # An external mediator: the cases it is assigned to, as an auditor would see them (no
    # confidential identities, nothing NCP-internal), and the sessions it holds on them.
    # Its calendar and subscription feed hold its own cases only (workflow.redaction.mediated_by).
    Role.MEDIATOR: _EVERYONE
    | {Action.READ_ASSIGNED_CASES, Action.RECORD_MEDIATION, Action.SUBSCRIBE_CALENDAR},
}


def scoped(role: str) -> bool:
    """Whether a user of `role` reads only the cases it is assigned to (a mediator): every other
    case is unknown to it (404), and every list of cases holds only its own."""
    held = actions_of(role)
    return Action.READ_ASSIGNED_CASES in held and Action.READ_CASES not in held


def on_case(role: str) -> frozenset[Action]:
    """What `role` may do on a case it may see: a role reading its assigned cases reads those
    as anyone reading cases does (`READ_CASES`); the assignment itself is checked where the case
    is named (`ncpflow.web.auth.Allow`, `workflow.mediators.visible`)."""
    held = actions_of(role)
    return held | {Action.READ_CASES} if Action.READ_ASSIGNED_CASES in held else held


def allows_on_case(role: str, *actions: Action) -> bool:
    """`allows` for a route naming a case the user may see."""
    return not on_case(role).isdisjoint(actions)


def require_on_case(role: str, *actions: Action) -> None:
    """`require` for a route naming a case the user may see."""
    if not allows_on_case(role, *actions):
        raise PermissionDeniedError(role, actions[0])


def actions_of(role: str) -> frozenset[Action]:
    """What a user of `role` may do; nothing for a role the table does not know."""
    try:
        return PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def allows(role: str, *actions: Action) -> bool:
    """Whether `role` may do at least one of `actions`."""
    return not actions_of(role).isdisjoint(actions)


class PermissionDeniedError(NcpflowError):
    """The role may not do the action: the web answers 403, the command line exits 1."""

    def __init__(self, role: str, action: Action, why: str | Input = "") -> None:
        self.role, self.action = role, action
        values: dict[str, object] = {"role": Term(role), "action": Input(action.value)}
        if why:
            super().__init__(
                N_("role '{role}' may not {action}: {why}"),
                why=why if isinstance(why, Input) else Input(why),
                **values,
            )
        else:
            super().__init__(N_("role '{role}' may not {action}"), **values)


def require(role: str, *actions: Action) -> None:
    """Raise PermissionDeniedError naming the role and the (first) action unless one is allowed."""
    if not allows(role, *actions):
        raise PermissionDeniedError(role, actions[0])


def may_see_identities(role: str) -> bool:
    """Whether a user of `role` may see confidential submitters' names and numbers as stored."""
    return allows(role, Action.SEE_IDENTITIES)


def may_see_at_risk(role: str) -> bool:
    """Whether a user of `role` sees every party at risk of reprisal as stored (else only those
    of the cases it leads: `states.parties.may_see`)."""
    return allows(role, Action.SEE_AT_RISK_IDENTITIES)
