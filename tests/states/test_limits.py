"""The input contract in the core: text lengths, extension amounts, dates, accountable actors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from states import limits
from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, open_case
from states.chain import seal
from states.durations import Duration
from states.errors import InvalidInputError
from states.lifecycle import DeadlineName
from states.pausing import extend, pause
from tests.helpers import OECD

POLICY = Policy(
    timelines={name: Duration.parse("3mo") for name in DeadlineName},
    calendar=CalendarRule(timezone="Europe/Oslo"),
    procedure=OECD,
)
PARTIES = (
    Party(PartyRole.SUBMITTER, "Friends of the Fjord"),
    Party(PartyRole.ENTERPRISE, "Nordic Metals ASA"),
)
RECEIVED = datetime(2025, 1, 31, 9, tzinfo=UTC)


def _open(**changes: object) -> Case:
    arguments: dict[str, object] = {
        "reference": "NCP-2025-001",
        "title": "Tailings",
        "parties": PARTIES,
        "received_at": RECEIVED,
        "opened_at": RECEIVED,
        "actor": "sek",
        "policy": POLICY,
        **changes,
    }
    case, _ = open_case(**arguments)  # type: ignore[arg-type]
    return case


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * (limits.TEXT_MAX + 1)}, "at most 2000"),
        ({"title": "a\x00b"}, "NUL"),
        ({"actor": "a" * (limits.NAME_MAX + 1)}, "at most 300"),
        ({"actor": "  "}, "actor"),
        ({"parties": (Party(PartyRole.SUBMITTER, "n" * 301), PARTIES[1])}, "at most 300"),
        ({"received_at": datetime(1975, 12, 31, tzinfo=UTC)}, "out of range"),
    ],
)
def test_opening_a_case_refuses_text_and_dates_outside_the_contract(
    changes: dict[str, object], message: str
) -> None:
    """A title, actor or name too long, a NUL, or a receipt before 1976 is refused by the core."""
    with pytest.raises(InvalidInputError, match=message):
        _open(**changes)


def test_text_at_the_limits_and_control_characters_other_than_nul_are_kept() -> None:
    """The longest allowed title is accepted, and an ESC in it is stored as typed."""
    title = "\x1b[31m" + "x" * (limits.TEXT_MAX - 5)
    assert _open(title=title).title == title


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Duration(days=limits.EXTENSION_DAYS_MAX + 1), "at most 3660 days"),
        (Duration(days=99_999_999), "at most 3660 days"),
        (Duration(months=95_000), "at most 3660 days or 120 months"),
        (Duration(), "positive"),
    ],
)
def test_an_extension_beyond_ten_years_or_of_nothing_is_refused(amount: Duration, message: str) -> None:
    """`extend --days 99999999` and `--months 95000` are refused, not an overflow or a 7900-year wait."""
    with pytest.raises(InvalidInputError, match=message):
        extend(
            _open(),
            deadline=DeadlineName.ACKNOWLEDGEMENT,
            amount=amount,
            actor="chair",
            reason="r",
            at=RECEIVED,
        )


def test_the_longest_extension_is_allowed() -> None:
    """Ten years, in days or in months, is still one extension."""
    _, event = extend(
        _open(),
        deadline=DeadlineName.ACKNOWLEDGEMENT,
        amount=Duration(months=limits.EXTENSION_MONTHS_MAX),
        actor="chair",
        reason="r",
        at=RECEIVED,
    )
    assert event.moved.after.year == 2035


def test_extensions_cannot_push_a_deadline_past_the_last_due_date() -> None:
    """Repeated ten-year extensions stop at 2299, long before dates overflow."""
    case = _open()
    for _ in range(27):  # 2025 + 27 x 10 years = 2295
        case, _ = extend(
            case,
            deadline=DeadlineName.ACKNOWLEDGEMENT,
            amount=Duration(months=120),
            actor="chair",
            reason="r",
            at=RECEIVED,
        )
    with pytest.raises(InvalidInputError, match="after 2299-12-31"):
        extend(
            case,
            deadline=DeadlineName.ACKNOWLEDGEMENT,
            amount=Duration(months=120),
            actor="chair",
            reason="r",
            at=RECEIVED,
        )
    due = case.deadline(DeadlineName.ACKNOWLEDGEMENT)
    assert due is not None and due.due.year == 2295


def test_who_requested_a_pause_is_bounded_like_a_name() -> None:
    """`--requested-by` longer than a name may be is refused."""
    with pytest.raises(InvalidInputError, match="requested"):
        pause(
            _open(),
            actor="sek",
            reason="parallel proceedings",
            at=RECEIVED,
            requested_by="r" * (limits.NAME_MAX + 1),
        )


@pytest.mark.parametrize("actor", ["", "   ", "\t\n"])
def test_no_audit_entry_is_sealed_without_an_accountable_actor(actor: str) -> None:
    """The chain itself refuses an entry whose actor is blank, whatever use case asks."""
    with pytest.raises(InvalidInputError, match="accountable actor"):
        seal(
            prev=None,
            case_ref=None,
            kind="user_added",
            actor=actor,
            at=RECEIVED,
            from_state=None,
            to_state=None,
            reason="r",
            data={},
        )


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (
            limits.check_day,
            [date(1976, 1, 1), date(2199, 12, 31)],
            [date(1975, 12, 31), date(2200, 1, 1), date(1, 1, 1), date(9999, 12, 31)],
        ),
        (limits.check_year, [1976, 2199], [0, 1975, 2200, 10**9]),
    ],
)
def test_dates_and_years_run_from_1976_to_2199(check: object, good: list[object], bad: list[object]) -> None:
    """The Guidelines' first edition bounds the past; 2199 the future."""
    assert callable(check)
    for value in good:
        assert check(value, "x") == value
    for value in bad:
        with pytest.raises(InvalidInputError, match="out of range"):
            check(value, "x")
