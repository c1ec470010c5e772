"""Party links: one party's signed, expiring, revocable address to one case (issue 15).

Parties have no accounts. A handler issues a party a link (`ncpflow link issue REF PARTY`): its
number, case, party, when it expires and who issued it are stored with the sha256 of its token,
never the token, which is shown once. The token is the link's number and a random nonce, signed
with `itsdangerous` (HMAC-SHA1 over a key derived from the application's party-link key,
`[party_links] key_file` or `$NCPFLOW_PARTY_LINK_KEY`, made beside the database the first time).
Opening a link checks, in order: the signature (a forged or altered token, or a link number
swapped, fails here, with no database read), the stored hash (a token the database does not hold
fails even under a leaked key), then `states.party_links.refusal` (revoked, expired, the case
ended, the party no longer the case's).

What the party sees (`party_view`) is the case's reference and title, its stage and next
indicative date in the party's words, nothing internal: deadline explanations without the reasons
of pauses and extensions, and every protected party other than itself by its pseudonym. What it
sends (`send_comment`, `send_document`) is filed as a document of the case with the case file's
checks (direction `in`, the link's party, access `parties`), the actor `party:<key>` and the link's
number in the entry's reason. Issuing and revoking are audited (`party_link_issued`,
`party_link_revoked`), never with the token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from states import records
from states.audit_wording import THROUGH_LINK
from states.case import Case
from states.errors import Input, InvalidInputError
from states.messages import N_
from states.parties import find_party, party_keys
from states.party_links import LinkState, PartyLink, Refusal, actor_of, refusal, valid_days
from states.permissions import Action
from states.redaction import Redaction
from translations import translator
from workflow import documents, procedures, read_models
from workflow.config import Settings
from workflow.files import kept_secret
from workflow.logging import get_logger
from workflow.ports import Clock, Renderer, Transaction, UnitOfWork
from workflow.users import authorise

if TYPE_CHECKING:
    from itsdangerous import URLSafeSerializer

    from states.documents import Document, DocumentRules

log = get_logger("ncpflow.party_links")

KEY_ENV = "NCPFLOW_PARTY_LINK_KEY"
MIN_BYTES = 32
_SALT = "ncpflow.party-link"
# What a token looks like (itsdangerous's URL-safe payload "." signature); anything else is
# refused without a database read.
_TOKEN = re.compile(r"[A-Za-z0-9_\-.]{20,200}")
LINK = Input(N_("link"), "link")
SEND = Input(N_("E-mail it to the party"), "send")
COMMENT = Input(N_("comment"), "text")
COMMENT_MAX = 20_000
ACCESS = "parties"


def link_key(settings: Settings) -> str:
    """The key that signs party links: `$NCPFLOW_PARTY_LINK_KEY`, else `[party_links] key_file`
    (default: beside the database), made with a fresh random key the first time."""
    return kept_secret(
        settings,
        env=KEY_ENV,
        configured=settings.party_links.key_file,
        suffix=".party-link-key",
        option="[party_links] key_file",
        what="party-link key",
        min_bytes=MIN_BYTES,
    )


def link_url(settings: Settings, token: str) -> str:
    """The address of the link holding `token`: `[web] public_url` and `/p/TOKEN` (the path
    alone when no public address is configured)."""
    return f"{(settings.web.public_url or '').rstrip('/')}/p/{token}"


def _serializer(key: str) -> URLSafeSerializer:
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(key, salt=_SALT)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewLink:
    """A link just issued: its token (shown this once) and how it is listed."""

    token: str
    link: PartyLink
    sent_to: tuple[int, ...] = ()  # the contacts it was e-mailed to


@dataclass(frozen=True)
class Listed:
    """A link as the handler's list shows it: the link and what it is now."""

    link: PartyLink
    state: LinkState


def link_view(
    link: PartyLink, state: LinkState, url: str | None = None, sent_to: tuple[int, ...] = ()
) -> read_models.PartyLink:
    """A link as the API and `link list --json` give it."""
    return read_models.PartyLink(
        id=link.id,
        reference=link.reference,
        party=link.party,
        state=state.value,
        issued_at=link.issued_at.isoformat(),
        expires_at=link.expires_at.isoformat(),
        issued_by=link.issued_by,
        revoked_at=link.revoked_at.isoformat() if link.revoked_at else None,
        revoked_by=link.revoked_by,
        url=url,
        sent_to=list(sent_to),
    )


def _days(days: int | None, default: int) -> int:
    return valid_days(default if days is None else days)


def issue_link(
    *,
    uow: UnitOfWork,
    clock: Clock,
    key: str,
    reference: str,
    party: str,
    actor: str,
    days: int | None = None,
    default_days: int = 60,
    send: bool = False,
    url_base: str | None = None,
    settings: Settings | None = None,
    render: Renderer | None = None,
) -> NewLink:
    """A new link for `party` (a key or a name) of the open case `reference`, valid for `days`
    (default `[party_links] valid_for`); audited `party_link_issued`. With `send` it is e-mailed,
    through the outbox, to each of the party's current contacts with an e-mail address, in the
    contact's language, at `url_base` + `/p/TOKEN` (refused, writing nothing, without a base
    or without such a contact)."""
    valid = _days(days, default_days)
    now = clock.now()
    nonce = secrets.token_urlsafe(16)
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_PARTY_LINKS)
        case = tx.cases.get(reference)
        key_of = find_party(case.parties, party, reference=reference)
        if case.is_terminal:
            raise InvalidInputError(
                N_("case {reference} is closed: its parties get no new links"), reference=reference
            )
        expires = now + timedelta(days=valid)
        number = tx.party_links.add(
            reference, key_of, f"pending-{nonce}", issued_at=now, expires_at=expires, issued_by=actor
        )
        token = _serializer(key).dumps([number, nonce])
        tx.party_links.set_token_hash(number, _hash(token))
        link = PartyLink(number, reference, key_of, now, expires, actor)
        sent_to: tuple[int, ...] = ()
        if send:
            if settings is None or render is None or not url_base:
                raise InvalidInputError(
                    N_("{what}: a link is e-mailed only where [web] public_url names the site's address"),
                    what=SEND,
                )
            sent_to = _mail(tx, case, link, f"{url_base.rstrip('/')}/p/{token}", settings, render, now)
        _audit(tx, case, actor, now, records.PartyLinkIssued(number, key_of, expires, sent_to))
    log.info("party_link_issued", case=reference, link=number, party=key_of, actor=actor)
    return NewLink(token, link, sent_to)


def _mail(
    tx: Transaction,
    case: Case,
    link: PartyLink,
    url: str,
    settings: Settings,
    render: Renderer,
    now: datetime,
) -> tuple[int, ...]:
    """The link e-mailed to each of the party's current contacts that has an e-mail address, through
    the outbox; their numbers. Refused when the party has none."""
    from states.contacts import recipients
    from workflow.alerts import new_message_id

    contacts = tx.parties.contacts(case.reference).get(_position(case, link.party), [])
    chosen = [r for r in recipients(link.party, contacts) if r.email]
    if not chosen:
        raise InvalidInputError(
            N_("{what}: party {party} has no contact with an e-mail address to send the link to"),
            what=SEND,
            party=link.party,
        )
    for recipient in chosen:
        redaction = party_redaction(tx, case, link.party, recipient.language)
        rendered = render(
            "party_link",
            recipient.language,
            {
                "reference": case.reference,
                "title": redaction.text(case.title, case.reference),
                "url": url,
                "expires": case.calendar.local_date(link.expires_at),
                "recipient_name": recipient.name,
                "ncp_name": settings.ncp.name_in(recipient.language),
            },
        )
        assert recipient.email is not None
        tx.outbox.add(
            message_id=new_message_id(settings),
            case_ref=case.reference,
            kind="party_link",
            recipient=recipient.email,
            language=recipient.language,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            at=now,
        )
    return tuple(r.contact for r in chosen)


def list_links(*, uow: UnitOfWork, clock: Clock, reference: str) -> list[Listed]:
    """The case's links, oldest first, each with what it is now."""
    now = clock.now()
    with uow.read() as tx:
        tx.cases.get(reference)  # an unknown case is refused
        return [Listed(link, link.state(now)) for link in tx.party_links.of_case(reference)]


def revoke_link(*, uow: UnitOfWork, clock: Clock, reference: str, link: int, actor: str) -> PartyLink:
    """Revoke link `link` of case `reference`: it no longer opens; audited `party_link_revoked`.
    Refused when the case has no such link, or it is revoked already."""
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_PARTY_LINKS)
        case = tx.cases.get(reference)
        found = tx.party_links.get(link)
        if found is None or found[0].reference != reference:
            raise InvalidInputError(
                N_("case {reference} has no party link {link}"), reference=reference, link=link
            )
        listed = found[0]
        if listed.revoked_at is not None:
            raise InvalidInputError(N_("party link {link} is revoked already"), link=link)
        tx.party_links.revoke(link, at=now, by=actor)
        _audit(tx, case, actor, now, records.PartyLinkRevoked(link, listed.party))
    log.info("party_link_revoked", case=reference, link=link, actor=actor)
    return replace(listed, revoked_at=now, revoked_by=actor)


def _audit(tx: Transaction, case: Case, actor: str, at: datetime, record: records.AuditRecord) -> None:
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=record,
    )


# -- opening a link ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A link that opens: the link and its case as read."""

    link: PartyLink
    case: Case


class LinkRefusedError(InvalidInputError):
    """The link does not open: `why` says which rule refused it."""

    code = "party_link_refused"

    def __init__(self, why: Refusal) -> None:
        self.why = why
        super().__init__(REFUSALS[why])


REFUSALS = {
    Refusal.INVALID: N_(
        "This link is not valid. Check that it was copied whole, or ask the NCP for a new one."
    ),
    Refusal.REVOKED: N_("This link has been withdrawn. Ask the NCP for a new one."),
    Refusal.EXPIRED: N_("This link has expired. Ask the NCP for a new one."),
    Refusal.CLOSED: N_("This case is closed: its link no longer opens."),
    Refusal.GONE: N_("This link no longer opens. Ask the NCP for a new one."),
}


def link_number(key: str, token: str) -> int:
    """The link number a token carries when its signature holds; LinkRefusedError otherwise."""
    from itsdangerous import BadSignature

    if not _TOKEN.fullmatch(token):
        raise LinkRefusedError(Refusal.INVALID)
    try:
        payload = _serializer(key).loads(token)
    except BadSignature:
        raise LinkRefusedError(Refusal.INVALID) from None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or isinstance(payload[0], bool)
        or not isinstance(payload[1], str)
    ):
        raise LinkRefusedError(Refusal.INVALID)
    return payload[0]


def opened_in(tx: Transaction, *, number: int, token: str, now: datetime) -> Opened:
    """Link `number` read inside `tx`, checked against `token`'s hash and the rules of
    `states.party_links.refusal`; LinkRefusedError when it does not open."""
    found = tx.party_links.get(number)
    if found is None or not hmac.compare_digest(found[1], _hash(token)):
        raise LinkRefusedError(Refusal.INVALID)
    link = found[0]
    case = tx.cases.get(link.reference)
    keys = frozenset(key for key, _party in party_keys(case.parties))
    why = refusal(link, now=now, terminal=case.is_terminal, party_keys=keys)
    if why is not None:
        raise LinkRefusedError(why)
    return Opened(link, case)


def open_link(*, uow: UnitOfWork, clock: Clock, key: str, token: str) -> Opened:
    """The link `token` opens, with its case; LinkRefusedError (naming why) when it does not."""
    number = link_number(key, token)
    with uow.read() as tx:
        return opened_in(tx, number=number, token=token, now=clock.now())


# -- what the party sees ------------------------------------------------------------------------


@dataclass(frozen=True)
class NextDate:
    """The next indicative date: the open deadline due first, in the party's words."""

    name: str
    due: str
    explanation: str


@dataclass(frozen=True)
class PartyView:
    """What a party's page shows of its case."""

    reference: str
    title: str
    party: str
    party_name: str
    stage: str
    next_date: NextDate | None
    link: int
    expires_at: datetime
    contact_language: str | None
    drafts: tuple[read_models.CirculatedDraft, ...] = ()  # the drafts circulated to the party


def party_redaction(tx: Transaction, case: Case, party: str, language: str) -> Redaction:
    """Every protected party of the case but `party` itself, and their contacts, hidden by their
    pseudonyms in `language`; every other case's protected parties too (a name may recur)."""
    own = dict(party_keys(case.parties))[party]
    contacts = {c.name for c in tx.parties.contacts(case.reference).get(_position(case, party), [])}
    # A protected item is the party itself, or a detail of one of its own contacts (`owner`).
    hidden = [
        item
        for item in tx.cases.protected_parties()
        if item.reference != case.reference
        or (item.name != own.name and (item.owner or item.name) not in contacts)
    ]
    return Redaction(hidden, translator(language))


def _position(case: Case, party: str) -> int:
    return [key for key, _party in party_keys(case.parties)].index(party)


def contact_language(tx: Transaction, case: Case, party: str) -> str | None:
    """The language of the party's first current contact (representatives first), if any."""
    from states.contacts import recipients

    found = recipients(party, tx.parties.contacts(case.reference).get(_position(case, party), []))
    return found[0].language if found else None


def party_view(*, uow: UnitOfWork, clock: Clock, opened: Opened, language: str) -> PartyView:
    """The party's view of its case in `language`: nothing internal, no protected other party."""
    case, link = opened.case, opened.link
    words = procedures.words(case.procedure, language)
    from states import wording
    from workflow import statements

    with uow.read() as tx:
        redaction = party_redaction(tx, case, link.party, language)
        spoken = contact_language(tx, case, link.party)
    drafts = tuple(
        draft.model_copy(update={"title": redaction.text(draft.title, case.reference)})
        for draft in statements.circulated(uow=uow, reference=case.reference, party=link.party)
    )
    next_date = None
    open_ones = sorted((d for d in case.open_deadlines), key=lambda d: (d.due, d.name))
    if open_ones:
        first = open_ones[0]
        public = replace(
            first,
            pauses=tuple(replace(p, reason=words.gettext(N_("the case was paused"))) for p in first.pauses),
            extensions=tuple(
                replace(e, reason=words.gettext(N_("extended")), approved_by=words.gettext(N_("the NCP")))
                for e in first.extensions
            ),
        )
        next_date = NextDate(
            name=wording.term(first.name, words),
            due=first.due.isoformat(),
            explanation=redaction.text(public.explain(tr=words), case.reference),
        )
    own = dict(party_keys(case.parties))[link.party]
    return PartyView(
        reference=case.reference,
        title=redaction.text(case.title, case.reference),
        party=link.party,
        party_name=own.name,
        stage=wording.term(case.state, words),
        next_date=next_date,
        link=link.id,
        expires_at=link.expires_at,
        contact_language=spoken,
        drafts=drafts,
    )


# -- what the party sends ------------------------------------------------------------------------


def reason_of(link: PartyLink) -> str:
    """The audit entry's reason for what was done through `link`."""
    return THROUGH_LINK.format(link=link.id)  # worded again on reading (states/audit_wording.py)


def send_document(
    *,
    uow: UnitOfWork,
    clock: Clock,
    key: str,
    token: str,
    rules: DocumentRules,
    source: documents.Source | documents.Spooled,
    filename: str,
    title: str,
) -> Document:
    """A document the party sends through its link, filed on its case with the case file's
    checks: direction `in`, the link's party, access `parties`, the actor `party:<key>`."""
    number = link_number(key, token)
    with uow.read() as tx:
        opened_in(tx, number=number, token=token, now=clock.now())
    spooled = (
        source
        if isinstance(source, documents.Spooled)
        else documents.spool(source, filename=filename, max_size=rules.max_size)
    )
    try:
        with uow.write() as tx:
            now = clock.now()
            opened = opened_in(tx, number=number, token=token, now=now)  # still open, in the write
            document = documents.file_document(
                tx,
                reference=opened.link.reference,
                source=spooled,
                filename=filename,
                title=title,
                direction="in",
                party=opened.link.party,
                access=ACCESS,
                exemption=None,
                actor=actor_of(opened.link.party),
                at=now,
                rules=rules,
                reason=reason_of(opened.link),
            )
    finally:
        if spooled is not source:
            spooled.close()
    log.info(
        "party_link_document",
        case=document.reference,
        link=number,
        number=document.number,
        actor=document.added_by,
    )
    return document


def send_comment(
    *, uow: UnitOfWork, clock: Clock, key: str, token: str, rules: DocumentRules, text: str, title: str
) -> Document:
    """A comment (text) the party writes through its link, filed as a text document of its case."""
    from states.limits import check_text

    body = text.strip()
    if not body:
        raise InvalidInputError(N_("{what} is required and must not be blank"), what=COMMENT)
    check_text(body, COMMENT, limit=COMMENT_MAX)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return send_document(
        uow=uow,
        clock=clock,
        key=key,
        token=token,
        rules=rules,
        source=[body.encode("utf-8")],
        filename=f"comment-{stamp}.txt",
        title=title,
    )


# -- the drafts circulated to the party (the statements' comment rounds) -------------------------

NO_DRAFT = N_("no draft of round {round} was sent to you")


def _draft(uow: UnitOfWork, opened: Opened, round: int) -> read_models.CirculatedDraft:
    from workflow import statements

    for draft in statements.circulated(uow=uow, reference=opened.link.reference, party=opened.link.party):
        if draft.round == round:
            return draft
    raise InvalidInputError(NO_DRAFT, round=round)


def open_draft(*, uow: UnitOfWork, clock: Clock, key: str, token: str, round: int) -> documents.OpenDocument:
    """The PDF of round `round` as it was sent to the link's party (that version only); refused
    (InvalidInputError) for a round not sent to it."""
    opened = open_link(uow=uow, clock=clock, key=key, token=token)
    draft = _draft(uow, opened, round)
    found = documents.open_document(
        uow=uow, reference=opened.link.reference, number=draft.document, version=draft.version
    )
    with uow.read() as tx:
        redaction = party_redaction(tx, opened.case, opened.link.party, "en")
    named = redaction.text(found.document.filename, opened.link.reference)
    return replace(found, document=replace(found.document, filename=named))


def comment_on_round(
    *,
    uow: UnitOfWork,
    clock: Clock,
    key: str,
    token: str,
    settings: Settings,
    round: int,
    text: str | None,
    upload: documents.Spooled | None,
) -> int:
    """A comment through the link on open round `round` sent to its party (`app.statements.
    comment`, via `link`, the actor `party:<key>`); the comment's number."""
    from workflow import statements

    opened = open_link(uow=uow, clock=clock, key=key, token=token)
    _draft(uow, opened, round)
    said = statements.comment(
        uow=uow,
        clock=clock,
        settings=settings,
        reference=opened.link.reference,
        round=round,
        party=opened.link.party,
        via="link",
        actor=actor_of(opened.link.party),
        text=text,
        upload=upload,
    )
    log.info("party_link_comment", case=opened.link.reference, link=opened.link.id, round=round)
    return said.number
