"""Judging a case bundle (states/bundles.py): a sealed bundle opens for its recipient; any byte
changed, an unknown sender or key, another recipient, a restricted item, a replay or a gap is
refused with its named reason."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from states import bundles
from states.bundles import Link, Opened
from states.errors import BundleRefusedError, Refusal
from states.signatures import Signer, TrustedKeys

SENDER = Signer.generate()
PEERS = {"NO": TrustedKeys([SENDER.public])}


def _payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "format": bundles.FORMAT,
        "version": bundles.VERSION,
        "kind": bundles.SHARE,
        "from": {"ncp": "NO", "name": "NCP Norway", "key": SENDER.key_id},
        "to": {"ncp": "SE", "name": "NCP Sweden"},
        "created": "2025-06-02T09:00:00.000000Z",
        "sequence": 1,
        "previous": None,
        "case": {
            "reference": "NO-2025-001",
            "recipient_reference": None,
            "title": "Fish farm discharges – Havbruk",
            "received": "2025-05-02",
            "parties": [
                {"key": "submitter-1", "role": "submitter", "protected": True, "label": "Submitter 1f0c9a2e"},
                {"key": "enterprise-1", "role": "enterprise", "protected": False, "name": "Havbruk ASA"},
            ],
        },
        "documents": [],
        "audit": [],
        "reviews": [],
    }
    payload.update(changes)
    return payload


def _refusal(raw: bytes, *, peers: dict[str, TrustedKeys] = PEERS, me: str = "SE") -> Refusal:
    with pytest.raises(BundleRefusedError) as refused:
        bundles.open_bundle(raw, peers=peers, me=me)
    return refused.value.reason


def test_a_sealed_bundle_opens_for_its_recipient_with_the_hash_of_its_bytes() -> None:
    """The hash is the SHA-256 of the file as written; the sender and key are the signer's."""
    raw = bundles.seal(_payload(), SENDER)
    opened = bundles.open_bundle(raw, peers=PEERS, me="SE")
    assert opened.sha256 == bundles.digest(raw) and opened.sender == "NO" and opened.key == SENDER.key_id
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1


def test_changing_any_single_byte_is_refused_with_a_named_reason() -> None:
    """Every position of the file, each flipped in turn: never opened, always a named reason."""
    raw = bundles.seal(_payload(), SENDER)
    reasons = set()
    for position in range(len(raw)):
        changed = raw[:position] + bytes([raw[position] ^ 0x01]) + raw[position + 1 :]
        reasons.add(_refusal(changed))
    assert reasons <= set(Refusal) and Refusal.TAMPERED in reasons


def test_a_reformatted_bundle_is_refused_as_tampered_though_its_json_is_equal() -> None:
    """A space added outside any value does not change the JSON, but does change the bytes."""
    raw = bundles.seal(_payload(), SENDER)
    assert _refusal(raw.replace(b'"payload":', b'"payload": ', 1)) is Refusal.TAMPERED


def test_an_unknown_sender_and_an_unknown_key_are_refused() -> None:
    """A sender not in [[peers]], and a known sender's name signed by another key."""
    stranger = Signer.generate()
    assert _refusal(bundles.seal(_payload(), SENDER), peers={}) is Refusal.UNKNOWN_KEY
    assert _refusal(bundles.seal(_payload(), stranger)) is Refusal.UNKNOWN_KEY


def test_a_bundle_for_another_ncp_is_refused() -> None:
    assert _refusal(bundles.seal(_payload(), SENDER), me="DK") is Refusal.WRONG_RECIPIENT


@pytest.mark.parametrize(
    "change",
    [
        {"documents": [{"number": 1, "access": "ncp"}]},
        {"documents": [{"number": 1}]},
        {
            "case": {
                "reference": "NO-2025-001",
                "parties": [{"key": "submitter-1", "protected": True, "name": "Kari Nordmann"}],
            }
        },
        {"case": {"reference": "NO-2025-001", "parties": [{"protected": True, "org_number": "1"}]}},
    ],
)
def test_an_item_beyond_another_ncps_rights_is_refused(change: dict[str, Any]) -> None:
    """An NCP-internal document (or one of no stated access), a protected party's name or number."""
    assert _refusal(bundles.seal(_payload(**change), SENDER)) is Refusal.BEYOND_RIGHTS


@pytest.mark.parametrize(
    "change",
    [
        {"case": {"reference": "NO-2025-001", "received": "2025-05-02", "parties": []}},
        {"case": {"reference": " ", "title": "T", "received": "2025-05-02", "parties": []}},
        {"case": {"reference": "R", "title": "T", "received": "2025-05-02", "parties": [{"role": "judge"}]}},
        {
            "case": {
                "reference": "R",
                "title": "T",
                "received": "2025-05-02",
                "parties": [{"role": "submitter"}],
            }
        },
        {"documents": [{"number": 1, "access": "parties", "size": "12"}]},
        {"previous": 7},
        {"kind": "handover"},  # without the sender's reason
        {"kind": "handover", "reason": " "},
    ],
)
def test_a_signed_bundle_missing_what_a_receiver_needs_is_not_a_bundle(change: dict[str, Any]) -> None:
    """A title, a received day, a party's role and name (or label), a document's fields, a
    handover's reason."""
    assert _refusal(bundles.seal(_payload(**change), SENDER)) is Refusal.NOT_A_BUNDLE


def test_what_is_not_a_bundle_is_refused_as_such() -> None:
    assert _refusal(b"\xff\xfe") is Refusal.NOT_A_BUNDLE
    assert _refusal(b"[]\n") is Refusal.NOT_A_BUNDLE
    assert _refusal(b"[" * 200_000) is Refusal.NOT_A_BUNDLE  # nested too deeply to read
    assert _refusal(bundles.seal(_payload(format="other"), SENDER)) is Refusal.NOT_A_BUNDLE
    assert _refusal(bundles.seal(_payload(sequence=0), SENDER)) is Refusal.NOT_A_BUNDLE


def _link(sequence: int, sha256: str, previous: str | None) -> Link:
    at = datetime(2025, 6, 2, tzinfo=UTC)
    pair = ("SE-2025-001", bundles.RECEIVED, "NO", "NO-2025-001", "share")
    return Link(*pair, sequence, sha256, previous, at, "sek")


def _opened(sequence: int, previous: str | None, sha256: str = "c" * 64) -> Opened:
    return Opened(_payload(sequence=sequence, previous=previous), sha256, "NO", SENDER.key_id)


def test_the_next_bundle_of_a_pair_follows_the_last_one_received() -> None:
    """Sequence 2 naming bundle 1's hash follows it; a first bundle needs no previous."""
    bundles.check_order([], _opened(1, None))
    bundles.check_order([_link(1, "a" * 64, None)], _opened(2, "a" * 64))


@pytest.mark.parametrize(
    ("opened", "reason"),
    [
        (_opened(1, None, "a" * 64), Refusal.REPLAYED),  # the same bytes again
        (_opened(1, None), Refusal.REPLAYED),  # an older sequence
        (_opened(3, "a" * 64), Refusal.OUT_OF_ORDER),  # one missing in between
        (_opened(2, "b" * 64), Refusal.OUT_OF_ORDER),  # not following the last one
        (_opened(2, None), Refusal.OUT_OF_ORDER),
    ],
)
def test_a_replay_or_a_gap_is_refused(opened: Opened, reason: Refusal) -> None:
    with pytest.raises(BundleRefusedError) as refused:
        bundles.check_order([_link(1, "a" * 64, None)], opened)
    assert refused.value.reason is reason


def test_a_documents_content_must_match_its_hash_and_size() -> None:
    content = b"%PDF-1.4"
    entry = {"content": bundles.encode(content), "sha256": bundles.digest(content), "size": len(content)}
    assert bundles.content_of(entry) == content
    with pytest.raises(BundleRefusedError):
        bundles.content_of({**entry, "size": 3})


def test_a_bundle_nested_deeper_than_the_format_is_not_a_bundle_at_every_depth() -> None:
    """Nesting that JSON reads but Python cannot write back (the canonical spelling, the
    signature's message) is refused `not_a_bundle` like nesting it cannot read: at every depth
    from just past the format's own to past the interpreter's recursion limit, never a
    RecursionError."""
    for depth in range(sys.getrecursionlimit() + 50, bundles.DEPTH_MAX, -1):
        nested = "[" * depth + "]" * depth
        raw = bundles.file_bytes({"payload": _payload(created=None), "signature": {}}).replace(
            b'"created":null', b'"created":' + nested.encode()
        )
        assert _refusal(raw) is Refusal.NOT_A_BUNDLE, depth


def test_a_bundle_holding_a_lone_surrogate_is_not_utf8_json() -> None:
    """`\\ud800` is valid JSON but no Unicode character: it has no UTF-8 spelling, so the bundle is
    refused `not_a_bundle`, never a UnicodeEncodeError."""
    canonical = bundles.file_bytes({"payload": _payload(created="X"), "signature": {}})
    raw = canonical.replace(b'"created":"X"', b'"created":"\\ud800"')
    assert _refusal(raw) is Refusal.NOT_A_BUNDLE
