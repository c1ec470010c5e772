"""Statements of a case: drafted from templates, edited in Word, circulated for comment, published.

- `draft`: a statement of a kind the case's state offers (`[statements.KIND] drafted_in`), rendered
  from LANGUAGE/statement_KIND.docx with the case's facts (parties, dates, chapters, issues with
  their decisions and outcomes, results, scope) and filed as two documents (DOCX, PDF), internal
  (`ncp`, direction `internal`) until published (`statement_drafted`). A statement is published,
  so it never names a protected party: each is a neutral word where the parties are listed, and
  a neutral label wherever free text holds its name or any other case's protected name (the
  title, the scope, an issue's title), never a pseudonym: anyone could check a guessed name
  against a pseudonym.
- `edit`: a DOCX edited in Word filed as a new version of the DOCX document, with its PDF
  (`statement_edited`).
- `circulate`: a comment round: the PDF as it stands sent to the parties chosen, with a window of
  days (`[statements] comment_days`); per party one correspondence entry and an outbox message
  per e-mail contact, the PDF attached (`statement_circulated`), one transaction.
- `comment`: a comment received from a party of an open round (`comment_received`), with a
  document filed `in` from that party when one came.
- `close`: the lead closes an open round (`comment_round_closed`, why `closed`); the alert sweep
  closes one whose window has ended (why `ended`), alerts the lead at each rung of `[alerts]`
  once, and reminds the parties' contacts once `[statements] remind_before` the end (`sweep`).
- `publish`: the statement's final PDF filed as a new version, access `public`, direction `out`,
  and what the procedure declares for the kind fired through the existing use cases
  (`workflow.facts.record_fact`, `workflow.cases.advance`), in their transaction: a guard that
  refuses (an open procedural review) leaves nothing written (`statement_published`).

A case pinned to a procedure version without `[statements]` (oecd-2023 before version 4) offers
no statement: each use case refuses, naming the version and `case migrate`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from states import records
from states import statements as rules
from states.alerts import RungKind, rungs_to_fire
from states.audit_wording import ALERT
from states.case import Case, PartyRole, Policy
from states.contacts import Channel as ContactChannel
from states.deadlines import Deadline
from states.documents import Document
from states.durations import Duration
from states.errors import ACTOR, Input, InvalidInputError
from states.guidelines import THEMES
from states.issues import Issue, IssueDecision
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.parties import find_party, may_see, party_keys
from states.pauses import spans_for
from states.permissions import Action, require
from states.redaction import Protected, Redaction
from states.statements import Comment, Round, Statement, StatementStatus
from states.users import User
from translations import translator
from workflow import correspondence, parties, procedures, read_models
from workflow import letters as letter_rules
from workflow.alerts import SCHEDULER_ACTOR, message_kind, new_message_id, recipients_for
from workflow.config import Settings
from workflow.documents import Spooled, file_document
from workflow.letter_context import NEUTRAL, check_language, joined, long_date
from workflow.logging import get_logger
from workflow.ports import Clock, LetterRenderer, Renderer, Transaction, UnitOfWork

log = get_logger("ncpflow.statements")

PDF_TYPE = "application/pdf"
DRAFT_TITLE = N_("{kind} (draft {number})")
PUBLIC_TITLE = N_("{kind}, case {reference}")
COMMENT_TITLE = "Comment on statement {statement}, round {round}"
CIRCULATED_SUBJECT = N_("Draft {kind} for comment by {due}")
REMINDER_SUBJECT = N_("Reminder: comments on the draft {kind} by {due}")
CIRCULATED_TEXT = N_(
    "The NCP sends you its draft {kind} in case {reference} for comment (attached). Please send "
    "any comments by {due}. The draft is confidential and must not be made public."
)
REMINDER_TEXT = N_(
    "The window for comments on the NCP's draft {kind} in case {reference} ends on {due}. "
    "Comments received by then will be considered."
)
WINDOW_BASIS = N_("circulated for comment")
WINDOW_TITLE = N_("comments on the draft {kind} (round {round})")
NO_STATEMENTS = N_(
    "case {reference} follows {procedure} version {version}, which has no statements; "
    "move it to a newer version (case migrate) to draft one"
)
TRIGGER = Input(N_("the step publishing fires"), "trigger")

DECISIONS = {
    IssueDecision.ACCEPTED: N_("Accepted for further consideration."),
    IssueDecision.NOT_ACCEPTED: N_("Not accepted for further consideration."),
    IssueDecision.UNDECIDED: N_("Not yet decided."),
}
RESULTS = {
    "outcome": N_("Outcome"),
    "mediation_result": N_("Result of the good offices"),
    "determination": N_("Determination"),
}


# -- what a statement says -----------------------------------------------------------------------


def _hidden(
    case: Case, tr: Any, contacts: dict[str, list[Any]], others: Sequence[Protected] = ()
) -> Redaction:
    """Every protected party of `case`, its organisation number and its contacts' details, and
    `others` (every case's protected parties)."""
    hidden: list[Protected] = list(others)
    for key, party in party_keys(case.parties):
        if not party.protected:
            continue
        hidden.append(Protected(case.reference, party.name, party.org_number, kind=party.role.value))
        for contact in contacts.get(key, ()):
            hidden.extend(
                Protected(case.reference, detail, kind="contact", owner=contact.name)
                for detail in (contact.name, contact.email, contact.address)
                if detail
            )
    return Redaction(hidden, tr)


def statement_values(
    *,
    case: Case,
    issues: Sequence[Issue],
    kind: str,
    language: str,
    today: date,
    settings: Settings,
    lead: str | None,
    contacts: dict[str, list[Any]] | None = None,
    protected: Sequence[Protected] = (),
) -> dict[str, Any]:
    """The context of a statement of `kind` about `case` in `language` (the variables its template
    reads: notifications/letters/__init__.py's, and `kind`, `chapters`, `issues`, `results`).
    No protected party is named: where the parties are listed it is a neutral word ("the
    submitter"), and a neutral label wherever free text holds a protected name (`protected`: every
    case's)."""
    tr = translator(language)
    redaction = _hidden(case, tr, contacts or {}, protected)

    def text(value: str) -> str:
        return redaction.text(value)  # no reference: a neutral label, never a pseudonym

    def names(role: PartyRole) -> str:
        chosen = [p for p in case.parties if p.role is role]
        shown = [tr.gettext(NEUTRAL[p.role]) if p.protected else p.name for p in chosen]
        return joined(list(dict.fromkeys(shown)), language)

    def outcome(name: str) -> str:
        return case.procedure.label("outcome", name, language)

    themes = list(dict.fromkeys([*case.details.themes, *(c for i in issues for c in i.chapters)]))
    ncp_name = settings.ncp.name_in(language)
    return {
        "language": language,
        "kind": rules.label(kind, tr),
        "ncp": {"name": ncp_name, "address": list(settings.ncp.address)},
        "date": long_date(today, language),
        "reference": case.reference,
        "title": text(case.title),
        "received": long_date(case.received_on, language),
        "state": case.procedure.label("state", case.state, language),
        "outcome": outcome(case.outcome) if case.outcome else "",
        "scope": text(case.scope or ""),
        "submitters": names(PartyRole.SUBMITTER),
        "enterprises": names(PartyRole.ENTERPRISE),
        "chapters": joined([tr.gettext(THEMES[t]) for t in themes if t in THEMES], language),
        "issues": [
            {
                "number": issue.number,
                "title": text(issue.title),
                "chapters": joined([tr.gettext(THEMES[c]) for c in issue.chapters if c in THEMES], language),
                "decision": tr.gettext(DECISIONS[issue.decision]),
                "outcome": outcome(issue.outcome.value) if issue.outcome else "",
            }
            for issue in issues
        ],
        "results": [
            {"name": tr.gettext(RESULTS.get(field, field)), "value": outcome(value)}
            for field, value in case.results.items()
        ],
        "lead": lead or "",
        "signatory": lead or ncp_name,
    }


# -- checks ----------------------------------------------------------------------------------------


def check_offered(case: Case) -> None:
    """InvalidInputError when `case`'s procedure version declares no statements."""
    if not case.procedure.statements:
        raise InvalidInputError(
            NO_STATEMENTS,
            reference=case.reference,
            procedure=case.procedure.id,
            version=case.procedure.version,
        )


def _audit(
    tx: Transaction, case: Case, *, actor: str, at: datetime, record: Any, reason: str | None = None
) -> None:
    """The entry of a statement's step: the case does not move."""
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=reason,
        record=record,
    )


def _statement(tx: Transaction, case: Case, number: int) -> Statement:
    return rules.find_statement(tx.statements.statements(case.reference), number, reference=case.reference)


def _latest(documents: Sequence[Document], number: int) -> Document:
    return max((d for d in documents if d.number == number), key=lambda d: d.version)


def _content(tx: Transaction, sha256: str) -> Iterator[bytes]:
    seq = 0
    while (chunk := tx.documents.chunk(sha256, seq)) is not None:
        yield chunk
        seq += 1


def _title(statement_kind: str, number: int, language: str) -> str:
    tr = translator(language)
    return tr.gettext(DRAFT_TITLE).format(kind=rules.label(statement_kind, tr), number=number)


# -- drafting and editing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Drafted:
    """A statement rendered: its DOCX and PDF."""

    docx: bytes
    pdf: bytes


def draft(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    letterpress: LetterRenderer,
    reference: str,
    kind: str,
    actor: str,
    language: str | None = None,
) -> Statement:
    """A draft statement of `kind` about case `reference`, in `language` (default the NCP's)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    rules.check_kind(kind)
    chosen = check_language(language or settings.ncp.language)
    today = settings.policy.calendar.local_date(clock.now())
    with uow.read() as tx:
        case = tx.cases.get(reference)
        check_offered(case)
        rules.check_kind(kind, case.procedure.statements_drafted(case.state))
        by_position = tx.parties.contacts(reference)
        contacts = {key: by_position.get(n, []) for n, (key, _p) in enumerate(party_keys(case.parties))}
        values = statement_values(
            case=case,
            issues=tx.issues.of_case(reference),
            kind=kind,
            language=chosen,
            today=today,
            settings=settings,
            lead=letter_rules.lead_name(tx, case),
            contacts=contacts,
            protected=tx.cases.protected_parties(),
        )
    docx = letterpress.render_letter(f"statement_{kind}", chosen, values)
    rendered = Drafted(docx, letterpress.pdf(docx, chosen))
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        rules.check_kind(kind, case.procedure.statements_drafted(case.state))
        number = max((s.number for s in tx.statements.statements(reference)), default=0) + 1
        filed = [
            file_document(
                tx,
                reference=reference,
                source=[content],
                filename=f"{reference}-statement-{number}.{suffix}",
                title=_title(kind, number, chosen),
                direction="internal",
                party=None,
                access="ncp",
                exemption=None,
                actor=actor,
                at=now,
                rules=settings.documents.rules,
            )
            for content, suffix in ((rendered.docx, "docx"), (rendered.pdf, "pdf"))
        ]
        statement = Statement(
            number=number,
            kind=kind,
            language=chosen,
            status=StatementStatus.DRAFT,
            docx_document=filed[0].number,
            pdf_document=filed[1].number,
            created_at=now,
            created_by=actor,
        )
        tx.statements.add_statement(reference, statement)
        _audit(
            tx,
            case,
            actor=actor,
            at=now,
            record=records.StatementDrafted(number, kind, chosen, filed[0].number, filed[1].number),
        )
    log.info("statement_drafted", case=reference, statement=number, kind=kind, language=chosen)
    return statement


def edit(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    letterpress: LetterRenderer,
    reference: str,
    statement: int,
    upload: Spooled,
    actor: str,
) -> Statement:
    """The statement's DOCX as edited in Word (`upload`, read already: the caller closes it) filed
    as a new version of its DOCX document, and the PDF made from it a new version of its PDF."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        found = _statement(tx, case, statement)
        rules.check_draft(found, reference=reference, state=case.state)
    docx = b"".join(upload.chunks())
    try:
        pdf = letterpress.pdf(docx, found.language)
    except Exception:  # python-docx's errors for what is not a Word document vary by what it is
        raise InvalidInputError(
            N_("{what} {filename} is not a Word document (.docx)"),
            what=Input("", "file"),
            filename=upload.filename,
        ) from None
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        current = _statement(tx, case, statement)
        rules.check_draft(current, reference=reference, state=case.state)
        filed = [
            file_document(
                tx,
                reference=reference,
                source=[content],
                filename=f"{reference}-statement-{statement}.{suffix}",
                title=_title(current.kind, statement, current.language),
                direction="internal",
                party=None,
                access="ncp",
                exemption=None,
                actor=actor,
                at=now,
                replaces=number,
                rules=settings.documents.rules,
            )
            for content, suffix, number in (
                (docx, "docx", current.docx_document),
                (pdf, "pdf", current.pdf_document),
            )
        ]
        _audit(
            tx,
            case,
            actor=actor,
            at=now,
            record=records.StatementEdited(statement, filed[0].version, filed[1].version),
        )
    log.info("statement_edited", case=reference, statement=statement, version=filed[0].version)
    return current


# -- comment rounds --------------------------------------------------------------------------------


def _party_keys(case: Case, chosen: Sequence[str]) -> tuple[str, ...]:
    if not chosen:
        raise InvalidInputError(N_("name at least one of the case's parties ({what})"), what=rules.PARTIES)
    return tuple(dict.fromkeys(find_party(case.parties, p, reference=case.reference) for p in chosen))


def _attachment(document: Document) -> Any:
    from states.outbox import Attachment

    return Attachment(document.filename, document.media_type, document.sha256, document.size)


def _mail(
    tx: Transaction,
    *,
    case: Case,
    to: str,
    name: str,
    language: str,
    subject: str,
    paragraph: str,
    attachments: Sequence[Any],
    now: datetime,
    settings: Settings,
    render: Renderer,
) -> int:
    """One e-mail in the "letter" layout (a subject and a paragraph), queued; its outbox id."""
    rendered = render(
        "letter",
        language,
        {
            "reference": case.reference,
            "letter_subject": subject,
            "paragraphs": [paragraph],
            "attachments": [a.filename for a in attachments],
            "recipient_name": name,
            "ncp_name": settings.ncp.name_in(language),
        },
    )
    return tx.outbox.add(
        message_id=new_message_id(settings),
        case_ref=case.reference,
        kind="letter",
        recipient=to,
        language=language,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        at=now,
        attachments=attachments,
    )


def _words(template: str, statement_kind: str, case: Case, due: date, language: str) -> str:
    tr = translator(language)
    return tr.gettext(template).format(
        kind=rules.label(statement_kind, tr), reference=case.reference, due=long_date(due, language)
    )


def circulate(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    render: Renderer,
    reference: str,
    statement: int,
    parties_chosen: Sequence[str],
    actor: str,
    days: int | None = None,
) -> Round:
    """Open a comment round: the statement's PDF as it stands sent to `parties_chosen` (keys or
    names) with a window of `days` (default `[statements] comment_days`)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    window = rules.check_days(days if days is not None else settings.statements.comment_days)
    with uow.write() as tx:
        now = clock.now()
        today = settings.policy.calendar.local_date(now)
        case = tx.cases.get(reference)
        check_offered(case)
        found = _statement(tx, case, statement)
        rules.check_draft(found, reference=reference, state=case.state)
        rules.check_kind(found.kind, case.procedure.statements_drafted(case.state))
        keys = _party_keys(case, parties_chosen)
        pdf = _latest(tx.documents.of_case(reference), found.pdf_document)
        number = max((r.number for r in tx.statements.rounds(reference)), default=0) + 1
        due = today + timedelta(days=window)
        outbox: list[int] = []
        entries: list[int] = []
        for key in keys:
            contacts = [
                c
                for c in parties.recipients(uow=uow, reference=reference, party=key)
                if c.channel is ContactChannel.EMAIL and c.email
            ]
            for contact in contacts:
                outbox.append(
                    _mail(
                        tx,
                        case=case,
                        to=contact.email or "",
                        name=contact.name,
                        language=contact.language,
                        subject=_words(CIRCULATED_SUBJECT, found.kind, case, due, contact.language),
                        paragraph=_words(CIRCULATED_TEXT, found.kind, case, due, contact.language),
                        attachments=[_attachment(pdf)],
                        now=now,
                        settings=settings,
                        render=render,
                    )
                )
            entry = correspondence.record(
                tx,
                case=case,
                actor=actor,
                now=now,
                at=now,
                direction="out",
                party=key,
                channel="email" if contacts else "post",
                subject=_words(CIRCULATED_SUBJECT, found.kind, case, due, "en"),
                documents=[pdf.number],
            )
            entries.append(entry.number)
        opened = Round(
            number=number,
            statement=found.number,
            document=pdf.number,
            version=pdf.version,
            parties=keys,
            days=window,
            opened_on=today,
            due_on=due,
            opened_at=now,
            opened_by=actor,
        )
        tx.statements.add_round(reference, opened)
        _audit(
            tx,
            case,
            actor=actor,
            at=now,
            record=records.StatementCirculated(
                number,
                found.number,
                pdf.number,
                pdf.version,
                keys,
                window,
                due,
                tuple(outbox),
                tuple(entries),
            ),
        )
    log.info("statement_circulated", case=reference, round=number, parties=list(keys), due=due.isoformat())
    return opened


def comment(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    round: int,
    party: str,
    via: str,
    actor: str,
    text: str | None = None,
    upload: Spooled | None = None,
) -> Comment:
    """A comment received in round `round` from `party` (a key or name), by `via` (email, post,
    link); its text and/or `upload` (read already: the caller closes it), filed `in` from that
    party as an internal document."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    rules.check_via(via)
    said = rules.check_comment(text, upload is not None)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        found = rules.find_round(tx.statements.rounds(reference), round, reference=reference)
        key = find_party(case.parties, party, reference=reference)
        rules.check_party_in_round(found, key, reference=reference)
        rules.check_open(found, reference=reference, state=case.state)
        document = None
        if upload is not None:
            document = file_document(
                tx,
                reference=reference,
                source=upload,
                filename=upload.filename,
                title=COMMENT_TITLE.format(statement=found.statement, round=round),
                direction="in",
                party=key,
                access="ncp",
                exemption=None,
                actor=actor,
                at=now,
                rules=settings.documents.rules,
            ).number
        received = Comment(
            number=len(tx.statements.comments(reference)) + 1,
            round=round,
            party=key,
            via=via,
            received_at=now,
            recorded_by=actor,
            text=said,
            document=document,
        )
        tx.statements.add_comment(reference, received)
        digest = hashlib.sha256(said.encode()).hexdigest() if said is not None else None
        _audit(
            tx,
            case,
            actor=actor,
            at=now,
            record=records.CommentReceived(round, received.number, key, via, digest, document),
        )
    log.info("comment_received", case=reference, round=round, party=key, via=via)
    return received


def _close(tx: Transaction, *, case: Case, found: Round, actor: str, now: datetime, why: str) -> bool:
    if not tx.statements.close_round(case.reference, found.number, at=now, by=actor):
        return False
    count = sum(1 for c in tx.statements.comments(case.reference) if c.round == found.number)
    _audit(tx, case, actor=actor, at=now, record=records.CommentRoundClosed(found.number, why, count))
    log.info("comment_round_closed", case=case.reference, round=found.number, why=why)
    return True


def close(*, uow: UnitOfWork, clock: Clock, reference: str, round: int, actor: str) -> Round:
    """Close open round `round` early (or at its end): its window deadline is met now."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        found = rules.find_round(tx.statements.rounds(reference), round, reference=reference)
        rules.check_open(found, reference=reference, state=case.state)
        _close(tx, case=case, found=found, actor=actor, now=now, why="closed")
    return replace(found, closed_at=now, closed_by=actor)


def window(case: Case, found: Round) -> Deadline:
    """Round `found`'s window as a deadline of `case`: its explanation, met when it closed."""
    return Deadline(
        name=rules.window_name(found.number),
        basis_on=found.opened_on,
        basis_label=WINDOW_BASIS,
        duration=Duration(0, found.days),
        calendar=case.calendar,
        started_at=found.opened_at,
        met_at=found.closed_at,
        met_on=case.calendar.local_date(found.closed_at) if found.closed_at else None,
    )


def held(case: Case, found: Round) -> Round:
    """Round `found` with its window's end moved on by the whole days its case was paused since
    the round opened: the window stands still while the clock does, like any deadline's."""
    paused = sum(span.days for span in spans_for(window(case, found), case.pauses, case.calendar))
    return replace(found, due_on=found.due_on + timedelta(days=paused)) if paused else found


def sweep(
    tx: Transaction, *, now: datetime, today: date, settings: Settings, render: Renderer
) -> list[dict[str, Any]]:
    """Inside the alert sweep's transaction: each open round's window as a deadline. A round
    whose window has ended is closed (why `ended`); otherwise the lead is alerted at each rung
    of `[alerts]` once, and the parties' contacts reminded once `[statements] remind_before`
    the end. What each alert entry holds."""
    queued: list[dict[str, Any]] = []
    policy = settings.alert_policy
    before = Duration.parse(settings.statements.remind_before)
    cases: dict[str, Case] = {}
    for round_id, reference, found, fired in tx.statements.open_rounds():
        if reference not in cases:
            cases[reference] = tx.cases.get(reference)
        case = cases[reference]
        if case.paused:
            continue
        found = held(case, found)
        if today > found.due_on:
            _close(tx, case=case, found=found, actor=SCHEDULER_ACTOR, now=now, why="ended")
            continue
        statement = _statement(tx, case, found.statement)
        for rung in rungs_to_fire(found.due_on, policy, today=today, fired=fired, started=found.opened_on):
            if rung.kind is RungKind.ESCALATION or not tx.statements.claim(
                round_id=round_id, rung=rung.key, due=found.due_on, at=now
            ):
                continue
            queued.append(
                _alert_lead(
                    tx,
                    case=case,
                    found=found,
                    statement=statement,
                    rung=rung.key,
                    kind=rung.kind,
                    now=now,
                    today=today,
                    settings=settings,
                    render=render,
                )
            )
        remind_on = found.due_on - timedelta(days=before.months * 30 + before.days)
        key = rules.rung_key(settings.statements.remind_before)
        if (
            today >= remind_on
            and key not in fired
            and tx.statements.claim(round_id=round_id, rung=key, due=found.due_on, at=now)
        ):
            queued.append(
                _remind_parties(
                    tx,
                    case=case,
                    found=found,
                    statement=statement,
                    rung=key,
                    now=now,
                    settings=settings,
                    render=render,
                )
            )
    return queued


def _alert_lead(
    tx: Transaction,
    *,
    case: Case,
    found: Round,
    statement: Statement,
    rung: str,
    kind: RungKind,
    now: datetime,
    today: date,
    settings: Settings,
    render: Renderer,
) -> dict[str, Any]:
    name = rules.window_name(found.number)
    recipients = recipients_for(case, kind, settings)
    message = message_kind(name, kind)
    for recipient in recipients:
        tr = translator(recipient.language)
        title = tr.gettext(WINDOW_TITLE).format(kind=rules.label(statement.kind, tr), round=found.number)
        rendered = render(
            message,
            recipient.language,
            {
                "reference": case.reference,
                "title": case.title,
                "deadline": name,
                "due": found.due_on,
                "days": abs((found.due_on - today).days),
                "explanation": window(case, found).explain(
                    tr=procedures.words(case.procedure, recipient.language)
                ),
                "deadline_titles": {name: title},
                "recipient_name": recipient.name,
                "ncp_name": settings.ncp.name_in(recipient.language),
            },
        )
        tx.outbox.add(
            message_id=new_message_id(settings),
            case_ref=case.reference,
            kind=message,
            recipient=recipient.address,
            language=recipient.language,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            at=now,
        )
    alert = records.Alert(case.reference, name, rung, found.due_on, tuple(r.key for r in recipients))
    _audit(
        tx, case, actor=SCHEDULER_ACTOR, at=now, record=alert, reason=ALERT.format(rung=rung, deadline=name)
    )
    log.info("alert_queued", case=case.reference, deadline=name, rung=rung)
    return alert.to_data()


def _remind_parties(
    tx: Transaction,
    *,
    case: Case,
    found: Round,
    statement: Statement,
    rung: str,
    now: datetime,
    settings: Settings,
    render: Renderer,
) -> dict[str, Any]:
    by_position = tx.parties.contacts(case.reference)
    keyed = {key: n for n, (key, _p) in enumerate(party_keys(case.parties))}
    from states import contacts as contact_rules

    for key in found.parties:
        for contact in contact_rules.recipients(key, by_position.get(keyed.get(key, -1), [])):
            if contact.channel is not ContactChannel.EMAIL or not contact.email:
                continue
            _mail(
                tx,
                case=case,
                to=contact.email,
                name=contact.name,
                language=contact.language,
                subject=_words(REMINDER_SUBJECT, statement.kind, case, found.due_on, contact.language),
                paragraph=_words(REMINDER_TEXT, statement.kind, case, found.due_on, contact.language),
                attachments=[],
                now=now,
                settings=settings,
                render=render,
            )
    name = rules.window_name(found.number)
    alert = records.Alert(case.reference, name, rung, found.due_on, found.parties)
    _audit(
        tx, case, actor=SCHEDULER_ACTOR, at=now, record=alert, reason=ALERT.format(rung=rung, deadline=name)
    )
    log.info("parties_reminded", case=case.reference, round=found.number)
    return alert.to_data()


# -- publishing ------------------------------------------------------------------------------------


def publish(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    policy: Policy,
    reference: str,
    statement: int,
    actor: str,
    trigger: str | None = None,
    reason: str | None = None,
) -> Statement:
    """Publish draft `statement`: its final PDF filed as a public version, and the procedure's
    fact or trigger for its kind fired (`trigger` picks among the kind's triggers), in the fact's
    or the step's own transaction; a refusal there leaves nothing written."""
    from workflow import cases as case_steps
    from workflow import facts as fact_steps

    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        check_offered(case)
        found = _statement(tx, case, statement)
        rules.check_draft(found, reference=reference, state=case.state)
        offered = case.procedure.statements_published(case.state)
        rules.check_kind(found.kind, offered)
        rule = case.procedure.statements[found.kind]
        chosen = _trigger(rule.triggers, trigger) if rule.triggers else None
        if trigger is not None and not rule.triggers:
            raise InvalidInputError(
                N_("{what} goes only with a statement whose publishing fires a step"), what=TRIGGER
            )
        pdf = b"".join(_content(tx, _latest(tx.documents.of_case(reference), found.pdf_document).sha256))
    fired = f"trigger:{chosen}" if chosen else (f"fact:{rule.fact}" if rule.fact else None)
    done: list[Statement] = []

    def inside(_case: Case) -> None:
        with uow.read() as tx:  # joins the fact's or the step's write transaction
            done.append(
                _file_public(
                    tx,
                    reference=reference,
                    statement=statement,
                    pdf=pdf,
                    fired=fired,
                    actor=actor,
                    now=clock.now(),
                    settings=settings,
                )
            )

    if chosen is not None:
        case_steps.advance(
            uow=uow,
            clock=clock,
            policy=policy,
            reference=reference,
            trigger=chosen,
            actor=actor,
            reason=reason or f"{rules.label(found.kind, translator('en'))} {statement} published",
            then=inside,
        )
    elif rule.fact is not None:
        fact_steps.record_fact(
            uow=uow,
            clock=clock,
            policy=policy,
            reference=reference,
            fact=rule.fact,
            on=settings.policy.calendar.local_date(clock.now()),
            actor=actor,
            then=inside,
        )
    else:
        with uow.write() as tx:
            done.append(
                _file_public(
                    tx,
                    reference=reference,
                    statement=statement,
                    pdf=pdf,
                    fired=None,
                    actor=actor,
                    now=clock.now(),
                    settings=settings,
                )
            )
    log.info("statement_published", case=reference, statement=statement, fired=fired)
    return done[0]


def _trigger(triggers: Sequence[str], trigger: str | None) -> str:
    if trigger is None:
        return triggers[0]
    if trigger not in triggers:
        raise InvalidInputError(
            N_("'{trigger}' is not a step publishing this statement fires ({what}); one of {triggers}"),
            trigger=trigger,
            what=TRIGGER,
            triggers=", ".join(triggers),
        )
    return trigger


def _file_public(
    tx: Transaction,
    *,
    reference: str,
    statement: int,
    pdf: bytes,
    fired: str | None,
    actor: str,
    now: datetime,
    settings: Settings,
) -> Statement:
    case = tx.cases.get(reference)
    current = _statement(tx, case, statement)
    rules.check_draft(current, reference=reference, state=case.state)  # a publish that raced this one
    tr = translator(current.language)
    public = file_document(
        tx,
        reference=reference,
        source=[pdf],
        filename=f"{reference}-statement-{statement}.pdf",
        title=tr.gettext(PUBLIC_TITLE).format(
            kind=rules.label(current.kind, tr).capitalize(), reference=reference
        ),
        direction="out",
        party=None,
        access="public",
        exemption=None,
        actor=actor,
        at=now,
        replaces=current.pdf_document,
        rules=settings.documents.rules,
    )
    published = replace(
        current,
        status=StatementStatus.PUBLISHED,
        published_at=now,
        published_by=actor,
        published_version=public.version,
        fired=fired,
    )
    tx.statements.save_statement(reference, published)
    _audit(
        tx,
        case,
        actor=actor,
        at=now,
        record=records.StatementPublished(
            statement, current.kind, public.number, public.version, public.sha256, fired
        ),
    )
    return published


# -- reading ---------------------------------------------------------------------------------------


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Keys of the statements' views that hold no free text: never rewritten by the redaction.
_KEPT = frozenset(
    {"reference", "kind", "status", "party", "parties", "via", "fired", "drafted", "publishable"}
)


def case_statements(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.CaseStatements:
    """The case's statements, rounds and comments (NCP-internal: `READ_INTERNAL` for a viewer).
    For a viewer who may not see a party, what that party wrote is withheld (as its documents
    are refused) and protected names in every other comment are redacted (pseudonyms in
    `language`), as notes and the case's story do."""
    from workflow import redaction as redactions
    from workflow.views import redacted

    if viewer is not None:
        require(viewer.role, Action.READ_INTERNAL)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        documents = tx.documents.of_case(reference)
        found = tx.statements.statements(reference)
        rounds = tx.statements.rounds(reference)
        comments = tx.statements.comments(reference)
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else None
    hidden: set[str] = set()
    if viewer is not None:
        leads = parties.leads(viewer, case)
        hidden = {
            key
            for key, party in party_keys(case.parties)
            if not may_see(party, role=viewer.role, leads=leads)
        }
    listed = _listed(case, documents, found, rounds, comments, hidden)
    return listed if redaction is None else redacted(listed, redaction, reference, _KEPT)


def _listed(
    case: Case,
    documents: Sequence[Document],
    found: Sequence[Statement],
    rounds: Sequence[Round],
    comments: Sequence[Comment],
    hidden: set[str],
) -> read_models.CaseStatements:
    procedure, reference = case.procedure, case.reference
    return read_models.CaseStatements(
        reference=reference,
        statements=[
            read_models.StatementView(
                number=s.number,
                kind=s.kind,  # type: ignore[arg-type]
                language=s.language,
                status=s.status.value,
                docx_document=s.docx_document,
                pdf_document=s.pdf_document,
                version=_latest(documents, s.pdf_document).version,
                created_at=s.created_at.isoformat(),
                created_by=s.created_by,
                published_at=_instant(s.published_at),
                published_version=s.published_version,
                fired=s.fired,
            )
            for s in found
        ],
        rounds=[
            read_models.RoundView(
                number=r.number,
                statement=r.statement,
                document=r.document,
                version=r.version,
                parties=list(r.parties),
                days=r.days,
                opened_on=r.opened_on,
                due_on=r.due_on,
                open=r.is_open,
                closed_at=_instant(r.closed_at),
            )
            for r in (held(case, r) for r in rounds)
        ],
        comments=[
            read_models.CommentView(
                number=c.number,
                round=c.round,
                party=c.party,
                via=c.via,  # type: ignore[arg-type]
                text=None if c.party in hidden else c.text,
                document=None if c.party in hidden else c.document,
                withheld=c.party in hidden,
                received_at=c.received_at.isoformat(),
            )
            for c in comments
        ],
        drafted=list(procedure.statements_drafted(case.state)),
        publishable=list(procedure.statements_published(case.state)),
        triggers={kind: list(rule.triggers) for kind, rule in procedure.statements.items() if rule.triggers},
    )


def circulated(*, uow: UnitOfWork, reference: str, party: str) -> list[read_models.CirculatedDraft]:
    """The drafts circulated to `party` (its key) of case `reference`, by round: what that
    party's link may show (nothing of another party's round)."""
    with uow.read() as tx:
        case = tx.cases.get(reference)
        key = find_party(case.parties, party, reference=reference)
        kinds = {s.number: s.kind for s in tx.statements.statements(reference)}
        documents = {(d.number, d.version): d for d in tx.documents.of_case(reference)}
        rounds = [held(case, r) for r in tx.statements.rounds(reference) if key in r.parties]
    return [
        read_models.CirculatedDraft(
            round=r.number,
            statement=r.statement,
            kind=kinds[r.statement],  # type: ignore[arg-type]
            document=r.document,
            version=r.version,
            title=documents[(r.document, r.version)].title,
            due_on=r.due_on,
            open=r.is_open,
        )
        for r in rounds
    ]


def published(*, uow: UnitOfWork, reference: str) -> list[read_models.PublishedStatement]:
    """The case's published statements, by number: each one's public PDF (access `public`)."""
    with uow.read() as tx:
        found = tx.statements.statements(reference)
    return [
        read_models.PublishedStatement(
            number=s.number,
            kind=s.kind,  # type: ignore[arg-type]
            language=s.language,
            published_at=s.published_at.isoformat(),
            document=s.pdf_document,
            version=s.published_version,
        )
        for s in found
        if s.published_at is not None and s.published_version is not None
    ]
