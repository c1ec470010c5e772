"""Stable pseudonyms for confidential submitters: the same case and name give the same label."""

from __future__ import annotations

import hashlib

from states.messages import ENGLISH, N_, Translator

LABEL = N_("Submitter {digest}")


def pseudonym(reference: str, name: str, tr: Translator = ENGLISH) -> str:
    """ "Submitter " + the first 8 hex digits of sha256(reference NUL name); no key, no I/O.
    The word is `tr`'s ("Klager af851165" in Norwegian); the digits are the same in every
    language, so a label compares across pages, exports and reports.

    Stable across runs and exports, different across cases, so one submitter of two cases is
    not linkable by label. Not a secret: a reader who can guess the name can check the guess.
    """
    digest = hashlib.sha256(f"{reference}\0{name}".encode()).hexdigest()[:8]
    return tr.gettext(LABEL).format(digest=digest)
