"""Sharing a case with another NCP: the bundle written (the receiving side is
workflow/bundle_receipt.py).

`share_case` writes what another NCP may see of a case (states/bundles.py, docs/bundle-format.md):
its facts with every protected party as its pseudonym, the documents chosen (none more
restricted than `parties`: asking for one is refused `beyond_rights`), the case's audit entries
as an export shows them, the case's NCPs and the review tasks open for the recipient, and review
comments (redacted like the title and a handover's reason); signed with the NCP's audit signing
key. In one write transaction the `case_bundles` row and the `bundle_sent` entry (with the file's
SHA-256) are written, a handover passes the lead and takes the `transfer` step, and the file is
written before the commit; a failed commit removes the file, a refusal leaves no file, row or
entry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from states import bundles as rules
from states import records
from states.bundles import HANDOVER, SENT, SHARE, SHAREABLE, Link
from states.case import Case, Policy, require_actor
from states.chain import format_instant
from states.documents import Document
from states.errors import REASON, BundleRefusedError, Input, InvalidInputError, Refusal
from states.limits import NOTE_MAX, check_text
from states.messages import N_
from states.parties import party_keys
from states.permissions import Action
from states.pseudonyms import pseudonym
from states.reviews import check_comment
from states.signatures import Signer, TrustedKeys
from workflow import cases
from workflow import redaction as redactions
from workflow.config import ConfigError, PeerSection, Settings
from workflow.documents import content_chunks
from workflow.exports import Redactor
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.bundles")

TO = Input(N_("the NCP to share with"), "to")
DOCUMENTS = Input(N_("a document number"), "documents")
OUT = Input(N_("the bundle file"), "out")


@dataclass(frozen=True)
class Shared:
    """A bundle written: where, and what the sender's chain recorded of it."""

    reference: str
    to: str
    kind: str
    sequence: int
    sha256: str
    path: Path
    documents: tuple[int, ...]


class Joined:
    """A unit of work whose transactions are the caller's running write: a use case called
    through it (the lead's transfer, a review comment, the `transfer` step) writes inside that
    transaction, so its refusal rolls the whole bundle back, and its success commits with it."""

    def __init__(self, uow: UnitOfWork, tx: Transaction) -> None:
        self._uow, self._tx = uow, tx

    @contextmanager
    def read(self, *, fresh: bool = False) -> Iterator[Transaction]:
        yield self._tx

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        yield self._tx

    def user_stamp(self, name: str) -> int | None:
        return self._uow.user_stamp(name)

    def writer_if_free(self) -> AbstractContextManager[None] | None:
        return None


# -- the configured peers -------------------------------------------------------------------------


def peers_of(settings: Settings) -> dict[str, TrustedKeys]:
    """Each `[[peers]]` NCP's public key by its code; a key file that cannot be read is a
    ConfigError naming it."""
    from workflow.audit import read_public_key
    from workflow.files import resolve

    keys: dict[str, TrustedKeys] = {}
    for peer in settings.peers:
        path = resolve(settings, peer.public_key_file)
        try:
            keys[peer.ncp] = TrustedKeys([read_public_key(path)])
        except InvalidInputError as problem:
            raise ConfigError(f"[[peers]] {peer.ncp} public_key_file: {problem}") from None
    return keys


def _known_peer(settings: Settings, to: str) -> PeerSection:
    code = to.strip().upper()
    if code == settings.ncp.country:
        raise InvalidInputError(N_("{what}: {value} is this NCP itself"), what=TO, value=code)
    peer = settings.peer(code)
    if peer is None:
        known = ", ".join(p.ncp for p in settings.peers) or "none"
        raise InvalidInputError(
            N_("{what}: {value} is not a known NCP ([[peers]] in config.toml: {known})"),
            what=TO,
            value=code,
            known=known,
        )
    return peer


# -- sharing --------------------------------------------------------------------------------------


def _parties(case: Case) -> list[dict[str, Any]]:
    """The case's parties as another NCP may see them: a protected one by its pseudonym only."""
    shown: list[dict[str, Any]] = []
    for key, party in party_keys(case.parties):
        entry: dict[str, Any] = {
            "key": key,
            "role": str(party.role),
            "type": party.type,
            "protected": party.protected,
        }
        if party.protected:
            entry["label"] = pseudonym(case.reference, party.name, kind=str(party.role))
        else:
            entry["name"] = party.name
            entry["org_number"] = party.org_number
        shown.append(entry)
    return shown


def case_facts(case: Case, *, text: Any, recipient_reference: str | None) -> dict[str, Any]:
    """The case's facts for a bundle; `text` redacts free text (a protected name in the title)."""
    return {
        "reference": case.reference,
        "recipient_reference": recipient_reference,
        "title": text(case.title, case.reference),
        "received": case.received_on.isoformat(),
        "state": case.state,
        "outcome": case.outcome,
        "procedure": {"id": case.procedure.id, "version": case.procedure.version},
        "themes": list(case.details.themes),
        "host_countries": list(case.details.host_countries),
        "sector": text(case.details.sector, case.reference) if case.details.sector else None,
        "guidelines_edition": case.details.guidelines_edition,
        "parties": _parties(case),
    }


def _chosen(
    tx: Transaction, uow: UnitOfWork, case: Case, numbers: Sequence[int], text: Any
) -> list[dict[str, Any]]:
    """The latest version of each document asked for, with its content; refused when a number is
    unknown (bad input) or a document is more restricted than `parties` (`beyond_rights`)."""
    latest: dict[int, Document] = {}
    for document in tx.documents.of_case(case.reference):
        if document.number not in latest or document.version > latest[document.number].version:
            latest[document.number] = document
    entries: list[dict[str, Any]] = []
    for number in dict.fromkeys(numbers):
        found = latest.get(number)
        if found is None:
            raise InvalidInputError(
                N_("{what}: case {reference} has no document {value}"),
                what=DOCUMENTS,
                reference=case.reference,
                value=number,
            )
        document = found
        if document.access not in SHAREABLE:
            raise BundleRefusedError(
                Refusal.BEYOND_RIGHTS,
                rules.RESTRICTED,
                number=number,
                access=document.access,
            )
        content = b"".join(
            content_chunks(uow, document.sha256, document.size, f"document {number}: stored content changed")
        )
        entries.append(
            {
                "number": document.number,
                "version": document.version,
                "title": text(document.title, case.reference),
                "filename": text(document.filename, case.reference),
                "media_type": document.media_type,
                "direction": document.direction,
                "access": document.access,
                "size": document.size,
                "sha256": document.sha256,
                "added_at": format_instant(document.added_at),
                "content": rules.encode(content),
            }
        )
    return entries


WITHHELD = "[withheld]"


def _without_measures(row: dict[str, Any]) -> dict[str, Any]:
    """An audit excerpt's entry without the measures against reprisals a party entry names:
    another NCP sees a party at risk by its pseudonym only, so not the measures taken for it
    (`workflow.parties.parties_view` hides them with the party). Marked redacted when changed."""
    data = row.get("data")
    if not isinstance(data, dict):
        return row
    if row.get("kind") == "party_added" and data.get("measures"):
        data = {**data, "measures": WITHHELD}
    elif row.get("kind") == "party_changed" and isinstance(data.get("changes"), dict):
        change = data["changes"].get("measures")
        if isinstance(change, dict):
            hidden = {key: WITHHELD if value else value for key, value in change.items()}
            data = {**data, "changes": {**data["changes"], "measures": hidden}}
    if data is row["data"]:
        return row
    return {**row, "data": data, "redacted": True}


@dataclass(frozen=True)
class Review:
    """A review comment the sender gives on a draft of the recipient's (its open review task on
    `statement`, else its earliest open one), given on `on`."""

    comment: str
    on: date
    statement: int | None = None

    def entry(self) -> dict[str, Any]:
        return {"comment": self.comment, "on": self.on.isoformat(), "statement": self.statement}


def _ncps(tx: Transaction, reference: str, own: str, peer: str) -> dict[str, Any]:
    """The case's NCPs as the sender records them (slice A's roles), and the review tasks open
    for the recipient: what it is asked to review, and by when."""
    ncps = tx.ncps.of_case(reference)
    tasks = [
        {"task": t.number, "statement": t.statement, "due": t.due.isoformat()}
        for t in tx.ncps.tasks(reference)
        if t.ncp == peer and not t.answered
    ]
    return {
        "lead": list(ncps.leads(own)),
        "supporting": [{"ncp": s.ncp, "role": s.role.value} for s in ncps.supporting],
        "review_tasks": tasks,
    }


def _check_sending(handover: bool, reason: str | None, reviews: Sequence[Review]) -> None:
    """A handover's reason (required) and each review comment's text, as `share_case` checks them."""
    if handover:
        check_text(reason or "", REASON, limit=NOTE_MAX)
    for review in reviews:
        check_comment(review.comment)


def check_share(
    *,
    uow: UnitOfWork,
    settings: Settings,
    reference: str,
    to: str,
    documents: Sequence[int],
    handover: bool = False,
    reason: str | None = None,
    reviews: Sequence[Review] = (),
) -> PeerSection:
    """What `share_case` would refuse before it reads anything else, for a page to ask first:
    an unknown NCP or this one, a handover without its reason, a review comment's text, a
    document the case lacks or one more restricted than `parties` (each named as `share_case`
    names it); nothing is written. The recipient's section."""
    recipient = _known_peer(settings, to)
    _check_sending(handover, reason, reviews)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        access = {document.number: document.access for document in tx.documents.of_case(reference)}
        for number in dict.fromkeys(documents):
            if number not in access:
                raise InvalidInputError(
                    N_("{what}: case {reference} has no document {value}"),
                    what=DOCUMENTS,
                    reference=case.reference,
                    value=number,
                )
            if access[number] not in SHAREABLE:
                raise BundleRefusedError(
                    Refusal.BEYOND_RIGHTS, rules.RESTRICTED, number=number, access=access[number]
                )
    return recipient


def _write_new(path: Path, raw: bytes) -> None:
    """Write `raw` to `path`, which must not exist yet (never overwrite a bundle)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise InvalidInputError(N_("{what} {value} exists already"), what=OUT, value=str(path)) from None
    except OSError as exc:
        raise InvalidInputError(
            N_("{what} {value} cannot be written: {problem}"), what=OUT, value=str(path), problem=exc.strerror
        ) from None
    with os.fdopen(fd, "wb") as made:
        made.write(raw)
        made.flush()
        os.fsync(made.fileno())


def share_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    signer: Signer | None,
    reference: str,
    to: str,
    actor: str,
    documents: Sequence[int] = (),
    reviews: Sequence[Review] = (),
    handover: bool = False,
    reason: str | None = None,
    out: Path | None = None,
    policy: Policy | None = None,
) -> Shared:
    """Write the next bundle of case `reference` for NCP `to` into `out` (default
    `REF-to-NCP-N.bundle.json` in the current folder) and record it; see the module docstring.
    `handover`: the lead passes to `to` (slice A's transfer, then the `transfer` step, both with
    `reason`, in the same transaction)."""
    require_actor(actor)
    recipient = _known_peer(settings, to)
    peer = recipient.ncp
    _check_sending(handover, reason, reviews)
    if signer is None:
        raise ConfigError(
            "no audit signing key: bundles are signed with it ($NCPFLOW_AUDIT_SIGNING_KEY or "
            "[audit] signing_key_file; `ncpflow audit keygen` makes one)"
        )
    if out is not None and out.exists():
        raise InvalidInputError(N_("{what} {value} exists already"), what=OUT, value=str(out))
    kind = HANDOVER if handover else SHARE
    written: Path | None = None
    try:
        with uow.write() as tx:
            authorise(tx, actor, Action.EDIT_CASE)
            now = clock.now()
            case = tx.cases.get(reference)
            redaction = redactions.protecting(tx)
            links = tx.bundles.of_case(reference)
            sequence, previous = rules.next_sequence(links, peer=peer, direction=SENT)
            peer_reference = next(
                (
                    link.peer_reference
                    for link in reversed(links)
                    if link.peer == peer and link.peer_reference
                ),
                None,
            )
            redactor = Redactor(tx)
            head = tx.audit.head()
            excerpt = [
                _without_measures(redactor.entry(entry))
                for entry in tx.audit.entries(
                    case_ref=reference, after=0, upto=head.seq if head else 0, limit=None
                )
            ]
            payload: dict[str, Any] = {
                "format": rules.FORMAT,
                "version": rules.VERSION,
                "kind": kind,
                "from": {"ncp": settings.ncp.country, "name": settings.ncp.name, "key": signer.key_id},
                "to": {"ncp": peer, "name": recipient.name},
                "created": format_instant(now),
                "sequence": sequence,
                "previous": previous,
                "case": case_facts(case, text=redaction.text, recipient_reference=peer_reference),
                "documents": _chosen(tx, uow, case, documents, redaction.text),
                "audit": excerpt,
                "ncps": _ncps(tx, reference, settings.ncp.country, peer),
                "reason": redaction.text(str(reason), reference) if handover else None,
                "reviews": [
                    {**review.entry(), "comment": redaction.text(review.comment, reference)}
                    for review in reviews
                ],
            }
            rules.check_rights(payload)  # what the recipient would refuse is never sent
            raw = rules.seal(payload, signer)
            sha256 = rules.digest(raw)
            numbers = tuple(d["number"] for d in payload["documents"])
            tx.bundles.add(
                Link(
                    reference=reference,
                    direction=SENT,
                    peer=peer,
                    peer_reference=peer_reference,
                    kind=kind,
                    sequence=sequence,
                    sha256=sha256,
                    previous=previous,
                    at=now,
                    actor=actor,
                )
            )
            tx.audit.append(
                case_ref=reference,
                actor=actor,
                at=now,
                from_state=case.state,
                to_state=case.state,
                reason=None,
                record=records.BundleSent(
                    bundle=kind,
                    to=peer,
                    sequence=sequence,
                    sha256=sha256,
                    key=signer.key_id,
                    documents=numbers,
                    previous=previous,
                    peer_reference=peer_reference,
                ),
            )
            if handover:
                _hand_over(Joined(uow, tx), clock, settings, policy, reference, peer, actor, str(reason))
            target = out or Path(f"{reference}-to-{peer}-{sequence}.bundle.json")
            _write_new(target, raw)
            written = target
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    log.info("bundle_sent", case=reference, to=peer, kind=kind, sequence=sequence, sha256=sha256, actor=actor)
    return Shared(reference, peer, kind, sequence, sha256, target, numbers)


def _hand_over(
    joined: Joined,
    clock: Clock,
    settings: Settings,
    policy: Policy | None,
    reference: str,
    peer: str,
    actor: str,
    reason: str,
) -> None:
    """The sender's side of a handover: the lead passes to `peer`, then the `transfer` step closes
    the case here (refused, with the whole bundle, where the procedure does not allow it now)."""
    from workflow import ncp_roles

    ncp_roles.transfer_lead(
        uow=joined, clock=clock, settings=settings, reference=reference, to=peer, actor=actor, reason=reason
    )
    cases.advance(
        uow=joined,
        clock=clock,
        policy=policy or settings.policy,
        reference=reference,
        trigger="transfer",
        outcome="transferred",
        actor=actor,
        reason=reason,
    )
