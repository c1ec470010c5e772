"""The pure rules of company engagement: where an invitation stands on a day, and the figures
of a group of invitations (the participation rate's rule, the reasons' order)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from states.engagement import (
    DEFAULT_REASONS,
    Counted,
    Invitation,
    Response,
    check_reasons,
    figures,
    standing,
)
from states.errors import InvalidInputError

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
INVITATION = Invitation(1, "enterprise-1", "meeting", "post", AT, date(2025, 4, 2), AT, "sek")


def test_an_unanswered_invitation_waits_through_its_last_day_and_is_silent_after_it() -> None:
    """On its day to answer by it is pending; the day after, no response (derived)."""
    assert standing(INVITATION, [], date(2025, 4, 2)) == "pending"
    assert standing(INVITATION, [], date(2025, 4, 3)) == "no_response"


def test_the_latest_response_is_where_an_invitation_stands() -> None:
    """A late acceptance after a recorded no response stands; another invitation's does not count."""
    silent = Response(1, 1, "no_response", (), AT, AT, "sek")
    late = Response(2, 1, "accepted", (), AT, AT, "sek")
    other = Response(3, 2, "declined", ("other",), AT, AT, "sek")
    assert standing(INVITATION, [silent, late, other], date(2025, 5, 1)) == "accepted"


def test_the_rate_counts_accepted_over_settled_and_leaves_waiting_ones_out() -> None:
    """2 accepted, 1 declined, 1 silent, 3 waiting: 2 of 4; reasons by count, then by code."""
    items = [
        Counted(2025, "Mining", "accepted"),
        Counted(2025, "Mining", "accepted"),
        Counted(2025, "Mining", "declined", ("other", "confidentiality")),
        Counted(2025, "Mining", "no_response"),
        *[Counted(2025, "Mining", "pending")] * 3,
    ]
    found = figures(items)
    assert (found["settled"], found["participation_rate"], found["pending"]) == (4, 0.5, 3)
    assert list(found["reasons"]) == ["confidentiality", "other"]  # type: ignore[call-overload]
    assert figures([Counted(2025, "Mining", "pending")])["participation_rate"] is None


@pytest.mark.parametrize(
    ("response", "reasons", "needle"),
    [
        ("declined", [], "at least one reason"),
        ("declined", ["bored"], "unknown reason 'bored'"),
        ("accepted", ["other"], "only with a decline"),
    ],
)
def test_reasons_go_with_a_decline_and_come_from_the_list(
    response: str, reasons: list[str], needle: str
) -> None:
    """A decline needs a known reason; any other response takes none."""
    with pytest.raises(InvalidInputError, match=needle):
        check_reasons(response, reasons, DEFAULT_REASONS)
    assert check_reasons("declined", ["other", "other", "no_link"], DEFAULT_REASONS) == ("other", "no_link")
