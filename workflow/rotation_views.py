"""Read-side views of the rotation: who is next and why not the others, a case's lead and
panel, the members, and the rotation report over a period (`workflow.read_models`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from states import audit_wording
from states.case import Case, Policy
from states.members import Member, PartyMatch, panel, plan_sync, why_not_lead
from states.messages import ENGLISH, Translator
from states.rotation import LeadRecord, RotationMode, choose_lead
from states.rotation_wording import rotation_phrases
from translations import translator
from workflow import inputs, read_models
from workflow.config import Settings
from workflow.periods import period_end
from workflow.ports import Clock, UnitOfWork


def matches_text(items: Sequence[PartyMatch], tr: Translator) -> list[str]:
    """Declared conflicts as the pages show them: `Nordic Metals ASA (org. no. 923456789)`."""
    org_number = rotation_phrases(tr).org_number
    return [
        f"{m.name or ''}{' ' if m.name and m.org_number else ''}"
        f"{org_number.format(number=m.org_number) if m.org_number else ''}"
        for m in items
    ]


def _matches(items: Sequence[PartyMatch], language: str = "en") -> list[str]:
    return matches_text(items, translator(language))


def member_fields(member: Member, *, language: str = "en") -> dict[str, Any]:
    """What config.toml and the browser say of a member (`read_models.Member` adds today's
    state)."""
    return {
        "id": member.id,
        "name": member.name,
        "email": member.email,
        "role": member.role,
        "language": member.language,
        "active": member.active,
        "conflicts": _matches(member.conflicts, language),
        "soft_conflicts": _matches(member.soft_conflicts, language),
        "leave": [read_models.Leave(start=p.start, end=p.end) for p in member.leave],
    }


def config_drift(stored: Sequence[Member], settings: Settings, *, language: str = "en") -> str | None:
    """What `members sync` would change, or None when the database matches config.toml;
    `stored`: the members as config last brought them in (`tx.members.configured()`), not
    what the browser set beside them, which a sync keeps."""
    changes = plan_sync(stored, settings.configured_members)
    if changes.empty:
        return None
    tr = translator(language)
    return changes.describe(tr=tr)


def members_view(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, language: str = "en"
) -> read_models.Members:
    """`members list`: everyone ever brought in, with today's availability and caseload.

    The texts are in `language` (the pages); the command line keeps English."""
    today = settings.policy.calendar.local_date(clock.now())
    with uow.read() as tx:
        members = tx.members.all()
        configured = tx.members.configured()
        last_led = tx.members.last_led()
        cases = tx.cases.list()
    caseload = Counter(c.lead_member for c in cases if not c.is_terminal and c.lead_member)
    rows = []
    for member in members:
        away = member.leave_on(today)
        led = last_led.get(member.id)
        rows.append(
            read_models.Member(
                **member_fields(member, language=language),
                on_leave_today=away is not None,
                last_led=led.case_ref if led else None,
                open_caseload=caseload.get(member.id, 0),
            )
        )
    return read_models.Members(
        members=rows, config_changes=config_drift(configured, settings, language=language)
    )


def rotation_view(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, language: str = "en"
) -> read_models.Rotation:
    """`rotation show`: who leads the next case (no parties yet), and why not each other member.

    Reasons and the explanation are in `language` (the pages); `mode`, `rule` and each row's
    `status` stay plain identifiers, which the pages label themselves."""
    words = rotation_phrases(translator(language))
    policy = settings.policy
    now = clock.now()
    today = policy.calendar.local_date(now)
    periodic = policy.rotation.mode is RotationMode.PERIODIC
    with uow.read() as tx:
        members = tx.members.all()
        configured = tx.members.configured()
        last_led = tx.members.last_led()
        duty = tx.members.duty() if periodic else None
        last_on_duty = tx.members.last_on_duty() if periodic else {}
    decision = choose_lead(
        members,
        on=today,
        last_led=last_led,
        rule=policy.rotation,
        duty=duty.member if duty else None,
        last_on_duty=last_on_duty,
        tr=translator(language),
    )
    rows: list[read_models.RotationRow] = []
    for place, candidate in enumerate(decision.candidates, start=1):
        member = next(m for m in members if m.id == candidate.member)
        skip = why_not_lead(member, on=today, tr=translator(language))
        if candidate.member == decision.chosen:
            status, why = "next", words.leads_next.format(note=candidate.note)
        elif skip is not None:
            status, why = skip.reason.value, skip.detail
        elif decision.chosen is None:
            status, why = "eligible", candidate.note
        else:
            status, why = "later", words.after.format(note=candidate.note, member=decision.chosen)
        rows.append(
            read_models.RotationRow(
                member=member.id, name=member.name, role=member.role, place=place, status=status, why=why
            )
        )
    for member in members:
        if not member.active:
            rows.append(
                read_models.RotationRow(
                    member=member.id,
                    name=member.name,
                    role=member.role,
                    place=None,
                    status="inactive",
                    why=words.inactive,
                )
            )
    on_duty = None
    if periodic and duty is not None:
        until = period_end(policy.rotation.every, since=duty.since, calendar=policy.calendar)
        on_duty = read_models.Duty(member=duty.member, since=duty.since.isoformat(), until=until.isoformat())
    return read_models.Rotation(
        mode=policy.rotation.mode.value,
        on=today,
        next=decision.chosen,
        rule=decision.rule,
        explanation=decision.explain(tr=translator(language)) if members else words.no_members,
        members=rows,
        duty=on_duty,
        config_changes=config_drift(configured, settings, language=language),
        every=policy.rotation.every if periodic else None,
    )


def lead_view(*, uow: UnitOfWork, case: Case, language: str = "en") -> read_models.Panel:
    """For `case show`: the lead, how and why they came to lead (in `language`: the stored
    decision worded again), and who takes part."""
    return lead_views(uow=uow, cases=[case], language=language)[case.reference]


def lead_views(
    *, uow: UnitOfWork, cases: Sequence[Case], language: str = "en"
) -> dict[str, read_models.Panel]:
    """`lead_view` for each case by reference, from one read (a page of cases: not one each)."""
    with uow.read() as tx:
        members = tx.members.all()
        records = tx.members.decisions(case_refs=[c.reference for c in cases]) if cases else []
    by_case: dict[str, list[LeadRecord]] = {c.reference: [] for c in cases}
    for record in records:
        by_case[record.case_ref].append(record)
    tr = ENGLISH if language == "en" else translator(language)
    return {c.reference: _lead_view(c, members, by_case[c.reference], tr) for c in cases}


def _lead_view(
    case: Case, members: Sequence[Member], records: Sequence[LeadRecord], tr: Translator
) -> read_models.Panel:
    # The same rows `members.recused` would read again.
    recused = frozenset(
        r.member_id for r in records if r.given_up_kind == "recused" and r.member_id is not None
    )
    latest = records[-1] if records else None
    if latest is not None and latest.member_id == case.lead_member:
        # Stored in English: worded again only for another language.
        why: str = latest.explanation if tr is ENGLISH else audit_wording.lead_record(latest, tr)
        how: str | None = latest.kind
    elif not members:
        why, how = tr.gettext(audit_wording.NO_MEMBERS), None
    else:
        why, how = tr.gettext(audit_wording.SET_BY_HAND), None
    names = {m.id: m.name for m in members}
    taking, out = panel(members, parties=case.parties, lead=case.lead_member, recused=recused)
    return read_models.Panel(
        lead=read_models.Lead(
            member=case.lead_member,
            name=names.get(case.lead_member or ""),
            how=how,
            since=latest.at.isoformat() if latest and how else None,
            why=why,
        ),
        taking_part=[
            read_models.PanelMember(
                member=p.member.id, name=p.member.name, role=p.member.role, lead=p.lead, note=p.note
            )
            for p in taking
        ],
        not_taking_part=[
            read_models.Excluded(member=s.member, reason=s.reason, detail=s.detail) for s in out
        ],
    )


def rotation_report(
    *, uow: UnitOfWork, policy: Policy, since: date | None = None, until: date | None = None
) -> read_models.RotationReport:
    """`report rotation`: per member, leads taken in the period, open caseload now, skips by reason."""
    inputs.period(since, until)
    calendar = policy.calendar
    with uow.read() as tx:
        members = tx.members.all()
        records = tx.members.decisions(
            since=calendar.start_of_day(since) if since else None,
            until=calendar.start_of_day(until + timedelta(days=1)) if until else None,
        )
        cases = tx.cases.list()
    caseload = Counter(c.lead_member for c in cases if not c.is_terminal and c.lead_member)
    skips = Counter(s.reason.value for r in records for s in r.skipped)
    rows = []
    for member in members:
        mine = [r for r in records if r.member_id == member.id]
        rows.append(
            read_models.RotationReportRow(
                member=member.id,
                name=member.name,
                active=member.active,
                led=len({r.case_ref for r in mine}),
                led_by_kind=dict(Counter(r.kind for r in mine)),
                given_up=dict(Counter(r.given_up_kind for r in mine if r.given_up_kind)),
                skipped=dict(
                    Counter(s.reason.value for r in records for s in r.skipped if s.member == member.id)
                ),
                open_caseload=caseload.get(member.id, 0),
            )
        )
    return read_models.RotationReport(
        since=since,
        until=until,
        decisions=len(records),
        members=rows,
        skips_by_reason=dict(skips),
        without_lead=sum(1 for r in records if r.member_id is None),
        open_without_lead=sum(1 for c in cases if not c.is_terminal and not c.lead_member),
    )
