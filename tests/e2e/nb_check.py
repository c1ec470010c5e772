"""The Norwegian check: what a Norwegian page or e-mail says that is not Norwegian, and what any page
says that is an internal name.

Two nets, both used by tests/e2e/test_norwegian.py:

- `StrictWords` wraps the Norwegian catalogue (`translations.translator("nb")`, one shared
  instance) and records every `gettext`/`ngettext`/`pgettext` call whose message has no Norwegian
  of its own: not in the catalogue, or with a msgstr equal to its msgid where that is not one of
  the few words alike in both languages (`SAME_IN_BOTH`).
- `leaks(html)` reads what a reader sees of a page (its text; `title`, `aria-label`,
  `placeholder` and `alt`; an input button's `value`) and finds, on a Norwegian page, the catalogue's
  English phrases whose Norwegian differs (a msgid's wording between its placeholders, whole
  phrases of two words or more, or a word of eight letters or more), and on any page a raw
  internal name (a snake_case identifier: states, triggers, deadlines, outcomes, party types,
  audit kinds, e-mail kinds; and the few plain ones: `ngo`, `transitioned`).

The pages' own data (titles, names, reasons people typed) is the reader's, not the catalogue's:
the check runs on data written in Norwegian.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import translations

# Words the catalogue gives in both languages alike, on purpose (names, abbreviations, loanwords).
SAME_IN_BOTH = frozenset(
    {
        "ncpflow",
        "JSONL",
        "CSV",
        "JSON",
        "OECD",
        "API",
        "TOTP",
        "Status",
        "status",
        "Type",
        "Start",
        "Norsk",
        "English",
        "#",
    }
)
# Identifiers the pages must never show as they are: snake_case, and the plain ones worth naming.
RAW_NAME = re.compile(r"(?<![\w/.-])(?:[a-z]+(?:_[a-z0-9]+)+|ngo|transitioned)(?![\w/-])")
# A command line a message tells the reader to type: `ncpflow case reassign REF --to MEMBER`.
COMMAND = re.compile(r"\bncpflow(?: [a-z][a-z-]*)+")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_0-9]+\}")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[A-Za-z]+")


def _catalogue() -> Catalog:
    with translations.catalogue_path("nb").open("rb") as source:
        return read_po(source, locale="nb")


def _translated(found: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if not found:
        return ()
    return (found,) if isinstance(found, str) else tuple(found)


@cache
def english_phrases() -> tuple[str, ...]:
    """The English wording of every msgid whose Norwegian differs: each stretch between its
    placeholders and markup of two words or more, or a word of eight letters or more, that its
    Norwegian does not keep; longest first."""
    found: set[str] = set()
    for message in _catalogue():
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        norwegian = " ".join(_translated(message.string))
        if not norwegian or set(ids) == {norwegian}:
            continue
        for text in ids:
            for part in _PLACEHOLDER.split(_TAG.sub("\n", text)):
                for piece in part.split("\n"):
                    phrase = piece.strip(" \t.,;:!?()[]'\"`«»–—-→…/")
                    words = _WORD.findall(phrase)
                    long_enough = len(words) >= 2 or any(len(w) >= 8 for w in words)
                    if (
                        long_enough
                        and phrase not in SAME_IN_BOTH
                        and phrase.lower() not in norwegian.lower()
                        and _WORD.search(phrase)
                    ):
                        found.add(phrase)
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _english() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in english_phrases())
    # Not inside a word, nor a command-line option (`--override`) or a path.
    return re.compile(rf"(?<![\wæøåÆØÅ/-])(?:{alternatives})(?![\wæøåÆØÅ])", re.IGNORECASE)


class _Visible(HTMLParser):
    """A page's text as a reader meets it, with the attributes read out or shown."""

    SKIPPED = frozenset({"script", "style"})
    READ = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.SKIPPED:
            self._skipping += 1
        self.parts.extend(v for k in self.READ if (v := values.get(k)))
        # An input button shows its value; a <button> shows its content (its value is data).
        button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        if button and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    """The pieces of text a reader sees (or a screen reader reads) on a page."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return [" ".join(part.split()) for part in parser.parts]


def leaks(content: str, *, norwegian: bool, html: bool = True) -> list[str]:
    """What a page (or an e-mail's text) shows that it should not: raw internal names, and on a
    Norwegian one the catalogue's English. Each finding with the text around it."""
    found: list[str] = []
    pieces = visible_text(content) if html else [" ".join(line.split()) for line in content.splitlines()]
    for piece in pieces:
        piece = COMMAND.sub("ncpflow …", piece)  # a command to type is the same in every language
        for match in RAW_NAME.finditer(piece):
            found.append(f"raw name {match.group(0)!r} in {piece[:160]!r}")
        if norwegian:
            for match in _english().finditer(piece):
                found.append(f"English {match.group(0)!r} in {piece[:160]!r}")
    return found


@dataclass
class StrictWords:
    """Records each message asked of the Norwegian catalogue that it has no Norwegian for."""

    missing: set[str] = field(default_factory=set)
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def _known(self, catalog: dict[Any, str], key: Any, english: str) -> bool:
        if not _WORD.search(_PLACEHOLDER.sub("", english)):  # "{p0}; {p1}": only what it joins
            return True
        found = catalog.get(key)
        return found is not None and (found != english or english in SAME_IN_BOTH)

    @contextmanager
    def watching(self) -> Iterator[StrictWords]:
        """While open, the shared Norwegian translator records what it cannot word."""
        tr: Any = translations.translator("nb")
        catalog: dict[Any, str] = tr._catalog
        plain, plural, context = tr.gettext, tr.ngettext, tr.pgettext

        def gettext(message: str, /) -> str:
            if message and not self._known(catalog, message, message):
                self.missing.add(message)
            return str(plain(message))

        def ngettext(singular: str, plural_form: str, n: int, /) -> str:
            if not self._known(catalog, (singular, 0), singular):
                self.missing.add(singular)
            return str(plural(singular, plural_form, n))

        def pgettext(ctx: str, message: str, /) -> str:
            if not self._known(catalog, f"{ctx}\x04{message}", message):
                self.missing.add(f"{ctx}|{message}")
            return str(context(ctx, message))

        own = {name: vars(tr)[name] for name in ("gettext", "ngettext", "pgettext") if name in vars(tr)}
        tr.gettext, tr.ngettext, tr.pgettext = gettext, ngettext, pgettext
        _clear_phrase_caches()
        try:
            yield self
        finally:
            for name in ("gettext", "ngettext", "pgettext"):
                if name in own:
                    setattr(tr, name, own[name])
                else:
                    delattr(tr, name)
            _clear_phrase_caches()


def _clear_phrase_caches() -> None:
    """Phrases worded once per translator are worded again through the watched one."""
    from states import audit_wording, deadlines, rotation_wording, wording

    audit_wording._lead_words.cache_clear()
    wording.phrases.cache_clear()
    wording.procedure_words.cache_clear()
    rotation_wording.rotation_phrases.cache_clear()
    deadlines._explain.cache_clear()
