"""Precedents: the past cases most like a case, ranked by a documented score (pure).

A case's *profile* is what it is matched on: its Guidelines chapters (its themes and its issues'
chapters), its host countries, its sector and its enterprises' names. Sector and names are
normalised as the search index does (`states.search.words`: folded, accents off, æøå kept,
words joined by one space), so "Nordic  Mining ASA" is "nordic mining asa" and "Mining" is
"mining".

The score of a candidate against the case (`score`), out of 12:

- chapters: 4 x the Jaccard index of the two chapter sets (shared / either; 0 when both empty);
- host countries: 3 x the Jaccard index of the two country sets;
- sector: 2 when both name a sector and the normalised sectors are equal, else 0;
- enterprise: 3 when a normalised enterprise name of the one is a name of the other, else 0.

A candidate is a precedent when its score is at least `THRESHOLD` (3): a shared sector alone
(2) is not enough, a shared enterprise alone (3) is, and so is one chapter in common out of
two with the same sector (4 x 1/2 + 2 = 4). Scores are exact fractions, so ties are real ties.

Order (`rank`): the highest score first; ties by the most recent (`Profile.recent`: the day of
the precedent's latest step), newest first; then by reference, ascending. The case itself is
never its own precedent.

What a reader may not see is not matched on. A profile holds only the enterprise names its
reader may see (`enterprise_names`, told by `sees`): a protected enterprise (withheld, or at risk
of reprisal) that the reader may not see is left out of its case's profile, on either side.
So the score, the threshold and the order are functions of what the reader sees alone: the same
list would come out were the hidden name any other name, and a reader cannot learn from a
precedent's presence, place or score that it shares a protected enterprise with the case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from states.case import Party, PartyRole
from states.search import words

CHAPTERS_WEIGHT = 4
COUNTRIES_WEIGHT = 3
SECTOR_WEIGHT = 2
ENTERPRISE_WEIGHT = 3
MAXIMUM = CHAPTERS_WEIGHT + COUNTRIES_WEIGHT + SECTOR_WEIGHT + ENTERPRISE_WEIGHT
THRESHOLD = Fraction(3)
LIMIT = 10  # precedents shown unless the reader asks for another number
LIMIT_MAX = 100

DIMENSIONS = ("chapters", "host_countries", "sector", "enterprise")


def normalised(text: str | None) -> str:
    """`text` as matched: its folded words joined by one space ("" for none)."""
    return " ".join(words(text or ""))


def enterprise_names(parties: Iterable[Party], sees: Callable[[Party], bool]) -> frozenset[str]:
    """The normalised names of the enterprises among `parties` that the reader sees (`sees`)."""
    return frozenset(
        name
        for party in parties
        if party.role is PartyRole.ENTERPRISE and sees(party) and (name := normalised(party.name))
    )


@dataclass(frozen=True)
class Profile:
    """What a case is matched on, as one reader sees it."""

    reference: str
    chapters: frozenset[str] = frozenset()
    host_countries: frozenset[str] = frozenset()
    sector: str = ""  # normalised; "" when none
    enterprises: frozenset[str] = frozenset()  # normalised names the reader sees
    recent: date = date.min  # the tie-break: the day of its latest step

    @classmethod
    def of(
        cls,
        reference: str,
        *,
        chapters: Iterable[str] = (),
        host_countries: Iterable[str] = (),
        sector: str | None = None,
        enterprises: Iterable[str] = (),
        recent: date = date.min,
    ) -> Profile:
        """A profile from values as stored (sector and names normalised here)."""
        return cls(
            reference=reference,
            chapters=frozenset(chapters),
            host_countries=frozenset(c.upper() for c in host_countries),
            sector=normalised(sector),
            enterprises=frozenset(n for name in enterprises if (n := normalised(name))),
            recent=recent,
        )


@dataclass(frozen=True)
class Match:
    """A precedent: its score and what it shares with the case."""

    reference: str
    score: Fraction
    chapters: tuple[str, ...]  # shared, sorted
    host_countries: tuple[str, ...]  # shared, sorted
    sector: bool
    enterprise: bool

    @property
    def matched(self) -> tuple[str, ...]:
        """The dimensions (`DIMENSIONS`) that added to the score."""
        flags = (bool(self.chapters), bool(self.host_countries), self.sector, self.enterprise)
        return tuple(name for name, flag in zip(DIMENSIONS, flags, strict=True) if flag)


def jaccard(one: frozenset[str], other: frozenset[str]) -> Fraction:
    """Shared over either; 0 when both are empty."""
    either = one | other
    return Fraction(len(one & other), len(either)) if either else Fraction(0)


def score(case: Profile, candidate: Profile) -> Match:
    """How like `case` the `candidate` is (the module's weights)."""
    sector = bool(case.sector) and case.sector == candidate.sector
    enterprise = not case.enterprises.isdisjoint(candidate.enterprises)
    total = (
        CHAPTERS_WEIGHT * jaccard(case.chapters, candidate.chapters)
        + COUNTRIES_WEIGHT * jaccard(case.host_countries, candidate.host_countries)
        + (SECTOR_WEIGHT if sector else 0)
        + (ENTERPRISE_WEIGHT if enterprise else 0)
    )
    return Match(
        reference=candidate.reference,
        score=total,
        chapters=tuple(sorted(case.chapters & candidate.chapters)),
        host_countries=tuple(sorted(case.host_countries & candidate.host_countries)),
        sector=sector,
        enterprise=enterprise,
    )


def rank(
    case: Profile, candidates: Sequence[Profile], *, limit: int = LIMIT, threshold: Fraction = THRESHOLD
) -> list[Match]:
    """The precedents of `case` among `candidates`: scoring at least `threshold`, the case itself
    left out, in the module's order, at most `limit`."""
    recent = {c.reference: c.recent for c in candidates}
    found = [
        match
        for candidate in candidates
        if candidate.reference != case.reference and (match := score(case, candidate)).score >= threshold
    ]
    # Highest score, then newest, then reference: sort by the last key first (sorting is stable).
    found.sort(key=lambda m: m.reference)
    found.sort(key=lambda m: (m.score, recent[m.reference]), reverse=True)
    return found[: max(limit, 0)]
