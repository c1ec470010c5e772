"""Read-side queries: one case, a list, the triggers open now, and their read models."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from states import wording
from states.case import Case, Policy, TriggerOption, not_here, trigger_options
from states.deadlines import Deadline
from states.errors import Input
from states.facts import open_facts
from states.issues import Issue
from states.lifecycle import State
from states.messages import N_, Translator
from states.precision import Precision, shown
from translations import translator
from workflow import inputs, procedures, read_models
from workflow.ports import UnitOfWork


def get_case(*, uow: UnitOfWork, reference: str) -> Case:
    with uow.read() as tx:
        return tx.cases.get(reference)


def list_cases(
    *,
    uow: UnitOfWork,
    state: str | None = None,
    overdue_on: date | None = None,
    states: Iterable[str] = tuple(State),
) -> list[Case]:
    """Cases, oldest first; `state` one of `states` (the configured procedure's)."""
    chosen = inputs.one_of(states, state, N_("state"), "state") if state is not None else None
    with uow.read() as tx:
        return tx.cases.list(state=chosen, overdue_on=overdue_on)


def case_references(*, uow: UnitOfWork) -> list[str]:
    """Every case reference, sorted (the audit page's case filter)."""
    with uow.read() as tx:
        return tx.cases.references()


def deadline_view(
    deadline: Deadline,
    today: date,
    *,
    language: str = "en",
    words: Translator | None = None,
    approximate: bool = False,
) -> read_models.Deadline:
    """One deadline; its explanation in `language` (the JSON API and `--json` keep English),
    worded by `words` (its case's procedure's, `procedures.words`) when given. `approximate`:
    it counts from a date known to the month only (its first day), and its explanation says so."""
    tr = words or translator(language)
    explanation = deadline.explain(tr=tr)
    if approximate:
        explanation = tr.gettext(N_("about: {explanation}")).format(explanation=explanation)
    return read_models.Deadline(
        name=deadline.name,
        due=deadline.due,
        status=deadline.status(today),
        explanation=explanation,
        started=deadline.basis_on,
        duration=str(deadline.duration),
        met_on=deadline.met_on,
        days_left=(deadline.due - today).days if deadline.is_open else None,
        paused_days=sum(p.days for p in deadline.pauses),
        extensions=[
            read_models.Extension(amount=str(e.amount), reason=e.reason, approved_by=e.approved_by)
            for e in deadline.extensions
        ],
    )


def next_due(case: Case) -> Deadline | None:
    return min(case.open_deadlines, key=lambda d: d.due, default=None)


def _case_fields(case: Case, *, today: date, language: str) -> dict[str, Any]:
    upcoming = next_due(case)
    words = procedures.words(case.procedure, language)
    month = case.received_precision is Precision.MONTH  # counted from the month's first day
    deadlines = [
        deadline_view(
            d, today, language=language, words=words, approximate=month and d.basis_on == case.received_on
        )
        for d in case.deadlines
    ]
    return {
        "reference": case.reference,
        "title": case.title,
        "state": case.state,
        "outcome": case.outcome,
        "results": dict(case.results),
        "scope": case.scope,
        "lead_member": case.lead_member,
        "paused": case.paused,
        "pauses": [
            read_models.Pause(
                started=p.started_at.isoformat(),
                ended=p.ended_at.isoformat() if p.ended_at else None,
                reason=p.reason,
                requested_by=p.requested_by,
                recorded_by=p.actor,
                ended_by=p.ended_by,
            )
            for p in case.pauses
        ],
        "facts": [
            read_models.Fact(
                fact=f.name,
                label=case.procedure.label("fact", f.name, language),
                on=f.on,
                by=f.by,
                by_label=case.procedure.by_label(f.name, f.by, language) if f.by else None,
                note=f.note,
                recorded_by=f.actor,
                recorded_at=f.recorded_at.isoformat(),
            )
            for f in case.facts
        ],
        "review_open": bool(case.facts) and "review_requested" in open_facts(case.facts, case.procedure),
        "received": shown(case.received_on, case.received_precision),
        "received_precision": case.received_precision.value,
        "received_at": case.received_at.isoformat(),
        "procedure_id": case.procedure.id,
        "procedure_version": case.procedure.version,
        "version": case.version,
        "parties": [
            read_models.Party(role=p.role, name=p.name, type=p.type, confidential=p.confidential)
            for p in case.parties
        ],
        "themes": list(case.details.themes),
        "host_countries": list(case.details.host_countries),
        "sector": case.details.sector,
        "guidelines_edition": case.details.guidelines_edition,
        "supporting_ncps": list(case.details.supporting_ncps),
        "timezone": case.calendar.timezone,
        "next_due": deadlines[case.deadlines.index(upcoming)] if upcoming else None,
        "deadlines": deadlines,
    }


def case_view(case: Case, *, today: date, language: str = "en") -> read_models.CaseCore:
    """What `case list --json` prints of a case: `case show`'s document without the lead.

    `language` words the deadline explanations; the data contract is English, the default."""
    return read_models.CaseCore(**_case_fields(case, today=today, language=language))


def case_document(
    case: Case,
    panel: read_models.Panel,
    issues: Sequence[Issue],
    *,
    today: date,
    language: str = "en",
    links: Sequence[read_models.RelatedCase] = (),
) -> read_models.Case:
    """What `case show --json` prints and the API answers: the case, then its lead and panel
    (`rotation_views.lead_view`), then its issues and its links to related cases."""
    return read_models.Case(
        **_case_fields(case, today=today, language=language),
        **dict(panel),
        issues=issue_views(issues),
        links=list(links),
    )


def issue_views(issues: Sequence[Issue]) -> list[read_models.Issue]:
    return [
        read_models.Issue(
            number=i.number,
            title=i.title,
            chapters=list(i.chapters),
            decision=i.decision,
            decided_on=shown(i.decided_on, i.decided_precision) if i.decided_on else None,
            decided_precision=i.decided_precision.value,
            outcome=i.outcome,
            outcome_on=shown(i.outcome_on, i.outcome_precision) if i.outcome_on else None,
            outcome_precision=i.outcome_precision.value,
        )
        for i in issues
    ]


def case_issues(*, uow: UnitOfWork, reference: str) -> read_models.CaseIssues:
    """`case issue list`: the case's issues (an unknown case is CaseNotFoundError)."""
    with uow.read() as tx:
        tx.cases.get(reference)
        issues = tx.issues.of_case(reference)
    return read_models.CaseIssues(reference=reference, issues=issue_views(issues))


def triggers_view(
    case: Case, policy: Policy, *, language: str | None = None, ticked: frozenset[str] = frozenset()
) -> list[read_models.TriggerOption]:
    """Every trigger and whether it may fire now; a guard's `why_not` and the row's `meaning` in
    `language` (the pages: names worded too); without one, English with the names as they are
    (the JSON API and the command line)."""
    words = procedures.words(case.procedure, language or "en")

    def why_not(option: TriggerOption) -> str | None:
        if not option.why_not:
            return None
        if option.dest is None and language is not None:  # not a step of this state at all
            return not_here(case, option.trigger, words, lambda name: wording.term(name, words))
        if isinstance(option.why_not, Input):  # a guard naming what is missing (checklist_complete)
            if language is None:
                return option.why_not.named()
            return option.why_not.named(words, terms=lambda name: wording.term(name, words))
        return wording.translate(option.why_not, words)

    return [
        read_models.TriggerOption(
            trigger=o.trigger,
            allowed=o.allowed,
            to_state=o.dest,
            outcomes=list(o.outcomes),
            why_not=why_not(o),
            meaning=wording.translate(o.meaning, words),
        )
        for o in trigger_options(case, policy, ticked=ticked)
    ]
