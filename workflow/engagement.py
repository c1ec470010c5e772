"""Use cases of company engagement: invite an enterprise, record its response, record a concern
about good faith, list a case's engagement, and `report engagement` (rules in
states/engagement.py).

Each write is one transaction with its audit entry (`engagement_invited`,
`engagement_responded`, `good_faith_concern_raised`), or nothing; an actor who is a user must
hold `Action.LOG_ENGAGEMENT`. Bad input (an unknown party, a submitter invited as an
enterprise, an unknown reason code, a response to no invitation, a date in the future or
before the case was received) is refused before anything is written, naming the input.

The list is read as the viewer may see it: enterprise names redacted like every other view,
and a concern's text (NCP-internal, like a note) withheld from a reader who may not read
internal material (auditors), who sees that a concern was raised, by which side and when.
The report names no party; sectors are free text, redacted for every reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from states import engagement as rules
from states import records
from states.calendar import to_local_date
from states.case import Case
from states.correspondence import CHANNELS
from states.engagement import Concern, Counted, DeclineReason, Invitation, Response
from states.errors import ACTOR, InvalidInputError
from states.limits import NAME_MAX, NOTE_MAX, check_text
from states.messages import N_
from states.parties import party_keys
from states.permissions import Action, allows
from states.users import User
from workflow import inputs, read_models
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.engagement")


def _when(case: Case, at: date | datetime | None, now: datetime, after: datetime | None = None) -> datetime:
    """When it happened: `at` (default now), never in the future nor before the case was
    received. A bare date on the day of `after` (the invitation a response answers) is no
    earlier than it, so "today" answers an invitation sent today."""
    when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=inputs.AT)
    if (
        after is not None
        and at is not None
        and not isinstance(at, datetime)
        and at == case.calendar.local_date(after)
    ):
        when = max(when, after)
    if when < case.received_at:
        raise InvalidInputError(
            N_("{what} {value} is before the case was received ({received})"),
            what=inputs.AT,
            value=when.isoformat(),
            received=case.received_at.isoformat(),
        )
    return when


def _append(tx: Transaction, case: Case, actor: str, at: datetime, record: records.AuditRecord) -> None:
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=record,
    )


def invite(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    actor: str,
    party: str,
    to: str,
    channel: str,
    at: date | datetime | None = None,
    respond_by: date | None = None,
) -> Invitation:
    """Invite an enterprise party of the case (its key or name) to `to` over `channel`, sent at
    `at` (default now); an answer is due by `respond_by` (default: the invitation's day plus
    `[engagement] respond_within`)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    inputs.one_of(rules.INVITED_TO, to, N_("invitation"), "to")
    inputs.one_of(CHANNELS, channel, N_("channel"), "channel")
    with uow.write() as tx:
        authorise(tx, actor, Action.LOG_ENGAGEMENT)
        now = clock.now()
        case = tx.cases.get(reference)
        when = _when(case, at, now)
        on = case.calendar.local_date(when)
        invitation = rules.new_invitation(
            tx.engagement.invitations(reference),
            parties=case.parties,
            reference=reference,
            party=party,
            to=to,
            channel=channel,
            channels=CHANNELS,
            at=when,
            on=on,
            respond_by=respond_by or settings.engagement.wait.added_to(on),
            recorded_at=now,
            recorded_by=actor,
        )
        tx.engagement.add_invitation(reference, invitation)
        _append(
            tx,
            case,
            actor,
            when,
            records.EngagementInvited(
                invitation.number, invitation.party, to, channel, invitation.respond_by, now
            ),
        )
    log.info(
        "engagement_invited", case=reference, number=invitation.number, party=invitation.party, actor=actor
    )
    return invitation


def respond(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    actor: str,
    invitation: int,
    response: str,
    reasons: Sequence[str] = (),
    at: date | datetime | None = None,
) -> Response:
    """Record the answer to invitation `invitation`: accepted, declined (with its reason codes)
    or no response (only once the wait is over)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    inputs.one_of(rules.RESPONSES, response, N_("response"), "response")
    known = settings.engagement.reasons
    rules.check_reasons(response, reasons, known)
    with uow.write() as tx:
        authorise(tx, actor, Action.LOG_ENGAGEMENT)
        now = clock.now()
        case = tx.cases.get(reference)
        invited = rules.find_invitation(tx.engagement.invitations(reference), invitation, reference=reference)
        when = _when(case, at, now, after=invited.at)
        made = rules.new_response(
            tx.engagement.responses(reference),
            invited,
            reference=reference,
            response=response,
            reasons=reasons,
            known=known,
            at=when,
            today=case.calendar.local_date(now),
            recorded_at=now,
            recorded_by=actor,
        )
        tx.engagement.add_response(reference, made)
        _append(
            tx,
            case,
            actor,
            when,
            records.EngagementResponded(made.number, made.invitation, made.response, made.reasons, now),
        )
    log.info(
        "engagement_responded",
        case=reference,
        invitation=invitation,
        response=response,
        reasons=list(made.reasons),
        actor=actor,
    )
    return made


def concern(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    side: str,
    text: str,
    at: date | datetime | None = None,
) -> Concern:
    """Record a concern about good faith raised by `side` (enterprise or submitter); the audit
    entry holds its hash and length, never its text; the logs never hold it either."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    inputs.one_of(rules.SIDES, side, N_("side"), "side")
    check_text(text, rules.TEXT, limit=NOTE_MAX)
    with uow.write() as tx:
        authorise(tx, actor, Action.LOG_ENGAGEMENT)
        now = clock.now()
        case = tx.cases.get(reference)
        when = _when(case, at, now)
        made = rules.new_concern(
            tx.engagement.concerns(reference),
            side=side,
            text=text,
            at=when,
            recorded_at=now,
            recorded_by=actor,
        )
        tx.engagement.add_concern(reference, made)
        _append(
            tx,
            case,
            actor,
            when,
            records.GoodFaithConcernRaised(made.number, side, made.sha256, made.length, now),
        )
    log.info("good_faith_concern_raised", case=reference, number=made.number, side=side, actor=actor)
    return made


# ---- reading ------------------------------------------------------------------------------------


def invitation_views(
    invitations: Sequence[Invitation], responses: Sequence[Response], names: dict[str, str], today: date
) -> list[read_models.EngagementInvitation]:
    shown = []
    for invitation in invitations:
        own = [r for r in responses if r.invitation == invitation.number]
        standing = rules.standing(invitation, own, today)
        shown.append(
            read_models.EngagementInvitation(
                number=invitation.number,
                party=invitation.party,
                party_name=names.get(invitation.party, invitation.party),
                to=invitation.to,
                channel=invitation.channel,
                at=invitation.at.isoformat(),
                respond_by=invitation.respond_by.isoformat(),
                standing=standing,
                derived=not own and standing == rules.NO_RESPONSE,
                recorded_at=invitation.recorded_at.isoformat(),
                recorded_by=invitation.recorded_by,
                responses=[
                    read_models.EngagementResponse(
                        number=r.number,
                        invitation=r.invitation,
                        response=r.response,
                        reasons=list(r.reasons),
                        at=r.at.isoformat(),
                        recorded_at=r.recorded_at.isoformat(),
                        recorded_by=r.recorded_by,
                    )
                    for r in own
                ],
            )
        )
    return shown


def concern_views(concerns: Sequence[Concern], internal: bool) -> list[read_models.GoodFaithConcern]:
    return [
        read_models.GoodFaithConcern(
            number=c.number,
            side=c.side,
            text=c.text if internal else None,
            withheld=not internal,
            sha256=c.sha256,
            length=c.length,
            at=c.at.isoformat(),
            recorded_at=c.recorded_at.isoformat(),
            recorded_by=c.recorded_by,
        )
        for c in concerns
    ]


_KEPT = frozenset({"today"})


def case_engagement(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    viewer: User | None = None,
    actor: str | None = None,
    language: str = "en",
) -> read_models.CaseEngagement:
    """The case's invitations (with their responses and standing today) and concerns, as
    `viewer` (or the user `actor` names; neither: the operator, who reads everything) may see
    them: names redacted, a concern's text withheld without `READ_INTERNAL`."""
    from workflow.views import redacted

    with uow.read() as tx:
        reader = viewer if viewer is not None else tx.users.get(actor) if actor is not None else None
        case = tx.cases.get(reference)
        invitations = tx.engagement.invitations(reference)
        responses = tx.engagement.responses(reference)
        concerns = tx.engagement.concerns(reference)
        redaction = redactions.for_viewer(tx, reader, language) if reader is not None else None
    today = case.calendar.local_date(clock.now())
    names = {key: party.name for key, party in party_keys(case.parties)}
    internal = reader is None or allows(reader.role, Action.READ_INTERNAL)
    found = read_models.CaseEngagement(
        reference=reference,
        today=today.isoformat(),
        invitations=invitation_views(invitations, responses, names, today),
        concerns=concern_views(concerns, internal),
    )
    return found if redaction is None else redacted(found, redaction, reference, _KEPT)


def reasons(settings: Settings) -> tuple[DeclineReason, ...]:
    return settings.engagement.reasons


def report(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, year: int | None = None
) -> dict[str, object]:
    """`report engagement`: the participation rate and the reasons for declining, in all and by
    year (of the invitation, NCP-local) and by sector (the case's; `unknown` when empty), as of
    today. No party is named; sectors are redacted for every reader."""
    year = inputs.year(year)
    zone = settings.ncp.timezone
    today = to_local_date(clock.now(), zone)
    with uow.read() as tx:
        found = tx.engagement.every()
        redaction = redactions.protecting(tx)
    counted = [
        Counted(
            year=to_local_date(invitation.at, zone).year,
            sector=(sector or "").strip() or rules.UNKNOWN_SECTOR,
            standing=rules.standing(invitation, responses, today),
            reasons=(rules.latest(responses, invitation.number) or _NONE).reasons,
        )
        for _reference, sector, invitation, responses in found
    ]
    made = rules.engagement_report(counted, year=year, as_of=today)
    made["reasons_known"] = [reason.code for reason in settings.engagement.reasons]
    return dict(redaction.value(made, keep=redactions.IDENTIFIERS | {"reasons_known"}))


_NONE = Response(0, 0, "", (), datetime.min, datetime.min, "")
