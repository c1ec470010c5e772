"""Stable pseudonyms for confidential submitters: the same case and name give the same label."""

from __future__ import annotations

import hashlib


def pseudonym(reference: str, name: str) -> str:
    """ "Submitter " + the first 8 hex digits of sha256(reference NUL name); no key, no I/O.

    Stable across runs and exports, different across cases, so one submitter of two cases is
    not linkable by label. Not a secret: a reader who can guess the name can check the guess.
    """
    digest = hashlib.sha256(f"{reference}\0{name}".encode()).hexdigest()[:8]
    return f"Submitter {digest}"
