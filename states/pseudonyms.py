"""Stable pseudonyms for protected parties and their contacts: the same case and name give the
same label."""

from __future__ import annotations

import hashlib

from states.messages import ENGLISH, N_, Translator

LABEL = N_("Submitter {digest}")
LABELS = {
    "submitter": LABEL,
    "enterprise": N_("Enterprise {digest}"),
    "contact": N_("Contact {digest}"),
}


def pseudonym(reference: str, name: str, tr: Translator = ENGLISH, kind: str = "submitter") -> str:
    """ "Submitter " + the first 8 hex digits of sha256(reference NUL name); no key, no I/O.
    The word is `tr`'s ("Klager af851165" in Norwegian); the digits are the same in every
    language, so a label compares across pages, exports and reports.

    Stable across runs and exports, different across cases, so one submitter of two cases is
    not linkable by label. Not a secret: a reader who can guess the name can check the guess.
    `kind` (`submitter`, `enterprise`, `contact`) picks the word: "Enterprise 1f0c9a2e" for a
    withheld enterprise, "Contact 5b7d31c0" for a protected party's contact.
    """
    digest = hashlib.sha256(f"{reference}\0{name}".encode()).hexdigest()[:8]
    return tr.gettext(LABELS.get(kind, LABEL)).format(digest=digest)
