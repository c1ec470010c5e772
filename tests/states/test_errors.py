"""Errors carry a code and the parameters of an English message; each entry point words them:
the command line names its option, the API its field, a page its language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from states.errors import (
    REASON,
    CaseNotFoundError,
    InvalidInputError,
    NcpflowError,
    OutcomeError,
    TransitionNotAllowedError,
)
from states.limits import check_instant, check_text
from translations import translator


def flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def test_a_blank_reason_carries_its_code_and_field_and_each_entry_point_names_it() -> None:
    """The core names no option: the CLI says `--reason`, the API `reason`."""
    with pytest.raises(InvalidInputError) as caught:
        check_text(" ", REASON)
    error = caught.value
    assert error.code == "invalid_input"
    assert error.params == {"what": REASON}
    assert str(error) == "a reason (reason) is required and must not be blank"
    assert error.words(naming=flag) == "a reason (--reason) is required and must not be blank"
    assert "--" not in str(error)


def test_an_input_named_only_by_its_field_is_the_option_or_the_field() -> None:
    """`--at 1900-01-01T00:00:00+00:00 is out of range` on the command line; `at ...` in the API."""
    from states.errors import Input

    with pytest.raises(InvalidInputError) as caught:
        check_instant(datetime(1900, 1, 1, tzinfo=UTC), Input("", "at"))
    assert caught.value.words(naming=flag).startswith("--at 1900-01-01T00:00:00+00:00 is out")
    assert str(caught.value).startswith("at 1900-01-01T00:00:00+00:00 is out of range")


def test_a_page_words_an_error_in_its_language() -> None:
    """The same error in Norwegian bokmål, user values as given."""
    nb = translator("nb")
    with pytest.raises(InvalidInputError) as caught:
        check_text("", REASON)
    assert caught.value.words(nb) == "en begrunnelse (reason) er påkrevd og kan ikke være tom"
    missing = CaseNotFoundError("NCP-{0}")
    assert missing.code == "case_not_found"
    assert missing.words(nb) == "ingen sak med referanse 'NCP-{0}'"
    assert str(missing) == "no case with reference 'NCP-{0}'"


def test_the_domain_errors_have_codes_and_keep_their_english() -> None:
    """Codes tell refusals apart; the English is what it always was."""
    closed = TransitionNotAllowedError(reference="R", state="closed", trigger="close", allowed=())
    assert closed.code == "transition_not_allowed"
    assert str(closed) == (
        "case R is in state 'closed': trigger 'close' is not allowed; allowed now: none (the case is closed)"
    )
    outcome = OutcomeError(
        reference="R", state="good_offices", trigger="conclude", outcome=None, allowed=("agreement",)
    )
    assert outcome.code == "outcome"
    assert outcome.words(naming=flag) == (
        "case R in state 'good_offices': trigger 'conclude' needs --outcome, one of: agreement"
    )


def test_a_message_without_parameters_is_taken_as_it_is_even_with_braces() -> None:
    """A plain message (a user's text in it) is never read as a template."""
    assert str(NcpflowError("file {x} %s")) == "file {x} %s"
    assert NcpflowError("file {x}").words(translator("nb")) == "file {x}"
