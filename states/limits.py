"""The input contract: how long a text may be, which dates and amounts make sense.

One place for every bound, so the command line, the API and the pages refuse the same things
with the same words: the pure decisions (`states.case`, `states.pausing`) check their inputs
against these, `workflow.inputs` parses dates and years within them, `workflow.config` checks
config.toml's durations, and the API's request models take their lengths from here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from states.errors import Input, InvalidInputError
from states.messages import N_

EARLIEST_DAY = date(1976, 1, 1)
"""No date before this: the Guidelines' first edition (21 June 1976) came later in that year."""

LATEST_DAY = date(2199, 12, 31)
"""No date after this: far enough for any sweep or rotation, and due dates computed from it
(plus the longest timeline and extensions) stay far inside what dates and the database hold."""

LATEST_DUE = date(2299, 12, 31)
"""No due date, however often extended, after this."""

# Instants: the same span, widened by a day at each end so that the first and the last local
# day are inside in every time zone (1 January 1976 in Oslo starts on 31 December 1975 UTC).
EARLIEST = datetime(1975, 12, 31, tzinfo=UTC)
LATEST = datetime(2200, 1, 2, tzinfo=UTC)  # exclusive

TEXT_MAX = 2000
"""A title, a reason, a scope."""
NAME_MAX = 300
"""A party's name, a sector, who requested a pause, an actor, an organisation number."""
WORD_MAX = 100
"""An identifier: a trigger, a member id, a user name."""
SEARCH_MAX = 200
"""The words of a search (states/search.py), as typed."""
NOTE_MAX = 20_000
"""An internal note on a case (states/notes.py): the notes of a meeting, some pages long."""

EXTENSION_DAYS_MAX = 3660
"""One extension: at most ten years' worth of days ..."""
EXTENSION_MONTHS_MAX = 120
"""... or of months."""
DURATION_DAYS_MAX = 3660
"""A configured duration (timelines, alert rungs): at most ten years' worth of days ..."""
DURATION_MONTHS_MAX = 120
"""... or of months (years count as twelve months) ..."""
DURATION_WORKING_DAYS_MAX = 2600
"""... or of working days (ten years hold about 2,600 weekdays)."""

# C0 and C1 control characters and DEL: never part of a name or a title a person typed.
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)))


# For terminals: the controls above, and the bidirectional marks, embeddings, overrides and
# isolates that reorder what a reader sees; each spelled as a visible escape (`\x1b`, `\u202e`).
_SPELLED = str.maketrans(
    {ord(c): f"\\x{ord(c):02x}" for c in _CONTROLS}
    | {
        code: f"\\u{code:04x}"
        for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)


def neutralise(text: str) -> str:
    """`text` with every control and bidi formatting character spelled out, safe to print on a
    terminal (ESC starts colour, cursor and window-title sequences; CR and BS redraw a line)."""
    return text.translate(_SPELLED)


def has_control(value: str) -> bool:
    """Whether `value` holds a control character (C0, DEL or C1; tab and newline included)."""
    return not _CONTROLS.isdisjoint(value)


def check_text(value: object, what: str | Input, *, limit: int = TEXT_MAX, required: bool = True) -> str:
    """`value` as given, if it is text of at most `limit` characters without NUL.

    Blank text is refused when `required`. Other control characters are kept: what was typed
    is stored verbatim, and terminal output neutralises them (ncpflow/output.py)."""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInputError(N_("{what} is required and must not be blank"), what=_input(what))
    if len(value) > limit:
        raise InvalidInputError(
            N_("{what} is {length} characters long; at most {limit}"),
            what=_input(what),
            length=len(value),
            limit=limit,
        )
    if "\x00" in value:
        raise InvalidInputError(N_("{what} must not contain NUL characters"), what=_input(what))
    return value


def _input(what: str | Input) -> Input:
    """The input a message names: plain words (no field) or an `Input`."""
    return what if isinstance(what, Input) else Input(what)


def check_optional(value: str | None, what: str | Input, *, limit: int = TEXT_MAX) -> str | None:
    """Like `check_text`, for a text that may be left out (None or empty)."""
    if value is None or value == "":
        return value
    return check_text(value, what, limit=limit, required=False)


def check_instant(instant: datetime, what: str | Input) -> datetime:
    """`instant` if it falls from 1976 to the end of 2199 (a day's margin for time zones)."""
    if instant.tzinfo is None:
        raise InvalidInputError(
            N_("{what} {value} has no UTC offset"), what=_input(what), value=instant.isoformat()
        )
    if not EARLIEST <= instant < LATEST:
        raise InvalidInputError(
            N_("{what} {value} is out of range: give a time from {earliest} to {latest}"),
            what=_input(what),
            value=instant.isoformat(),
            earliest=EARLIEST_DAY.isoformat(),
            latest=LATEST_DAY.isoformat(),
        )
    return instant


def check_day(day: date, what: str | Input) -> date:
    """`day` if it falls from 1 January 1976 to 31 December 2199."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInputError(
            N_("{what} {value} is out of range: give a date from {earliest} to {latest}"),
            what=_input(what),
            value=day.isoformat(),
            earliest=EARLIEST_DAY.isoformat(),
            latest=LATEST_DAY.isoformat(),
        )
    return day


def check_year(year: int, what: str | Input) -> int:
    """`year` if it falls from 1976 to 2199."""
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise InvalidInputError(
            N_("{what} {value} is out of range: give a year from {earliest} to {latest}"),
            what=_input(what),
            value=year,
            earliest=EARLIEST_DAY.year,
            latest=LATEST_DAY.year,
        )
    return year


def check_extension(*, days: int = 0, months: int = 0) -> None:
    """One extension is a positive number of days or months, at most ten years' worth."""
    if days < 0 or months < 0 or (days == 0 and months == 0):
        raise InvalidInputError(N_("an extension must be a positive number of days or months"))
    if days > EXTENSION_DAYS_MAX or months > EXTENSION_MONTHS_MAX:
        raise InvalidInputError(
            N_("an extension is at most {days} days or {months} months; ask again when more time is needed"),
            days=EXTENSION_DAYS_MAX,
            months=EXTENSION_MONTHS_MAX,
        )


def check_duration(*, days: int, months: int, what: str, working_days: int = 0) -> None:
    """A configured duration is positive and at most ten years' worth of days, months or working days."""
    if days <= 0 and months <= 0 and working_days <= 0:
        raise InvalidInputError(f"{what} must be longer than zero")
    if days > DURATION_DAYS_MAX or months > DURATION_MONTHS_MAX:
        raise InvalidInputError(
            f"{what} is too long: at most {DURATION_DAYS_MAX} days or {DURATION_MONTHS_MAX} months (10y)"
        )
    if working_days > DURATION_WORKING_DAYS_MAX:
        raise InvalidInputError(f"{what} is too long: at most {DURATION_WORKING_DAYS_MAX} working days")
