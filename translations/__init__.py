"""The one message catalogue: gettext through Babel, English msgids, a Norwegian bokmål (`nb`)
catalogue in `locale/nb/LC_MESSAGES/ncpflow.po`.

`translator(language)` gives the words of one language. The `.mo` is compiled from the `.po` when
the package is built or installed (`hatch_build.py`); a source tree whose `.po` is newer than its
`.mo` (an edit since `make install`), or that has no `.mo` at all, reads the `.po` through Babel
on first use, so what is shown is always what the `.po` says. `make messages` extracts the `.pot`
(`babel.cfg`) and updates the `.po`.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "nb")
LOCALES = {"en": "en_GB", "nb": "nb"}  # Babel's locale for each language
DEFAULT_LANGUAGE = "en"
DOMAIN = "ncpflow"
HERE = Path(__file__).resolve().parent
LOCALE_DIR = HERE / "locale"
TEMPLATE = HERE / f"{DOMAIN}.pot"


def catalogue_path(language: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def compile_catalogue(language: str) -> bytes:
    """The `.mo` bytes of `language`'s `.po` (fuzzy entries left out, as `msgfmt` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The words of `language`; English (the msgids) for English and any language not shipped."""
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    po, mo = catalogue_path(language), catalogue_path(language, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    return gettext.GNUTranslations(io.BytesIO(compile_catalogue(language)))


def upper_first(text: str) -> str:
    """`text` with its first letter a capital (a heading, a table cell), the rest as it is."""
    return text[:1].upper() + text[1:]
