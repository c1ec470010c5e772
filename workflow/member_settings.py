"""Members' leave and conflicts set in the browser, and the sync from config.toml made explicit.

Two sources of a member's leave periods and declared conflicts, both counting
(`states.members.with_settings`, the rule the rotation decides on):

- config.toml's `[[members]]`, brought in by `members sync` (`workflow.rotation.sync_members`):
  changed only by editing the file and syncing again;
- values set in the browser (`member_settings`): added and removed one by one by a user who may
  manage members (`Action.MANAGE_MEMBERS`), each an audit entry. A sync never changes or drops
  them: they stay until removed in the browser.

`sync_preview` is what `members sync` would change, field by field (a diff), and what it keeps.
"""

from __future__ import annotations

from datetime import date, datetime

from states import audit_wording, records
from states.case import require_actor
from states.errors import Input, InvalidInputError
from states.members import (
    Leave,
    Member,
    MemberSetting,
    PartyMatch,
    SettingKind,
    already_declared,
    plan_sync,
)
from states.messages import N_, Translator
from states.permissions import Action
from states.rotation_wording import rotation_phrases
from translations import translator
from workflow import read_models, rotation_views
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.members")

MEMBER = Input("", "member")


def _audited(tx: Transaction, *, actor: str, now: datetime, reason: str, record: records.AuditRecord) -> None:
    """The change's audit entry: of no case, the state of none."""
    tx.audit.append(
        case_ref=None, actor=actor, at=now, from_state=None, to_state=None, reason=reason, record=record
    )


def _member(tx: Transaction, member_id: str) -> Member:
    found = next((m for m in tx.members.all() if m.id == member_id), None)
    if found is None:
        raise InvalidInputError(
            N_("{what}: no member with id '{member}'; see `ncpflow members list`"),
            what=MEMBER,
            member=member_id,
        )
    return found


def _active(member: Member) -> Member:
    if not member.active:
        raise InvalidInputError(
            N_("{what}: member '{member}' is inactive (no longer in config.toml)"),
            what=MEMBER,
            member=member.id,
        )
    return member


def add_leave(
    *,
    uow: UnitOfWork,
    clock: Clock,
    member: str,
    first_day: date,
    last_day: date,
    reason: str | None,
    actor: str,
) -> MemberSetting:
    """A leave period set in the browser (both days included); audited as `member_leave_added`.

    The input model (`workflow.commands.AddLeave`) checks the days' range and order."""
    require_actor(actor)
    period = Leave(first_day, last_day)
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEMBERS)
        found = _active(_member(tx, member))
        if already_declared(found, SettingKind.LEAVE, period):
            raise InvalidInputError(
                N_("{what}: member '{member}' already has leave from {start} to {end}"),
                what=Input("", "first_day"),
                member=member,
                start=first_day.isoformat(),
                end=last_day.isoformat(),
            )
        setting = tx.members.add_setting(
            member_id=member, kind=SettingKind.LEAVE, reason=reason or "", actor=actor, at=now, leave=period
        )
        _audited(
            tx,
            actor=actor,
            now=now,
            reason=reason or audit_wording.LEAVE_SET.format(member=member, start=first_day, end=last_day),
            record=records.MemberLeaveAdded(member, setting.id, first_day, last_day),
        )
    log.info("member_leave_added", member=member, setting=setting.id, actor=actor)
    return setting


def add_conflict(
    *,
    uow: UnitOfWork,
    clock: Clock,
    member: str,
    party_name: str | None,
    org_number: str | None,
    soft: bool,
    reason: str,
    actor: str,
) -> MemberSetting:
    """A declared conflict set in the browser: a party's name, its organisation number, or both
    (either matches, as config's conflicts do); `soft`: may take part, never lead. Audited as
    `member_conflict_added`."""
    require_actor(actor)
    party = PartyMatch((party_name or "").strip() or None, (org_number or "").strip() or None)
    kind = SettingKind.SOFT_CONFLICT if soft else SettingKind.CONFLICT
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEMBERS)
        found = _active(_member(tx, member))
        if already_declared(found, kind, party):
            raise InvalidInputError(
                N_("{what}: member '{member}' already declares this conflict"),
                what=Input("", "party_name"),
                member=member,
            )
        setting = tx.members.add_setting(
            member_id=member, kind=kind, reason=reason, actor=actor, at=now, party=party
        )
        _audited(
            tx,
            actor=actor,
            now=now,
            reason=reason,
            record=records.MemberConflictAdded(member, setting.id, party.name, party.org_number, soft),
        )
    log.info("member_conflict_added", member=member, setting=setting.id, soft=soft, actor=actor)
    return setting


def remove_setting(
    *, uow: UnitOfWork, clock: Clock, member: str, setting_id: int, actor: str
) -> MemberSetting:
    """Remove a leave period or a conflict set in the browser (those from config.toml change
    only in the file); audited as `member_leave_removed` or `member_conflict_removed`."""
    require_actor(actor)
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEMBERS)
        _member(tx, member)
        setting = next((s for s in tx.members.settings(member) if s.id == setting_id), None)
        if setting is None:
            raise InvalidInputError(
                N_(
                    "member '{member}' has no value {setting} set in the browser; values from "
                    "config.toml change only in the file"
                ),
                member=member,
                setting=setting_id,
            )
        tx.members.remove_setting(setting_id)
        record: records.MemberLeaveRemoved | records.MemberConflictRemoved
        if setting.leave is not None:
            record = records.MemberLeaveRemoved(member, setting_id, setting.leave.start, setting.leave.end)
            what = audit_wording.LEAVE_REMOVED.format(
                member=member, start=setting.leave.start, end=setting.leave.end
            )
        else:
            assert setting.party is not None
            record = records.MemberConflictRemoved(
                member,
                setting_id,
                setting.party.name,
                setting.party.org_number,
                setting.kind is SettingKind.SOFT_CONFLICT,
            )
            what = audit_wording.CONFLICT_REMOVED.format(member=member)
        _audited(tx, actor=actor, now=now, reason=what, record=record)
    log.info(record.kind, member=member, setting=setting_id, actor=actor)
    return setting


# -- what the pages show -------------------------------------------------------------------------


def _party(match: PartyMatch, tr: Translator) -> str:
    return rotation_views.matches_text([match], tr)[0]


def _config_values(member: Member, tr: Translator) -> list[read_models.MemberValue]:
    words = rotation_phrases(tr)
    values = [
        read_models.MemberValue(
            kind=SettingKind.LEAVE,
            source="config",
            text=words.leave.format(start=p.start.isoformat(), end=p.end.isoformat()),
            start=p.start,
            end=p.end,
        )
        for p in member.leave
    ]
    for kind, matches in (
        (SettingKind.CONFLICT, member.conflicts),
        (SettingKind.SOFT_CONFLICT, member.soft_conflicts),
    ):
        values += [
            read_models.MemberValue(
                kind=kind, source="config", text=_party(m, tr), name=m.name, org_number=m.org_number
            )
            for m in matches
        ]
    return values


def _browser_value(setting: MemberSetting, tr: Translator) -> read_models.MemberValue:
    leave, party = setting.leave, setting.party
    words = rotation_phrases(tr)
    return read_models.MemberValue(
        kind=setting.kind,
        source="browser",
        text=(
            words.leave.format(start=leave.start.isoformat(), end=leave.end.isoformat())
            if leave is not None
            else _party(party, tr)
            if party is not None
            else ""
        ),
        start=leave.start if leave else None,
        end=leave.end if leave else None,
        name=party.name if party else None,
        org_number=party.org_number if party else None,
        id=setting.id,
        reason=setting.reason or None,
        set_by=setting.set_by,
        set_at=setting.set_at.isoformat(),
    )


def member_detail(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, member_id: str, language: str = "en"
) -> read_models.MemberDetail:
    """One member's page: today's state, and each leave period and conflict with where it
    comes from (config.toml or the browser)."""
    tr = translator(language)
    listed = rotation_views.members_view(uow=uow, clock=clock, settings=settings, language=language)
    row = next((m for m in listed.members if m.id == member_id), None)
    with uow.read() as tx:
        configured = next((m for m in tx.members.configured() if m.id == member_id), None)
        set_here = tx.members.settings(member_id)
    if row is None or configured is None:
        raise InvalidInputError(
            N_("{what}: no member with id '{member}'; see `ncpflow members list`"),
            what=MEMBER,
            member=member_id,
        )
    today = settings.policy.calendar.local_date(clock.now())
    values = _config_values(configured, tr) + [_browser_value(s, tr) for s in set_here]
    return read_models.MemberDetail(
        member=row,
        values=[v.model_copy(update={"current": _current(v, today)}) for v in values],
    )


def _current(value: read_models.MemberValue, today: date) -> bool:
    """A leave period covering today, or any conflict."""
    if value.start is None or value.end is None:
        return True
    return value.start <= today <= value.end


def _field_text(member: Member, name: str, tr: Translator) -> list[str]:
    """A field of a member as the diff shows it, in `tr`'s words."""
    value = getattr(member, name)
    if name == "leave":
        words = rotation_phrases(tr)
        return [words.leave.format(start=p.start.isoformat(), end=p.end.isoformat()) for p in value]
    if name in {"conflicts", "soft_conflicts"}:
        return rotation_views.matches_text(value, tr)
    if name == "role":
        return [tr.gettext(ROLE_WORDS[value.value])]
    return [] if value is None else [str(value)]


ROLE_WORDS = {"chair": N_("chair"), "member": N_("member")}


def sync_preview(*, uow: UnitOfWork, settings: Settings, language: str = "en") -> read_models.SyncPreview:
    """What `members sync` would change now, field by field; the values set in the browser it
    keeps (never changed by a sync)."""
    tr = translator(language)
    with uow.read() as tx:
        stored = tx.members.configured()
        kept = len(tx.members.settings())
    configured = settings.configured_members
    changes = plan_sync(stored, configured)
    before = {m.id: m for m in stored}
    rows: list[read_models.SyncChange] = []
    for member in configured:
        old = before.get(member.id)
        if old is None:
            rows.append(read_models.SyncChange(member=member.id, change="added", after=[member.name]))
            continue
        if member.id in changes.reactivated:
            rows.append(read_models.SyncChange(member=member.id, change="reactivated"))
        for name in changes.changed.get(member.id, ()):
            rows.append(
                read_models.SyncChange(
                    member=member.id,
                    change="changed",
                    field=name,
                    before=_field_text(old, name, tr),
                    after=_field_text(member, name, tr),
                )
            )
    rows += [
        read_models.SyncChange(member=m, change="deactivated", before=[before[m].name])
        for m in changes.deactivated
    ]
    return read_models.SyncPreview(
        empty=changes.empty,
        summary=changes.describe(tr=tr),
        changes=rows,
        reordered=changes.reordered,
        order=[m.id for m in configured],
        kept=kept,
    )
