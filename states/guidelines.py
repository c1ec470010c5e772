"""Vocabulary of the OECD Guidelines the case records use."""

from __future__ import annotations

# Chapters of the OECD Guidelines for Multinational Enterprises (2023 edition numbering).
THEMES: dict[str, str] = {
    "concepts_and_principles": "I. Concepts and Principles",
    "general_policies": "II. General Policies",
    "disclosure": "III. Disclosure",
    "human_rights": "IV. Human Rights",
    "employment": "V. Employment and Industrial Relations",
    "environment": "VI. Environment",
    "bribery": "VII. Combating Bribery, Bribe Solicitation and Extortion",
    "consumer_interests": "VIII. Consumer Interests",
    "science_technology": "IX. Science, Technology and Innovation",
    "competition": "X. Competition",
    "taxation": "XI. Taxation",
}

SUBMITTER_TYPES: tuple[str, ...] = (
    "individual",
    "ngo",
    "trade_union",
    "community",
    "academic",
    "other",
)

# Editions of the Guidelines a case may be handled under: the editions of 1976 and its
# revisions (1979, 1984, 1991, 2000, 2011, 2023), or "both" (the 2011 and 2023 editions, for
# harm that continued past 8 June 2023).
EDITIONS: tuple[str, ...] = ("1976", "1979", "1984", "1991", "2000", "2011", "2023", "both")
