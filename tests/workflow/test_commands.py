"""The commands' input models (workflow/commands.py): bounds, choices and dates checked once,
a refusal naming the input the way the entry point spells it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from states.errors import InvalidInputError
from workflow import cases, commands, pausing, rotation, users
from workflow.application import CaseUseCases, UserUseCases

BOUND: dict[type[commands.Command], Callable[..., Any]] = {
    commands.OpenCase: CaseUseCases.open,
    commands.EditCase: CaseUseCases.edit,
    commands.AdvanceCase: CaseUseCases.advance_as,
    commands.PauseCase: CaseUseCases.pause,
    commands.ResumeCase: CaseUseCases.resume,
    commands.ExtendDeadline: CaseUseCases.extend,
    commands.ReassignLead: CaseUseCases.reassign,
    commands.RecuseLead: CaseUseCases.recuse,
    commands.AddUser: UserUseCases.add,
}
FLAGS = {"expected_version": "--expect-version", "host_countries": "--host-country"}


def flag(field: str) -> str:
    return FLAGS.get(field) or "--" + field.replace("_", "-")


def refusal(model: type[commands.Command], spell: Callable[[str], str] = flag, **values: Any) -> str:
    with pytest.raises(InvalidInputError) as caught:
        commands.validate(model, values, spell)
    return str(caught.value)


@pytest.mark.parametrize(
    ("model", "use_case"),
    [
        (commands.OpenCase, cases.open_case),
        (commands.EditCase, cases.edit_case),
        (commands.AdvanceCase, cases.advance),
        (commands.PauseCase, pausing.pause_case),
        (commands.ResumeCase, pausing.resume_case),
        (commands.ExtendDeadline, pausing.extend_deadline),
        (commands.ReassignLead, rotation.reassign),
        (commands.RecuseLead, rotation.recuse),
        (commands.AddUser, users.add_user),
    ],
)
def test_each_model_gives_exactly_keyword_arguments_its_use_case_takes(
    model: type[commands.Command], use_case: Callable[..., Any]
) -> None:
    """`arguments()` can be passed as it is, to the use case and to the application's bound
    method: no field either would not know."""
    examples: dict[type[commands.Command], dict[str, Any]] = {
        commands.OpenCase: {"title": "t", "enterprises": ["E"], "submitters": ["S"]},
        commands.EditCase: {"reason": "r"},
        commands.AdvanceCase: {"trigger": "accept", "reason": "r"},
        commands.PauseCase: {"reason": "r"},
        commands.ResumeCase: {},
        commands.ExtendDeadline: {"deadline": "acknowledgement", "reason": "r", "days": 3},
        commands.ReassignLead: {"to": "m", "reason": "r"},
        commands.RecuseLead: {"member": "m", "reason": "r"},
        commands.AddUser: {"name": "eve", "role": "handler"},
    }
    given = set(commands.validate(model, examples[model], flag).arguments())
    assert given <= set(inspect.signature(use_case).parameters)
    bound = BOUND[model]  # and the Application's method the entry points call
    assert given <= set(inspect.signature(bound).parameters), given


def test_a_refusal_names_the_input_as_each_entry_point_spells_it() -> None:
    """The same bad reason: `--reason` on the command line, `reason` in the API, the label on
    a page."""
    reason = "r" * 2001
    assert refusal(commands.AdvanceCase, trigger="accept", reason=reason) == (
        "--reason is 2001 characters long; at most 2000"
    )
    assert refusal(commands.AdvanceCase, str, trigger="accept", reason=reason).startswith(
        "reason is 2001 characters"
    )
    assert refusal(commands.AdvanceCase, str.title, trigger="accept", reason=reason).startswith("Reason is")


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"trigger": "accept", "reason": "r", "at": "0999-06-01"}, "--at 0999-06-01 is out of range"),
        ({"trigger": "accept", "reason": "r", "at": ""}, "--at is empty"),
        ({"trigger": "accept", "reason": "r", "at": "2025-03-03T10:00"}, "has no UTC offset"),
        ({"trigger": "accept", "reason": "r", "at": 20250303}, "--at must be text"),
        (
            {"trigger": "accept", "reason": "r", "expected_version": "²"},
            "--expect-version must be a whole number from 0 to 2147483647, not '²'",
        ),
        ({"trigger": "accept", "reason": "r", "expected_version": "١"}, "not '١'"),
        ({"trigger": "accept", "reason": "r", "expected_version": True}, "whole number"),
        ({"trigger": "fly away", "reason": "r"}, "--trigger: 'fly away' is not a trigger name"),
        (
            {"trigger": "begin_assessment", "reason": "r", "scope": "part"},
            "--scope goes with the 'accept' trigger only",
        ),
        ({"trigger": "accept", "reason": "a\x00b"}, "--reason must not contain NUL characters"),
        ({"trigger": "accept"}, "--reason is required"),
        ({"trigger": "accept", "reason": "r", "lead": "x"}, "--lead is not an input"),
    ],
)
def test_steps_are_refused_in_words_naming_the_option(values: dict[str, Any], words: str) -> None:
    """Dates by the one bounded parser, ASCII version numbers, choices, NUL, unknown inputs."""
    assert words in refusal(commands.AdvanceCase, **values)


def test_a_date_or_an_instant_already_parsed_is_held_to_the_same_bounds() -> None:
    """A model built from Python values checks them as it checks text."""
    made = commands.validate(commands.PauseCase, {"reason": "r", "at": date(2025, 3, 3)}, flag)
    assert made.at == date(2025, 3, 3)
    assert "out of range" in refusal(commands.PauseCase, reason="r", at=datetime(2300, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"days": 0}, "positive"),
        ({"days": -3}, "positive"),
        ({"days": 99_999_999}, "at most 3660 days or 120 months"),
        ({"months": 95_000}, "at most 3660 days or 120 months"),
        ({"days": "ten"}, "--days must be a whole number of days"),
        ({}, "give exactly one of --days N or --months N"),
        ({"days": 3, "months": 1}, "give exactly one of --days N or --months N"),
    ],
)
def test_an_extension_is_one_positive_bounded_amount(values: dict[str, Any], words: str) -> None:
    """The bounds of `states.limits.check_extension`, before the use case runs."""
    assert words in refusal(commands.ExtendDeadline, deadline="acknowledgement", reason="r", **values)


def test_opening_normalises_countries_and_matches_numbers_to_parties() -> None:
    """Lower-case codes become ISO codes; an org number's party is found however spaced."""
    made = commands.validate(
        commands.OpenCase,
        {
            "title": "t",
            "enterprises": ["Nordic  Metals ASA"],
            "submitters": ["S", "T"],
            "submitter_type": "ngo",
            "host_countries": ["no", "NO"],
            "org_numbers": {"nordic metals asa": " 923 "},
        },
        flag,
    )
    arguments = made.arguments()
    assert arguments["host_countries"] == ["NO", "NO"]
    assert [p.type for p in arguments["submitters"]] == ["ngo", "ngo"]
    assert arguments["enterprises"][0].org_number == "923"


def test_each_submitter_may_have_its_own_type_or_none_and_its_own_confidentiality() -> None:
    """One type each (null: none given) and one confidential flag each, in order (the new-case
    form's rows)."""
    made = commands.validate(
        commands.OpenCase,
        {
            "title": "t",
            "enterprises": ["E"],
            "submitters": ["S", "T"],
            "submitter_types": [None, "ngo"],
            "confidential_submitters": [True, False],
        },
        flag,
    )
    submitters = made.arguments()["submitters"]
    assert [(p.type, p.confidential) for p in submitters] == [(None, True), ("ngo", False)]


def test_a_refused_party_is_not_refused_again_for_its_org_number() -> None:
    """When the parties are refused, an org number naming one of them is not another problem."""
    words = refusal(
        commands.OpenCase, title="t", enterprises=["E"], submitters=["S", ""], org_numbers={"S": "1"}
    )
    assert "--submitters is required" in words and "not a submitter" not in words


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"submitter_types": ["ngo", "other", "academic"]}, "3 --submitter-types values for 2 submitters"),
        ({"host_countries": ["XX"]}, "--host-country 'XX' is not an ISO 3166 alpha-2"),
        ({"guidelines_edition": "1977"}, "unknown Guidelines edition '1977'"),
        ({"org_numbers": {"Else": "1"}}, "--org-numbers names 'Else', which is not a submitter"),
        ({"enterprises": []}, "--enterprises needs at least 1 value"),
        ({"themes": ["gardening"]}, "unknown theme 'gardening'"),
        ({"confidential_submitters": [True]}, "1 --confidential-submitters values for 2 submitters"),
    ],
)
def test_opening_refuses_what_the_case_cannot_hold(values: dict[str, Any], words: str) -> None:
    """Counts, codes, editions, numbers for parties the case does not have."""
    base = {"title": "t", "enterprises": ["E"], "submitters": ["S", "T"]}
    assert words in refusal(commands.OpenCase, **{**base, **values})


def test_an_edit_may_clear_the_sector_and_the_edition() -> None:
    """ "" clears; left out leaves as is (None reaches the use case)."""
    made = commands.validate(commands.EditCase, {"reason": "r", "sector": "", "guidelines_edition": ""}, flag)
    assert made.arguments() == {
        "reason": "r",
        "themes": None,
        "host_countries": None,
        "sector": "",
        "guidelines_edition": "",
        "supporting_ncps": None,
        "at": None,
    }


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"name": "e ve", "role": "handler"}, "--name 'e ve' is not a user name"),
        ({"name": "eve", "role": "emperor"}, "--role: unknown role 'emperor'"),
        ({"name": "eve", "role": "member"}, "a user with role member needs --member"),
        ({"name": "eve", "role": "auditor", "member": "member-b"}, "--member goes with role member only"),
        ({"name": "eve", "role": "mediator"}, "a user with role mediator needs --mediator"),
        ({"name": "eve", "role": "handler", "mediator": "kari"}, "--mediator goes with role mediator only"),
    ],
)
def test_a_new_user_needs_a_name_a_role_and_for_members_the_member(
    values: dict[str, Any], words: str
) -> None:
    """`users add` and POST /api/users: one model, the use case's member_id filled in."""
    assert words in refusal(commands.AddUser, **values)
    made = commands.validate(
        commands.AddUser, {"name": " eve ", "role": "member", "member": "member-b"}, flag
    )
    assert made.arguments() == {"name": "eve", "role": "member", "member_id": "member-b", "mediator_id": None}
    made = commands.validate(commands.AddUser, {"name": "m", "role": "mediator", "mediator": "kari"}, flag)
    assert made.arguments() == {"name": "m", "role": "mediator", "member_id": None, "mediator_id": "kari"}


@pytest.mark.parametrize(
    ("errors", "words"),
    [
        (
            [{"type": "model_attributes_type", "loc": (), "msg": "Input should be ..."}],
            "the input must be an object",
        ),
        (
            [
                {
                    "type": "json_invalid",
                    "loc": (12,),
                    "msg": "JSON decode error",
                    "ctx": {"error": "Expecting value"},
                }
            ],
            "the input is not valid JSON (Expecting value)",
        ),
        (
            [{"type": "value_error", "loc": ("reason",), "msg": "Value error, must not contain NUL"}],
            "Reason must not contain NUL",
        ),
        (
            [{"type": "int_parsing", "loc": ("limit",), "msg": "Input should be a valid integer"}],
            "Limit is invalid: Input should be a valid integer",
        ),
    ],
)
def test_pydantics_own_errors_are_worded_naming_the_input(errors: list[dict[str, Any]], words: str) -> None:
    """A whole body that is not an object, JSON that does not parse, a validator's message."""
    assert commands.describe(errors, str.title) == words


@pytest.mark.parametrize(
    ("values", "english", "norwegian"),
    [
        (
            {"trigger": "accept", "reason": " "},
            "--reason is required and must not be blank",
            "Reason er påkrevd og kan ikke være tom",
        ),
        (
            {"trigger": "fly away", "reason": "r"},
            "TRIGGER: 'fly away' is not a trigger name",
            "Trigger: 'fly away' er ikke et navn på en handling",
        ),
        (
            {"trigger": "accept", "reason": "r", "expected_version": "x"},
            "--expect-version must be a whole number from 0",
            "Expected_Version må være et heltall fra 0",
        ),
        (
            {"trigger": "accept", "reason": "r", "lead": "x"},
            "--lead is not an input of this command",
            "Lead hører ikke til denne handlingen",
        ),
    ],
)
def test_a_refusal_carries_its_template_and_is_worded_in_the_reader_s_language(
    values: dict[str, Any], english: str, norwegian: str
) -> None:
    """The command line's English names the option; a page words it in bokmål by its label."""
    from translations import translator

    with pytest.raises(InvalidInputError) as caught:
        commands.validate(
            commands.AdvanceCase, values, lambda field: {"trigger": "TRIGGER"}.get(field) or flag(field)
        )
    assert english in caught.value.words()
    assert norwegian in caught.value.words(translator("nb"), str.title)
