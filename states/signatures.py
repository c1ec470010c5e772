"""Ed25519 signatures of the audit chain: the NCP signs with its private key, anyone verifies.

An HMAC key must be shared to check a MAC, and whoever can check one can forge one. A public-key
signature lets a peer reviewer verify checkpoints and exports with the NCP's public key alone.
A key is named by its fingerprint: the SHA-256 of its 32 raw public bytes, in hex. Every signed
message starts with a label naming what it is, so a checkpoint's signature cannot pass for an
export's. Pure: keys arrive as PEM text; reading files is the caller's business.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from states.chain import canonical_json

ALGORITHM = "ed25519"


def fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def message(label: str, payload: Mapping[str, Any]) -> bytes:
    """The bytes signed: a label, a newline, the payload's canonical JSON (UTF-8)."""
    return (label + "\n" + canonical_json(dict(payload))).encode("utf-8")


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@dataclass(frozen=True)
class Signer:
    """The NCP's private signing key."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, text: str) -> Signer:
        """A PKCS#8 PEM Ed25519 private key (unencrypted); ValueError names what is wrong."""
        try:
            key = serialization.load_pem_private_key(text.strip().encode("utf-8"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeError):
            raise ValueError("not an unencrypted PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return cls(key)

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return fingerprint(self.public)

    def private_pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")

    def public_pem(self) -> str:
        return public_pem(self.public)

    def sign(self, label: str, payload: Mapping[str, Any]) -> str:
        """The signature of `payload` under `label`, base64."""
        return base64.b64encode(self.private.sign(message(label, payload))).decode("ascii")


def load_public_pem(text: str) -> Ed25519PublicKey:
    """A PEM Ed25519 public key; a private key's PEM gives its public half."""
    data = text.strip().encode("utf-8", "replace")
    try:
        key: Any = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        try:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise ValueError("not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


class Check(StrEnum):
    VALID = "valid"
    BAD = "bad"  # altered, or not a signature at all
    UNKNOWN_KEY = "unknown_key"  # by a key the verifier was not given


class TrustedKeys:
    """The public keys a verifier trusts, by fingerprint."""

    def __init__(self, keys: Iterable[Ed25519PublicKey] = ()) -> None:
        self._keys = {fingerprint(k): k for k in keys}

    def __bool__(self) -> bool:
        return bool(self._keys)

    @property
    def fingerprints(self) -> list[str]:
        return sorted(self._keys)

    def check(self, key_id: str, label: str, payload: Mapping[str, Any], signature: str) -> Check:
        public = self._keys.get(key_id)
        if public is None:
            return Check.UNKNOWN_KEY
        try:
            raw = base64.b64decode(signature.encode("ascii"), validate=True)
            public.verify(raw, message(label, payload))
        except (InvalidSignature, binascii.Error, ValueError, UnicodeError):
            return Check.BAD
        return Check.VALID
