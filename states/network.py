"""A network of NCPs' statistics: each NCP's annual figures as it published them, and the
network's totals. Counts and day counts only: no case, reference, title or name ever.

The figures are the OECD annual report's: cases received, accepted, not accepted, concluded,
concluded with agreement, and the days from receipt to conclusion (the network's median is of
every NCP's day counts together, not a median of medians).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

COUNTS = ("received", "accepted", "not_accepted", "concluded", "agreement")


@dataclass(frozen=True)
class NcpFigures:
    """One NCP's figures for one year. `ncp`: the NCP's code, as the database knows it."""

    ncp: str
    year: int
    received: int
    accepted: int
    not_accepted: int
    concluded: int
    agreement: int
    days_to_conclusion: tuple[int, ...]


def figures_of(ncp: str, annual: Mapping[str, Any], days: Iterable[int]) -> NcpFigures:
    """An NCP's figures from its annual report (states/reports.py `annual_report`) and the day
    counts of its concluded cases (`days_to_conclusion`)."""
    return NcpFigures(
        ncp=ncp,
        year=int(annual["year"]),
        received=int(annual["received"]),
        accepted=int(annual["accepted"]),
        not_accepted=int(annual["not_accepted"]),
        concluded=int(annual["concluded"]),
        agreement=int(annual.get("agreement", 0)),
        days_to_conclusion=tuple(sorted(days)),
    )


def _median(days: Sequence[int]) -> float | None:
    return statistics.median(days) if days else None


def _row(counts: Mapping[str, int], days: Sequence[int]) -> dict[str, Any]:
    return {**{k: counts[k] for k in COUNTS}, "median_days_to_conclusion": _median(days)}


def network_statistics(published: Iterable[NcpFigures], year: int) -> dict[str, Any]:
    """The year's figures per NCP (by code) and for the whole network."""
    chosen = sorted((f for f in published if f.year == year), key=lambda f: f.ncp)
    per_ncp = {f.ncp: _row({k: getattr(f, k) for k in COUNTS}, f.days_to_conclusion) for f in chosen}
    every_day = sorted(d for f in chosen for d in f.days_to_conclusion)
    totals = {k: sum(getattr(f, k) for f in chosen) for k in COUNTS}
    return {"year": year, "ncps": len(chosen), "network": _row(totals, every_day), "by_ncp": per_ncp}
