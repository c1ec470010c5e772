"""How the pure core names words for people without translating them.

The core marks each English message with `N_` (a no-op that `pybabel extract` finds) and words a
sentence through a `Translator` the caller passes in: the adapters and entry points hold the
catalogue (`translations/`), the core never reads it. `ENGLISH` is the identity, the default;
stored text (the audit) is always English.
"""

from __future__ import annotations

import gettext
from typing import Protocol


def N_(message: str) -> str:
    """Mark `message` for the catalogue; it stays as it is."""
    return message


class Translator(Protocol):
    """What the core needs of a catalogue: `gettext.NullTranslations` and its subclasses fit."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def pgettext(self, context: str, message: str, /) -> str: ...

    def __hash__(self) -> int: ...  # the phrases and explanations are cached per translator


ENGLISH: Translator = gettext.NullTranslations()
