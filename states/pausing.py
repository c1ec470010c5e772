"""Clock steps on a case: pause, resume, extend. Pure decisions, like states.case.advance.

Each takes an effective time `at` (back-dated with `--at`), never before the case's last step
(`Case.last_event_at`). Pausing and resuming move the case in time, as a transition does: the
paused days are counted from their effective times, so a later step may not come before them.
An extension does not: it changes how long a deadline runs, not where the case stands in time,
so it leaves `last_event_at` as it was and an extension recorded today does not block a step
back-dated to before it (the deadline keeps its extension even if that step meets it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from states.case import Case, out_of_order, require_actor, require_text
from states.deadlines import Deadline, Extension, dated
from states.durations import Duration
from states.errors import REASON, Input, InvalidInputError, Phrase, StepRefusedError, Term, Terms
from states.events import CasePaused, CaseResumed, DeadlineExtended, DueMoved
from states.limits import LATEST_DUE, NAME_MAX, check_extension, check_optional
from states.messages import N_
from states.pauses import Pause, with_pauses


def _refuse(case: Case, problem: str | Input) -> StepRefusedError:
    return StepRefusedError(reference=case.reference, state=case.state, problem=problem)


def _in_order(case: Case, at: datetime) -> None:
    if at < case.last_event_at:
        raise out_of_order(case, at)


def pause(
    case: Case, *, actor: str, reason: str, at: datetime, requested_by: str | None = None
) -> tuple[Case, CasePaused]:
    """Stop the clock: the stage stays, no deadline can fall overdue until resumed."""
    require_actor(actor)
    require_text(reason, REASON)
    check_optional(requested_by, Input(N_("who requested it"), "requested_by"), limit=NAME_MAX)
    if case.is_terminal:
        raise _refuse(case, N_("a closed case has no clock to pause"))
    if case.open_pause is not None:
        raise _refuse(
            case,
            Input(
                N_("already paused since {since} ({reason})"),
                params={
                    "since": dated(case.calendar.local_date(case.open_pause.started_at)),
                    "reason": case.open_pause.reason,
                },
            ),
        )
    _in_order(case, at)
    pauses = (
        *case.pauses,
        Pause(started_at=at, reason=reason, actor=actor, requested_by=requested_by or None),
    )
    paused = replace(
        case, pauses=pauses, last_event_at=at, deadlines=with_pauses(case.deadlines, pauses, case.calendar)
    )
    return paused, CasePaused(case.reference, actor, reason, requested_by, at)


def resume(case: Case, *, actor: str, at: datetime) -> tuple[Case, CaseResumed]:
    """Restart the clock: every open deadline moves on by the whole local days paused."""
    require_actor(actor)
    current = case.open_pause
    if current is None:
        raise _refuse(case, N_("the case is not paused; there is nothing to resume"))
    _in_order(case, at)
    ended = replace(current, ended_at=at, ended_by=actor)
    pauses = tuple(ended if p is current else p for p in case.pauses)
    deadlines = with_pauses(case.deadlines, pauses, case.calendar)
    before = {d.name: d.due for d in case.open_deadlines}
    moved = tuple(
        DueMoved(d.name, before[d.name], d.due) for d in deadlines if d.is_open and d.due != before[d.name]
    )
    days = (case.calendar.local_date(at) - case.calendar.local_date(current.started_at)).days
    resumed = replace(case, pauses=pauses, deadlines=deadlines, last_event_at=at)
    return resumed, CaseResumed(case.reference, actor, at, days, moved)


def extend(
    case: Case, *, deadline: str, amount: Duration, actor: str, reason: str, at: datetime
) -> tuple[Case, DeadlineExtended]:
    """Give one open deadline more time, before or after its due date, with a reason.

    `at` (when it was granted) is not before the case's last step, but the case's last step
    stays where it was: an extension is not a step in the case's time (module docstring)."""
    require_actor(actor)
    require_text(reason, REASON)
    check_extension(days=amount.days, months=amount.months)
    target = case.deadline(deadline)
    if target is None:
        running = tuple(d.name for d in case.open_deadlines)
        raise _refuse(
            case,
            Input(
                N_("deadline '{deadline}' has not started; open now: {allowed}"),
                params={
                    "deadline": Term(deadline),
                    "allowed": Terms(running) if running else Input(N_("none")),
                },
            ),
        )
    if not target.is_open:
        raise _refuse(
            case,
            Input(
                N_("deadline '{deadline}' was met on {met_on}; only an open deadline can be extended"),
                params={"deadline": Term(deadline), "met_on": str(target.met_on)},
            ),
        )
    _in_order(case, at)
    grown = replace(target, extensions=(*target.extensions, Extension(amount, reason, actor, at)))
    try:
        too_late = grown.due > LATEST_DUE
    except OverflowError:
        too_late = True
    if too_late:
        raise InvalidInputError(
            N_("deadline '{deadline}' would fall due after {latest}; give a shorter extension"),
            deadline=Term(deadline),
            latest=LATEST_DUE.isoformat(),
        )
    rule = case.procedure.deadlines.get(deadline)
    if rule is not None and rule.max_extension is not None:
        _within_cap(case, target, grown, rule.max_extension)
    deadlines = tuple(grown if d is target else d for d in case.deadlines)
    extended = replace(case, deadlines=deadlines)  # last_event_at stays (module docstring)
    event = DeadlineExtended(
        case.reference, deadline, str(amount), actor, reason, at, DueMoved(deadline, target.due, grown.due)
    )
    return extended, event


def _within_cap(case: Case, target: Deadline, grown: Deadline, cap: Duration) -> None:
    """A deadline whose definition sets `max_extension` may be extended, in one step or several,
    no further than that much time added at once would move it (pauses count either way)."""
    furthest = replace(target, extensions=(Extension(cap, "max_extension", "the procedure"),))
    if grown.due > furthest.due:
        raise _refuse(
            case,
            Input(
                N_(
                    "deadline '{deadline}' may be extended by {cap} at most in all under procedure "
                    "'{procedure}': to {furthest}; this extension would move it to {due}"
                ),
                params={
                    "deadline": Term(target.name),
                    "cap": Phrase(cap.describe),
                    "procedure": case.procedure.id,
                    "furthest": furthest.due.isoformat(),
                    "due": grown.due.isoformat(),
                },
            ),
        )
