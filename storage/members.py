"""Members and the rotation state on SQL: lead decisions, duty periods, once-only lead alerts.

The rotation reads and advances this state inside the caller's write transaction, which every
writer takes under one lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL): two
processes opening cases at once see each other's choices, and a restart loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from states.members import (
    Leave,
    Member,
    MemberSetting,
    PartyMatch,
    Reason,
    Role,
    SettingKind,
    Skip,
    with_settings,
)
from states.rotation import Duty, DutyTurn, LeadRecord, Turn
from storage.db import Db, columns, read_day, read_instant
from storage.rows import LeadDecisionRow, MemberRow, MemberSettingRow

_MEMBER_COLUMNS = columns(MemberRow)
_DECISION_COLUMNS = columns(LeadDecisionRow)
_SETTING_COLUMNS = columns(MemberSettingRow)


def _matches(items: Sequence[PartyMatch]) -> str:
    return json.dumps([m.as_dict() for m in items], ensure_ascii=False)


def _to_member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        name=row.name,
        email=row.email,
        role=Role(row.role),
        language=row.language,
        conflicts=tuple(PartyMatch(**m) for m in json.loads(row.conflicts)),
        soft_conflicts=tuple(PartyMatch(**m) for m in json.loads(row.soft_conflicts)),
        leave=tuple(
            Leave(date.fromisoformat(p["from"]), date.fromisoformat(p["to"])) for p in json.loads(row.leave)
        ),
        active=bool(row.active),
    )


def _to_setting(row: MemberSettingRow) -> MemberSetting:
    kind = SettingKind(row.kind)
    set_at = read_instant(row.set_at)
    assert set_at is not None
    start, end = read_day(row.starts_on), read_day(row.ends_on)
    return MemberSetting(
        id=int(row.id),
        member=row.member_id,
        kind=kind,
        reason=row.reason,
        set_by=row.set_by,
        set_at=set_at,
        leave=Leave(start, end) if start is not None and end is not None else None,
        party=None if kind is SettingKind.LEAVE else PartyMatch(row.party_name, row.org_number),
    )


def _to_record(row: LeadDecisionRow) -> LeadRecord:
    at = read_instant(row.at)
    assert at is not None
    return LeadRecord(
        id=int(row.id),
        case_ref=row.case_ref,
        member_id=row.member_id,
        kind=row.kind,
        at=at,
        explanation=row.explanation,
        skipped=tuple(Skip(s["member"], Reason(s["reason"]), s["detail"]) for s in json.loads(row.skipped)),
        given_up_at=read_instant(row.given_up_at),
        given_up_kind=row.given_up_kind,
    )


class SqlMemberStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- members -----------------------------------------------------------------------------
    def all(self) -> list[Member]:
        """Every member ever brought in, as the rotation decides on them: config's leave and
        conflicts with those set in the browser (`with_settings`); active ones in config
        order, then the inactive."""
        settings = self.settings()
        return [with_settings(member, settings) for member in self.configured()]

    def configured(self) -> list[Member]:
        """Every member as config.toml last brought them in, without what the browser set."""
        rows = self._db.records(
            MemberRow, f"SELECT {_MEMBER_COLUMNS} FROM members ORDER BY active DESC, position, id"
        )
        return [_to_member(row) for row in rows]

    # -- leave and conflicts set in the browser ----------------------------------------------
    def settings(self, member_id: str | None = None) -> list[MemberSetting]:
        """The values set in the browser (of one member, or everyone's), in the order set."""
        where, params = ("", {}) if member_id is None else (" WHERE member_id = :m", {"m": member_id})
        rows = self._db.records(
            MemberSettingRow, f"SELECT {_SETTING_COLUMNS} FROM member_settings{where} ORDER BY id", params
        )
        return [_to_setting(row) for row in rows]

    def add_setting(
        self,
        *,
        member_id: str,
        kind: SettingKind,
        reason: str,
        actor: str,
        at: datetime,
        leave: Leave | None = None,
        party: PartyMatch | None = None,
    ) -> MemberSetting:
        db = self._db
        setting_id = db.scalar(
            "INSERT INTO member_settings (member_id, kind, starts_on, ends_on, party_name, "
            "org_number, reason, set_by, set_at) VALUES (:m, :kind, :starts, :ends, :name, "
            ":number, :reason, :actor, :at) RETURNING id",
            {
                "m": member_id,
                "kind": kind.value,
                "starts": db.day(leave.start) if leave else None,
                "ends": db.day(leave.end) if leave else None,
                "name": party.name if party else None,
                "number": party.org_number if party else None,
                "reason": reason,
                "actor": actor,
                "at": db.instant(at),
            },
        )
        assert setting_id is not None
        return MemberSetting(int(setting_id), member_id, kind, reason, actor, at, leave, party)

    def remove_setting(self, setting_id: int) -> None:
        self._db.execute("DELETE FROM member_settings WHERE id = :id", {"id": setting_id})

    def put(self, member: Member, *, position: int, at: datetime) -> None:
        """Insert or update a member as config.toml describes it (active)."""
        db = self._db
        params = {
            "id": member.id,
            "position": position,
            "name": member.name,
            "email": member.email,
            "role": member.role.value,
            "language": member.language,
            "conflicts": _matches(member.conflicts),
            "soft_conflicts": _matches(member.soft_conflicts),
            "leave": json.dumps(
                [{"from": p.start.isoformat(), "to": p.end.isoformat()} for p in member.leave]
            ),
            "active": True,
            "at": db.instant(at),
        }
        db.execute(
            "INSERT INTO members (id, position, name, email, role, language, conflicts, "
            "soft_conflicts, leave, active, updated_at) VALUES (:id, :position, :name, :email, "
            ":role, :language, :conflicts, :soft_conflicts, :leave, :active, :at) "
            f"ON CONFLICT ({db.key('id')}) DO UPDATE SET position = excluded.position, name = excluded.name, "
            "email = excluded.email, role = excluded.role, language = excluded.language, "
            "conflicts = excluded.conflicts, soft_conflicts = excluded.soft_conflicts, "
            "leave = excluded.leave, active = excluded.active, updated_at = excluded.updated_at",
            params,
        )

    def deactivate(self, member_id: str, *, position: int, at: datetime) -> None:
        self._db.execute(
            "UPDATE members SET active = :no, position = :position, updated_at = :at WHERE id = :id",
            {"no": False, "position": position, "at": self._db.instant(at), "id": member_id},
        )

    # -- lead decisions ----------------------------------------------------------------------
    def last_led(self) -> dict[str, Turn]:
        """Per member, the latest case they became lead of and still lead."""
        rows = self._db.all(
            "SELECT d.member_id, d.id, d.case_ref FROM lead_decisions d JOIN ("
            "SELECT member_id, MAX(id) AS id FROM lead_decisions WHERE member_id IS NOT NULL "
            "AND given_up_at IS NULL GROUP BY member_id) m ON m.id = d.id"
        )
        return {member_id: Turn(int(seq), case_ref) for member_id, seq, case_ref in rows}

    def record(
        self,
        *,
        case_ref: str,
        member_id: str | None,
        kind: str,
        at: datetime,
        explanation: str,
        skipped: Sequence[Skip],
    ) -> int:
        decision_id = self._db.scalar(
            "INSERT INTO lead_decisions (case_ref, member_id, kind, at, explanation, skipped) "
            "VALUES (:case_ref, :member_id, :kind, :at, :explanation, :skipped) RETURNING id",
            {
                "case_ref": case_ref,
                "member_id": member_id,
                "kind": kind,
                "at": self._db.instant(at),
                "explanation": explanation,
                "skipped": json.dumps([s.as_dict() for s in skipped], ensure_ascii=False),
            },
        )
        assert decision_id is not None
        return int(decision_id)

    def give_up(self, *, case_ref: str, member_id: str, at: datetime, kind: str) -> None:
        """The member no longer leads the case: their turn for it stops counting."""
        self._db.execute(
            "UPDATE lead_decisions SET given_up_at = :at, given_up_kind = :kind "
            "WHERE case_ref = :case_ref AND member_id = :member_id AND given_up_at IS NULL",
            {"at": self._db.instant(at), "kind": kind, "case_ref": case_ref, "member_id": member_id},
        )

    def recused(self, case_ref: str) -> frozenset[str]:
        rows = self._db.all(
            "SELECT DISTINCT member_id FROM lead_decisions WHERE case_ref = :ref "
            "AND given_up_kind = 'recused'",
            {"ref": case_ref},
        )
        return frozenset(member_id for (member_id,) in rows)

    def decisions(
        self,
        *,
        case_ref: str | None = None,
        case_refs: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[LeadRecord]:
        where, params = [], {}
        if case_ref is not None:
            where.append("case_ref = :ref")
            params["ref"] = case_ref
        if case_refs is not None:  # a page of cases (hundreds, well under SQLite's 32,766)
            marks = ", ".join(f":r{n}" for n in range(len(case_refs))) or "NULL"
            where.append(f"case_ref IN ({marks})")
            params.update({f"r{n}": ref for n, ref in enumerate(case_refs)})
        if since is not None:
            where.append("at >= :since")
            params["since"] = self._db.instant(since)
        if until is not None:
            where.append("at < :until")
            params["until"] = self._db.instant(until)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return [
            _to_record(row)
            for row in self._db.records(
                LeadDecisionRow, f"SELECT {_DECISION_COLUMNS} FROM lead_decisions{clause} ORDER BY id", params
            )
        ]

    # -- periodic duty -----------------------------------------------------------------------
    def duty(self) -> Duty | None:
        """The member on duty now and since when."""
        row = self._db.one("SELECT member_id, started_at FROM duty_periods ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        member_id, started_at = row
        started = read_instant(started_at)
        assert started is not None
        return Duty(member_id, started)

    def last_on_duty(self) -> dict[str, DutyTurn]:
        rows = self._db.all(
            "SELECT p.member_id, p.id, p.started_on FROM duty_periods p JOIN ("
            "SELECT member_id, MAX(id) AS id FROM duty_periods GROUP BY member_id) m "
            "ON m.id = p.id"
        )
        result = {}
        for member_id, seq, since in rows:
            day = read_day(since)
            assert day is not None
            result[member_id] = DutyTurn(int(seq), day)
        return result

    def start_duty(self, *, member_id: str, at: datetime, on: date, actor: str) -> None:
        self._db.execute(
            "INSERT INTO duty_periods (member_id, started_at, started_on, actor) "
            "VALUES (:m, :at, :on, :actor)",
            {"m": member_id, "at": self._db.instant(at), "on": self._db.day(on), "actor": actor},
        )

    # -- once-only alerts about leads --------------------------------------------------------
    def claim_alert(self, *, case_ref: str, member_id: str, problem: str, at: datetime) -> bool:
        """Insert the (case, lead, problem) claim; False when the chair was already told."""
        row = self._db.one(
            "INSERT INTO lead_alerts (case_ref, member_id, problem, fired_at) "
            "VALUES (:c, :m, :p, :at) "
            f"ON CONFLICT ({self._db.key('case_ref, member_id, problem')}) DO NOTHING RETURNING id",
            {"c": case_ref, "m": member_id, "p": problem, "at": self._db.instant(at)},
        )
        return row is not None
