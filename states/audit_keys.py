"""The kinds of key `ncpflow audit keygen` makes; its own module so the command line can offer
the choice without importing the signing code."""

from __future__ import annotations

from enum import StrEnum


class KeyKind(StrEnum):
    ed25519 = "ed25519"
    hmac = "hmac"
