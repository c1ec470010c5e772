"""Taking in a case bundle from another NCP (the sending side is workflow/bundles.py).

`receive_bundle` judges a bundle against the configured `[[peers]]` keys (states/bundles.py),
then, in one write transaction: opens the case (the first bundle of a pair; led as the sender
records it) or finds it (by the reference it names here, or the sender's reference linked by an
earlier bundle), checks the pair's order, files the documents this case does not hold yet, takes
a handover and review comments in through slice A's use cases (joined to this transaction), and
records the receipt (`case_bundles`, `bundle_received` with the bundle's SHA-256). The sender's
case becomes a `parallel` related instance of the local one (slice C's links, `case_linked` in the
same transaction) the first time its reference is known: on the case a bundle opens, and on the
sender's own case when the recipient's first bundle comes back; a link a handler removed is not
made again. Any refusal, named, leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from states import bundles as rules
from states import case_links as link_rules
from states import records
from states.bundles import HANDOVER, RECEIVED, Link
from states.case import Case, CaseDetails, Party, PartyRole, Policy, require_actor
from states.documents import DocumentRules, size_text
from states.errors import (
    BundleRefusedError,
    CaseNotFoundError,
    Input,
    InvalidInputError,
    Refusal,
    StepRefusedError,
    TooLargeError,
)
from states.messages import N_
from states.permissions import Action
from workflow import cases, inputs
from workflow.bundles import Joined, peers_of
from workflow.config import Settings
from workflow.documents import file_document
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.bundles")

BUNDLE = Input(N_("the bundle file"), "bundle")
TOO_LARGE = N_("{what} is larger than {limit}, the most a bundle may be ([sharing] max_bundle_bytes)")


@dataclass(frozen=True)
class Received:
    """A bundle taken in: the local case it opened or updated, and what the chain recorded."""

    reference: str
    sender: str
    peer_reference: str
    kind: str
    sequence: int
    sha256: str
    opened: bool
    documents: tuple[int, ...]
    reviews: tuple[Mapping[str, Any], ...] = field(default=())


def too_large(limit: int, what: Input = BUNDLE) -> TooLargeError:
    """The refusal of a bundle larger than `limit` bytes (`[sharing] max_bundle_bytes`)."""
    return TooLargeError(TOO_LARGE, what=what, limit=size_text(limit))


def read_bundle(path: Path, *, limit: int) -> bytes:
    """A bundle file's bytes, at most `limit` read; a missing, unreadable or larger file is bad
    input."""
    try:
        with path.open("rb") as file:
            raw = file.read(limit + 1)
    except OSError as exc:
        raise InvalidInputError(
            N_("{what} {value} cannot be read: {problem}"), what=BUNDLE, value=str(path), problem=exc.strerror
        ) from None
    if len(raw) > limit:
        raise too_large(limit)
    return raw


def check_size(raw: bytes, *, limit: int) -> None:
    """A bundle's bytes read already (an upload): more than `limit` is refused, naming the file."""
    if len(raw) > limit:
        raise too_large(limit)


def _parties_in(case: Mapping[str, Any]) -> tuple[Party, ...]:
    parties: list[Party] = []
    for entry in list(case.get("parties", [])):
        role = PartyRole(str(entry.get("role")))
        protected = entry.get("protected") is True
        name = str(entry.get("label") if protected else entry.get("name"))
        parties.append(
            Party(
                role,
                name,
                entry.get("type"),
                confidential=protected,
                org_number=None if protected else entry.get("org_number"),
            )
        )
    return tuple(parties)


def _details(case: Mapping[str, Any]) -> CaseDetails:
    return CaseDetails(
        themes=inputs.themes([str(t) for t in case.get("themes", [])]),
        host_countries=inputs.countries([str(c) for c in case.get("host_countries", [])]),
        sector=case.get("sector") or None,
        guidelines_edition=inputs.edition(case.get("guidelines_edition")),
    )


def _local_case(tx: Transaction, opened: rules.Opened) -> str | None:
    """The local case a bundle is about: the one it names here (which must have been shared
    with its sender), else the one linked to the sender's reference; None: a new case."""
    named = opened.case.get("recipient_reference")
    if named is not None:
        try:
            tx.cases.get(str(named))
            links = tx.bundles.of_case(str(named))
        except CaseNotFoundError:
            links = []
        if not any(link.peer == opened.sender for link in links):
            raise BundleRefusedError(
                Refusal.WRONG_RECIPIENT,
                N_("the bundle is about case {reference}, which this NCP has not shared with {ncp}"),
                reference=str(named),
                ncp=opened.sender,
            )
        return str(named)
    return tx.bundles.linked(opened.sender, str(opened.case.get("reference")))


def _coordinate(
    joined: Joined,
    clock: Clock,
    settings: Settings,
    reference: str,
    opened: rules.Opened,
    *,
    opening: bool,
    actor: str,
) -> None:
    """What a bundle says of the case's NCPs, taken in through slice A's use cases: a case it
    opens is led as the sender records it, with the sender's supporting NCPs in their roles; a
    handover makes this NCP the lead; each review comment answers this case's review task of the
    sender (refused, with the whole bundle, when it has none open)."""
    from workflow import ncp_roles

    own = settings.ncp.country
    ncps = opened.payload.get("ncps")
    if opening and isinstance(ncps, Mapping):
        lead = [str(code) for code in ncps.get("lead", [])]
        if lead and tuple(lead) != (own,):
            ncp_roles.set_lead(
                uow=joined,
                clock=clock,
                settings=settings,
                reference=reference,
                lead=lead,
                actor=actor,
                reason=None,
            )
        for supporting in ncps.get("supporting", []):
            ncp, role = str(supporting.get("ncp")), str(supporting.get("role"))
            with joined.read() as tx:
                has = tx.ncps.of_case(reference).role_of(ncp)
            if has is not None and has.value == role:
                continue  # already so: an NCP that stopped leading stays as consulted (set_lead)
            step = ncp_roles.add_supporting if has is None else ncp_roles.change_role
            step(
                uow=joined,
                clock=clock,
                settings=settings,
                reference=reference,
                ncp=ncp,
                role=role,
                actor=actor,
                reason=None,
            )
    if opened.kind == HANDOVER:
        ncp_roles.transfer_lead(
            uow=joined,
            clock=clock,
            settings=settings,
            reference=reference,
            to=own,
            actor=actor,
            reason=str(opened.payload["reason"]),  # the sender's own words (checked: states/bundles.py)
        )
    for review in opened.reviews:
        statement = review.get("statement")
        ncp_roles.record_review(
            uow=joined,
            clock=clock,
            reference=reference,
            ncp=opened.sender,
            comment=str(review.get("comment")),
            actor=actor,
            statement=int(statement) if isinstance(statement, int) else None,
            on=inputs.parse_day(str(review.get("on")), "on") if review.get("on") else None,
        )


def _relate(
    tx: Transaction,
    settings: Settings,
    case: Case,
    sender: str,
    peer_reference: str,
    actor: str,
    now: datetime,
) -> None:
    """The sender's case as a `parallel` related instance of `case`, unless a link to it stands
    or stood (one a handler removed is not made again)."""
    wanted = (sender.upper(), " ".join(peer_reference.split()).casefold())
    for link in tx.case_links.of_case(case.reference):
        if (
            link.ncp is not None
            and link.external_reference is not None
            and (link.ncp.upper(), " ".join(link.external_reference.split()).casefold()) == wanted
        ):
            return
    try:
        made = link_rules.new_link(
            tx.case_links.of_case(case.reference),
            number=tx.case_links.next_number(),
            reference=case.reference,
            state=case.state,
            kind=link_rules.PARALLEL,
            other=None,
            ncp=sender,
            external_reference=peer_reference,
            url=None,
            own_ncp=settings.ncp.country,
            linked_at=now,
            linked_by=actor,
        )
    except (InvalidInputError, StepRefusedError) as refused:
        log.warning("bundle_link_skipped", case=case.reference, sender=sender, problem=type(refused).__name__)
        return
    tx.case_links.add(made)
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=made.linked_at,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=records.CaseLinked(
            number=made.number,
            relation=made.relation(case.reference),
            linked_case=None,
            ncp=made.ncp,
            external_reference=made.external_reference,
            url=None,
        ),
    )


@contextmanager
def _logged(raw: bytes, actor: str) -> Iterator[None]:
    """A refusal logged with its reason and the bundle's hash, then raised."""
    try:
        yield
    except BundleRefusedError as refused:
        log.warning("bundle_refused", reason=str(refused.reason), sha256=rules.digest(raw), actor=actor)
        raise


def receive_bundle(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    policy: Policy,
    raw: bytes,
    actor: str,
    rules_of_documents: DocumentRules,
    notices: Any = None,
) -> Received:
    """Take in a bundle file's bytes; see the module docstring."""
    with _logged(raw, actor):
        require_actor(actor)
        opened = rules.open_bundle(raw, peers=peers_of(settings), me=settings.ncp.country)
        peer_reference = str(opened.case.get("reference"))
        with uow.write() as tx:
            authorise(tx, actor, Action.OPEN_CASE)
            now = clock.now()
            if tx.bundles.with_sha256(opened.sha256):
                raise BundleRefusedError(
                    Refusal.REPLAYED, N_("bundle {sha256} was received already"), sha256=opened.sha256
                )
            local = _local_case(tx, opened)
            links = tx.bundles.of_case(local) if local is not None else []
            rules.check_order(links, opened)
            if local is None:
                received_on = inputs.parse_day(str(opened.case.get("received")), "received")
                case = cases.opened_in(
                    tx,
                    policy=policy,
                    reference_prefix=settings.ncp.reference_prefix,
                    title=str(opened.case.get("title")),
                    parties=_parties_in(opened.case),
                    details=_details(opened.case),
                    received_at=policy.calendar.start_of_day(received_on),
                    now=now,
                    actor=actor,
                    notices=notices,
                )
            else:
                case = tx.cases.get(local)
            held = {document.sha256 for document in tx.documents.of_case(case.reference)}
            filed: list[int] = []
            for entry in opened.documents:
                if entry.get("sha256") in held:
                    continue
                document = file_document(
                    tx,
                    reference=case.reference,
                    source=[rules.content_of(entry)],
                    filename=str(entry.get("filename")),
                    title=str(entry.get("title")),
                    direction="in",
                    party=None,
                    access=str(entry.get("access")),
                    exemption=None,
                    actor=actor,
                    at=now,
                    rules=rules_of_documents,
                    reason=None,  # the bundle_received entry names the documents it filed
                )
                held.add(document.sha256)
                filed.append(document.number)
            _coordinate(
                Joined(uow, tx), clock, settings, case.reference, opened, opening=local is None, actor=actor
            )
            tx.bundles.add(
                Link(
                    reference=case.reference,
                    direction=RECEIVED,
                    peer=opened.sender,
                    peer_reference=peer_reference,
                    kind=opened.kind,
                    sequence=opened.sequence,
                    sha256=opened.sha256,
                    previous=opened.previous,
                    at=now,
                    actor=actor,
                )
            )
            current = tx.cases.get(case.reference)
            state = current.state
            tx.audit.append(
                case_ref=case.reference,
                actor=actor,
                at=now,
                from_state=state,
                to_state=state,
                reason=None,
                record=records.BundleReceived(
                    bundle=opened.kind,
                    sender=opened.sender,
                    peer_reference=peer_reference,
                    sequence=opened.sequence,
                    sha256=opened.sha256,
                    key=opened.key,
                    documents=tuple(filed),
                    opened=local is None,
                    previous=opened.previous,
                ),
            )
            _relate(tx, settings, current, opened.sender, peer_reference, actor, now)
        log.info(
            "bundle_received",
            case=case.reference,
            sender=opened.sender,
            kind=opened.kind,
            sequence=opened.sequence,
            sha256=opened.sha256,
            actor=actor,
        )
        return Received(
            reference=case.reference,
            sender=opened.sender,
            peer_reference=peer_reference,
            kind=opened.kind,
            sequence=opened.sequence,
            sha256=opened.sha256,
            opened=local is None,
            documents=tuple(filed),
            reviews=tuple(opened.reviews),
        )


def bundles_of(*, uow: UnitOfWork, reference: str) -> list[Link]:
    """The case's bundles sent and received, oldest first."""
    with uow.read() as tx:
        tx.cases.get(reference)
        return tx.bundles.of_case(reference)
