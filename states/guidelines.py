"""Vocabulary of the OECD Guidelines the case records use."""

from __future__ import annotations

from states.messages import N_

# Chapters of the OECD Guidelines for Multinational Enterprises (2023 edition numbering), their
# titles marked for the catalogue (the new-case form words them in the page's language).
THEMES: dict[str, str] = {
    "concepts_and_principles": N_("I. Concepts and Principles"),
    "general_policies": N_("II. General Policies"),
    "disclosure": N_("III. Disclosure"),
    "human_rights": N_("IV. Human Rights"),
    "employment": N_("V. Employment and Industrial Relations"),
    "environment": N_("VI. Environment"),
    "bribery": N_("VII. Combating Bribery, Bribe Solicitation and Extortion"),
    "consumer_interests": N_("VIII. Consumer Interests"),
    "science_technology": N_("IX. Science, Technology and Innovation"),
    "competition": N_("X. Competition"),
    "taxation": N_("XI. Taxation"),
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
