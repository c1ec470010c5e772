"""The rotation rule: who leads a case, as a decision that explains itself. Pure values.

Per case: the eligible member who has led least recently leads; never-led first, ties by config
order. Periodic duty: the duty lead leads unless they may not (states/members.py says why), then
the next member in duty order (least recently on duty). Every decision lists the candidates in
the order considered, who was skipped and why, and who was chosen, so that the audit entry
explains itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from states.members import Member, NamedParty, Reason, Skip, why_not_lead
from states.messages import ENGLISH, N_, Translator
from states.rotation_wording import rotation_phrases, rule_label


class RotationMode(StrEnum):
    PER_CASE = "per_case"
    PERIODIC = "periodic"


@dataclass(frozen=True)
class RotationRule:
    """[rotation] in config: the mode, and for periodic duty how often it turns over."""

    mode: RotationMode = RotationMode.PER_CASE
    every: str = "1mo"  # a duration ("1mo", "2w") or a five-field cron expression


# -- the rotation state, as the database keeps it -------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """The latest time a member became lead of a case they still lead (a rising number)."""

    turn: int
    case_ref: str


@dataclass(frozen=True)
class DutyTurn:
    """The latest duty period a member started (a rising number) and its first day."""

    seq: int
    since: date


@dataclass(frozen=True)
class Duty:
    """Who is on duty in periodic mode, and since when."""

    member: str
    since: datetime


@dataclass(frozen=True)
class LeadRecord:
    """One stored lead decision: who became lead of a case (None: nobody eligible), and why.

    `id` rises with every decision; it is the clock "least recently led" is measured on.
    """

    id: int
    case_ref: str
    member_id: str | None
    kind: str  # opened, reassigned, recused
    at: datetime
    explanation: str
    skipped: tuple[Skip, ...] = ()
    given_up_at: datetime | None = None
    given_up_kind: str | None = None  # reassigned, recused


@dataclass(frozen=True)
class Candidate:
    member: str
    note: str

    def as_dict(self) -> dict[str, str]:
        return {"member": self.member, "note": self.note}


@dataclass(frozen=True)
class LeadDecision:
    rule: str
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skip, ...]
    chosen: str | None
    notes: Mapping[str, str] = field(default_factory=dict)

    def explain(self, *, tr: Translator = ENGLISH) -> str:
        """Why, in `tr`'s words; the notes and skips are in the words `choose_lead` was given."""
        words = rotation_phrases(tr)
        skipped = "; ".join(str(s) for s in self.skipped)
        if self.chosen is None:
            if not self.candidates and not self.skipped:
                return words.no_active
            return words.no_eligible_skipped.format(skipped=skipped) if skipped else words.no_eligible
        text = words.chose.format(
            member=self.chosen, note=self.notes.get(self.chosen, ""), rule=rule_label(self.rule, tr)
        )
        return words.skipped.format(text=text, skipped=skipped) if skipped else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "candidates": [c.as_dict() for c in self.candidates],
            "skipped": [s.as_dict() for s in self.skipped],
            "chosen": self.chosen,
            "explanation": self.explain(),
        }


PER_CASE_RULE = N_("least recently led, never-led first, ties by config order")
DUTY_RULE = N_("the duty lead, else the next in duty order")
DUTY_TURN_RULE = N_("least recently on duty")  # who takes duty next


def least_recently_led(members: Sequence[Member], last_led: Mapping[str, Turn]) -> tuple[Member, ...]:
    """Never-led first (in config order), then by the turn each last took a case."""
    ranked = sorted(
        enumerate(members),
        key=lambda item: (
            item[1].id in last_led,
            last_led[item[1].id].turn if item[1].id in last_led else 0,
            item[0],
        ),
    )
    return tuple(member for _, member in ranked)


def duty_order(
    members: Sequence[Member], *, duty: str | None, last_on_duty: Mapping[str, DutyTurn]
) -> tuple[Member, ...]:
    """The duty lead first, then least recently on duty (never first, ties by config order)."""
    ranked = sorted(
        enumerate(members),
        key=lambda item: (
            item[1].id != duty,
            item[1].id in last_on_duty,
            last_on_duty[item[1].id].seq if item[1].id in last_on_duty else 0,
            item[0],
        ),
    )
    return tuple(member for _, member in ranked)


def _led_note(member: Member, last_led: Mapping[str, Turn], tr: Translator = ENGLISH) -> str:
    words = rotation_phrases(tr)
    turn = last_led.get(member.id)
    return words.last_led.format(case=turn.case_ref) if turn else words.never_led


def _duty_note(
    member: Member, duty: str | None, last_on_duty: Mapping[str, DutyTurn], tr: Translator = ENGLISH
) -> str:
    words = rotation_phrases(tr)
    if member.id == duty:
        return words.duty_lead
    seen = last_on_duty.get(member.id)
    return words.last_on_duty.format(since=seen.since.isoformat()) if seen else words.never_on_duty


def choose_lead(
    members: Sequence[Member],
    *,
    parties: Sequence[NamedParty] = (),
    on: date,
    last_led: Mapping[str, Turn],
    rule: RotationRule = RotationRule(),
    duty: str | None = None,
    last_on_duty: Mapping[str, DutyTurn] | None = None,
    recused: frozenset[str] = frozenset(),
    tr: Translator = ENGLISH,
) -> LeadDecision:
    """Walk the members in rotation order; the first with no reason not to lead is chosen.

    `members` are in config order; inactive ones are out of the rotation and not candidates,
    except that an inactive duty lead is named as skipped. Notes and skips are in `tr`'s words
    (English for every decision that is stored); the rule's label is always English.
    """
    active = [m for m in members if m.active]
    skipped: list[Skip] = []
    if rule.mode is RotationMode.PERIODIC:
        on_duty = last_on_duty or {}
        order = duty_order(active, duty=duty, last_on_duty=on_duty)
        notes = {m.id: _duty_note(m, duty, on_duty, tr) for m in order}
        label = DUTY_RULE
        gone = next((m for m in members if m.id == duty and not m.active), None)
        if gone is not None:
            skipped.append(Skip(gone.id, Reason.INACTIVE, rotation_phrases(tr).duty_lead_inactive))
    else:
        order = least_recently_led(active, last_led)
        notes = {m.id: _led_note(m, last_led, tr) for m in order}
        label = PER_CASE_RULE
    chosen: str | None = None
    for member in order:
        skip = why_not_lead(member, parties=parties, on=on, recused=recused, tr=tr)
        if skip is None:
            chosen = member.id
            break
        skipped.append(skip)
    return LeadDecision(
        rule=label,
        candidates=tuple(Candidate(m.id, notes[m.id]) for m in order),
        skipped=tuple(skipped),
        chosen=chosen,
        notes=notes,
    )


@dataclass(frozen=True)
class DutyDecision:
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skip, ...]
    chosen: str | None

    def explain(self, *, tr: Translator = ENGLISH) -> str:
        """Why, in `tr`'s words; the notes and skips are in the words `choose_duty` was given."""
        words = rotation_phrases(tr)
        skipped = "; ".join(str(s) for s in self.skipped)
        if self.chosen is None:
            return words.no_duty.format(skipped=skipped) if skipped else words.no_active_members
        note = next(c.note for c in self.candidates if c.member == self.chosen)
        text = words.chose.format(member=self.chosen, note=note, rule=rule_label(DUTY_TURN_RULE, tr))
        return words.skipped.format(text=text, skipped=skipped) if skipped else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidates": [c.as_dict() for c in self.candidates],
            "skipped": [s.as_dict() for s in self.skipped],
            "chosen": self.chosen,
            "explanation": self.explain(),
        }


def choose_duty(
    members: Sequence[Member], *, current: str | None, last_on_duty: Mapping[str, DutyTurn], on: date
) -> DutyDecision:
    """The next duty lead: least recently on duty, skipping the inactive and those on leave.

    The member on duty now is considered last, so duty passes on whenever anyone else can take it.
    """
    words = rotation_phrases()  # stored: English
    active = [m for m in members if m.active]
    order = [m for m in duty_order(active, duty=None, last_on_duty=last_on_duty) if m.id != current] + [
        m for m in active if m.id == current
    ]
    skipped: list[Skip] = []
    chosen: str | None = None
    for member in order:
        away = member.leave_on(on)
        if away is None:
            chosen = member.id
            break
        skipped.append(Skip(member.id, Reason.ON_LEAVE, words.on_leave.format(period=away.describe())))
    return DutyDecision(
        candidates=tuple(
            Candidate(m.id, words.on_duty_now if m.id == current else _duty_note(m, None, last_on_duty))
            for m in order
        ),
        skipped=tuple(skipped),
        chosen=chosen,
    )
