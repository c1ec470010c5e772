"""Reports derived from the audit log alone, so anyone holding the log can re-derive them.

Pure: given the audit entries, the indicative timelines and the NCP's time zone, compute per
case and per stage the days used against the indicative timeline, and the yearly figures.

Rules (all days are local calendar dates in the NCP's zone):
* A case is received on the local date of its `opened` entry.
* Stages and their windows: `initial_assessment` runs from receipt to the decision leaving
  initial assessment (accept, reject, withdraw, transfer); `good_offices`, `examination` and
  `final_statement` from the transition into the state to the transition out of it; `procedure`
  from receipt to leaving `final_statement` (publication). A stage not yet left is `open` and
  measured to the report's `as_of` date.
* elapsed = end - start (days); paused = days of pause intervals [paused, resumed) inside the
  window (a pause still running counts to the end); used = elapsed - paused.
* indicative = days from the start to start + the configured timeline (calendar months, or
  working days counted on the NCP's holiday calendar);
  extended = days the stage's deadline was moved by extensions; allowed = indicative + extended.
* met: a finished stage with used <= allowed; exceeded: used > allowed (an open stage already
  past its allowance is exceeded too); open otherwise.
* Totals per stage, over finished stages: share met, median and 90th percentile of `used`
  (nearest rank: the ceil(0.9 n)-th smallest).
* Results (states/results.py): each outcome a transition records sets one result field, named
  by the record's `sets` or inferred from the trigger (`result_field`): `mediation_result`
  (good offices' end, kept when the case goes on to examination), `determination` (the
  examination's end) or `outcome`. A later result never overwrites an earlier one of another
  field.
* Procedures: each case is read by the rules (`Rules`) of the procedure version its `opened`
  entry pins (a `migrated` entry moves it to another): its concluded states, its `[reports]`
  section's stages (each measured while its deadline is open: from the step entering the
  deadline's states, or from receipt when the initial state is one of them, to the step leaving
  them), outcomes, not-accepted outcomes and accepting triggers, and its deadlines' durations.
  A case whose procedure is not known follows `FALLBACK` (oecd-2023's); the report's own
  columns and stage totals are the configured procedure's.
* Concluded: a case is concluded on the local date of the transition that first brings it into
  a state its procedure marks concluded (oecd-2023: final statement, follow-up, closed). Its final
  `outcome` is the last outcome recorded by then; an open case (one under examination, say)
  has no final outcome and no conclusion date, whatever it has recorded so far.
* OECD rows: `status` (the state), `mediation_result`, `determination`, `outcome` (the final
  outcome, null while open) and `date_concluded` (null while open).
* Month precision: a date an imported entry gives only to the month (`imported.precision` is
  `month`; its `at` is the month's first day, or the step before it when that is later) is
  shown as `2007-02`, never with a day (an imported issue's decision or outcome date too). A
  day count from or to such a date is approximate (`"approximate": true` on its row) and left
  out of the medians and percentiles unless `include_approximate`; it still counts as
  finished, met or exceeded. The yearly medians leave such day counts out likewise.
* Yearly: received by date of receipt; accepted by the date of acceptance; `not_accepted`,
  `concluded` and the counts per final outcome over the cases concluded that year (`concluded`:
  those whose final outcome is not not_accepted); `examinations_begun`: cases that went to
  examination that year; `mediation_results_of_examined`: their mediation results (result ->
  cases); `under_examination`: cases under examination at the year's end (or on `as_of`, when
  earlier); median days to initial assessment over the assessments decided that year (the
  stage's `used`); median days to conclusion from receipt to the conclusion date, less paused
  days, over cases concluded that year; `guidelines_editions`: cases received that year per
  Guidelines edition (edition -> cases; cases without one left out); leads per member: the
  lead (after reassignments and recusals) of each case received that year;
  `reprisal_risk_cases`: the cases received that year of which a party has been at risk of
  reprisal (`party_added`, `party_changed`), a count only: never a name.
* Facts (`fact_recorded` entries) count by the day they happened (`on`), not the day recorded:
  `report oecd` shows the publication of the initial assessment, the parties' agreement to
  mediate, interim agreements, agreements after the final statement and procedural reviews
  (requested, by whom, concluded); `report annual` counts the agreements and reviews of the year.
* Issues (`issue_added`, `issue_decided`, `issue_concluded`): each case's issues as last decided.
  `partially_accepted` counts the cases accepted that year (the `accept` step) of which at least
  one issue is not accepted (`states.issues.partially_accepted`); an OECD row lists each issue's
  chapters, decision and outcome with their dates (not its title: free text, as the case's).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from states import records
from states.calendar import CalendarRule, to_local_date
from states.chain import AuditEntry
from states.durations import Duration
from states.guidelines import EDITIONS
from states.issues import Issue, IssueDecision, IssueOutcome, partially_accepted
from states.lifecycle import Outcome
from states.precision import Precision, shown
from states.procedure import Procedure
from states.results import CONCLUDED_STATES, DETERMINATION, MEDIATION_RESULT, result_field

STAGES = ("initial_assessment", "good_offices", "examination", "final_statement", "procedure")
OUTCOMES = tuple(o.value for o in Outcome)


@dataclass(frozen=True)
class Rules:
    """What a procedure tells the reports (its `[reports]` section and its states): the timed
    stages, each with the states its deadline is open in, and how long it is indicated to run;
    the concluded states; the outcomes counted (in column order), those meaning "not accepted";
    the triggers meaning "accepted"; the initial state. `Rules.of(procedure)` reads them from a
    definition; `FALLBACK` is oecd-2023's, for entries no procedure can be found for."""

    stages: tuple[str, ...]
    open_in: Mapping[str, frozenset[str]]
    concluded: frozenset[str]
    outcomes: tuple[str, ...]
    not_accepted: frozenset[str]
    accepted_by: frozenset[str]
    initial: str = "received"
    timelines: Mapping[str, Duration] | None = None  # None: the report's configured timelines

    @classmethod
    def of(cls, procedure: Procedure, timelines: Mapping[str, Duration] | None = None) -> Rules:
        """The rules `procedure` gives; what its `[reports]` leaves out falls back: every
        deadline a stage, every outcome counted, `not_accepted` and `accept` if it has them."""
        wanted = procedure.reports
        stages = wanted.stages or tuple(procedure.deadlines)
        outcomes = wanted.outcomes or tuple(procedure.outcomes)
        return cls(
            stages=stages,
            open_in={name: frozenset(procedure.deadlines[name].open_in) for name in stages},
            concluded=procedure.concluded,
            outcomes=outcomes,
            not_accepted=frozenset(wanted.not_accepted or {"not_accepted"} & set(procedure.outcomes)),
            accepted_by=frozenset(wanted.accepted_by or {"accept"} & set(procedure.triggers)),
            initial=procedure.initial,
            timelines=timelines,
        )

    @property
    def at_receipt(self) -> frozenset[str]:
        """The stages that run from receipt (their deadline is open in the initial state)."""
        return frozenset(stage for stage in self.stages if self.initial in self.open_in[stage])

    def durations(self, configured: Mapping[str, Duration]) -> Mapping[str, Duration]:
        return configured if self.timelines is None else self.timelines


_IN_PROCEDURE = frozenset(
    {"received", "initial_assessment", "good_offices", "examination", "final_statement"}
)
FALLBACK = Rules(
    stages=STAGES,
    open_in={
        "initial_assessment": frozenset({"received", "initial_assessment"}),
        "good_offices": frozenset({"good_offices"}),
        "examination": frozenset({"examination"}),
        "final_statement": frozenset({"final_statement"}),
        "procedure": _IN_PROCEDURE,
    },
    concluded=CONCLUDED_STATES,
    outcomes=OUTCOMES,
    not_accepted=frozenset({"not_accepted"}),
    accepted_by=frozenset({"accept"}),
)

# Rules for a case's procedure, given the pin on its `opened` (or `migrated`) entry: None when
# the entry names none (written before procedures were versioned).
RulesFor = Callable[[records.ProcedurePin | None], Rules]


@dataclass
class CaseHistory:
    reference: str
    received: date
    stage_starts: dict[str, date] = field(default_factory=dict)
    stage_ends: dict[str, date] = field(default_factory=dict)
    pauses: list[tuple[date, date | None]] = field(default_factory=list)
    extensions: dict[str, int] = field(default_factory=dict)
    extension_count: dict[str, int] = field(default_factory=dict)
    last_outcome: str | None = None  # the last outcome recorded, open or not
    results: dict[str, str] = field(default_factory=dict)  # result field -> outcome
    concluded_on: date | None = None
    accepted_on: date | None = None
    lead: str | None = None
    state: str = "received"
    themes: tuple[str, ...] = ()
    host_countries: tuple[str, ...] = ()
    sector: str | None = None
    submitter_types: tuple[str, ...] = ()
    supporting_ncps: tuple[str, ...] = ()
    lead_ncps: tuple[str, ...] = ()  # the lead NCPs recorded (none: the database's own NCP leads)
    guidelines_edition: str | None = None
    issues: dict[int, Issue] = field(default_factory=dict)
    at_risk: bool = False  # a party of the case has been at risk of reprisal
    approximate: set[str] = field(default_factory=set)  # labels of dates known to the month only
    rules: Rules = FALLBACK  # those of the procedure the case follows

    @property
    def partially_accepted(self) -> bool:
        decisions = (i.decision for i in self.issues.values())
        return partially_accepted(decisions, case_accepted=self.accepted_on is not None)

    def position(self, own: str) -> str | None:
        """`own`'s (the database's NCP's) place in the case: lead, joint_lead, supporting."""
        leads = self.lead_ncps or (own,)
        if own in leads:
            return "joint_lead" if len(leads) > 1 else "lead"
        return "supporting" if own in self.supporting_ncps else None

    @property
    def outcome(self) -> str | None:
        """The final outcome: the last one recorded, once the case is concluded; else None."""
        return self.last_outcome if self.concluded_on is not None else None

    facts: list[tuple[str, date, str | None]] = field(default_factory=list)  # (fact, on, by)

    def fact_days(self, name: str) -> list[date]:
        return [on for fact, on, _ in self.facts if fact == name]

    def reviews(self) -> list[dict[str, Any]]:
        """Procedural reviews of the final statement: requested (by whom), concluded (or null)."""
        found: list[dict[str, Any]] = []
        for fact, on, by in self.facts:
            if fact == "review_requested":
                found.append({"requested": on.isoformat(), "by": by, "concluded": None})
            elif fact == "review_concluded" and found and found[-1]["concluded"] is None:
                found[-1]["concluded"] = on.isoformat()
        return found

    def shown(self, day: date | None, label: str) -> str | None:
        """`day` as ISO, or only its month when the label's date is known to the month only."""
        if day is None:
            return None
        return shown(day, Precision.MONTH if label in self.approximate else Precision.DAY)


def _fact_fields(case: CaseHistory) -> dict[str, Any]:
    """`report oecd`'s fields from a case's recorded facts."""
    published, agreed = case.fact_days("assessment_published"), case.fact_days("mediation_agreed")
    return {
        "date_assessment_published": published[0].isoformat() if published else None,
        "date_mediation_agreed": agreed[0].isoformat() if agreed else None,
        "interim_agreements": [on.isoformat() for on in case.fact_days("interim_agreement")],
        "later_agreements": [on.isoformat() for on in case.fact_days("later_agreement")],
        "procedural_reviews": case.reviews(),
    }


def _fact_counts(cases: Iterable[CaseHistory], year: int) -> dict[str, int]:
    """`report annual`'s counts of facts that happened in `year`."""
    counted = {
        "interim_agreements": "interim_agreement",
        "later_agreements": "later_agreement",
        "reviews_requested": "review_requested",
        "reviews_concluded": "review_concluded",
    }
    every = list(cases)
    return {
        key: sum(1 for case in every for on in case.fact_days(fact) if on.year == year)
        for key, fact in counted.items()
    }


def _month_only(
    record: records.Opened | records.Transitioned | records.IssueDecided | records.IssueConcluded,
) -> bool:
    return record.imported is not None and record.imported.precision == Precision.MONTH.value


def _once(case: CaseHistory, kind: str, stages: dict[str, date], stage: str, day: date, month: bool) -> None:
    """The stage's first start or end; marked approximate when its date is a month."""
    if stage not in stages:
        stages[stage] = day
        if month:
            case.approximate.add(f"{kind}:{stage}")


def _dated(case: CaseHistory, label: str, month: bool) -> None:
    """The date under `label` was given again: known to the month only, or to the day."""
    if month:
        case.approximate.add(label)
    else:
        case.approximate.discard(label)


def _day(at: str, timezone: str) -> date:
    return to_local_date(datetime.fromisoformat(at.replace("Z", "+00:00")), timezone)


def histories(
    entries: Iterable[AuditEntry], timezone: str, rules_for: RulesFor | None = None
) -> dict[str, CaseHistory]:
    """Each case's history, read from its entries through their declared records
    (states/records.py); entries of other kinds, or whose data does not fit, are passed over.
    `rules_for` gives the rules of the procedure a case's `opened` entry pins (and a `migrated`
    entry moves it to); without it, every case follows `FALLBACK`."""
    rules_of: RulesFor = rules_for or (lambda pin: FALLBACK)
    cases: dict[str, CaseHistory] = {}
    for entry in entries:
        ref = entry.case_ref
        if ref is None:
            continue
        record = records.read(entry)
        if isinstance(record, records.GenericRecord):
            continue
        day = _day(entry.at, timezone)
        if isinstance(record, records.Opened):
            cases[ref] = CaseHistory(
                ref,
                day,
                themes=record.themes,
                host_countries=record.host_countries,
                sector=record.sector,
                submitter_types=tuple(
                    sorted({p.type for p in record.parties if p.role == "submitter" and p.type})
                ),
                supporting_ncps=record.supporting_ncps,
                guidelines_edition=record.guidelines_edition,
                approximate={"received"} if _month_only(record) else set(),
                rules=rules_of(record.procedure),
                state=entry.to_state or "received",
            )
            continue
        case = cases.get(ref)
        if case is None:
            continue
        if isinstance(record, records.Transitioned):
            old, new = entry.from_state or "", entry.to_state or ""
            case.state = new
            month = _month_only(record)
            rules = case.rules
            for stage in rules.stages:  # each measured while its deadline is open
                states = rules.open_in[stage]
                if old in states and new not in states:
                    _once(case, "end", case.stage_ends, stage, day, month)
                elif new in states and old not in states and stage not in rules.at_receipt:
                    _once(case, "start", case.stage_starts, stage, day, month)
            if record.trigger in rules.accepted_by:
                case.accepted_on = day
            if record.outcome:
                case.last_outcome = record.outcome
                case.results[result_field(record.trigger, old, record.sets)] = record.outcome
            if case.concluded_on is None and new in rules.concluded:
                case.concluded_on = day
                _dated(case, "concluded", month)
        elif isinstance(record, records.Migrated):
            case.state = entry.to_state or case.state  # another procedure version; the same case
            case.rules = rules_of(record.target)
        elif isinstance(record, records.Paused):
            case.pauses.append((day, None))
        elif isinstance(record, records.Resumed) and case.pauses and case.pauses[-1][1] is None:
            case.pauses[-1] = (case.pauses[-1][0], day)
        elif isinstance(record, records.Extended):
            name = record.deadline
            for moved in record.moved:
                case.extensions[name] = case.extensions.get(name, 0) + moved.days
            case.extension_count[name] = case.extension_count.get(name, 0) + 1
        elif isinstance(record, records.Edited):
            _apply_changes(case, record)
        elif isinstance(record, records.FactRecorded):
            case.facts.append((record.fact, record.on, record.by))
        elif isinstance(record, records.LeadAssigned | records.LeadUnassigned | records.LeadRecused):
            case.lead = record.decision.chosen
        elif isinstance(record, records.LeadReassigned):
            case.lead = record.to
        elif isinstance(record, records.IssueAdded | records.IssueDecided | records.IssueConcluded):
            _apply_issue(case, record)
        elif isinstance(record, _NCP_RECORDS):
            _apply_ncps(case, record)
        elif isinstance(record, records.PartyAdded) and record.reprisal_risk:
            case.at_risk = True
        elif isinstance(record, records.PartyChanged) and "reprisal_risk" in record.changes:
            case.at_risk = case.at_risk or record.changes["reprisal_risk"].after is True
    return cases


def _apply_issue(
    case: CaseHistory, record: records.IssueAdded | records.IssueDecided | records.IssueConcluded
) -> None:
    if isinstance(record, records.IssueAdded):
        case.issues[record.number] = Issue(record.number, record.title, record.chapters)
        return
    issue = case.issues.get(record.number)
    if issue is None:
        return
    if isinstance(record, records.IssueDecided) and record.decision in set(IssueDecision):
        case.issues[record.number] = replace(
            issue, decision=IssueDecision(record.decision), decided_on=record.on
        )
        _dated(case, f"issue:{record.number}:decided", _month_only(record))
    elif isinstance(record, records.IssueConcluded) and record.outcome in set(IssueOutcome):
        case.issues[record.number] = replace(
            issue, outcome=IssueOutcome(record.outcome), outcome_on=record.on
        )
        _dated(case, f"issue:{record.number}:outcome", _month_only(record))


_NCP_RECORDS = (
    records.LeadSet,
    records.LeadTransferred,
    records.SupportingAdded,
    records.SupportingRemoved,
)


def _apply_ncps(
    case: CaseHistory,
    record: records.LeadSet | records.LeadTransferred | records.SupportingAdded | records.SupportingRemoved,
) -> None:
    """The case's NCPs after an entry of states/ncp_roles.py's decisions (the same rules)."""
    supporting = case.supporting_ncps
    if isinstance(record, records.LeadSet):
        case.lead_ncps = record.lead
        left = tuple(n for n in record.previous if n not in record.lead)
        supporting = (*(n for n in supporting if n not in record.lead), *left)
    elif isinstance(record, records.LeadTransferred):
        case.lead_ncps = (record.lead,)
        kept = tuple(n for n in record.previous if n != record.lead) if record.kept_as else ()
        supporting = (*(n for n in supporting if n != record.lead and n not in record.previous), *kept)
    elif isinstance(record, records.SupportingAdded):
        supporting = (*supporting, record.ncp) if record.ncp not in supporting else supporting
    else:
        supporting = tuple(n for n in supporting if n != record.ncp)
    case.supporting_ncps = supporting


def _apply_changes(case: CaseHistory, record: records.Edited) -> None:
    for name, change in record.changes.items():
        value = change.after
        if name in {"themes", "host_countries", "supporting_ncps"}:
            setattr(case, name, () if isinstance(value, bool) else tuple(value or ()))
        elif name in {"sector", "guidelines_edition"}:
            setattr(case, name, value if isinstance(value, str) else None)


def paused_days(pauses: Iterable[tuple[date, date | None]], start: date, end: date) -> int:
    total = 0
    for begin, stop in pauses:
        low, high = max(begin, start), min(stop or end, end)
        total += max(0, (high - low).days)
    return total


def stage_rows(
    case: CaseHistory,
    timelines: Mapping[str, Duration],
    as_of: date,
    calendar: CalendarRule | None = None,
) -> list[dict[str, Any]]:
    """The case's timed stages (its procedure's), against `timelines` unless the case's rules
    carry its own procedure's; `calendar` counts working days."""
    rows = []
    timelines = case.rules.durations(timelines)
    at_receipt = case.rules.at_receipt
    for stage in case.rules.stages:
        start = case.received if stage in at_receipt else case.stage_starts.get(stage)
        if start is None or stage not in timelines:  # a stage the procedure has no deadline for
            continue
        from_label = "received" if stage in at_receipt else f"start:{stage}"
        approximate = from_label in case.approximate or f"end:{stage}" in case.approximate
        end = case.stage_ends.get(stage)
        finished = end is not None
        stop = end if end is not None else max(as_of, start)
        elapsed = (stop - start).days
        paused = paused_days(case.pauses, start, stop)
        used = elapsed - paused
        indicative = (timelines[stage].added_to(start, calendar) - start).days
        extended = case.extensions.get(stage, 0)
        allowed = indicative + extended
        status = "exceeded" if used > allowed else "met" if finished else "open"
        rows.append(
            {
                "reference": case.reference,
                "stage": stage,
                "start": case.shown(start, from_label),
                "end": case.shown(end, f"end:{stage}"),
                "finished": finished,
                "elapsed_days": elapsed,
                "paused_days": paused,
                "days_used": used,
                "indicative_days": indicative,
                "extensions": case.extension_count.get(stage, 0),
                "extension_days": extended,
                "allowed_days": allowed,
                "status": status,
                "approximate": approximate,
            }
        )
    return rows


def percentile(values: list[int], share: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def timelines_report(
    cases: Mapping[str, CaseHistory],
    timelines: Mapping[str, Duration],
    as_of: date,
    year: int | None = None,
    *,
    calendar: CalendarRule | None = None,
    include_approximate: bool = False,
    rules: Rules = FALLBACK,
) -> dict[str, Any]:
    """Days used per stage against the indicative timelines; `calendar` counts working days.
    Totals per stage: the stages of `rules` (the configured procedure's) first, then any other
    a case's own procedure measures."""
    chosen = [c for c in cases.values() if year is None or c.received.year == year]
    rows = [
        row
        for case in sorted(chosen, key=lambda c: c.reference)
        for row in stage_rows(case, timelines, as_of, calendar)
    ]
    totals = {}
    others = {row["stage"]: None for row in rows if row["stage"] not in rules.stages}
    for stage in (*rules.stages, *others):
        done = [r for r in rows if r["stage"] == stage and r["finished"]]
        counted = [r for r in done if include_approximate or not r["approximate"]]
        used = [r["days_used"] for r in counted]
        met = sum(1 for r in done if r["status"] == "met")
        totals[stage] = {
            "finished": len(done),
            "open": sum(1 for r in rows if r["stage"] == stage and not r["finished"]),
            "met": met,
            "exceeded": len(done) - met,
            "share_met": round(met / len(done), 4) if done else None,
            "median_days": median(used),
            "p90_days": percentile(used, 0.9),
            "indicative_days_median": median([r["indicative_days"] for r in counted]),
            "approximate": sum(1 for r in done if r["approximate"]),
        }
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "cases": len(chosen),
        "approximate_included": include_approximate,
        "stages": rows,
        "totals": totals,
    }


def _counts(values: Iterable[str | None], order: Iterable[str] = ()) -> dict[str, int]:
    """How many of each value (None left out), in `order`, then the rest sorted."""
    counts = Counter(value for value in values if value is not None)
    ranked = {v: i for i, v in enumerate(order)}
    return dict(sorted(counts.items(), key=lambda item: (ranked.get(item[0], len(ranked)), item[0])))


def annual_report(
    cases: Mapping[str, CaseHistory],
    timelines: Mapping[str, Duration],
    as_of: date,
    year: int,
    *,
    include_approximate: bool = False,
    rules: Rules = FALLBACK,
    own: str | None = None,
) -> dict[str, Any]:
    """The year's figures; a case counts as concluded, accepted or not accepted as its own
    procedure says; the outcome columns are those `rules` (the configured procedure's) count.
    With `own` (the database's NCP), the cases received and concluded are counted apart by
    whether it leads them (alone or jointly) or supports them."""
    every = list(cases.values())
    in_year = [c for c in every if c.concluded_on is not None and c.concluded_on.year == year]
    outcomes = {o: sum(1 for c in in_year if c.outcome == o) for o in rules.outcomes}
    refused = [c for c in in_year if c.outcome in c.rules.not_accepted]
    assessed = []
    for case in every:
        end = case.stage_ends.get("initial_assessment")
        if (
            end is not None
            and end.year == year
            and (case.accepted_on == end or case.outcome in case.rules.not_accepted)
            and (include_approximate or not {"received", "end:initial_assessment"} & case.approximate)
        ):
            assessed.append((end - case.received).days - paused_days(case.pauses, case.received, end))
    concluded = [c for c in in_year if c.outcome not in c.rules.not_accepted]
    to_conclusion = days_to_conclusion(concluded, include_approximate=include_approximate)
    examined = [c for c in every if _in_year(c.stage_starts.get("examination"), year)]
    year_end = min(date(year, 12, 31), as_of)
    under_examination = [
        c
        for c in every
        if (start := c.stage_starts.get("examination")) is not None
        and start <= year_end
        and ((end := c.stage_ends.get("examination")) is None or end > year_end)
    ]
    received = [c for c in every if c.received.year == year]
    leads: dict[str, int] = {}
    for case in received:
        if case.lead:
            leads[case.lead] = leads.get(case.lead, 0) + 1
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "received": len(received),
        "accepted": sum(1 for c in every if c.accepted_on and c.accepted_on.year == year),
        "partially_accepted": sum(
            1 for c in every if c.accepted_on and c.accepted_on.year == year and c.partially_accepted
        ),
        "not_accepted": len(refused),
        "concluded": len(concluded),
        **{o: outcomes[o] for o in rules.outcomes if o not in rules.not_accepted},
        "examinations_begun": len(examined),
        "mediation_results_of_examined": _counts(
            (c.results.get(MEDIATION_RESULT) for c in examined), rules.outcomes
        ),
        "under_examination": len(under_examination),
        "median_days_to_initial_assessment": median(assessed),
        "median_days_to_conclusion": median(to_conclusion),
        **_fact_counts(every, year),
        "reprisal_risk_cases": sum(1 for c in received if c.at_risk),
        "guidelines_editions": _counts((c.guidelines_edition for c in received), EDITIONS),
        "leads": dict(sorted(leads.items())),
        **(_roles(received, concluded, own) if own is not None else {}),
    }


def _roles(received: list[CaseHistory], concluded: list[CaseHistory], own: str) -> dict[str, int]:
    """The cases received and concluded, counted apart by `own`'s place in each."""

    def count(cases: list[CaseHistory], *positions: str) -> int:
        return sum(1 for c in cases if c.position(own) in positions)

    return {
        "received_led": count(received, "lead", "joint_lead"),
        "received_led_jointly": count(received, "joint_lead"),
        "received_supported": count(received, "supporting"),
        "concluded_led": count(concluded, "lead", "joint_lead"),
        "concluded_supported": count(concluded, "supporting"),
    }


def days_to_conclusion(concluded: Iterable[CaseHistory], *, include_approximate: bool = False) -> list[int]:
    """Days from receipt to conclusion of concluded (accepted) cases, paused days not counted;
    day counts from dates known to the month only are left out unless `include_approximate`.
    The annual report's median is of these; the network's figures carry them (states/network.py)."""
    return [
        (c.concluded_on - c.received).days - paused_days(c.pauses, c.received, c.concluded_on)
        for c in concluded
        if c.concluded_on is not None
        and (include_approximate or not {"received", "concluded"} & c.approximate)
    ]


def concluded_in(cases: Mapping[str, CaseHistory], year: int) -> list[CaseHistory]:
    """The cases concluded in `year` after being accepted (the annual report's `concluded`)."""
    return [
        c
        for c in cases.values()
        if c.concluded_on is not None
        and c.concluded_on.year == year
        and c.outcome not in c.rules.not_accepted
    ]


def _in_year(day: date | None, year: int) -> bool:
    return day is not None and day.year == year


def oecd_rows(
    cases: Mapping[str, CaseHistory], *, lead_ncp: str, chapters: Mapping[str, str], year: int | None = None
) -> list[dict[str, Any]]:
    """One row per case with the fields the OECD database of specific instances shows."""
    rows = []
    for case in sorted(cases.values(), key=lambda c: c.reference):
        if year is not None and case.received.year != year:
            continue
        rows.append(
            {
                "reference": case.reference,
                "lead_ncp": ", ".join(case.lead_ncps or (lead_ncp,)),
                "ncp_role": case.position(lead_ncp),
                "supporting_ncps": list(case.supporting_ncps),
                "themes": [chapters.get(t, t) for t in case.themes],
                "guidelines_edition": case.guidelines_edition,
                "date_received": case.shown(case.received, "received"),
                "host_countries": list(case.host_countries),
                "submitter_type": list(case.submitter_types),
                "enterprise_sector": case.sector,
                "status": case.state,
                "mediation_result": case.results.get(MEDIATION_RESULT),
                "determination": case.results.get(DETERMINATION),
                "outcome": case.outcome,
                "date_concluded": case.shown(case.concluded_on, "concluded"),
                "partially_accepted": case.partially_accepted,
                "issues": [
                    {
                        "number": i.number,
                        "chapters": [chapters.get(t, t) for t in i.chapters],
                        "decision": i.decision.value,
                        "decided_on": case.shown(i.decided_on, f"issue:{i.number}:decided"),
                        "outcome": i.outcome.value if i.outcome else None,
                        "outcome_on": case.shown(i.outcome_on, f"issue:{i.number}:outcome"),
                    }
                    for i in sorted(case.issues.values(), key=lambda i: i.number)
                ],
                **_fact_fields(case),
            }
        )
    return rows
