"""Full-text search of cases: one normalisation for the index and the query (pure).

Both backends index the same words: the text is folded and split here, and the stored document
is those words separated by single spaces, which SQLite's FTS5 (`ascii` tokenizer) and
PostgreSQL (`array_to_tsvector` of the words, no text search parser) take as they are. So one
query finds the same cases on either (storage/search.py).

- **Folding.** Case-folded (`ß` is `ss`), compatibility-decomposed (NFKD: `ﬁ` is `fi`, `²` is
  `2`) and stripped of combining marks, so `Nestlé` is `nestle` and `Citroën` is `citroen`.
  The Norwegian letters æ, ø and å are letters of their own and stay as typed: `Bodø` is
  `bodø`, and a query for `bodø` does not find `Bodo`.
- **ASCII spellings.** A word with æ, ø or å is also indexed as written without them, both ways
  Norwegians do: æ→ae, ø→oe, å→aa (`baerum`, `troemsoe`, `aasen`) and æ→ae, ø→o, å→a (`tromso`,
  `asen`). So a query typed on a keyboard without them finds `Bærum`, `Tromsø` and `Åsen`;
  the reverse (typing `ø` to find `o`) does not hold.
- **Words.** Runs of letters and digits (Unicode letters and numbers); everything else
  separates. A run of numbers split by spaces, dots or hyphens is also indexed joined:
  `923 456 789` and `NCP-2026-003` add `923456789` and `2026003`, and a query's run of numbers
  matches either way, so an organisation number is found however it was typed.
- **Query.** Every word of the query is a prefix (`nord` finds `Nordmann`), and every word
  must match somewhere in the case (AND).

What a case's document holds (`document`): its reference, title and parties (names and
organisation numbers: the *head*), and the free text of its steps (the *body*): the reasons and
notes of the audit entries `SEARCHED` names, and the text fields given there (not the reasons
ncpflow writes itself, `states.wording.SYSTEM_REASONS`). A reader who may
not see identities matches only the redacted text (`states.redaction`: a confidential
submitter's name and number replaced by the pseudonym); the words the redaction took out are
kept apart (`head_secret`, `body_secret`), for readers who may see identities.

Order of hits (`storage.search`): the case whose reference is the query comes first; then the
cases matched by their head alone (reference, title, parties) before those matched only
through their steps; then the most recent step first; ties by the case's id, newest first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from states import limits
from states.redaction import NOTHING, Redaction
from states.wording import SYSTEM_REASONS

KEEP = frozenset("æøå")  # Norwegian letters, never folded to a base letter
_ASCII_SPELLINGS = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
    str.maketrans({"æ": "ae", "ø": "o", "å": "a"}),
)
WORD_MAX = 60  # characters of one word kept (a longer one is cut: still found by its prefix)
QUERY_WORDS_MAX = 12  # words of a query used; the rest are left out
QUERY_MAX = limits.SEARCH_MAX  # characters of a query read at all

# The audit entries whose text is searched, by kind, with the data fields holding text besides
# the entry's reason. The rest are the system's own (alerts, notices, the rotation's
# explanations, registration) or hold no text.
SEARCHED: Mapping[str, tuple[str, ...]] = {
    "transitioned": ("scope",),
    "paused": ("requested_by",),
    "resumed": (),
    "extended": (),
    "edited": (),
    "migrated": (),
    "fact_recorded": (),
    "lead_reassigned": (),
    "lead_recused": (),
    "issue_added": ("title",),
    "issue_decided": (),
    "issue_concluded": (),
}


def fold(text: str) -> str:
    """`text` case-folded, decomposed and without combining marks; æ, ø, å kept."""
    if text.isascii():
        return text.lower()  # ASCII folds to its lower case, and has nothing to decompose
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        if ch in KEEP or ch.isascii():
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.extend(d for d in decomposed if not unicodedata.category(d).startswith("M"))
    return "".join(out)


# Letters and digits: Python's \w (Unicode letters, digits and numbers) without the underscore;
# the marks \w leaves out are gone after `fold`.
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of `text`, in order (letters and digits; the rest separates)."""
    return [word[:WORD_MAX] for word in _WORD.findall(fold(text))]


def _digit_runs(found: Sequence[str]) -> list[list[str]]:
    """Each run of two or more consecutive all-digit words."""
    runs: list[list[str]] = []
    current: list[str] = []
    for word in [*found, ""]:
        if word.isascii() and word.isdigit():
            current.append(word)
            continue
        if len(current) > 1:
            runs.append(current)
        current = []
    return runs


def terms(text: str) -> set[str]:
    """What `text` is indexed under: its words, their ASCII spellings, its joined numbers."""
    found = words(text)
    out = set(found)
    for word in found:
        if KEEP.intersection(word):
            out.update(word.translate(table) for table in _ASCII_SPELLINGS)
    out.update("".join(run)[:WORD_MAX] for run in _digit_runs(found))
    return out


def spelled(found: Iterable[str]) -> str:
    """A set of terms as the stored column: sorted, one space between."""
    return " ".join(sorted(found))


# -- documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One case's indexed terms, each column spelled as `spelled` makes it."""

    head: str
    body: str
    head_secret: str
    body_secret: str


@dataclass(frozen=True)
class PartyText:
    name: str
    org_number: str | None


def _split(texts: Iterable[str], reference: str, redaction: Redaction) -> tuple[set[str], set[str]]:
    """The terms of `texts` as a reader without identities sees them, and those only the
    unredacted text has."""
    shown: set[str] = set()
    full: set[str] = set()
    for text in texts:
        if not text:
            continue
        found = terms(text)
        full |= found
        redacted = redaction.text(text, reference)
        shown |= found if redacted is text else terms(redacted)
    return shown, full - shown


def head_texts(reference: str, title: str, parties: Iterable[PartyText]) -> list[str]:
    texts = [reference, title]
    for party in parties:
        texts.append(party.name)
        if party.org_number:
            texts.append(party.org_number)
    return texts


def head(reference: str, title: str, parties: Iterable[PartyText], redaction: Redaction) -> tuple[str, str]:
    """The head's (shown, secret) columns."""
    shown, secret = _split(head_texts(reference, title, parties), reference, redaction)
    return spelled(shown), spelled(secret)


def entry_texts(kind: str, reason: str | None, data: Mapping[str, Any]) -> list[str]:
    """The searched text of one audit entry: nothing unless `SEARCHED` names its kind."""
    fields = SEARCHED.get(kind)
    if fields is None:
        return []
    found = [reason] if reason and reason not in SYSTEM_REASONS else []
    found.extend(value for name in fields if isinstance(value := data.get(name), str) and value)
    return found


def body_terms(texts: Iterable[str], reference: str, redaction: Redaction) -> tuple[set[str], set[str]]:
    """The body's (shown, secret) terms of some entries' texts."""
    return _split(texts, reference, redaction)


def document(
    reference: str,
    title: str,
    parties: Iterable[PartyText],
    entries: Iterable[str],
    redaction: Redaction = NOTHING,
) -> Document:
    """A case's whole document: `entries` are the texts `entry_texts` gave for its entries."""
    shown_head, secret_head = head(reference, title, parties, redaction)
    shown_body, secret_body = body_terms(entries, reference, redaction)
    return Document(shown_head, spelled(shown_body), secret_head, spelled(secret_body))


def merged(column: str, more: Iterable[str]) -> str | None:
    """`column` with the terms of `more` added, or None when it has them all already."""
    have = set(column.split())
    new = set(more) - have
    return spelled(have | new) if new else None


# -- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One term of a query: any of `choices` matches, each choice a set of word prefixes that
    must all match (a run of numbers: its words, or them joined)."""

    choices: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Query:
    text: str  # as typed, trimmed
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms


def parse_query(text: str) -> Query:
    """The query `text` as terms; empty when it holds no word."""
    typed = " ".join(text[:QUERY_MAX].split())
    found = words(typed)[:QUERY_WORDS_MAX]
    out: list[Term] = []
    position = 0
    while position < len(found):
        run = _run_at(found, position)
        if len(run) > 1:
            joined = "".join(run)[:WORD_MAX]
            out.append(Term((tuple(dict.fromkeys(run)), (joined,))))
            position += len(run)
            continue
        out.append(Term(((found[position],),)))
        position += 1
    unique = tuple(dict.fromkeys(out))
    return Query(typed, unique)


def _run_at(found: Sequence[str], start: int) -> list[str]:
    run: list[str] = []
    for word in found[start:]:
        if not (word.isascii() and word.isdigit()):
            break
        run.append(word)
    return run


# -- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a list of cases is narrowed to; None leaves a filter out. `identities`: the reader
    may see confidential submitters' names (their words are matched too); `at_risk`: it may see
    every party at risk of reprisal too, else (a member) only those of the cases `risk_lead`
    leads: in the other cases with such a party, only the redacted text is matched."""

    query: Query | None = None
    identities: bool = True
    at_risk: bool = True
    risk_lead: str | None = None
    state: str | None = None
    lead: str | None = None  # a member id
    overdue_on: date | None = None  # an open deadline due before this day, not paused
    paused: bool | None = None
    closed: bool | None = None  # in a state that ends the case (or not)
    received_from: date | None = None
    received_before: date | None = None
    theme: str | None = None  # a theme id (states/guidelines.py)
    led_by: str | None = None  # "my cases" of a member: the cases they lead
    acted_by: str | None = None  # "my cases" of anyone else: the cases they made a step on
    mediated_by: str | None = None  # a mediator user: only the cases that mediator is assigned to

    @property
    def searching(self) -> bool:
        return self.query is not None and not self.query.empty
