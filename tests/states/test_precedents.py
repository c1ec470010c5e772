"""The precedents' ranking (states/precedents.py): a documented score, ties, the threshold, the
case itself left out, and matching only on enterprise names the reader sees."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from states.case import Party, PartyRole
from states.precedents import THRESHOLD, Profile, enterprise_names, rank, score

HR, ENV, EMP, BRI = "human_rights", "environment", "employment", "bribery"
DIS, GP, CON, TAX = "disclosure", "general_policies", "consumer_interests", "taxation"

# The case: chapters IV and VI, host countries Norway and Peru, mining, Nordic Mining ASA.
CASE = Profile.of(
    "S",
    chapters=(HR, ENV),
    host_countries=("NO", "PE"),
    sector="Mining",
    enterprises=("Nordic Mining ASA",),
    recent=date(2025, 6, 1),
)


def _p(
    ref: str,
    chapters: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    sector: str | None = None,
    enterprise: str | None = None,
    year: int = 2020,
    day: date | None = None,
) -> Profile:
    return Profile.of(
        ref,
        chapters=chapters,
        host_countries=countries,
        sector=sector,
        enterprises=(enterprise,) if enterprise else (),
        recent=day or date(year, 1, 1),
    )


# 32 past cases and the case itself. Score = 4 x Jaccard(chapters) + 3 x Jaccard(countries)
# + 2 (same sector) + 3 (same enterprise); a precedent scores at least 3. Worked out by hand:
FIXTURE = [
    CASE,  # the case itself: would score 12, never listed
    _p("C01", (HR, ENV), ("NO", "PE"), "mining", "NORDIC  mining asa", 2020),  # 4+3+2+3 = 12
    _p("C02", (HR, ENV), ("NO", "PE"), "Mining", "Other Co", day=date(2021, 5, 1)),  # 4+3+2 = 9
    _p("C03", (HR, ENV), ("NO", "PE"), "Mining", None, 2023),  # 9, newer than C02
    _p("C04", (HR, ENV), ("NO", "PE"), "Mining", None, 2023),  # 9, same day as C03: by reference
    _p("C05", (HR,), ("no",), "Mining", None, 2019),  # 4x1/2 + 3x1/2 + 2 = 5.5
    _p("C06", (HR, ENV, EMP), ("PE",), "Oil and gas", None, 2018),  # 4x2/3 + 3x1/2 = 25/6
    _p("C07", (EMP,), ("SE",), "Fishing", "Nordic Mining ASA", 2017),  # enterprise alone: 3
    _p("C08", (EMP,), ("SE",), "Mining", None, 2017),  # sector alone: 2, below the threshold
    _p("C09", (ENV,), (), None, None, 2016),  # 4x1/2 = 2: below
    _p("C10", (ENV,), ("CL",), "Mining", None, 2022),  # 2 + 0 + 2 = 4
    _p("C11", (HR, BRI), ("NO", "PE", "CL"), None, None, 2016),  # 4x1/3 + 3x2/3 = 10/3
    _p("C12", (HR, ENV), (), None, None, 2024),  # 4, newer than C10
    _p("C13", (), ("NO", "PE"), "Mining", None, 2015),  # 3 + 2 = 5
    _p("C14", (DIS,), ("BR",), "Textiles", "Fjord Textiles", 2015),  # 0
    _p("C15", (), (), None, None, 2015),  # 0
    _p("C16", (HR, ENV), ("NO", "PE"), "MINING", None, 2023),  # 9, same day as C03, C04
    _p("C17", (GP,), ("NO",), "Mining", None, 2014),  # 0 + 1.5 + 2 = 3.5
    _p("C18", (HR,), (), None, "Nordic Mining", 2014),  # 2; "nordic mining" is another name
    _p("C19", (HR, ENV, EMP, BRI), ("NO",), None, None, 2014),  # 4x2/4 + 1.5 = 3.5, as C17
    _p("C20", (TAX,), ("US",), "Banking", "Bank", 2013),  # 0
    _p("C21", (ENV,), ("PE",), None, None, 2013),  # 2 + 1.5 = 3.5
    _p("C22", (HR, ENV), ("NO", "PE"), "Mining", "Nordic Mining ASA", 2024),  # 12, newer than C01
    _p("C23", (CON,), ("NO", "PE"), None, None, 2012),  # 3
    _p("C24", (HR, ENV), ("NO", "PE"), None, None, 2011),  # 4 + 3 = 7
    _p("C25", (EMP,), ("NO",), "Mining", None, 2010),  # 1.5 + 2 = 3.5
    _p("C26", (HR, ENV), ("SE",), "Mining", None, 2010),  # 4 + 2 = 6
    _p("C27", (ENV, EMP), ("PE", "CL"), "Mining", None, 2009),  # 4x1/3 + 3x1/3 + 2 = 13/3
    _p("C28", (HR,), ("PE",), None, "nordic mining asa", 2008),  # 2 + 1.5 + 3 = 6.5
    _p("C29", (EMP, BRI), ("DK", "SE"), "Fishing", None, 2008),  # 0
    _p("C30", (HR,), ("NO", "SE"), None, None, 2012),  # 2 + 3x1/3 = 3, same day as C23
    _p("C31", (ENV,), ("NO",), "Oil", None, 2025),  # 2 + 1.5 = 3.5, the newest of the 3.5s
    _p("C32", (), (), "Mining", None, 2025),  # 2
]

# By score, then newest, then reference:
# 12: C22 (2024), C01 (2020) | 9: C03, C04, C16 (all 2023-01-01, by reference), C02 (2021)
# 7: C24 | 6.5: C28 | 6: C26 | 5.5: C05 | 5: C13 | 13/3: C27 | 25/6: C06 | 4: C12 (2024), C10
# 3.5: C31 (2025), C17, C19 (both 2014-01-01), C21 (2013), C25 (2010) | 10/3: C11
# 3: C07 (2017), C23, C30 (both 2012-01-01)
# Left out: the case itself; C08, C09, C18, C32 (2); C14, C15, C20, C29 (0).
EXPECTED = [
    "C22", "C01", "C03", "C04", "C16", "C02", "C24", "C28", "C26", "C05", "C13", "C27", "C06",
    "C12", "C10", "C31", "C17", "C19", "C21", "C25", "C11", "C07", "C23", "C30",
]  # fmt: skip


def test_the_fixture_is_ranked_in_the_order_worked_out_by_hand() -> None:
    """33 profiles: the 24 precedents in the hand-derived order, ties by date then reference."""
    assert len(FIXTURE) >= 31
    assert [m.reference for m in rank(CASE, FIXTURE, limit=100)] == EXPECTED


def test_each_score_is_the_exact_fraction_of_the_weights() -> None:
    """Exact fractions, so 25/6 and 13/3 are not rounded into a false tie."""
    scores = {m.reference: m.score for m in rank(CASE, FIXTURE, limit=100)}
    assert scores["C01"] == 12
    assert scores["C06"] == Fraction(25, 6)
    assert scores["C27"] == Fraction(13, 3)
    assert scores["C11"] == Fraction(10, 3)
    assert scores["C07"] == THRESHOLD


def test_the_case_itself_is_never_its_own_precedent() -> None:
    """Its identical profile would score the maximum; it is left out."""
    assert "S" not in [m.reference for m in rank(CASE, [CASE, *FIXTURE], limit=100)]
    assert rank(CASE, [CASE]) == []


def test_no_candidate_above_the_threshold_gives_an_empty_list() -> None:
    """A shared sector alone (2) is not a precedent."""
    assert rank(CASE, [_p("X", (TAX,), ("US",), "Mining")]) == []


def test_the_limit_keeps_the_best_ones() -> None:
    """`limit` cuts the ranked list, not the candidates."""
    assert [m.reference for m in rank(CASE, FIXTURE, limit=3)] == ["C22", "C01", "C03"]


def test_a_match_names_what_it_shares() -> None:
    """The shared chapters and countries, and whether sector and enterprise matched."""
    match = score(CASE, _p("C28", (HR,), ("PE",), None, "Nordic Mining ASA"))
    assert (match.chapters, match.host_countries, match.sector, match.enterprise) == (
        ("human_rights",),
        ("PE",),
        False,
        True,
    )
    assert match.matched == ("chapters", "host_countries", "enterprise")


def test_an_enterprise_the_reader_may_not_see_is_not_matched_on() -> None:
    """A protected enterprise left out of the profile: the score is that of any other name."""
    parties = [
        Party(PartyRole.ENTERPRISE, "Nordic Mining ASA", confidential=True),
        Party(PartyRole.ENTERPRISE, "Visible Co"),
        Party(PartyRole.SUBMITTER, "Nordic Mining ASA"),
    ]
    assert enterprise_names(parties, lambda p: True) == {"nordic mining asa", "visible co"}
    hidden = enterprise_names(parties, lambda p: not p.confidential)
    assert hidden == {"visible co"}
    protected = Profile.of("P", chapters=(TAX,), enterprises=hidden)
    other_name = Profile.of("P", chapters=(TAX,), enterprises=("Visible Co",))
    assert score(CASE, protected) == score(CASE, other_name)
    assert rank(CASE, [protected]) == []
