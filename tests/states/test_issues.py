"""A case's issues, the pure rules: chapters by id or numeral, numbering, decisions with their
dates, outcomes only for accepted issues, and what makes a case partially accepted."""

from __future__ import annotations

from datetime import date

import pytest

from states import issues
from states.errors import InvalidInputError, StepRefusedError
from states.issues import Issue, IssueDecision, IssueOutcome

RECEIVED = date(2025, 1, 31)


def _decided(issue: Issue, chosen: IssueDecision, on: date = date(2025, 3, 1)) -> Issue:
    return issues.decide(issue, chosen, on=on, received_on=RECEIVED, reference="NCP-2025-001", state="x")


def test_a_chapter_is_named_by_its_id_or_its_numeral_in_any_case() -> None:
    """`iv`, `IV` and `human_rights` are one chapter; the stored id is the id."""
    assert issues.chapter("iv") == issues.chapter("IV") == issues.chapter("human_rights") == "human_rights"
    assert issues.chapter("xi") == "taxation" and issues.chapter(" vi ") == "environment"
    assert issues.numeral("human_rights") == "IV" and issues.numeral("unknown") == "unknown"


def test_an_unknown_chapter_is_refused_naming_it_and_the_choices() -> None:
    """A chapter the Guidelines do not have is bad input that lists the numerals and ids."""
    with pytest.raises(InvalidInputError, match=r"unknown Guidelines chapter 'xii'.*iv \(human_rights\)"):
        issues.chapter("xii")


def test_an_issue_needs_a_title_and_at_least_one_chapter_each_once() -> None:
    """Chapters keep the order given, repeated ones once; no chapter or a blank title is refused."""
    made = issues.new_issue((), title="Water", chapters_given=["vi", "iv", "environment"])
    assert made == Issue(1, "Water", ("environment", "human_rights"))
    with pytest.raises(InvalidInputError, match="at least one Guidelines chapter"):
        issues.new_issue((), title="Water", chapters_given=[])
    with pytest.raises(InvalidInputError, match="title"):
        issues.new_issue((), title="  ", chapters_given=["iv"])


def test_issues_are_numbered_after_the_last_one() -> None:
    """The next issue's number follows the highest the case has."""
    existing = [Issue(1, "a", ("taxation",)), Issue(2, "b", ("taxation",))]
    assert issues.new_issue(existing, title="c", chapters_given=["xi"]).number == 3


def test_a_case_holds_a_bounded_number_of_issues() -> None:
    """Past ISSUES_MAX a new issue is refused."""
    many = [Issue(n, "t", ("taxation",)) for n in range(1, issues.ISSUES_MAX + 1)]
    with pytest.raises(InvalidInputError, match=f"at most {issues.ISSUES_MAX} issues"):
        issues.new_issue(many, title="one more", chapters_given=["xi"])


def test_an_unknown_issue_number_names_the_numbers_the_case_has() -> None:
    """`find` refuses a number the case does not have, listing those it has (or none)."""
    with pytest.raises(InvalidInputError, match="has no issue 3; its issues: 1, 2"):
        issues.find([Issue(1, "a", ("taxation",)), Issue(2, "b", ("taxation",))], 3, reference="R")
    with pytest.raises(InvalidInputError, match="has no issue 1; it has no issues yet"):
        issues.find([], 1, reference="R")


def test_a_decision_is_accepted_or_not_accepted_only() -> None:
    """`undecided` is where an issue starts, not a decision one takes; other words are refused."""
    assert issues.decision("accepted") is IssueDecision.ACCEPTED
    for bad in ("undecided", "maybe", "Accepted"):
        with pytest.raises(InvalidInputError, match="unknown decision"):
            issues.decision(bad)
    with pytest.raises(InvalidInputError, match="unknown outcome of an issue 'not_accepted'"):
        issues.outcome("not_accepted")


def test_a_decision_is_dated_and_never_before_the_case_was_received() -> None:
    """The decision keeps its day; a day before receipt is bad input."""
    decided = _decided(Issue(1, "a", ("taxation",)), IssueDecision.ACCEPTED)
    assert (decided.decision, decided.decided_on) == (IssueDecision.ACCEPTED, date(2025, 3, 1))
    with pytest.raises(InvalidInputError, match="before the case was received"):
        _decided(Issue(1, "a", ("taxation",)), IssueDecision.ACCEPTED, on=date(2025, 1, 30))


def test_only_an_accepted_issue_has_an_outcome_dated_after_its_acceptance() -> None:
    """An undecided or not accepted issue is refused an outcome; an accepted one takes it."""
    issue = Issue(1, "a", ("taxation",))
    for chosen in (None, IssueDecision.NOT_ACCEPTED):
        shown = issue if chosen is None else _decided(issue, chosen)
        with pytest.raises(StepRefusedError, match="only an accepted issue has an outcome"):
            issues.conclude(shown, IssueOutcome.AGREEMENT, on=date(2025, 9, 1), reference="R", state="x")
    accepted = _decided(issue, IssueDecision.ACCEPTED)
    with pytest.raises(InvalidInputError, match="before issue 1 was accepted"):
        issues.conclude(accepted, IssueOutcome.AGREEMENT, on=date(2025, 2, 1), reference="R", state="x")
    done = issues.conclude(accepted, IssueOutcome.NO_AGREEMENT, on=date(2025, 9, 1), reference="R", state="x")
    assert (done.outcome, done.outcome_on) == (IssueOutcome.NO_AGREEMENT, date(2025, 9, 1))


def test_an_issue_with_an_outcome_stays_accepted() -> None:
    """A correction may not leave an outcome on an issue that is no longer accepted."""
    accepted = _decided(Issue(1, "a", ("taxation",)), IssueDecision.ACCEPTED)
    done = issues.conclude(accepted, IssueOutcome.AGREEMENT, on=date(2025, 9, 1), reference="R", state="x")
    with pytest.raises(StepRefusedError, match="has an outcome"):
        _decided(done, IssueDecision.NOT_ACCEPTED)
    assert _decided(done, IssueDecision.ACCEPTED, on=date(2025, 3, 2)).decided_on == date(2025, 3, 2)


@pytest.mark.parametrize(
    ("decisions", "case_accepted", "partial"),
    [
        (["accepted", "not_accepted"], False, True),
        (["accepted", "not_accepted", "undecided"], False, True),
        (["not_accepted"], True, True),
        (["not_accepted"], False, False),
        (["accepted", "accepted"], True, False),
        (["undecided"], True, False),
        ([], True, False),
    ],
)
def test_a_case_is_partially_accepted_when_an_issue_is_not_and_something_is(
    decisions: list[str], case_accepted: bool, partial: bool
) -> None:
    """At least one issue not accepted, and another issue or the case itself accepted."""
    assert issues.partially_accepted(decisions, case_accepted=case_accepted) is partial
