"""Ed25519 signing of checkpoints and exports: only the private key signs, any copy of the
public key verifies, and the verdict tells an altered message from an unknown key."""

from __future__ import annotations

import pytest

from states.signatures import Check, Signer, TrustedKeys, load_public_pem

SIGNER = Signer.generate()


def test_a_signature_verifies_with_the_public_key_alone() -> None:
    """A PEM copy of the public key is all a peer reviewer needs."""
    payload = {"seq": 7, "hash": "ab" * 32}
    signature = SIGNER.sign("label/1", payload)
    trusted = TrustedKeys([load_public_pem(SIGNER.public_pem())])
    assert trusted.check(SIGNER.key_id, "label/1", payload, signature) is Check.VALID
    assert trusted.fingerprints == [SIGNER.key_id] and len(SIGNER.key_id) == 64


@pytest.mark.parametrize("change", ["payload", "label", "signature", "garbage"])
def test_any_change_to_what_was_signed_is_bad(change: str) -> None:
    """Payload, label (what kind of document) and signature are all bound together."""
    payload = {"seq": 7, "hash": "ab" * 32}
    signature = SIGNER.sign("label/1", payload)
    trusted = TrustedKeys([SIGNER.public])
    label = "other/1" if change == "label" else "label/1"
    if change == "payload":
        payload = {**payload, "seq": 8}
    if change == "signature":
        signature = ("A" if signature[0] != "A" else "B") + signature[1:]
    if change == "garbage":
        signature = "not base64!"
    assert trusted.check(SIGNER.key_id, label, payload, signature) is Check.BAD


def test_a_key_not_among_the_trusted_ones_is_unknown() -> None:
    """A forger's own key signs validly, but is not trusted."""
    forger = Signer.generate()
    signature = forger.sign("label/1", {"x": 1})
    assert (
        TrustedKeys([SIGNER.public]).check(forger.key_id, "label/1", {"x": 1}, signature) is Check.UNKNOWN_KEY
    )
    assert not TrustedKeys()


@pytest.mark.parametrize(
    "text", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]
)
def test_a_malformed_key_is_a_value_error(text: str) -> None:
    """Keys arrive as text; what is not an Ed25519 PEM key is refused with a reason."""
    with pytest.raises(ValueError, match="not"):
        Signer.from_pem(text)
    with pytest.raises(ValueError, match="not"):
        load_public_pem(text)


def test_a_private_key_round_trips_through_pem() -> None:
    """The key file `audit keygen` writes loads back as the same key."""
    assert Signer.from_pem(SIGNER.private_pem()).key_id == SIGNER.key_id
    assert load_public_pem(SIGNER.private_pem()) is not None  # its public half
