"""The network's published figures (`network_figures`, PostgreSQL only; storage/tenancy.py):
one row per NCP and year, written by that NCP, read by it and by the network role."""

from __future__ import annotations

from datetime import datetime

from states.network import NcpFigures
from storage.db import Db


class SqlNetworkStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def available(self) -> bool:
        """False on SQLite: a database of one NCP keeps no network figures."""
        return not self._db.sqlite

    def publish(self, figures: NcpFigures, *, at: datetime) -> None:
        """This NCP's figures for the year, replacing what it published before (its tenant is
        the row's: the column's default, storage/tenancy.py)."""
        self._db.execute(
            "INSERT INTO network_figures (year, received, accepted, not_accepted, concluded, agreement, "
            "days_to_conclusion, published_at) VALUES (:year, :received, :accepted, :not_accepted, "
            ":concluded, :agreement, :days, :at) "
            f"ON CONFLICT ({self._db.key('year')}) DO UPDATE SET received = excluded.received, "
            "accepted = excluded.accepted, not_accepted = excluded.not_accepted, "
            "concluded = excluded.concluded, agreement = excluded.agreement, "
            "days_to_conclusion = excluded.days_to_conclusion, published_at = excluded.published_at",
            {
                "year": figures.year,
                "received": figures.received,
                "accepted": figures.accepted,
                "not_accepted": figures.not_accepted,
                "concluded": figures.concluded,
                "agreement": figures.agreement,
                "days": list(figures.days_to_conclusion),
                "at": self._db.instant(at),
            },
        )

    def published(self, year: int) -> list[NcpFigures]:
        """The year's rows this connection may see: its own NCP's, or every NCP's for the
        network role."""
        rows = self._db.all(
            "SELECT tenant, year, received, accepted, not_accepted, concluded, agreement, days_to_conclusion "
            "FROM network_figures WHERE year = :year ORDER BY tenant",
            {"year": year},
        )
        return [
            NcpFigures(ncp, year_, received, accepted, refused, concluded, agreement, tuple(days))
            for ncp, year_, received, accepted, refused, concluded, agreement, days in rows
        ]
