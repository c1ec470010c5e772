"""Use cases of the follow-up of commitments: record one, set its status, list them, ask a party
for an update, alert the lead when an update falls due, and the `report follow-up`.

Each write is one transaction with its audit entry: `commitment_recorded`,
`commitment_status_set` (an evidence file is filed as a document of the case in the same
transaction, its own `document_added` entry first; evidence already filed is named by its
number), `update_requested` (the e-mails to the party's contacts queued in the outbox and the
correspondence entry logging them, all or nothing). Every refusal is raised before anything is
written and names its input. The rules (statuses, history order, the implementation rate) are
`states.commitments`'s.

An update request has its own due date (given, or `[follow_up] answer_within` after the
request): a deadline that is not a stage's. Until it is answered (a status recorded for each of
its commitments since it was sent), the alert sweep (`workflow.alerts.sweep`) alerts the case's
lead and the secretariat at each rung of `[alerts]` (reminders before, the day, overdue), once per
rung: each rung is claimed in the sweep's own transaction (`update_request_alerts`), as the
statements slice's comment windows are.

Reading: commitment texts and notes are free text, redacted for a reader who may not see the
protected parties (auditors: pseudonyms), like every other view. The report holds no free text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from states import commitments as rules
from states import records
from states.case import Case
from states.commitments import Commitment, StatusEntry, UpdateRequest
from states.contacts import Channel as ContactChannel
from states.errors import ACTOR, Input, InvalidInputError
from states.guidelines import THEMES
from states.limits import NAME_MAX, check_day, check_text
from states.messages import N_
from states.parties import find_party, party_keys
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Renderer, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.follow_up")

DUE = Input(N_("the answer's due date"), "due")
PARTY = Input("", "party")
NO_EMAIL = N_(
    "{what}: {party} of case {reference} has no contact who takes e-mail; add one, or write to it by post"
)
NOTHING_TO_ASK = N_("{what}: {party} of case {reference} owns no commitment to ask about")
THEME_NONE = "none"


@dataclass(frozen=True)
class Evidence:
    """An evidence file to file with a status: its content (a spool or bytes), file name and title."""

    source: Any
    filename: str
    title: str


def _today(case: Case, now: datetime) -> date:
    return case.calendar.local_date(now)


def _day(value: date | None, *, case: Case, now: datetime, what: Input, default: date | None = None) -> date:
    """An NCP-local day of the case: `value` (default `default`, else today), not in the future
    and not before the case was received."""
    today = _today(case, now)
    day = value if value is not None else default if default is not None else today
    check_day(day, what)
    if day > today:
        raise InvalidInputError(N_("{what} {value} is in the future"), what=what, value=day.isoformat())
    received = case.calendar.local_date(case.received_at)
    if day < received:
        raise InvalidInputError(
            N_("{what} {value} is before the case was received ({received})"),
            what=what,
            value=day.isoformat(),
            received=received.isoformat(),
        )
    return day


def _append(tx: Transaction, case: Case, actor: str, at: datetime, record: records.AuditRecord) -> None:
    """The use case's audit entry: the case's state unchanged, no reason."""
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=record,
    )


def _documents(tx: Transaction, reference: str) -> list[int]:
    return sorted({d.number for d in tx.documents.of_case(reference)})


def add(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    source: str,
    owner: str,
    text: str,
    actor: str,
    party: str | None = None,
    document: int | None = None,
    due: date | None = None,
    made_on: date | None = None,
) -> Commitment:
    """Record a commitment (`source` agreement) or a recommendation (`source` statement) of
    case `reference`: who owns it (`owner`, optionally one `party` by key or name), its text, its
    due date and the day it was made (default today)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    rules.check_inputs(source=source, owner=owner, text=text)  # refused before any read
    if due is not None:
        check_day(due, rules.DUE)
    with uow.write() as tx:
        authorise(tx, actor, Action.TRACK_FOLLOW_UP)
        now = clock.now()
        case = tx.cases.get(reference)
        made = _day(made_on, case=case, now=now, what=rules.MADE_ON)
        key = find_party(case.parties, party, reference=reference) if party else None
        commitment = rules.new_commitment(
            tx.commitments.of_case(reference),
            source=source,
            owner=owner,
            text=text,
            made_on=made,
            recorded_at=now,
            recorded_by=actor,
            reference=reference,
            due=due,
            party=key,
            document=document,
            documents=_documents(tx, reference),
        )
        tx.commitments.add(reference, commitment)
        _append(
            tx,
            case,
            actor,
            now,
            records.CommitmentRecorded(
                commitment.number,
                source,
                owner,
                text,
                made,
                now,
                key,
                document,
                due,
            ),
        )
    log.info("commitment_recorded", case=reference, number=commitment.number, owner=owner, actor=actor)
    return commitment


def set_status(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    commitment: int,
    status: str,
    actor: str,
    on: date | None = None,
    note: str | None = None,
    evidence: Sequence[int] = (),
    upload: Evidence | None = None,
) -> StatusEntry:
    """Append a status to commitment `commitment`'s history, holding from `on` (default today),
    with a note and evidence: the numbers of documents already filed, and/or an `upload` filed
    now as a document of the case (direction `in`, the commitment's party, `[follow_up]
    evidence_access`) in the same transaction."""
    from workflow.documents import file_document

    check_text(actor, ACTOR, limit=NAME_MAX)
    rules.check_status(status, note, evidence)
    with uow.write() as tx:
        authorise(tx, actor, Action.TRACK_FOLLOW_UP)
        now = clock.now()
        case = tx.cases.get(reference)
        found = rules.find(tx.commitments.of_case(reference), commitment, reference=reference)
        history = [e for e in tx.commitments.history(reference) if e.commitment == commitment]
        day = _day(on, case=case, now=now, what=rules.ON)
        known = _documents(tx, reference)
        # Everything checked before the file is filed: a refusal writes nothing.
        entry = rules.new_status(
            found,
            history,
            status=status,
            on=day,
            actor=actor,
            recorded_at=now,
            note=note,
            evidence=evidence,
            documents=known,
            reference=reference,
        )
        if upload is not None:
            filed = file_document(
                tx,
                reference=reference,
                source=upload.source,
                filename=upload.filename,
                title=upload.title,
                direction="in",
                party=found.party,
                access=settings.follow_up.evidence_access,
                exemption=None,
                actor=actor,
                at=now,
                rules=settings.documents.rules,
            )
            entry = StatusEntry(
                commitment=entry.commitment,
                seq=entry.seq,
                status=entry.status,
                on=entry.on,
                actor=entry.actor,
                recorded_at=entry.recorded_at,
                note=entry.note,
                evidence=tuple(dict.fromkeys((*entry.evidence, filed.number))),
            )
        tx.commitments.add_status(reference, entry)
        record = records.CommitmentStatusSet(
            commitment, entry.seq, status, day, entry.evidence, now, entry.note
        )
        _append(tx, case, actor, now, record)
    log.info("commitment_status_set", case=reference, number=commitment, status=status, actor=actor)
    return entry


# ---- reading ----------------------------------------------------------------------------------


def _status_view(entry: StatusEntry) -> read_models.CommitmentStatus:
    return read_models.CommitmentStatus(
        seq=entry.seq,
        status=entry.status,
        on=entry.on,
        note=entry.note,
        evidence=list(entry.evidence),
        actor=entry.actor,
        recorded_at=entry.recorded_at.isoformat(),
    )


def views(
    case: Case, found: Sequence[Commitment], history: Iterable[StatusEntry], requests: Sequence[UpdateRequest]
) -> read_models.CaseCommitments:
    """The case's follow-up as the read side shows it (before redaction)."""
    names = {key: party.name for key, party in party_keys(case.parties)}
    by_number: dict[int, list[StatusEntry]] = {}
    for entry in history:
        by_number.setdefault(entry.commitment, []).append(entry)
    shown = []
    for c in found:
        entries = rules.ordered(by_number.get(c.number, []))
        shown.append(
            read_models.Commitment(
                number=c.number,
                source=c.source,
                document=c.document,
                owner=c.owner,
                party=c.party,
                party_name=names.get(c.party) if c.party else None,
                text=c.text,
                made_on=c.made_on,
                due=c.due,
                status=rules.current(entries),
                recorded_at=c.recorded_at.isoformat(),
                recorded_by=c.recorded_by,
                history=[_status_view(e) for e in entries],
            )
        )
    return read_models.CaseCommitments(
        reference=case.reference,
        commitments=shown,
        requests=[
            read_models.UpdateRequest(
                number=r.number,
                party=r.party,
                party_name=names.get(r.party, r.party),
                commitments=list(r.commitments),
                due=r.due,
                channel=r.channel,
                requested_at=r.requested_at.isoformat(),
                requested_by=r.requested_by,
            )
            for r in requests
        ],
    )


# Keys of the follow-up's views that hold no free text: never rewritten by the redaction.
_KEPT = frozenset(
    {"reference", "source", "owner", "party", "status", "on", "made_on", "due", "recorded_at", "channel"}
)


def case_follow_up(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.CaseCommitments:
    """The case's commitments with their histories and its update requests; for a `viewer` who
    may not see protected parties, names and free text redacted (pseudonyms in `language`)."""
    from workflow.views import redacted

    with uow.read() as tx:
        case = tx.cases.get(reference)
        shown = views(
            case,
            tx.commitments.of_case(reference),
            tx.commitments.history(reference),
            tx.commitments.requests(reference),
        )
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else None
    return shown if redaction is None else redacted(shown, redaction, reference, _KEPT)


# ---- update requests ------------------------------------------------------------------------------


def request_update(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    render: Renderer,
    reference: str,
    party: str,
    actor: str,
    due: date | None = None,
    commitments: Sequence[int] = (),
) -> UpdateRequest:
    """Ask party `party` (a key or a name) of case `reference` for news of its commitments
    (`commitments`; none given: those it owns that are not implemented) by `due` (default
    `[follow_up] answer_within` from today): an e-mail to each of its contacts who take e-mail,
    worded in the contact's language, protected other parties' names hidden; a correspondence
    entry; the request and its `update_requested` entry. One transaction."""
    from workflow import correspondence, parties
    from workflow.alerts import new_message_id
    from workflow.party_links import party_redaction

    check_text(actor, ACTOR, limit=NAME_MAX)
    check_text(party, PARTY, limit=NAME_MAX)
    if due is not None:
        check_day(due, DUE)
    with uow.write() as tx:
        authorise(tx, actor, Action.TRACK_FOLLOW_UP)
        now = clock.now()
        case = tx.cases.get(reference)
        today = _today(case, now)
        key = find_party(case.parties, party, reference=reference)
        answer_by = due if due is not None else settings.follow_up.answer_period.added_to(today)
        if answer_by <= today:
            raise InvalidInputError(
                N_("{what} {value} is not after today ({today})"),
                what=DUE,
                value=answer_by.isoformat(),
                today=today.isoformat(),
            )
        found = tx.commitments.of_case(reference)
        history = tx.commitments.history(reference)
        if commitments:
            asked = [rules.find(found, number, reference=reference) for number in dict.fromkeys(commitments)]
            owned = {c.number for c in rules.owned_by(found, key)}
            for c in asked:
                if c.number not in owned:
                    raise InvalidInputError(
                        N_("{what}: commitment {number} is not owned by {party}"),
                        what=rules.COMMITMENT,
                        number=c.number,
                        party=key,
                    )
        else:
            asked = [
                c
                for c in rules.owned_by(found, key)
                if rules.current(e for e in history if e.commitment == c.number) != "implemented"
            ]
        if not asked:
            raise InvalidInputError(NOTHING_TO_ASK, what=PARTY, party=key, reference=reference)
        contacts = [
            c
            for c in parties.recipients(uow=uow, reference=reference, party=key)
            if c.channel is ContactChannel.EMAIL and c.email
        ]
        if not contacts:
            raise InvalidInputError(NO_EMAIL, what=PARTY, party=key, reference=reference)
        outbox: list[int] = []
        subjects: list[tuple[str, str]] = []  # (language, subject) of each e-mail
        for contact in contacts:
            hide = party_redaction(tx, case, key, contact.language)  # every case's protected names
            rendered = render(
                "update_request",
                contact.language,
                {
                    "reference": case.reference,
                    "title": hide.text(case.title, reference),
                    "commitments": [f"{c.number}. {hide.text(c.text, reference)}" for c in asked],
                    "due": answer_by,
                    "recipient_name": contact.name,
                    "ncp_name": settings.ncp.name_in(contact.language),
                },
            )
            subjects.append((contact.language, rendered.subject))
            outbox.append(
                tx.outbox.add(
                    message_id=new_message_id(settings),
                    case_ref=reference,
                    kind="update_request",
                    recipient=contact.email or "",
                    language=contact.language,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    at=now,
                )
            )
        numbers = tuple(c.number for c in asked)
        subjects.sort(key=lambda pair: pair[0] != settings.ncp.language)  # the NCP's own first
        entry = correspondence.record(
            tx,
            case=case,
            actor=actor,
            now=now,
            at=now,
            direction="out",
            party=key,
            channel="email",
            subject=subjects[0][1],  # what the party read: the e-mail's subject
        )
        request = UpdateRequest(
            number=len(tx.commitments.requests(reference)) + 1,
            party=key,
            commitments=numbers,
            due=answer_by,
            requested_at=now,
            requested_by=actor,
        )
        tx.commitments.add_request(reference, request)
        _append(
            tx,
            case,
            actor,
            now,
            records.UpdateRequested(
                request.number,
                key,
                numbers,
                answer_by,
                tuple(c.email or "" for c in contacts),
                tuple(outbox),
                entry.number,
            ),
        )
    log.info("update_requested", case=reference, number=request.number, party=key, messages=len(outbox))
    return request


def answered(request: UpdateRequest, history: Iterable[StatusEntry]) -> bool:
    """Whether every commitment the request asks about has a status recorded since it was sent."""
    since = {e.commitment for e in history if e.recorded_at > request.requested_at}
    return all(number in since for number in request.commitments)


def alert_due(
    tx: Transaction, *, now: datetime, today: date, settings: Settings, render: Renderer
) -> list[dict[str, Any]]:
    """In the sweep's transaction: each update request not yet answered as a deadline of its own.
    The lead and the secretariat are alerted at each rung of `[alerts]` (the reminders before its
    due date, the day itself, overdue; no escalation), once per rung: the rung is claimed in
    `update_request_alerts`. What each audit entry holds."""
    from states.alerts import RungKind, horizon, rungs_to_fire
    from workflow.alerts import SCHEDULER_ACTOR, new_message_id, recipients_for

    policy = settings.alert_policy
    queued: list[dict[str, Any]] = []
    cases: dict[str, Case] = {}
    histories: dict[str, list[StatusEntry]] = {}
    for reference, request, fired in tx.commitments.due_by(today + timedelta(days=horizon(policy))):
        if reference not in histories:
            histories[reference] = tx.commitments.history(reference)
        if answered(request, histories[reference]):
            continue
        # No reminder on the day the request went out (or before): its ladder starts the day after.
        started = settings.policy.calendar.local_date(request.requested_at) + timedelta(days=1)
        for rung in rungs_to_fire(request.due, policy, today=today, fired=fired, started=started):
            if rung.kind is RungKind.ESCALATION or not tx.commitments.claim_alert(
                reference=reference, request=request.number, rung=rung.key, at=now
            ):
                continue  # no escalation for a party's update; or another sweeper took it
            if reference not in cases:
                cases[reference] = tx.cases.get(reference)
            case = cases[reference]
            names = dict(party_keys(case.parties))
            recipients = recipients_for(case, rung.kind, settings)
            for recipient in recipients:
                rendered = render(
                    "update_request_due",
                    recipient.language,
                    {
                        "reference": reference,
                        "title": case.title,
                        "party_name": names[request.party].name if request.party in names else request.party,
                        "due": request.due,
                        "when": rung.kind.value,
                        "recipient_name": recipient.name,
                        "ncp_name": settings.ncp.name_in(recipient.language),
                    },
                )
                tx.outbox.add(
                    message_id=new_message_id(settings),
                    case_ref=reference,
                    kind="update_request_due",
                    recipient=recipient.address,
                    language=recipient.language,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    at=now,
                )
            record = records.UpdateRequestDue(
                request.number, request.party, request.due, rung.key, tuple(r.key for r in recipients)
            )
            _append(tx, case, SCHEDULER_ACTOR, now, record)
            log.info("update_request_due", case=reference, number=request.number, rung=rung.key)
            queued.append(record.to_data())
    return queued


# ---- the report ---------------------------------------------------------------------------------


def _row(key: str, statuses: Sequence[str]) -> read_models.FollowUpRow:
    counted = rules.rate(statuses)
    return read_models.FollowUpRow(
        key=key,
        counts=counted.counts,
        total=counted.total,
        known=counted.known,
        score=counted.score,
        rate=counted.rate,
    )


def report(*, uow: UnitOfWork, year: int | None = None) -> read_models.FollowUpReport:
    """`report follow-up`: every commitment's current status, counted by the year it was made
    (`made_on`) and by each of its case's Guidelines chapters (`none` for a case without), with
    the implementation rate (states/commitments.py); `year`: only the commitments made that year
    (refused outside the bounds, naming `--year`)."""
    from workflow import inputs

    inputs.year(year)
    with uow.read() as tx:
        found = tx.commitments.everything()
    by_year: dict[str, list[str]] = {}
    by_theme: dict[str, list[str]] = {}
    every: list[str] = []
    for _reference, themes, commitment, history in found:
        if year is not None and commitment.made_on.year != year:
            continue
        status = rules.current(history)
        every.append(status)
        by_year.setdefault(str(commitment.made_on.year), []).append(status)
        for theme in themes or [THEME_NONE]:
            by_theme.setdefault(theme, []).append(status)
    order = {theme: n for n, theme in enumerate([*THEMES, THEME_NONE])}
    return read_models.FollowUpReport(
        year=year,
        total=_row("total", every),
        by_year=[_row(key, by_year[key]) for key in sorted(by_year)],
        by_theme=[
            _row(key, by_theme[key]) for key in sorted(by_theme, key=lambda t: (order.get(t, len(order)), t))
        ],
    )
