"""A refusal names states, steps, outcomes and roles as they are for the command line and the API,
and in words for a reader (`words(terms=...)`): a page in Norwegian shows no internal name, and the
action a role may not take comes from the catalogue."""

from __future__ import annotations

from datetime import date

from states import wording
from states.deadlines import dated
from states.errors import Input, OutcomeError, StepRefusedError, TransitionNotAllowedError
from states.permissions import Action, PermissionDeniedError
from translations import translator

NB = translator("nb")
TERMS = {"handler": "saksbehandler", "auditor": "revisor"}


def nb_term(name: str) -> str:
    return TERMS.get(name) or wording.term(name, NB)


def test_a_step_not_allowed_keeps_its_names_for_the_command_line_and_words_them_for_a_page() -> None:
    """The English stays as the command line and the API have always had it."""
    error = TransitionNotAllowedError(
        reference="NCP-2025-001", state="good_offices", trigger="close", allowed=["examine", "conclude"]
    )
    assert str(error) == (
        "case NCP-2025-001 is in state 'good_offices': trigger 'close' is not allowed; "
        "allowed now: examine, conclude"
    )
    assert error.words(NB, terms=nb_term) == (
        "sak NCP-2025-001 er i fasen 'dialog og mekling': handlingen 'Avslutt saken' er ikke tillatt; "
        "tillatt nå: Undersøk, Avslutt dialogen"
    )
    assert "good offices" in error.words(terms=wording.term)


def test_an_outcome_refusal_lists_the_outcomes_in_words() -> None:
    """Each outcome a step takes, worded; none of them an identifier."""
    error = OutcomeError(
        reference="NCP-2025-001",
        state="good_offices",
        trigger="conclude",
        outcome=None,
        allowed=["agreement", "no_agreement"],
    )
    worded = error.words(NB, terms=nb_term)
    assert worded.endswith("ett av: enighet, ingen enighet"), worded
    assert "_" not in worded


def test_a_permission_refusal_words_the_role_and_the_action_in_norwegian() -> None:
    """`Action` values are English sentences marked for the catalogue."""
    error = PermissionDeniedError("auditor", Action.PAUSE_CASE)
    assert str(error) == "role 'auditor' may not pause cases"
    assert error.words(NB, terms=nb_term) == "rollen 'revisor' kan ikke stanse klokken i saker"
    for action in Action:
        assert NB.gettext(action.value) != action.value, action


def test_a_date_in_a_refusal_is_worded_in_the_readers_language() -> None:
    """A paused case: the day it was paused, "2 Mar 2026" or "2. mars 2026"."""
    error = StepRefusedError(
        reference="NCP-2025-001",
        state="good_offices",
        problem=Input(
            "the case is paused since {since} ({reason}); resume it before '{trigger}'",
            params={"since": dated(date(2026, 3, 2)), "reason": "Rettssak", "trigger": "examine"},
        ),
    )
    assert "paused since 2 Mar 2026 (Rettssak)" in str(error)
    assert "siden 2. mars 2026 (Rettssak)" in error.words(NB, terms=nb_term)
