"""A case's issues: the allegations it raises, each tied to Guidelines chapters (pure).

An NCP may accept a submission in part: some issues are accepted for further consideration,
others not. Each issue of a case has a number (1, 2, ... in the order added), a title (free
text), the Guidelines chapters it concerns (`states.guidelines.THEMES` ids; a chapter may also
be given by its numeral, `iv`), a decision (`undecided` until decided, then `accepted` or
`not_accepted`, with the local date of the decision) and, for an accepted issue, its own
outcome with its date.

An issue's outcome is one of a small fixed set, `IssueOutcome`: what the good offices or the
examination came to for that issue (`agreement`, `partial_agreement`, `no_agreement`,
`enterprise_declined`, `determination`, `withdrawn`). The case-wide outcomes that decide
whether a case goes on at all (`not_accepted`, `transferred`) are an issue's decision, or the
case's alone.

A case is partially accepted when at least one issue is not accepted and something was
accepted: another issue, or the case itself (its `accept` step) -- `partially_accepted`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from states.errors import Input, InvalidInputError, StepRefusedError
from states.guidelines import THEMES
from states.limits import check_text
from states.messages import N_
from states.precision import Precision

ISSUES_MAX = 100
"""At most this many issues in one case."""


class IssueDecision(StrEnum):
    """Whether the NCP accepted the issue for further consideration."""

    UNDECIDED = "undecided"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"


DECISIONS: tuple[str, ...] = (IssueDecision.ACCEPTED.value, IssueDecision.NOT_ACCEPTED.value)
"""The decisions one may take on an issue (`undecided` is where each starts)."""


class IssueOutcome(StrEnum):
    """What the good offices or the examination came to for one accepted issue."""

    AGREEMENT = "agreement"
    PARTIAL_AGREEMENT = "partial_agreement"
    NO_AGREEMENT = "no_agreement"
    ENTERPRISE_DECLINED = "enterprise_declined"
    DETERMINATION = "determination"
    WITHDRAWN = "withdrawn"


OUTCOMES: tuple[str, ...] = tuple(o.value for o in IssueOutcome)

TITLE = Input(N_("the issue's title"), "title")
CHAPTERS = Input(N_("the issue's chapters"), "chapters")
NUMBER = Input(N_("the issue number"), "number")

# A chapter by its numeral ("iv"), from the chapters' own titles ("IV. Human Rights").
_NUMERALS: dict[str, str] = {label.split(".", 1)[0].lower(): theme for theme, label in THEMES.items()}


@dataclass(frozen=True)
class Issue:
    """One issue of a case, as decided so far."""

    number: int
    title: str
    chapters: tuple[str, ...]
    decision: IssueDecision = IssueDecision.UNDECIDED
    decided_on: date | None = None
    outcome: IssueOutcome | None = None
    outcome_on: date | None = None
    # `month`: an imported issue decided (or concluded) "2007-09" -- the date is the month's first day.
    decided_precision: Precision = Precision.DAY
    outcome_precision: Precision = Precision.DAY


def chapter(value: str) -> str:
    """The chapter id (`human_rights`) of an id or a numeral (`IV`, `iv`); InvalidInputError
    naming the value and the choices otherwise."""
    given = value.strip().lower()
    if given in THEMES:
        return given
    found = _NUMERALS.get(given)
    if found is None:
        raise InvalidInputError(
            N_("{what}: unknown Guidelines chapter '{value}'; one of: {choices}"),
            what=CHAPTERS,
            value=value[:40],
            choices=", ".join(f"{n} ({t})" for n, t in _NUMERALS.items()),
        )
    return found


def numeral(theme: str) -> str:
    """The chapter's numeral (`IV` for `human_rights`), as the Guidelines number it; an id no
    chapter has stays as it is."""
    label = THEMES.get(theme)
    return label.split(".", 1)[0] if label else theme


def chapters(values: Iterable[str]) -> tuple[str, ...]:
    """At least one chapter, each once, in the order given."""
    found = tuple(dict.fromkeys(chapter(v) for v in values))
    if not found:
        raise InvalidInputError(N_("{what}: give at least one Guidelines chapter"), what=CHAPTERS)
    return found


def new_issue(existing: Sequence[Issue], *, title: str, chapters_given: Iterable[str]) -> Issue:
    """The next issue of a case holding `existing`: numbered after the last, undecided."""
    if len(existing) >= ISSUES_MAX:
        raise InvalidInputError(N_("a case holds at most {limit} issues"), limit=ISSUES_MAX)
    check_text(title, TITLE)
    number = max((i.number for i in existing), default=0) + 1
    return Issue(number, title, chapters(chapters_given))


def find(issues: Sequence[Issue], number: int, *, reference: str) -> Issue:
    """The issue numbered `number`; InvalidInputError naming the numbers the case has."""
    for issue in issues:
        if issue.number == number:
            return issue
    numbers = ", ".join(str(i.number) for i in issues)
    if numbers:
        raise InvalidInputError(
            N_("{what}: case {reference} has no issue {number}; its issues: {numbers}"),
            what=NUMBER,
            reference=reference,
            number=number,
            numbers=numbers,
        )
    raise InvalidInputError(
        N_("{what}: case {reference} has no issue {number}; it has no issues yet"),
        what=NUMBER,
        reference=reference,
        number=number,
    )


def decision(value: str) -> IssueDecision:
    """`accepted` or `not_accepted`; InvalidInputError otherwise."""
    return IssueDecision(
        _one_of(value, DECISIONS, N_("{what}: unknown decision '{value}'; one of: {choices}"), "decision")
    )


def outcome(value: str) -> IssueOutcome:
    """One of `OUTCOMES`; InvalidInputError otherwise."""
    return IssueOutcome(
        _one_of(
            value, OUTCOMES, N_("{what}: unknown outcome of an issue '{value}'; one of: {choices}"), "outcome"
        )
    )


def _one_of(value: str, choices: tuple[str, ...], refusal: str, field: str) -> str:
    if value not in choices:
        raise InvalidInputError(refusal, what=Input("", field), value=value[:40], choices=", ".join(choices))
    return value


def decide(
    issue: Issue, chosen: IssueDecision, *, on: date, received_on: date, reference: str, state: str
) -> Issue:
    """The issue accepted or not on the local day `on` (not before the case was received).

    A decision may be taken again (a correction), but an issue with an outcome stays accepted."""
    if on < received_on:
        raise InvalidInputError(
            N_("{what} {on} is before the case was received ({received})"),
            what=Input("", "at"),
            on=on.isoformat(),
            received=received_on.isoformat(),
        )
    if issue.outcome is not None and chosen is not IssueDecision.ACCEPTED:
        raise StepRefusedError(
            reference=reference,
            state=state,
            problem=Input(
                N_("issue {number} has an outcome ({outcome}); it cannot be made {decision}"),
                params={"number": issue.number, "outcome": issue.outcome.value, "decision": chosen.value},
            ),
        )
    return replace(issue, decision=chosen, decided_on=on, decided_precision=Precision.DAY)


def conclude(issue: Issue, chosen: IssueOutcome, *, on: date, reference: str, state: str) -> Issue:
    """The outcome of an accepted issue on the local day `on` (not before its acceptance)."""
    if issue.decision is not IssueDecision.ACCEPTED:
        raise StepRefusedError(
            reference=reference,
            state=state,
            problem=Input(
                N_("issue {number} is {decision}: only an accepted issue has an outcome"),
                params={"number": issue.number, "decision": issue.decision.value},
            ),
        )
    if issue.decided_on is not None and on < issue.decided_on:
        raise InvalidInputError(
            N_("{what} {on} is before issue {number} was accepted ({decided})"),
            what=Input("", "at"),
            on=on.isoformat(),
            number=issue.number,
            decided=issue.decided_on.isoformat(),
        )
    return replace(issue, outcome=chosen, outcome_on=on, outcome_precision=Precision.DAY)


def partially_accepted(decisions: Iterable[str], *, case_accepted: bool = False) -> bool:
    """At least one issue not accepted, and something accepted: an issue, or the case."""
    found = set(decisions)
    return IssueDecision.NOT_ACCEPTED in found and (case_accepted or IssueDecision.ACCEPTED in found)
