"""The procedure handbook: a procedure definition worded for new NCP staff (pure).

`build` takes a `Procedure`, the durations in force for its deadlines (config.toml's [timelines]
over the definition's), the calendar and a `Translator` (a `ProcedureWords`: the procedure's own
labels in the reader's language), and returns the `Handbook`: for each stage what happens, the
deadlines open in it and how each is counted (with a worked explanation from `Deadline.explain`,
so the handbook and a case's deadlines say it in the same words), the steps allowed and what each
needs, the letters and statements, the Guidelines texts it rests on and what the parties are told.
The history (versions and what changed between them) is worded by workflow/handbook.py and passed
in. Every word is in the reader's language; rendering is the adapter's (notifications/handbook.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from states import letters as letter_kinds
from states import statements as statement_kinds
from states import wording
from states.calendar import CalendarRule
from states.deadlines import Deadline, Extension, PausedSpan
from states.durations import Duration
from states.messages import N_, Translator
from states.procedure import DeadlineRule, Procedure, Transition

# The words of the handbook's headings and fixed sentences, one msgid each.
HEADINGS: dict[str, str] = {
    "title": N_("Procedure handbook"),
    "contents": N_("Contents"),
    "stages": N_("The stages"),
    "what_happens": N_("What happens"),
    "timelines": N_("Indicative timelines"),
    "steps": N_("Steps allowed"),
    "checklist": N_("The handler's checklist"),
    "checklist_intro": N_("Ticked on the case page; each tick and untick is in the audit log."),
    "letters": N_("Letters and statements"),
    "rests_on": N_("Rests on"),
    "told": N_("What the parties are told"),
    "facts": N_("Dated facts"),
    "coordination": N_("Coordination between NCPs"),
    "history": N_("History of the procedure"),
    "example": N_("Worked example"),
    "leads_to": N_("Leads to"),
    "needs": N_("Needs"),
    "outcomes": N_("Outcomes"),
    "version": N_("Version"),
    "no_changes": N_("No change that ncpflow reads: the two versions differ only in comments or layout."),
    "first_version": N_("The first version known here."),
    "none": N_("None."),
    "in_force": N_("in force for new cases"),
    "intro": N_(
        "This handbook is generated from the procedure definition the NCP's cases follow: "
        "it cannot drift from what ncpflow does. Each stage below says what happens in it, the "
        "indicative timelines and how they are counted, the steps that move a case on and what "
        "each needs, the letters and statements, what the stage rests on and what the parties "
        "are told."
    ),
    "no_description": N_("The definition says nothing more of this stage."),
    "no_rests_on": N_("The definition names no text for this stage."),
    "terminal": N_("A closed case does not move: nothing leaves this stage."),
}

_BASIS_RECEIVED = N_("Counted from the day the submission was received.")
_BASIS_ENTERED = N_("Counted from the step that opens it ({steps}).")
_BASIS_FACT = N_("Counted from the day “{fact}” is recorded; it starts only then.")
_DURATION = N_("Runs for {duration}.")
_OVERRIDDEN = N_(
    "Runs for {duration}, as [timelines] in config.toml gives it; the definition says {default}."
)
_OPEN_IN = N_("Open while the case is in: {states}.")
_MET_BY = N_("Met when “{fact}” is recorded.")
_MET_ON_LEAVING = N_("Met when the case leaves these stages.")
_WORKING = N_(
    "Counted in working days: weekends and the public holidays of {country} do not count, and it "
    "always falls due on a working day."
)
_ROLLED = N_("A due date on a weekend or public holiday rolls to the next working day.")
_PAUSE = N_(
    "A pause stops its clock: while the case is paused it cannot fall overdue, and on resuming "
    "the due date moves on by the days paused."
)
_PAUSE_WORKING = N_(
    "A pause stops its clock: while the case is paused it cannot fall overdue, and on resuming "
    "the due date moves on by the working days paused."
)
_EXTENSION = N_("An extension moves the due date on by the time granted, with a reason and who approved it.")
_MAX_EXTENSION = N_("All its extensions together may move it by at most {duration}.")
_EXAMPLE_PAUSE = N_("parallel proceedings")
_EXAMPLE_EXTENSION = N_("translation awaited")
_EXAMPLE_BY = N_("the chair")
_ACTOR_REASON = N_("Each step names who took it and why.")
_OUTCOME_CHOSEN = N_("The outcome is chosen from: {outcomes}.")
_OUTCOME_IMPLIED = N_("It records the outcome “{outcome}”.")
_STEP_LETTERS = N_("After the step, letters offered: {letters}.")
_STEP_PUBLISH = N_("Publishing the {statement} takes this step.")
_STAGE_LETTERS = N_("Letters offered in this stage: {letters}.")
_DRAFTED = N_("Statements drafted and sent for comment here: {statements}.")
_PUBLISHED = N_("Statements published here: {statements}.")
_TOLD_LETTERS = N_("The parties are written to with: {letters}.")
_FACT_WHERE = N_("Recorded in: {states}.")
_FACT_REPEAT = N_("May be recorded more than once.")
_FACT_ENDS = N_("Ends “{fact}”.")
_FACT_BY = N_("Names who it was by: {who}.")
_FACT_STARTS = N_("Starts the deadline “{deadline}”.")
_FACT_MEETS = N_("Meets the deadline “{deadline}”.")

# What each named guard (states.guards) needs, worded as a condition of the step.
GUARD_NEEDS: dict[str, str] = {
    "is_examination_enabled": N_(
        "The examination stage is switched on ([procedure] examination in config.toml)."
    ),
    "no_open_review": N_("No procedural review of the final statement is open (its conclusion is recorded)."),
    "checklist_complete": N_(
        "Every item of the stage's checklist is ticked, where the NCP requires complete checklists "
        "(config.toml)."
    ),
}

# The worked example: a case received on this day, paused 12 days and extended 10.
EXAMPLE_START = date(2025, 1, 31)
_EXAMPLE_PAUSED = (date(2025, 2, 10), date(2025, 2, 22))


@dataclass(frozen=True)
class RuleText:
    """A deadline as the handbook tells it."""

    name: str
    title: str
    sentences: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class StepText:
    """A step (transition) out of a stage: trigger and source identify it."""

    trigger: str
    source: str
    label: str
    dest: str
    dest_label: str
    meaning: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class StageText:
    name: str
    label: str
    description: str
    terminal: bool
    deadlines: tuple[RuleText, ...]
    steps: tuple[StepText, ...]
    letters: tuple[str, ...]  # sentences: letters offered, statements drafted and published
    rests_on: tuple[str, ...]
    told: tuple[str, ...]
    checklist: tuple[tuple[str, str], ...] = ()  # each item's label and help (may be empty)


@dataclass(frozen=True)
class FactText:
    name: str
    label: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class VersionText:
    """One version of the procedure in the history, and what changed from the one before."""

    version: str
    title: str
    note: str  # "in force for new cases", or empty
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Handbook:
    language: str
    procedure_id: str
    version: str
    title: str
    words: Mapping[str, str]  # HEADINGS in the reader's language
    stages: tuple[StageText, ...]
    facts: tuple[FactText, ...]
    coordination: tuple[str, ...]
    history: tuple[VersionText, ...]

    @property
    def heading(self) -> str:
        return f"{self.words['title']}: {self.title}"


def _join(items: Sequence[str]) -> str:
    return ", ".join(items)


def _entered_by(procedure: Procedure, rule: DeadlineRule, tr: Translator) -> str:
    """The steps whose taking starts a deadline counted from entering its states."""
    names = []
    if procedure.initial in rule.open_in:
        names.append(wording.translate("received", tr))
    for row in procedure.transitions:
        if row.dest in rule.open_in and row.source not in rule.open_in:
            names.append(procedure.label("past", row.trigger, _language(tr)))
    return _join(list(dict.fromkeys(names)))


def _language(tr: Translator) -> str:
    return getattr(tr, "language", "en")


def _example(
    procedure: Procedure, rule: DeadlineRule, duration: Duration, calendar: CalendarRule, tr: Translator
) -> str:
    """The deadline's explanation on a worked example: counted from 31 Jan 2025, paused 12 days,
    extended by 10 days; worded by `Deadline.explain`, as a case's own deadline is."""
    if rule.fact is not None:
        basis = procedure.facts[rule.fact].label.en
    elif rule.basis == "received":
        basis = "received"
    else:
        entering = next(
            (t for t in procedure.transitions if t.dest in rule.open_in and t.source not in rule.open_in),
            None,
        )
        basis = procedure.triggers[entering.trigger].past.en if entering is not None else "received"
    deadline = Deadline(
        name=rule.name,
        basis_on=EXAMPLE_START,
        basis_label=basis,
        duration=duration,
        calendar=calendar,
        started_at=datetime(2025, 1, 31, 9, tzinfo=UTC),
        pauses=(PausedSpan(*_EXAMPLE_PAUSED, reason=tr.gettext(_EXAMPLE_PAUSE)),),
        extensions=(
            Extension(
                amount=Duration(days=10),
                reason=tr.gettext(_EXAMPLE_EXTENSION),
                approved_by=tr.gettext(_EXAMPLE_BY),
            ),
        ),
    )
    return deadline.explain(tr=tr)


def _rule(
    procedure: Procedure,
    rule: DeadlineRule,
    durations: Mapping[str, Duration],
    calendar: CalendarRule,
    tr: Translator,
) -> RuleText:
    language = _language(tr)
    duration = durations.get(rule.name, rule.duration)
    sentences = []
    if rule.fact is not None:
        sentences.append(tr.gettext(_BASIS_FACT).format(fact=procedure.label("fact", rule.fact, language)))
    elif rule.basis == "received":
        sentences.append(tr.gettext(_BASIS_RECEIVED))
    else:
        sentences.append(tr.gettext(_BASIS_ENTERED).format(steps=_entered_by(procedure, rule, tr)))
    if duration != rule.duration:
        sentences.append(
            tr.gettext(_OVERRIDDEN).format(duration=duration.describe(tr), default=rule.duration.describe(tr))
        )
    else:
        sentences.append(tr.gettext(_DURATION).format(duration=duration.describe(tr)))
    states = [procedure.label("state", s, language) for s in procedure.states if s in rule.open_in]
    sentences.append(tr.gettext(_OPEN_IN).format(states=_join(states)))
    if rule.met_by is not None:
        sentences.append(tr.gettext(_MET_BY).format(fact=procedure.label("fact", rule.met_by, language)))
    else:
        sentences.append(tr.gettext(_MET_ON_LEAVING))
    if duration.in_working_days:
        sentences.append(tr.gettext(_WORKING).format(country=calendar.holiday_country or "—"))
        sentences.append(tr.gettext(_PAUSE_WORKING))
    else:
        if calendar.roll_to_working_day:
            sentences.append(tr.gettext(_ROLLED))
        sentences.append(tr.gettext(_PAUSE))
    sentences.append(tr.gettext(_EXTENSION))
    if rule.max_extension is not None:
        sentences.append(tr.gettext(_MAX_EXTENSION).format(duration=rule.max_extension.describe(tr)))
    return RuleText(
        name=rule.name,
        title=procedure.label("deadline_title", rule.name, language),
        sentences=tuple(sentences),
        example=_example(procedure, rule, duration, calendar, tr),
    )


def _step(procedure: Procedure, row: Transition, tr: Translator) -> StepText:
    language = _language(tr)
    needs = [tr.gettext(_ACTOR_REASON)]
    if row.implied_outcome is not None:
        needs.append(
            tr.gettext(_OUTCOME_IMPLIED).format(
                outcome=procedure.label("outcome", row.implied_outcome, language)
            )
        )
    elif row.outcomes:
        outcomes = [procedure.label("outcome", o, language) for o in row.outcomes]
        needs.append(tr.gettext(_OUTCOME_CHOSEN).format(outcomes=_join(outcomes)))
    for guard in row.guards:
        needs.append(tr.gettext(GUARD_NEEDS[guard]) if guard in GUARD_NEEDS else guard.replace("_", " "))
    if row.letters:
        names = [letter_kinds.label(kind, tr) for kind in row.letters]
        needs.append(tr.gettext(_STEP_LETTERS).format(letters=_join(names)))
    for kind, rule in procedure.statements.items():
        if row.trigger in rule.triggers and row.source in rule.published_in:
            needs.append(tr.gettext(_STEP_PUBLISH).format(statement=statement_kinds.label(kind, tr)))
    return StepText(
        trigger=row.trigger,
        source=row.source,
        label=procedure.label("trigger", row.trigger, language),
        dest=row.dest,
        dest_label=procedure.label("state", row.dest, language),
        meaning=row.meaning.get(language),
        needs=tuple(needs),
    )


def _stage(
    procedure: Procedure,
    name: str,
    durations: Mapping[str, Duration],
    calendar: CalendarRule,
    tr: Translator,
) -> StageText:
    language = _language(tr)
    state = procedure.states[name]
    book = state.handbook
    offered = list(state.letters) + ([] if state.terminal else list(procedure.open_letters))
    entering = [letter for t in procedure.transitions if t.dest == name for letter in t.letters]
    kinds = list(dict.fromkeys([*entering, *offered]))
    letter_names = [letter_kinds.label(kind, tr) for kind in kinds]
    lines = []
    if letter_names:
        lines.append(tr.gettext(_STAGE_LETTERS).format(letters=_join(letter_names)))
    drafted = [statement_kinds.label(k, tr) for k in procedure.statements_drafted(name)]
    if drafted:
        lines.append(tr.gettext(_DRAFTED).format(statements=_join(drafted)))
    published = [statement_kinds.label(k, tr) for k in procedure.statements_published(name)]
    if published:
        lines.append(tr.gettext(_PUBLISHED).format(statements=_join(published)))
    told = [book.told.get(language)] if book is not None and book.told is not None else []
    if letter_names:
        told.append(tr.gettext(_TOLD_LETTERS).format(letters=_join(letter_names)))
    return StageText(
        name=name,
        label=state.label.get(language),
        description=book.description.get(language)
        if book is not None
        else tr.gettext(HEADINGS["no_description"]),
        terminal=state.terminal,
        deadlines=tuple(
            _rule(procedure, rule, durations, calendar, tr)
            for rule in procedure.deadlines.values()
            if name in rule.open_in
        ),
        steps=tuple(_step(procedure, row, tr) for row in procedure.transitions_from(name)),
        letters=tuple(lines),
        rests_on=tuple(item.get(language) for item in book.rests_on) if book is not None else (),
        told=tuple(told),
        checklist=tuple(
            (item.label.get(language), item.help.get(language) if item.help is not None else "")
            for item in state.checklist
        ),
    )


def _fact(procedure: Procedure, name: str, tr: Translator) -> FactText:
    language = _language(tr)
    fact = procedure.facts[name]
    states = [procedure.label("state", s, language) for s in procedure.states if s in fact.recorded_in]
    sentences = [tr.gettext(_FACT_WHERE).format(states=_join(states))]
    if fact.repeat:
        sentences.append(tr.gettext(_FACT_REPEAT))
    if fact.ends is not None:
        sentences.append(tr.gettext(_FACT_ENDS).format(fact=procedure.label("fact", fact.ends, language)))
    if fact.by:
        sentences.append(tr.gettext(_FACT_BY).format(who=_join([w.get(language) for w in fact.by.values()])))
    for rule in procedure.deadlines.values():
        if rule.fact == name:
            sentences.append(
                tr.gettext(_FACT_STARTS).format(
                    deadline=procedure.label("deadline_title", rule.name, language)
                )
            )
        if rule.met_by == name:
            sentences.append(
                tr.gettext(_FACT_MEETS).format(
                    deadline=procedure.label("deadline_title", rule.name, language)
                )
            )
    return FactText(name=name, label=fact.label.get(language), sentences=tuple(sentences))


def build(
    procedure: Procedure,
    *,
    durations: Mapping[str, Duration],
    calendar: CalendarRule,
    tr: Translator,
    language: str,
    history: Sequence[VersionText] = (),
) -> Handbook:
    """The handbook of `procedure` in `language` (`tr` words it: a `ProcedureWords`), with the
    deadlines' `durations` in force and the `history` as workflow/handbook.py words it."""
    coordination = (procedure.coordination.get(language),) if procedure.coordination is not None else ()
    return Handbook(
        language=language,
        procedure_id=procedure.id,
        version=procedure.version,
        title=procedure.title.get(language),
        words={key: tr.gettext(message) for key, message in HEADINGS.items()},
        stages=tuple(_stage(procedure, name, durations, calendar, tr) for name in procedure.states),
        facts=tuple(_fact(procedure, name, tr) for name in procedure.facts),
        coordination=coordination,
        history=tuple(history),
    )
