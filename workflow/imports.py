"""`case import`: an NCP's past cases from a JSON-lines file, all of them or none.

The whole file is checked first: each line against the format (`workflow.import_format`), and
each case replayed through the core's own decisions (`states.case.open_case` and `advance`), so
its milestones must form a path through the lifecycle, in order, none in the future. Any
problem refuses the file, naming every line at fault, and nothing is written. Then one write
transaction brings the new cases in: each case, its opening and each milestone an audit entry
marked `imported` (who imported it, the source and the line, the date as the file gave it with
its precision). An external id already imported with the same content is left as it is
(`unchanged`); with other content the file is refused as a conflict.

Imported cases get no lead member (the rotation's turns are for new submissions). An imported
case still open keeps the deadlines its dates give it; alert rungs that fell before the import
are marked fired without sending anything, so the import sends no flood of overdue mail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from states import case as core
from states import issues as rules
from states import records, wording
from states.alerts import horizon, rungs_to_fire
from states.calendar import CalendarRule
from states.case import Case, CaseDetails, Party, PartyRole, Policy, require_actor
from states.errors import ImportConflictError, ImportRefusedError, Input, InvalidInputError, NcpflowError
from states.events import CaseOpened, CaseTransitioned
from states.issues import Issue
from states.lifecycle import Trigger
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.permissions import Action
from states.precision import HistoricalDate
from workflow import commands, versions
from workflow.config import Settings
from workflow.import_format import LINES_MAX, CaseLine, Milestone
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

if TYPE_CHECKING:
    from states.records import AuditRecord

log = get_logger("ncpflow.imports")

OPENED_REASON = wording.OPENED_BY_IMPORT


@dataclass(frozen=True)
class Line:
    """One case of the file, checked against the format."""

    number: int
    case: CaseLine
    sha256: str


@dataclass(frozen=True)
class Replayed:
    """A case replayed through the core: its final state, its opening, and each step."""

    case: Case
    opened: CaseOpened
    opened_state: str  # the procedure's first state
    steps: tuple[tuple[Milestone, CaseTransitioned], ...]
    issues: tuple[IssueSteps, ...] = ()


@dataclass(frozen=True)
class IssueSteps:
    """An issue as decided (and concluded), with when each was: the instant and the date as
    the file gave it (or as the milestone that dates it did)."""

    issue: Issue
    decided: tuple[datetime, HistoricalDate]
    concluded: tuple[datetime, HistoricalDate] | None


@dataclass(frozen=True)
class ImportedLine:
    line: int
    external_id: str
    reference: str | None  # None: to be allocated (a dry run)
    state: str
    steps: int
    status: Literal["created", "unchanged"]


@dataclass(frozen=True)
class ImportResult:
    source: str
    dry_run: bool
    lines: tuple[ImportedLine, ...]

    @property
    def created(self) -> int:
        return sum(1 for line in self.lines if line.status == "created")

    @property
    def unchanged(self) -> int:
        return sum(1 for line in self.lines if line.status == "unchanged")


BYTES_MAX = 32 * 2**20
"""An import file's size at most (far more than 10,000 cases take)."""


def read_file(path: Path) -> str:
    """The text of an import file (UTF-8, at most BYTES_MAX bytes); InvalidInputError naming
    it when it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(BYTES_MAX + 1)
        if len(raw) > BYTES_MAX:
            raise InvalidInputError(
                N_("the import file is larger than {limit} MiB; split it"), limit=BYTES_MAX // 2**20
            )
        return raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            N_("{file} is not UTF-8 text (byte {at}); save it as UTF-8 JSON lines"),
            file=str(path),
            at=exc.start,
        ) from None
    except OSError as exc:
        raise InvalidInputError(
            N_("{file} cannot be read: {problem}"), file=str(path), problem=exc.strerror or str(exc)
        ) from None


# ---- checking the file --------------------------------------------------------------------------


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def key(path: str) -> Input:
    """A key of the file as the file spells it (`milestones[2].date`), on every entry point."""
    return Input("{key}", params={"key": path}) if path else commands.THE_INPUT


def _problems(errors: Sequence[Mapping[str, Any]]) -> list[Input]:
    """pydantic's errors on a line, each naming its key as the file spells it."""
    found = []
    for error in errors:
        path = _path(error.get("loc") or ())
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInputError):
            problem = Input(cause.message, params={**cause.params, "what": key(path)})
            if path and "{what}" not in cause.message:
                problem = Input(N_("{what}: {problem}"), params={"what": key(path), "problem": problem})
            found.append(problem)
            continue
        for _, worded in commands.refusals([{**error, "loc": ()}]):
            found.append(Input(worded.words, params={**worded.params, "what": key(path)}))
    return found


def _as_input(error: NcpflowError) -> Input:
    return Input(error.message, params=error.params)


def _repeated(case: CaseLine, number: int, seen: dict[tuple[str, str], int]) -> Input | None:
    """Why the line repeats an earlier one (its external id, or its kept reference), if it does."""
    for name, value in (("external_id", case.external_id), ("reference", case.reference)):
        if value is None:
            continue
        first = seen.setdefault((name, value), number)
        if first != number:
            return Input(
                N_("{key} '{value}' is on line {first} too"),
                params={"key": name, "value": value, "first": first},
            )
    return None


def read_lines(text: str) -> tuple[list[Line], list[tuple[int, Input]]]:
    """Each non-blank line checked against the format, and the problems, by line number."""
    lines: list[Line] = []
    problems: list[tuple[int, Input]] = []
    seen: dict[tuple[str, str], int] = {}
    numbered = [(n, raw.rstrip("\r")) for n, raw in enumerate(text.split("\n"), start=1)]
    given = [(n, raw) for n, raw in numbered if raw.strip()]
    if not given:
        problems.append((1, Input(N_("the file holds no case; one JSON object a line"))))
    if len(given) > LINES_MAX:
        problems.append(
            (given[LINES_MAX][0], Input(N_("more than {n} cases in one file"), params={"n": LINES_MAX}))
        )
        given = given[:LINES_MAX]
    for number, raw in given:
        try:
            case = CaseLine.model_validate_json(raw)
        except ValidationError as exc:
            problems.extend((number, problem) for problem in _problems(exc.errors()))
            continue
        repeated = _repeated(case, number, seen)
        if repeated is not None:
            problems.append((number, repeated))
            continue
        content = json.dumps(case.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        lines.append(Line(number, case, hashlib.sha256(content.encode()).hexdigest()))
    return lines, problems


# ---- replaying a case through the core --------------------------------------------------------


def _instant(
    day: HistoricalDate, calendar: CalendarRule, after: datetime | None, now: datetime, what: str
) -> datetime:
    """The instant a step is recorded at: the start of its day (of its month's first day when
    only the month is known), never before the step before it."""
    instant = calendar.start_of_day(day.first_day)
    if after is not None:
        instant = max(instant, after)
    if instant > now:
        raise InvalidInputError(N_("{what} {value} is in the future"), what=key(what), value=str(day))
    return instant


def _scope(case: CaseLine, milestone: Milestone) -> str | None:
    """The accepted scope: as given, or from the issues when some were not accepted."""
    if milestone.scope is not None or milestone.trigger != Trigger.ACCEPT.value:
        return milestone.scope
    if not case.issues or all(issue.accepted for issue in case.issues):
        return None
    accepted = [issue.title for issue in case.issues if issue.accepted]
    refused = [issue.title for issue in case.issues if not issue.accepted]
    return f"accepted: {'; '.join(accepted) or '-'}; not accepted: {'; '.join(refused)}"[:2000]


def replay(case: CaseLine, *, reference: str, policy: Policy, actor: str, now: datetime) -> Replayed:
    """The case as the core records it, step by step; a named error where a step does not fit.
    A past case's steps were taken before ncpflow kept its checklists: the guard
    `checklist_complete` does not hold them back."""
    policy = replace(policy, checklists_required=False)
    parties = tuple(
        Party(PartyRole(p.role), p.name, p.type or None, p.confidential, p.org_number) for p in case.parties
    )
    themes = case.themes or [chapter for issue in case.issues for chapter in issue.chapters]
    details = CaseDetails(
        themes=tuple(dict.fromkeys(themes)),
        host_countries=tuple(case.host_countries),
        sector=case.sector or None,
        guidelines_edition=case.guidelines_edition,
        supporting_ncps=tuple(case.supporting_ncps),
    )
    received_at = _instant(case.received, policy.calendar, None, now, "received")
    current, opened = core.open_case(
        reference=reference,
        title=case.title,
        parties=parties,
        received_at=received_at,
        opened_at=now,
        actor=actor,
        policy=policy,
        details=details,
    )
    opened_state = current.state
    steps = []
    for n, milestone in enumerate(case.milestones):
        where = f"milestones[{n}]"
        at = _instant(milestone.date, policy.calendar, current.last_event_at, now, f"{where}.date")
        try:
            current, event = core.advance(
                current,
                trigger=milestone.trigger,
                actor=actor,
                reason=milestone.reason or wording.IMPORTED,
                at=at,
                policy=policy,
                outcome=milestone.outcome,
                scope=_scope(case, milestone),
            )
        except NcpflowError as error:
            raise InvalidInputError(
                N_("{what} ({trigger}): {problem}"),
                what=key(where),
                trigger=milestone.trigger,
                problem=_as_input(error),
            ) from None
        steps.append((milestone, event))
    issues = tuple(_issue_steps(case, n, steps, received_at, current, now) for n in range(len(case.issues)))
    return Replayed(current, opened, opened_state, tuple(steps), issues)


def _issue_steps(
    case: CaseLine,
    n: int,
    steps: Sequence[tuple[Milestone, CaseTransitioned]],
    received_at: datetime,
    current: Case,
    now: datetime,
) -> IssueSteps:
    """Issue `n` of the file decided, and concluded when it has a result, by the rules of
    `states.issues`: on its own dates, else when the milestone that dates it happened."""
    given = case.issues[n]
    where = f"issues[{n}]"
    first: dict[str, tuple[datetime, HistoricalDate]] = {}
    for milestone, event in steps:
        first.setdefault(milestone.trigger, (event.at, milestone.date))
    calendar = current.calendar

    def dated(
        day: HistoricalDate | None, triggers: tuple[str, ...], after: datetime, what: str
    ) -> tuple[datetime, HistoricalDate]:
        if day is not None:
            return _instant(day, calendar, after, now, what), day
        return next(first[t] for t in triggers if t in first)  # the format saw that one exists

    made = rules.new_issue((), title=given.title, chapters_given=given.chapters)
    made = replace(made, number=n + 1)
    decided = dated(given.decided, ("accept", "reject"), received_at, f"{where}.decided")
    chosen = rules.IssueDecision.ACCEPTED if given.accepted else rules.IssueDecision.NOT_ACCEPTED
    state = current.state
    made = rules.decide(
        made,
        chosen,
        on=calendar.local_date(decided[0]),
        received_on=current.received_on,
        reference=current.reference,
        state=state,
    )
    made = replace(made, decided_precision=decided[1].precision)
    concluded = None
    if given.result is not None:
        concluded = dated(given.concluded, ("conclude",), decided[0], f"{where}.concluded")
        made = rules.conclude(
            made,
            rules.IssueOutcome(given.result),
            on=calendar.local_date(concluded[0]),
            reference=current.reference,
            state=state,
        )
        made = replace(made, outcome_precision=concluded[1].precision)
    return IssueSteps(made, decided, concluded)


def check(text: str, *, source: str, policy: Policy, actor: str, now: datetime) -> list[Line]:
    """Every line of the file, checked and replayed; ImportRefusedError naming each line at
    fault otherwise."""
    lines, problems = read_lines(text)
    for line in lines:
        try:
            replay(
                line.case,
                reference=line.case.reference or line.case.external_id,
                policy=policy,
                actor=actor,
                now=now,
            )
        except NcpflowError as error:
            problems.append((line.number, _as_input(error)))
    if problems:
        raise ImportRefusedError(source=source, problems=sorted(problems, key=lambda p: p[0]))
    return lines


# ---- bringing the cases in ----------------------------------------------------------------------


def _imported(line: Line, day: HistoricalDate, *, actor: str, source: str) -> records.Imported:
    return records.Imported(actor, source, line.number, line.case.external_id, str(day), day.precision.value)


def _keep(tx: Transaction, *, prefix: str, reference: str) -> None:
    """A kept reference in this NCP's own form (`NCP-2019-003`) holds its number back."""
    head, _, number = reference.rpartition("-")
    own, _, year = head.rpartition("-")
    if own == prefix and year.isdigit() and len(year) == 4 and number.isdigit():
        tx.imports.reserve(prefix=prefix, year=int(year), number=int(number))


@dataclass(frozen=True)
class _Entry:
    """An audit entry to write, where it goes in time: its instant, then `rank` (the opening,
    a milestone, an issue's decision, its conclusion) among steps at the same instant."""

    at: datetime
    rank: int
    record: AuditRecord
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = None


def _entries(line: Line, replayed: Replayed, *, actor: str, source: str, now: datetime) -> list[_Entry]:
    """The case's audit entries in the order their dates give them, each marked imported."""
    case = line.case

    def mark(day: HistoricalDate) -> records.Imported:
        return _imported(line, day, actor=actor, source=source)

    opened = records.Opened.of(
        replayed.opened,
        title=case.title,
        parties=replayed.case.parties,
        details=replayed.case.details,
        recorded_at=now,
        procedure=replayed.case.procedure,
    )
    received = replayed.opened.at
    found = [
        _Entry(
            received,
            0,
            replace(opened, imported=records.ImportedCase.of(mark(case.received), sources=case.sources)),
            None,
            replayed.opened_state,
            OPENED_REASON,
        )
    ]
    for n, (milestone, event) in enumerate(replayed.steps):
        step = records.Transitioned.of(event, version=n + 2, recorded_at=now)
        found.append(
            _Entry(
                event.at,
                1,
                replace(step, imported=mark(milestone.date)),
                event.from_state,
                event.to_state,
                event.reason,
            )
        )
    for each in replayed.issues:
        issue = each.issue
        number, chapters = issue.number, issue.chapters
        found.append(
            _Entry(received, 0, records.IssueAdded(number, issue.title, chapters, now, mark(case.received)))
        )
        (at, day), on = each.decided, issue.decided_on
        assert on is not None
        found.append(_Entry(at, 2, records.IssueDecided(number, issue.decision.value, on, now, mark(day))))
        if each.concluded is not None and issue.outcome is not None and issue.outcome_on is not None:
            (at, day), outcome = each.concluded, issue.outcome.value
            found.append(
                _Entry(at, 3, records.IssueConcluded(number, outcome, issue.outcome_on, now, mark(day)))
            )
    return sorted(found, key=lambda entry: (entry.at, entry.rank))  # stable: as listed otherwise


def _write(
    tx: Transaction, line: Line, *, settings: Settings, actor: str, source: str, now: datetime
) -> Case:
    """The case, its issues and their audit entries; an issue's entries leave the case in the
    state it was in at that moment."""
    case = line.case
    prefix = settings.ncp.reference_prefix
    # Kept numbers are held back first (`_keep`), so an allocated one is never a kept one.
    reference = case.reference or tx.cases.next_reference(prefix=prefix, year=case.received.first_day.year)
    replayed = replay(case, reference=reference, policy=settings.policy, actor=actor, now=now)
    saved = replace(
        replayed.case, version=1 + len(replayed.steps), received_precision=case.received.precision
    )
    # The version the case follows is kept with it (refused when its content changed).
    versions.ensure_stored(tx, saved.procedure, at=now)
    tx.cases.add(saved)
    for each in replayed.issues:
        tx.issues.add(reference, each.issue, at=now)
    state = replayed.opened_state
    for entry in _entries(line, replayed, actor=actor, source=source, now=now):
        if entry.to_state is not None:
            state = entry.to_state
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=entry.at,
            from_state=entry.from_state if entry.to_state is not None else state,
            to_state=state,
            reason=entry.reason,
            record=entry.record,
        )
    tx.imports.add(
        external_id=case.external_id,
        reference=reference,
        sha256=line.sha256,
        source=source,
        line=line.number,
        actor=actor,
        at=now,
    )
    return saved


def _settle_alerts(tx: Transaction, open_refs: set[str], *, settings: Settings, now: datetime) -> int:
    """Mark fired, without sending, the alert rungs of imported open cases that fell before
    the import: the next sweep sends nothing for the past; later rungs fire as usual."""
    if not open_refs:
        return 0
    policy = settings.alert_policy
    today = settings.policy.calendar.local_date(now)
    settled = 0
    for candidate in tx.alerts.candidates(due_until=today + timedelta(days=horizon(policy))):
        if candidate.case_ref not in open_refs:
            continue
        # What a sweep now would send: the latest rung reached and the escalation; the sweep
        # never goes back to earlier rungs, so marking these leaves nothing from the past.
        for rung in rungs_to_fire(
            candidate.due, policy, today=today, fired=candidate.fired, started=candidate.started
        ):
            settled += tx.alerts.claim(
                deadline_id=candidate.deadline_id, rung=rung.key, due=candidate.due, at=now
            )
    return settled


def _sort_out(
    tx: Transaction, lines: Sequence[Line], *, source: str
) -> tuple[list[Line], list[ImportedLine]]:
    """The lines to create, and those imported before with the same content; ImportConflictError
    naming every line whose external id was imported with other content, or whose kept
    reference another case has."""
    fresh: list[Line] = []
    unchanged: list[ImportedLine] = []
    conflicts: list[tuple[int, Input]] = []
    for line in lines:
        case = line.case
        known = tx.imports.get(case.external_id)
        if known is None and case.reference is not None and tx.imports.taken(case.reference):
            problem = Input(
                N_("reference '{value}' is another case's already"), params={"value": case.reference}
            )
            conflicts.append((line.number, problem))
        elif known is None:
            fresh.append(line)
        elif known.sha256 != line.sha256:
            problem = Input(
                N_(
                    "external_id '{value}' was imported before as {reference} with other content; "
                    "give it another id, or leave the line out"
                ),
                params={"value": case.external_id, "reference": known.reference},
            )
            conflicts.append((line.number, problem))
        else:
            state = tx.cases.get(known.reference).state
            steps = len(case.milestones)
            unchanged.append(
                ImportedLine(line.number, case.external_id, known.reference, state, steps, "unchanged")
            )
    if conflicts:
        raise ImportConflictError(source=source, problems=conflicts)
    return fresh, unchanged


def import_cases(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    text: str,
    actor: str,
    source: str,
    dry_run: bool = False,
) -> ImportResult:
    """Check the whole file, then bring its new cases in, in one transaction (none with
    `dry_run`): ImportRefusedError (bad lines) or ImportConflictError (an external id already
    imported with other content, a kept reference already taken) and nothing written otherwise."""
    from workflow.users import authorise

    require_actor(actor)
    source = check_text(source, Input(N_("the source"), "source"), limit=NAME_MAX)
    lines = check(text, source=source, policy=settings.policy, actor=actor, now=clock.now())
    made: list[ImportedLine] = []
    settled = 0
    with uow.read() if dry_run else uow.write() as tx:
        now = clock.now()
        authorise(tx, actor, Action.IMPORT_CASES)
        fresh, unchanged = _sort_out(tx, lines, source=source)
        if dry_run:
            for line in fresh:
                case = line.case
                ref = case.reference or case.external_id
                state = replay(case, reference=ref, policy=settings.policy, actor=actor, now=now).case.state
                made.append(
                    ImportedLine(
                        line.number,
                        case.external_id,
                        case.reference,
                        state,
                        len(case.milestones),
                        "created",
                    )
                )
        else:
            for line in fresh:  # kept numbers first: none is then allocated to another line
                if line.case.reference is not None:
                    _keep(tx, prefix=settings.ncp.reference_prefix, reference=line.case.reference)
            saved = [
                (line, _write(tx, line, settings=settings, actor=actor, source=source, now=now))
                for line in fresh
            ]
            made = [
                ImportedLine(
                    line.number,
                    line.case.external_id,
                    case.reference,
                    case.state,
                    len(line.case.milestones),
                    "created",
                )
                for line, case in saved
            ]
            open_refs = {case.reference for _, case in saved if not case.is_terminal}
            settled = _settle_alerts(tx, open_refs, settings=settings, now=now)
    result = ImportResult(source, dry_run, tuple(sorted([*made, *unchanged], key=lambda line: line.line)))
    log.info(
        "cases_imported",
        source=source,
        actor=actor,
        dry_run=dry_run,
        created=result.created,
        unchanged=result.unchanged,
        alerts_settled=settled,
    )
    return result
