"""Case bundles: what one NCP shares of a case with another, signed, and how a bundle is judged.

A bundle is one JSON document (docs/bundle-format.md): `{"payload": {...}, "signature": {...}}`,
written as its canonical JSON (keys sorted, no spaces, UTF-8) and one newline. Its hash is the
SHA-256 of those bytes. The signature is Ed25519 over "ncpflow-case-bundle/1\\n" + the canonical
JSON of `payload` (`states.signatures.message`), by the sending NCP's audit signing key.

Judging a received bundle, in order, each refusal named by a `Refusal`:
1. `not_a_bundle`: not UTF-8 JSON of this shape;
2. `tampered`: not exactly its canonical spelling (a byte changed anywhere changes the spelling,
   the payload or the signature), or a signature that does not verify;
3. `unknown_key`: the key is not the configured one of the NCP the payload names as sender;
4. `wrong_recipient`: addressed to another NCP;
5. `beyond_rights`: holds what another NCP may not see (a document more restricted than
   `parties`, a protected party's name);
6. `replayed` / `out_of_order`: its sequence is not the next one of its case pair, or it does not
   name the hash of the bundle before it.

Pure: bytes and keys in, values out; the use cases (workflow/bundles.py) read files and tables.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from states.chain import HASHED_FIELDS, canonical_json, entry_hash
from states.errors import BundleRefusedError, Refusal
from states.guidelines import SUBMITTER_TYPES
from states.limits import WORD_MAX
from states.messages import N_
from states.signatures import ALGORITHM, Check, Signer, TrustedKeys

FORMAT = "ncpflow-case-bundle"
VERSION = 1
LABEL = "ncpflow-case-bundle/1"
SHARE = "share"
HANDOVER = "handover"
KINDS = (SHARE, HANDOVER)
SHAREABLE = frozenset({"public", "parties"})
"""The document access levels another NCP may receive (`ncp`, NCP-internal, never leaves)."""
SENT, RECEIVED = "sent", "received"
DEPTH_MAX = 64
"""How deeply a bundle's JSON may nest: the format's own is a handful of levels; nesting JSON
reads but Python cannot write back (the canonical spelling) is refused before it is."""
RESTRICTED = N_("document {number} is '{access}': another NCP may receive only public or parties documents")


def _refuse(reason: Refusal, message: str, **params: object) -> BundleRefusedError:
    return BundleRefusedError(reason, message, **params)


def file_bytes(value: Mapping[str, Any]) -> bytes:
    """The one spelling of a bundle file: canonical JSON and a newline."""
    return (canonical_json(dict(value)) + "\n").encode("utf-8")


def digest(raw: bytes) -> str:
    """A bundle's hash: the SHA-256 of the file's bytes, in hex."""
    return hashlib.sha256(raw).hexdigest()


def seal(payload: Mapping[str, Any], signer: Signer) -> bytes:
    """The signed bundle file for `payload`."""
    signature = {"alg": ALGORITHM, "key": signer.key_id, "sig": signer.sign(LABEL, payload)}
    return file_bytes({"payload": dict(payload), "signature": signature})


@dataclass(frozen=True)
class Opened:
    """A bundle whose signature verified, from a known sender, to us."""

    payload: Mapping[str, Any]
    sha256: str
    sender: str  # the sending NCP's code
    key: str  # the key's fingerprint

    @property
    def kind(self) -> str:
        return str(self.payload["kind"])

    @property
    def sequence(self) -> int:
        return int(self.payload["sequence"])

    @property
    def previous(self) -> str | None:
        value = self.payload.get("previous")
        return str(value) if value is not None else None

    @property
    def case(self) -> Mapping[str, Any]:
        case: Mapping[str, Any] = self.payload["case"]
        return case

    @property
    def documents(self) -> list[Mapping[str, Any]]:
        return list(self.payload.get("documents", []))

    @property
    def reviews(self) -> list[Mapping[str, Any]]:
        return list(self.payload.get("reviews", []))


def _shape(value: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(value, dict) or set(value) != {"payload", "signature"}:
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: expected 'payload' and 'signature'"))
    payload, signature = value["payload"], value["signature"]
    if not isinstance(payload, dict) or not isinstance(signature, dict):
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: expected 'payload' and 'signature'"))
    if payload.get("format") != FORMAT or payload.get("version") != VERSION:
        raise _refuse(
            Refusal.NOT_A_BUNDLE,
            N_("not a case bundle of format {format} version {version}"),
            format=FORMAT,
            version=VERSION,
        )
    for key in ("from", "to", "case"):
        if not isinstance(payload.get(key), dict):
            raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: '{key}' is missing"), key=key)
    if payload.get("kind") not in KINDS or not _counting(payload.get("sequence")):
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: 'kind' or 'sequence' is wrong"))
    for key in ("documents", "audit", "reviews"):
        if not isinstance(payload.get(key, []), list):
            raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: '{key}' is not a list"), key=key)
    if not isinstance(payload.get("ncps", {}), dict) or not all(
        isinstance(review, dict) and isinstance(review.get("comment"), str)
        for review in payload.get("reviews", [])
    ):
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: 'ncps' or a review is not as documented"))
    return payload, signature


def _counting(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` deep (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def open_bundle(raw: bytes, *, peers: Mapping[str, TrustedKeys], me: str) -> Opened:
    """Judge a received bundle file's bytes (steps 1-4 of the module docstring): `peers` holds
    each known NCP's keys by its code, `me` is our own code."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: not UTF-8 JSON")) from None
    if _deeper_than(value, DEPTH_MAX):
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: nested too deeply"))
    payload, signature = _shape(value)
    try:
        spelled = file_bytes(value)
    except UnicodeEncodeError:  # a lone surrogate (`\ud800`): JSON, but no UTF-8 text
        raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: not UTF-8 JSON")) from None
    if spelled != raw:
        raise _refuse(Refusal.TAMPERED, N_("the bundle was changed: it is not in its signed spelling"))
    sender = str(payload["from"].get("ncp"))
    key, sig = signature.get("key"), signature.get("sig")
    if signature.get("alg") != ALGORITHM or not isinstance(key, str) or not isinstance(sig, str):
        raise _refuse(Refusal.TAMPERED, N_("the bundle's signature is not an Ed25519 signature"))
    trusted = peers.get(sender)
    if trusted is None:
        raise _refuse(
            Refusal.UNKNOWN_KEY,
            N_("the bundle comes from {ncp}, which is not a known NCP ([[peers]])"),
            ncp=sender,
        )
    check = trusted.check(key, LABEL, payload, sig)
    if check is Check.UNKNOWN_KEY:
        raise _refuse(
            Refusal.UNKNOWN_KEY,
            N_("the bundle is signed by key {key}, not a key configured for {ncp}"),
            key=key,
            ncp=sender,
        )
    if check is not Check.VALID:
        raise _refuse(Refusal.TAMPERED, N_("the bundle's signature does not verify: it was changed"))
    recipient = payload["to"].get("ncp")
    if recipient != me:
        raise _refuse(
            Refusal.WRONG_RECIPIENT,
            N_("the bundle is addressed to {to}, not to this NCP ({me})"),
            to=str(recipient),
            me=me,
        )
    opened = Opened(payload=payload, sha256=digest(raw), sender=sender, key=key)
    check_rights(opened.payload)
    _check_contents(opened.payload)
    check_excerpt(opened.payload.get("audit", []))
    return opened


_PARTY_ROLES = ("submitter", "enterprise")
_TEXT, _NUMBER = (str,), (int,)
_CASE_FIELDS = {"reference": _TEXT, "title": _TEXT, "received": _TEXT}
_DOCUMENT_FIELDS = {
    "number": _NUMBER,
    "title": _TEXT,
    "filename": _TEXT,
    "access": _TEXT,
    "size": _NUMBER,
    "sha256": _TEXT,
    "content": _TEXT,
}


def _fits(value: Any, fields: Mapping[str, tuple[type, ...]]) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(key), kinds) and not isinstance(value.get(key), bool)
        for key, kinds in fields.items()
    )


def _check_contents(payload: Mapping[str, Any]) -> None:
    """Refuse (`not_a_bundle`) a signed payload whose case, parties or documents lack what a
    receiver needs to take them in, or a handover without its reason (docs/bundle-format.md)."""
    case = payload["case"]
    parties = case.get("parties", [])
    previous, reason = payload.get("previous"), payload.get("reason")
    well_formed = (
        _fits(case, _CASE_FIELDS)
        and _reference(case["reference"])
        and (case.get("recipient_reference") is None or _reference(case["recipient_reference"]))
        and isinstance(parties, list)
        and all(_party(party) for party in parties)
        and all(_fits(document, _DOCUMENT_FIELDS) for document in payload.get("documents", []))
        and all(_texts(case.get(key, [])) for key in ("themes", "host_countries"))
        and all(isinstance(case.get(key), str | None) for key in ("sector", "guidelines_edition"))
        and _ncps_fit(payload.get("ncps", {}))
        and all(_review_fits(review) for review in payload.get("reviews", []))
        and (previous is None or isinstance(previous, str))
        and (payload["kind"] != HANDOVER or (isinstance(reason, str) and bool(reason.strip())))
    )
    if not well_formed:
        raise _refuse(
            Refusal.NOT_A_BUNDLE,
            N_("not a case bundle: its case, parties or documents are not as documented"),
        )


def check_excerpt(rows: Sequence[Any]) -> None:
    """The audit excerpt as an export writes it: every entry that is not marked redacted must
    hash to its `hash` from its `prev_hash` (states.chain); else `tampered`, naming its seq."""
    for row in rows:
        if not isinstance(row, dict) or not all(key in row for key in (*HASHED_FIELDS, "prev_hash", "hash")):
            raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: an audit entry is not as exported"))
        if row.get("redacted") is True:
            continue
        if not isinstance(row["prev_hash"], str) or entry_hash(row["prev_hash"], row) != row["hash"]:
            raise _refuse(
                Refusal.TAMPERED,
                N_("audit entry {seq} does not hash to its hash: it was changed"),
                seq=row["seq"],
            )


def _reference(value: Any) -> bool:
    """A case reference as ncpflow writes one: printable text, none around it, at most WORD_MAX."""
    return (
        isinstance(value, str)
        and bool(value)
        and value == value.strip()
        and len(value) <= WORD_MAX
        and value.isprintable()
    )


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _ncps_fit(ncps: Mapping[str, Any]) -> bool:
    """`ncps` as documented: `lead` a list of codes, `supporting` a list of {ncp, role} texts."""
    supporting = ncps.get("supporting", [])
    return (
        _texts(ncps.get("lead", []))
        and isinstance(supporting, list)
        and all(_fits(entry, {"ncp": _TEXT, "role": _TEXT}) for entry in supporting)
    )


def _review_fits(review: Mapping[str, Any]) -> bool:
    statement = review.get("statement")
    return isinstance(review.get("on"), str | None) and (
        statement is None or (isinstance(statement, int) and not isinstance(statement, bool))
    )


def _party(party: Any) -> bool:
    if not isinstance(party, dict) or party.get("role") not in _PARTY_ROLES:
        return False
    kind, number = party.get("type"), party.get("org_number")
    if not isinstance(kind, str | None) or not isinstance(number, str | None):
        return False
    if party["role"] == "submitter" and kind is not None and kind not in SUBMITTER_TYPES:
        return False
    shown = party.get("label") if party.get("protected") is True else party.get("name")
    return isinstance(shown, str) and bool(shown.strip())


def check_rights(payload: Mapping[str, Any]) -> None:
    """Refuse (`beyond_rights`) a payload holding what another NCP may not see: a document more
    restricted than `parties`, or a protected party's name or organisation number."""
    for document in payload.get("documents", []):
        access = document.get("access") if isinstance(document, Mapping) else None
        if access not in SHAREABLE:
            raise _refuse(
                Refusal.BEYOND_RIGHTS,
                RESTRICTED,
                number=str(document.get("number") if isinstance(document, Mapping) else "?"),
                access=str(access),
            )
    for party in payload["case"].get("parties", []):
        if not isinstance(party, Mapping):
            raise _refuse(Refusal.NOT_A_BUNDLE, N_("not a case bundle: a party is not an object"))
        if party.get("protected") is True and ("name" in party or "org_number" in party):
            raise _refuse(
                Refusal.BEYOND_RIGHTS,
                N_("party {party} is protected: its identity may not leave the NCP that holds it"),
                party=str(party.get("key")),
            )


@dataclass(frozen=True)
class Link:
    """One bundle sent or received for a local case: the case pair's sequence and hashes."""

    reference: str  # the local case
    direction: str  # SENT or RECEIVED
    peer: str  # the other NCP's code
    peer_reference: str | None  # the other NCP's reference of the case, once known
    kind: str
    sequence: int
    sha256: str
    previous: str | None
    at: Any  # datetime (kept Any: the value travels through storage unchanged)
    actor: str


def next_sequence(links: Sequence[Link], *, peer: str, direction: str) -> tuple[int, str | None]:
    """The next sequence and previous hash of `direction` bundles with `peer` for one case."""
    mine = [link for link in links if link.peer == peer and link.direction == direction]
    if not mine:
        return 1, None
    last = max(mine, key=lambda link: link.sequence)
    return last.sequence + 1, last.sha256


def check_order(links: Sequence[Link], opened: Opened) -> None:
    """Refuse a received bundle that is not the next of its case pair: `replayed` when it (or one
    after it) was received already, `out_of_order` when one before it is missing or it does not
    follow the last one received."""
    if any(link.sha256 == opened.sha256 for link in links):
        raise _refuse(Refusal.REPLAYED, N_("bundle {sha256} was received already"), sha256=opened.sha256)
    expected, previous = next_sequence(links, peer=opened.sender, direction=RECEIVED)
    if opened.sequence < expected:
        raise _refuse(
            Refusal.REPLAYED,
            N_("bundle {sequence} from {ncp} for this case was received already (next: {expected})"),
            sequence=opened.sequence,
            ncp=opened.sender,
            expected=expected,
        )
    if opened.sequence > expected or opened.previous != previous:
        raise _refuse(
            Refusal.OUT_OF_ORDER,
            N_("bundle {sequence} from {ncp} does not follow the last one received (expected {expected})"),
            sequence=opened.sequence,
            ncp=opened.sender,
            expected=expected,
        )


def content_of(document: Mapping[str, Any]) -> bytes:
    """A document's content from its bundle entry, checked against its sha256 and size."""
    try:
        raw = base64.b64decode(str(document.get("content", "")).encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeError):
        raise _refuse(
            Refusal.NOT_A_BUNDLE, N_("not a case bundle: a document's content is not base64")
        ) from None
    if hashlib.sha256(raw).hexdigest() != document.get("sha256") or len(raw) != document.get("size"):
        raise _refuse(Refusal.TAMPERED, N_("a document's content does not match its sha256 or size"))
    return raw


def encode(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")
