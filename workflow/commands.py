"""One input model per command: what the command line, the API and the pages validate alike.

Each model holds one command's inputs with their bounds (`states.limits`) and choices; dates go
through the one bounded parser (`workflow.inputs.parse_when`). The API takes the models as its
request bodies, so the OpenAPI documents them; the command line and the pages build them with
`validate`, telling it how they spell each input (`--reason`, the form's label), so that a
refusal names the input the way the user gave it (the API names its fields).

Who acts (`--actor`, the signed-in user) and which case (its reference) are not part of a model:
the entry point adds them. `arguments()` is the rest of the use case's keyword arguments, so
`app.cases.advance(reference=ref, actor=who, **command.arguments())`.

A refusal is a pydantic error carrying an `InvalidInputError` like the core's: an English template
marked for the catalogue (`N_`) over its parameters, the input an `Input` that each entry point
names its own way. pydantic's own errors (lengths, types, missing) are worded by `problems` the
same way, so a page words every refusal in its language (`problems(..., tr=...)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from states import case_links as case_link_rules
from states import commitments as commitment_rules
from states import contacts as contact_rules
from states import correspondence as correspondence_rules
from states import engagement as engagement_rules
from states import issues as issue_rules
from states import letters as letter_rules
from states import limits
from states import party_links as party_link_rules
from states import statements as statement_rules
from states.documents import DIRECTIONS
from states.errors import Input, InvalidInputError, Naming, Wording, as_is
from states.guidelines import EDITIONS, SUBMITTER_TYPES, THEMES
from states.lifecycle import Outcome, Trigger
from states.messages import ENGLISH, N_, Translator
from states.notes import NOTES_MAX
from states.users import FeedScope, Role
from translations import LANGUAGES
from workflow import inputs

Spell = Callable[[str], str]
"""How an entry point names a model's field: `--host-country`, `host_countries`, a label."""

SHOWN_MAX = 40  # characters of a refused value echoed in a message


# ---- naming the input -------------------------------------------------------------------------

THE_INPUT = Input(N_("the input"))


def _name(info: ValidationInfo) -> Input:
    """The input being validated: each entry point spells its field its own way."""
    return Input("", info.field_name) if info.field_name else THE_INPUT


def _refuse(message: str, /, **params: object) -> InvalidInputError:
    """A refusal: `message` (marked with `N_`) over `params`, worded when it is shown; pydantic
    keeps it as the error's `ctx["error"]`."""
    return InvalidInputError(message, **params)


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


# ---- field types ------------------------------------------------------------------------------


def _no_nul(value: str, info: ValidationInfo) -> str:
    if "\x00" in value:
        raise _refuse(N_("{what} must not contain NUL characters"), what=_name(info))
    return value


def _not_blank(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise _refuse(N_("{what} is required and must not be blank"), what=_name(info))
    return _no_nul(value, info)


Text = Annotated[str, Field(min_length=1, max_length=limits.TEXT_MAX), AfterValidator(_not_blank)]
"""A title, a reason: not blank, at most 2000 characters, no NUL."""
Name = Annotated[str, Field(min_length=1, max_length=limits.NAME_MAX), AfterValidator(_not_blank)]
"""A party's name, an organisation number: not blank, at most 300 characters."""
Word = Annotated[str, Field(min_length=1, max_length=limits.WORD_MAX), AfterValidator(_not_blank)]
"""An identifier (a member id): not blank, at most 100 characters."""
OptionalText = Annotated[str, Field(max_length=limits.TEXT_MAX), AfterValidator(_no_nul)]
"""A text that may be empty (a scope, a resume's reason)."""
OptionalName = Annotated[str, Field(max_length=limits.NAME_MAX), AfterValidator(_no_nul)]
"""A name that may be empty (a sector: empty clears it; who requested a pause)."""


def _when(value: object, info: ValidationInfo) -> date | datetime:
    if isinstance(value, datetime):
        return limits.check_instant(value, _name(info))
    if isinstance(value, date):
        return limits.check_day(value, _name(info))
    if not isinstance(value, str):
        raise _refuse(
            N_("{what} must be text: a date (YYYY-MM-DD) or an ISO datetime with offset"), what=_name(info)
        )
    return inputs.parse_when(value, _name(info))


When = Annotated[
    date | datetime,
    PlainValidator(_when),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": inputs.WHEN_MAX,
            "description": "YYYY-MM-DD (NCP local) or ISO datetime with offset; left out: now",
            "examples": ["2025-03-03", "2025-03-03T14:30:00+01:00"],
        }
    ),
]
"""A date or an instant, parsed by the one bounded parser (1976 to 2199)."""


WHOLE = {
    "": N_("{what} must be a whole number from {low} to {high}, not '{value}'"),
    "days": N_("{what} must be a whole number of days from {low} to {high}, not '{value}'"),
    "months": N_("{what} must be a whole number of months from {low} to {high}, not '{value}'"),
}


def _whole(low: int, high: int, unit: str = "") -> Callable[[object, ValidationInfo], int]:
    """A whole number from `low` to `high`: an int, or ASCII digits only (`int()` would take
    other scripts' digits)."""

    def check(value: object, info: ValidationInfo) -> int:
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _refuse(WHOLE[unit], what=_name(info), low=low, high=high, value=_shown(value))
        return value

    return check


def _range(low: int, high: int) -> WithJsonSchema:
    return WithJsonSchema({"type": "integer", "minimum": low, "maximum": high})


VERSION_MAX = 2**31 - 1
Version = Annotated[int, PlainValidator(_whole(0, VERSION_MAX)), _range(0, VERSION_MAX)]
"""The case version a step expects (a stale one is a conflict)."""


def _extension(unit: str, high: int) -> Callable[[object, ValidationInfo], int]:
    whole = _whole(1, high, unit)

    def check(value: object, info: ValidationInfo) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                raise _refuse(
                    N_("{what} {value}: an extension must be a positive number of days or months"),
                    what=_name(info),
                    value=value,
                )
            if value > high:
                raise _refuse(
                    N_(
                        "{what} {value}: an extension is at most {days} days or {months} "
                        "months; ask again when more time is needed"
                    ),
                    what=_name(info),
                    value=value,
                    days=limits.EXTENSION_DAYS_MAX,
                    months=limits.EXTENSION_MONTHS_MAX,
                )
        return whole(value, info)

    return check


Days = Annotated[
    int, PlainValidator(_extension("days", limits.EXTENSION_DAYS_MAX)), _range(1, limits.EXTENSION_DAYS_MAX)
]
Months = Annotated[
    int,
    PlainValidator(_extension("months", limits.EXTENSION_MONTHS_MAX)),
    _range(1, limits.EXTENSION_MONTHS_MAX),
]


def _one_of(
    what: str, options: Iterable[str], *, empty: bool = False
) -> tuple[AfterValidator, WithJsonSchema]:
    """One of `options` (the OpenAPI lists them); with `empty`, "" too (it clears a value).
    `what` the value is in words, marked with `N_` ("--outcome: unknown outcome 'victory';
    one of: ...")."""
    allowed = tuple(options)

    def check(value: str, info: ValidationInfo) -> str:
        if value not in allowed and not (empty and value == ""):
            raise _refuse(
                N_("{what}: unknown {kind} '{value}'; one of: {choices}"),
                what=_name(info),
                kind=Input(what),
                value=_shown(value),
                choices=", ".join(allowed),
            )
        return value

    return AfterValidator(check), WithJsonSchema(
        {"type": "string", "enum": [*allowed, *([""] if empty else [])]}
    )


def _a_name(what: str) -> tuple[AfterValidator, WithJsonSchema]:
    """A name from the case's procedure (docs/procedure-schema.md): its shape is checked here, and
    the use case checks it against the procedure the case follows ("--trigger: unknown trigger
    'fly'; one of: ..."). `what` the value is in words, marked with `N_`."""

    def check(value: str, info: ValidationInfo) -> str:
        if not _PROCEDURE_NAME.fullmatch(value):
            raise _refuse(
                N_("{what}: '{value}' is not a {kind} name (lower-case letters, digits and _)"),
                what=_name(info),
                kind=Input(what),
                value=_shown(value),
            )
        return value

    return AfterValidator(check), WithJsonSchema(
        {"type": "string", "pattern": _PROCEDURE_NAME.pattern, "maxLength": 64}
    )


_PROCEDURE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# oecd-2023's: begin_assessment, accept, ... (`ncpflow case triggers REF` lists a case's).
TriggerName = Annotated[str, *_a_name(N_("trigger"))]
OutcomeName = Annotated[str, *_a_name(N_("outcome"))]
DeadlineChoice = Annotated[str, *_a_name(N_("deadline"))]
# oecd-2023's own names, for an input that speaks only of it (`case import`: past OECD cases).
OecdTrigger = Annotated[str, *_one_of(N_("trigger"), (t.value for t in Trigger))]
OecdOutcome = Annotated[str, *_one_of(N_("outcome"), (o.value for o in Outcome))]
Theme = Annotated[str, *_one_of(N_("theme"), THEMES)]
SubmitterType = Annotated[str, *_one_of(N_("submitter type"), SUBMITTER_TYPES)]
Edition = Annotated[str, *_one_of(N_("Guidelines edition"), EDITIONS)]
EditionOrEmpty = Annotated[str, *_one_of(N_("Guidelines edition"), EDITIONS, empty=True)]
RoleName = Annotated[str, *_one_of(N_("role"), (r.value for r in Role))]
IssueDecisionName = Annotated[str, *_one_of(N_("decision"), issue_rules.DECISIONS)]
IssueOutcomeName = Annotated[str, *_one_of(N_("outcome of an issue"), issue_rules.OUTCOMES)]


def _user_name(value: str, info: ValidationInfo) -> str:
    name = value.strip()
    if not name or any(c.isspace() or not c.isprintable() for c in name):
        raise _refuse(
            N_("{what} '{value}' is not a user name: 1-{limit} printable characters without spaces"),
            what=_name(info),
            value=_shown(value),
            limit=limits.WORD_MAX,
        )
    return name


UserName = Annotated[str, Field(min_length=1, max_length=limits.WORD_MAX), AfterValidator(_user_name)]


def _country(value: str, info: ValidationInfo) -> str:
    code = inputs.country(value)
    if code is None:
        raise _refuse(inputs.NOT_A_COUNTRY, what=_name(info), value=_shown(value))
    return code


Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166 alpha-2 code"}),
]

PARTIES_MAX = 20
COUNTRIES_MAX = 50
Parties = Annotated[list[Name], Field(min_length=1, max_length=PARTIES_MAX)]
Themes = Annotated[list[Theme], Field(max_length=len(THEMES))]
Countries = Annotated[list[Country], Field(max_length=COUNTRIES_MAX)]


# ---- the commands -------------------------------------------------------------------------------


class Command(BaseModel):
    """A command's inputs; unknown ones are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def arguments(self) -> dict[str, Any]:
        """The use case's keyword arguments (the entry point adds the actor and the case)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


def _per_submitter(values: Sequence[object], info: ValidationInfo, message: str) -> None:
    """Refuse, in `message`'s words, a list given one value per submitter with another count."""
    submitters = info.data.get("submitters")
    if values and submitters is not None and len(values) != len(submitters):
        raise _refuse(message, count=len(values), what=_name(info), submitters=len(submitters))


class OpenCase(Command):
    """`case open`, `POST /api/cases`: register a submission."""

    title: Text
    enterprises: Parties
    submitters: Parties
    submitter_type: SubmitterType | None = Field(default=None, description="One type for every submitter.")
    submitter_types: Annotated[list[SubmitterType | None], Field(max_length=PARTIES_MAX)] = Field(
        default_factory=list, description="One type for each submitter, in order (null: none given)."
    )
    received: When | None = None
    themes: Themes = Field(default_factory=list)
    host_countries: Countries = Field(default_factory=list)
    sector: OptionalName | None = None
    guidelines_edition: Edition | None = Field(
        default=None,
        description="1976, 1979, 1984, 1991, 2000, 2011, 2023, or both (2011 and 2023: harm that "
        "continues past June 2023).",
    )
    supporting_ncps: Countries = Field(default_factory=list, description="ISO 3166 codes of supporting NCPs.")
    confidential_submitter: bool = Field(default=False, description="Every submitter is confidential.")
    confidential_submitters: Annotated[list[bool], Field(max_length=PARTIES_MAX)] = Field(
        default_factory=list, description="Whether each submitter is confidential, in order."
    )
    org_numbers: Annotated[dict[Name, Name], Field(max_length=2 * PARTIES_MAX)] = Field(
        default_factory=dict,
        description="Organisation numbers by party name (a submitter or an "
        "enterprise); declared conflicts match on them as well as on names.",
    )

    @field_validator("submitter_types")
    @classmethod
    def _one_each(cls, types: list[str], info: ValidationInfo) -> list[str]:
        if types and info.data.get("submitter_type") is not None:
            raise _refuse(
                N_("give {one} (one for all) or {what} (one each), not both"),
                one=Input("", "submitter_type"),
                what=_name(info),
            )
        _per_submitter(
            types, info, N_("{count} {what} values for {submitters} submitters; give one for all or one each")
        )
        return types

    @field_validator("confidential_submitters")
    @classmethod
    def _flag_each(cls, flags: list[bool], info: ValidationInfo) -> list[bool]:
        _per_submitter(flags, info, N_("{count} {what} values for {submitters} submitters; give one each"))
        return flags

    @field_validator("org_numbers")
    @classmethod
    def _parties_named(cls, numbers: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        from states.members import normalise_name

        if "submitters" not in info.data or "enterprises" not in info.data:
            return numbers  # the parties are refused themselves: which party a number names is moot
        names = [*info.data["submitters"], *info.data["enterprises"]]
        by_key = {normalise_name(name): name for name in names}
        found: dict[str, str] = {}
        for name, number in numbers.items():
            party = by_key.get(normalise_name(name))
            if party is None:
                raise _refuse(
                    N_("{what} names '{value}', which is not a submitter or enterprise of this case"),
                    what=_name(info),
                    value=_shown(name.strip()),
                )
            found[party] = number.strip()
        return found

    def arguments(self) -> dict[str, Any]:
        from workflow.cases import PartyInput

        kinds: list[str | None] = [*self.submitter_types] or ([self.submitter_type] * len(self.submitters))
        flags = [*self.confidential_submitters] or [False] * len(self.submitters)
        numbers = self.org_numbers
        return {
            "title": self.title,
            "received": self.received,
            "themes": self.themes,
            "submitters": [
                PartyInput(name, kind, self.confidential_submitter or flag, numbers.get(name))
                for name, kind, flag in zip(self.submitters, kinds, flags, strict=True)
            ],
            "enterprises": [PartyInput(name, org_number=numbers.get(name)) for name in self.enterprises],
            "host_countries": self.host_countries,
            "sector": self.sector,
            "guidelines_edition": self.guidelines_edition,
            "supporting_ncps": self.supporting_ncps,
        }


class EditCase(Command):
    """`case edit`, `PATCH /api/cases/{ref}`: change descriptive fields; left out: unchanged."""

    reason: Text
    themes: Themes | None = Field(default=None, description="Replaces the themes.")
    host_countries: Countries | None = Field(default=None, description="Replaces the host countries.")
    sector: OptionalName | None = Field(default=None, description='"" clears it.')
    guidelines_edition: EditionOrEmpty | None = Field(default=None, description='"" clears it.')
    supporting_ncps: Countries | None = Field(default=None, description="Replaces the supporting NCPs.")
    at: When | None = None


class AdvanceCase(Command):
    """`case advance`, `POST /api/cases/{ref}/transitions`, the case page's step forms."""

    trigger: TriggerName
    reason: Text
    outcome: OutcomeName | None = None
    at: When | None = None
    expected_version: Version | None = Field(
        default=None, description="Refuse with a conflict unless the case is at this version."
    )
    scope: OptionalText | None = Field(default=None, description="With accept: what was accepted, in part.")

    @field_validator("scope")
    @classmethod
    def _with_accept(cls, scope: str | None, info: ValidationInfo) -> str | None:
        trigger = info.data.get("trigger")
        if scope and trigger is not None and trigger != Trigger.ACCEPT.value:
            raise _refuse(N_("{what} goes with the 'accept' trigger only"), what=_name(info))
        return scope


class PauseCase(Command):
    """`case pause`, `POST /api/cases/{ref}/pause`, the case page's pause form."""

    reason: Text
    requested_by: OptionalName | None = None
    at: When | None = None


def _day(value: object, info: ValidationInfo) -> date:
    when = value if isinstance(value, date) else _when(value, info)
    if isinstance(when, datetime):
        raise _refuse(N_("{what} takes a date (YYYY-MM-DD), not a time"), what=_name(info))
    return limits.check_day(when, _name(info))


Day = Annotated[
    date,
    PlainValidator(_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "YYYY-MM-DD (NCP local)",
            "examples": ["2025-03-03"],
        }
    ),
]
"""A local day, parsed by the one bounded parser (1976 to 2199)."""


class RecordFact(Command):
    """`case record`, `POST /api/cases/{ref}/facts`: a dated fact of the case's procedure."""

    fact: Word = Field(
        description="A fact the case's procedure declares (oecd-2023: assessment_published, ...)."
    )
    on: Day
    by: Word | None = Field(default=None, description="Who it was by, for facts that name someone.")
    note: OptionalText | None = None


class ResumeCase(Command):
    """`case resume`, `POST /api/cases/{ref}/resume`, the case page's resume form."""

    reason: OptionalText | None = None
    at: When | None = None


class ExtendDeadline(Command):
    """`case extend`, `POST /api/cases/{ref}/extend`: exactly one of days or months."""

    deadline: DeadlineChoice
    reason: Text
    days: Days | None = None
    months: Months | None = Field(default=None, validate_default=True)
    at: When | None = None

    @field_validator("months")
    @classmethod
    def _one_amount(cls, months: int | None, info: ValidationInfo) -> int | None:
        if "days" in info.data and (info.data["days"] is None) == (months is None):
            raise _refuse(
                N_("give exactly one of {days} N or {what} N"), days=Input("", "days"), what=_name(info)
            )
        return months


class ReassignLead(Command):
    """`case reassign`, `POST /api/cases/{ref}/reassign`."""

    to: Word = Field(description="Member id of the new lead.")
    reason: Text
    override: bool = Field(
        default=False, description="Assign a conflicted, inactive or absent member anyway (audited)."
    )


class RecuseLead(Command):
    """`case recuse`, `POST /api/cases/{ref}/recuse`: the lead steps aside."""

    member: Word = Field(description="Member id of the lead who steps aside.")
    reason: Text


DirectionName = Annotated[str, *_one_of(N_("direction"), DIRECTIONS)]
DOCUMENT_MAX = 2**31 - 1
DocumentNumber = Annotated[int, PlainValidator(_whole(1, DOCUMENT_MAX)), _range(1, DOCUMENT_MAX)]


class AddDocument(Command):
    """`doc add`, `POST /api/cases/{ref}/documents` (multipart: these fields and the file), the
    case's documents page: a document of the case, or a new version of one. The access level
    and the exemption are checked against `[documents]` by the use case, with the size and the
    real type of the file."""

    title: Name = Field(description="The document's title.")
    direction: DirectionName = Field(description="in (received), out (sent) or internal.")
    access: Word = Field(description="Who may see it: one of [documents] access (public, parties, ncp).")
    party: OptionalName | None = Field(
        default=None, description="The party it came from or went to: its key (submitter-1) or name."
    )
    exemption: OptionalName | None = Field(
        default=None,
        description='The exemption ground, one of [documents] exemptions ("offentleglova § 13").',
    )
    replaces: DocumentNumber | None = Field(
        default=None, description="The number of the document this is a new version of."
    )

    def arguments(self) -> dict[str, Any]:
        """Empty party and exemption (a form's blank choice) are none."""
        given = super().arguments()
        return {**given, "party": self.party or None, "exemption": self.exemption or None}


YEAR_LOW, YEAR_HIGH = limits.EARLIEST_DAY.year, limits.LATEST_DAY.year
ReportYearValue = Annotated[int, PlainValidator(_whole(YEAR_LOW, YEAR_HIGH)), _range(YEAR_LOW, YEAR_HIGH)]


class ReportYear(Command):
    """The report pages' `?year=` (`report timelines|annual --year`): the year reported on;
    left out, every year (timelines) or this year (annual)."""

    year: ReportYearValue | None = None


class ReportPeriod(Command):
    """The rotation report page's `?from=&to=` (`report rotation --from --to`): the first and
    the last day; either left out, from the start or up to today."""

    since: Day | None = None
    until: Day | None = None

    @field_validator("until")
    @classmethod
    def _in_order(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if until is not None and since is not None and until < since:
            raise _refuse(
                N_("{what} {value} is before {other} {start}"),
                what=_name(info),
                value=until.isoformat(),
                other=Input("", "since"),
                start=since.isoformat(),
            )
        return until


class JournalFilter(ReportPeriod):
    """`journal export --from --to [--public]`, the journal pages' `?from=&to=&public=1`: the
    first and the last day (NCP-local; either left out: from the first, to the last entry), and
    whether the public variant is asked for."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    public: bool = Field(default=False, description="The public variant: no exempt title, no protected name.")


class MigrateCase(Command):
    """`case migrate`, `POST /api/cases/{ref}/migrate`: move the case to another procedure version."""

    to: Word = Field(
        description="The version to follow: ID@VERSION, or a version of the case's own procedure."
    )
    mapping: dict[Word, Word] = Field(
        default_factory=dict,
        max_length=100,
        description="Old state -> new state, for a state the target version does not have.",
    )
    reason: OptionalText | None = None


class AddUser(Command):
    """`users add`, `POST /api/users`: a user of the pages and the API, with its role."""

    name: UserName
    role: RoleName
    member: Word | None = Field(
        default=None, validate_default=True, description="With role member: the member id it is."
    )

    mediator: Word | None = Field(
        default=None, validate_default=True, description="With role mediator: the mediator id it is."
    )

    @field_validator("member")
    @classmethod
    def _with_member_role(cls, member: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role == Role.MEMBER.value and not member:
            raise _refuse(N_("a user with role member needs {what} (the member id it is)"), what=_name(info))
        if role is not None and role != Role.MEMBER.value and member:
            raise _refuse(N_("{what} goes with role member only"), what=_name(info))
        return member

    @field_validator("mediator")
    @classmethod
    def _with_mediator_role(cls, mediator: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role == Role.MEDIATOR.value and not mediator:
            raise _refuse(
                N_("a user with role mediator needs {what} (the mediator id it is)"), what=_name(info)
            )
        if role is not None and role != Role.MEDIATOR.value and mediator:
            raise _refuse(N_("{what} goes with role mediator only"), what=_name(info))
        return mediator

    def arguments(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "member_id": self.member, "mediator_id": self.mediator}


LanguageName = Annotated[str, *_one_of(N_("language"), LANGUAGES)]
FeedScopeName = Annotated[str, *_one_of(N_("which cases"), (s.value for s in FeedScope))]


class MakeCalendarFeed(Command):
    """`POST /api/me/calendar-feed`, the calendar page's form: a new subscription URL for the
    user (the one before it is revoked)."""

    language: LanguageName | None = Field(
        default=None, description="The feed's language: en or nb; left out: the NCP's language."
    )
    scope: FeedScopeName = Field(
        default=FeedScope.ALL.value,
        description="all: every case the user may read; mine: only the cases the user's member leads.",
    )

    def arguments(self) -> dict[str, Any]:
        return {"language": self.language, "scope": self.scope}


class AddLeave(Command):
    """The members page: a member's leave period set in the browser, both days included."""

    first_day: Day = Field(description="The first day away.")
    last_day: Day = Field(description="The last day away: not before the first.")
    reason: OptionalText | None = None

    @field_validator("last_day")
    @classmethod
    def _not_before_first(cls, last: date, info: ValidationInfo) -> date:
        first = info.data.get("first_day")
        if first is not None and last < first:
            raise _refuse(
                N_("{what} {value} is before the first day away ({first})"),
                what=_name(info),
                value=last.isoformat(),
                first=first.isoformat(),
            )
        return last


CONFLICT_KINDS = ("conflict", "soft_conflict")


class AddConflict(Command):
    """The members page: a member's declared conflict set in the browser, by a party's name,
    its organisation number, or both."""

    party_name: OptionalName | None = Field(default=None, description="The party's name.")
    org_number: OptionalName | None = Field(
        default=None, validate_default=True, description="The party's organisation number."
    )
    kind: Annotated[str, *_one_of(N_("kind of conflict"), CONFLICT_KINDS)] = Field(
        default="conflict",
        description="conflict: not on the case; soft_conflict: may take part, never lead.",
    )
    reason: Text

    @field_validator("org_number")
    @classmethod
    def _a_party(cls, number: str | None, info: ValidationInfo) -> str | None:
        name = info.data.get("party_name")
        if "party_name" in info.data and not (name or "").strip() and not (number or "").strip():
            raise _refuse(
                N_("give {name} or {what} (or both)"), name=Input("", "party_name"), what=_name(info)
            )
        return number

    def arguments(self) -> dict[str, Any]:
        return {
            "party_name": (self.party_name or "").strip() or None,
            "org_number": (self.org_number or "").strip() or None,
            "soft": self.kind == "soft_conflict",
            "reason": self.reason,
        }


# ---- external mediators -----------------------------------------------------------------------

MEDIATOR_CONFLICTS_MAX = 50
LANGUAGES_MAX = 20
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _conflict(value: str, info: ValidationInfo) -> str:
    """A declared conflict: `NAME`, `NAME=NUMBER` or `=NUMBER` (a party's organisation number)."""
    name, _, number = value.rpartition("=") if "=" in value else (value, "", "")
    if not name.strip() and not number.strip():
        raise _refuse(
            N_("{what} '{value}' should read NAME, NAME=NUMBER or =NUMBER"),
            what=_name(info),
            value=_shown(value),
        )
    return value.strip()


def party_match(value: str) -> tuple[str | None, str | None]:
    """A conflict as `_conflict` accepted it: (name, organisation number), either may be None."""
    name, _, number = value.rpartition("=") if "=" in value else (value, "", "")
    return name.strip() or None, number.strip() or None


def _language_code(value: str, info: ValidationInfo) -> str:
    code = value.strip().lower()
    if not _LANGUAGE_CODE.fullmatch(code):
        raise _refuse(
            N_("{what} '{value}' is not a language code (ISO 639: en, nb, fr)"),
            what=_name(info),
            value=_shown(value),
        )
    return code


ConflictText = Annotated[str, Field(min_length=1, max_length=limits.NAME_MAX), AfterValidator(_conflict)]
LanguageCode = Annotated[str, Field(min_length=1, max_length=10), AfterValidator(_language_code)]
Conflicts = Annotated[list[ConflictText], Field(max_length=MEDIATOR_CONFLICTS_MAX)]
LanguageCodes = Annotated[list[LanguageCode], Field(max_length=LANGUAGES_MAX)]


def _mediator_id(value: str, info: ValidationInfo) -> str:
    ident = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", ident):
        raise _refuse(
            N_("{what} '{value}' is not an id: letters, digits, '.', '_' and '-'"),
            what=_name(info),
            value=_shown(value),
        )
    return ident


MediatorId = Annotated[str, Field(min_length=1, max_length=limits.WORD_MAX), AfterValidator(_mediator_id)]


class AddMediator(Command):
    """`mediator add`, `POST /api/mediators`, the mediators page: a mediator in the register."""

    id: MediatorId = Field(description="The mediator's id, e.g. ola-hansen.")
    name: Name
    email: Email
    organisation: OptionalName | None = None
    languages: LanguageCodes = Field(default_factory=list, description="ISO 639 codes: en, nb.")
    competence: OptionalText | None = Field(default=None, description="Competence notes.")
    conflicts: Conflicts = Field(
        default_factory=list,
        description="Hard conflicts: NAME, NAME=NUMBER or =NUMBER (organisation number).",
    )
    soft_conflicts: Conflicts = Field(default_factory=list, description="Soft conflicts, spelled alike.")

    @field_validator("email")
    @classmethod
    def _given(cls, email: str, info: ValidationInfo) -> str:
        if not email:
            raise _refuse(N_("{what} is required and must not be blank"), what=_name(info))
        return email

    def arguments(self) -> dict[str, Any]:
        return {
            "mediator_id": self.id,
            "name": self.name.strip(),
            "email": self.email,
            "organisation": (self.organisation or "").strip() or None,
            "languages": tuple(dict.fromkeys(self.languages)),
            "competence": (self.competence or "").strip() or None,
            "conflicts": tuple(party_match(c) for c in self.conflicts),
            "soft_conflicts": tuple(party_match(c) for c in self.soft_conflicts),
        }


class ChangeMediator(Command):
    """`mediator change`, `PATCH /api/mediators/{id}`, the mediator's page: left out, unchanged;
    a list given replaces the list."""

    name: Name | None = None
    email: Email | None = None
    organisation: OptionalName | None = Field(default=None, description='"" clears it.')
    languages: LanguageCodes | None = None
    competence: OptionalText | None = Field(default=None, description='"" clears it.')
    conflicts: Conflicts | None = None
    soft_conflicts: Conflicts | None = None
    active: bool | None = None

    def arguments(self) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if self.name is not None:
            changes["name"] = self.name.strip()
        if self.email:
            changes["email"] = self.email
        if self.organisation is not None:
            changes["organisation"] = self.organisation.strip() or None
        if self.languages is not None:
            changes["languages"] = tuple(dict.fromkeys(self.languages))
        if self.competence is not None:
            changes["competence"] = self.competence.strip() or None
        if self.conflicts is not None:
            changes["conflicts"] = tuple(party_match(c) for c in self.conflicts)
        if self.soft_conflicts is not None:
            changes["soft_conflicts"] = tuple(party_match(c) for c in self.soft_conflicts)
        if self.active is not None:
            changes["active"] = self.active
        return {"changes": changes}


class AssignMediator(Command):
    """`mediator assign`, `POST /api/cases/{ref}/mediators`, the mediation page: a mediator on the
    case; a hard conflict with a party refuses it unless `override` gives the reason (audited)."""

    mediator: MediatorId
    override: OptionalText | None = Field(
        default=None, description="Why a mediator with a hard conflict is assigned anyway (audited)."
    )

    def arguments(self) -> dict[str, Any]:
        return {"mediator": self.mediator, "override": (self.override or "").strip() or None}


class UnassignMediator(Command):
    """`mediator unassign`, `POST /api/cases/{ref}/mediators/{id}/unassign`, the mediation page."""

    mediator: MediatorId


FormatName = Annotated[str, *_one_of(N_("format"), ("in_person", "video", "phone", "hybrid"))]


def _local_when(value: object, info: ValidationInfo) -> date | datetime:
    """`_when`, and a time without an offset (YYYY-MM-DDTHH:MM), kept naive: the NCP's local
    time, put into its zone by the use case."""
    if isinstance(value, str) and len(value.strip()) in (16, 19) and "T" in value.strip():
        try:
            naive = datetime.fromisoformat(value.strip())
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            limits.check_day(naive.date(), _name(info))
            return naive
    return _when(value, info)


LocalWhen = Annotated[
    date | datetime,
    PlainValidator(_local_when),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": inputs.WHEN_MAX,
            "description": "YYYY-MM-DDTHH:MM (NCP local time), or an ISO datetime with offset",
            "examples": ["2026-03-03T10:00", "2026-03-03T10:00:00+01:00"],
        }
    ),
]
ATTENDEES_MAX = 50


class RecordSession(Command):
    """`mediator session`, `POST /api/cases/{ref}/sessions`, the mediation page: a session held
    or planned; `starts` NCP-local (or with an offset), stored UTC."""

    starts: LocalWhen = Field(description="When it starts: YYYY-MM-DDTHH:MM (NCP local) or with an offset.")
    format: FormatName = Field(description="in_person, video, phone or hybrid.")
    place: OptionalName | None = None
    interpreters: LanguageCodes = Field(default_factory=list, description="The interpreters' languages.")
    attendees: Annotated[list[Name], Field(max_length=ATTENDEES_MAX)] = Field(
        default_factory=list, description="Party keys (submitter-1) and others by name."
    )
    notes: OptionalText | None = Field(default=None, description="NCP-internal notes.")

    def arguments(self) -> dict[str, Any]:
        return {
            "starts": self.starts,
            "format": self.format,
            "place": (self.place or "").strip() or None,
            "interpreters": tuple(dict.fromkeys(self.interpreters)),
            "attendees": tuple(dict.fromkeys(a.strip() for a in self.attendees)),
            "notes": (self.notes or "").strip() or None,
        }


def _chapter(value: str, info: ValidationInfo) -> str:
    try:
        return issue_rules.chapter(value)
    except InvalidInputError as refused:
        raise _refuse(refused.message, **{**refused.params, "what": _name(info)}) from None


Chapter = Annotated[
    str,
    Field(max_length=limits.WORD_MAX),
    AfterValidator(_chapter),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": limits.WORD_MAX,
            "description": "A Guidelines chapter: its id or its numeral",
            "examples": ["human_rights", "iv"],
        }
    ),
]
Chapters = Annotated[list[Chapter], Field(min_length=1, max_length=len(THEMES))]


class AddIssue(Command):
    """`case issue add`, `POST /api/cases/{ref}/issues`: an issue of the case, undecided."""

    title: Text = Field(description="What the issue is about.")
    chapters: Chapters = Field(description="The Guidelines chapters it concerns (ids or numerals).")
    reason: OptionalText | None = None


class DecideIssue(Command):
    """`case issue decide`, `POST /api/cases/{ref}/issues/{number}/decision`."""

    decision: IssueDecisionName
    at: When | None = None
    reason: OptionalText | None = None


class MarkChecklist(Command):
    """`case tick`, `case untick`: when the item was ticked or unticked."""

    at: When | None = Field(default=None, description="When it was marked; left out: now.")


class ConcludeIssue(Command):
    """`case issue result`, `POST /api/cases/{ref}/issues/{number}/result`: what came of an
    accepted issue."""

    outcome: IssueOutcomeName
    at: When | None = None
    reason: OptionalText | None = None


NoteText = Annotated[str, Field(min_length=1, max_length=limits.NOTE_MAX), AfterValidator(_not_blank)]
"""An internal note: not blank, at most 20,000 characters, no NUL."""
NoteNumber = Annotated[int, PlainValidator(_whole(1, NOTES_MAX)), _range(1, NOTES_MAX)]


class AddNote(Command):
    """`note add`, `POST /api/cases/{ref}/notes`, the case page's note form: an internal note
    (never shown to parties, the public or auditors)."""

    text: NoteText = Field(description="The note (NCP-internal): at most 20,000 characters.")
    at: When | None = Field(default=None, description="When it was written; left out: now.")
    replaces: NoteNumber | None = Field(
        default=None, description="The number of the earlier note this one corrects."
    )


# ---- party links ------------------------------------------------------------------------------

LinkDays = Annotated[
    int,
    PlainValidator(_whole(party_link_rules.MIN_DAYS, party_link_rules.MAX_DAYS, "days")),
    _range(party_link_rules.MIN_DAYS, party_link_rules.MAX_DAYS),
]


class IssuePartyLink(Command):
    """`link issue`, `POST /api/cases/{ref}/links`, the parties page's link form: a signed,
    expiring link for one party of the case."""

    party: Name = Field(description="The party: its key (submitter-1, enterprise-1) or its name.")
    days: LinkDays | None = Field(
        default=None, description="How many days it is valid for; left out: [party_links] valid_for."
    )
    send: bool = Field(
        default=False,
        description="E-mail it, through the outbox, to the party's contacts with an e-mail address.",
    )


# ---- a case's parties and their contacts ------------------------------------------------------


def _email(value: str, info: ValidationInfo) -> str:
    """An e-mail address (`states.contacts.check_email`), or "" (none, or clearing one)."""
    try:
        contact_rules.check_email(value)
    except InvalidInputError:
        raise _refuse(
            N_("{what} '{value}' is not an e-mail address (name@domain, no spaces)"),
            what=_name(info),
            value=_shown(value),
        ) from None
    return value.strip()


Email = Annotated[
    str,
    Field(max_length=contact_rules.EMAIL_MAX, description='An e-mail address (name@domain); "" for none.'),
    AfterValidator(_email),
]
PartyRoleName = Annotated[str, *_one_of(N_("party role"), ("submitter", "enterprise"))]
ContactRoleName = Annotated[str, *_one_of(N_("contact role"), contact_rules.CONTACT_ROLES)]
ChannelName = Annotated[str, *_one_of(N_("channel"), contact_rules.CHANNELS)]


class AddParty(Command):
    """`party add`, `POST /api/cases/{ref}/parties`: a party of an open case, last in its order."""

    role: PartyRoleName
    name: Name
    type: OptionalName | None = Field(
        default=None, description="A submitter's type (ngo, trade_union, ...); an enterprise's: free text."
    )
    org_number: OptionalName | None = None
    withheld: bool = Field(
        default=False, description="Withhold its identity from the other party, the public and auditors."
    )
    reprisal_risk: bool = Field(default=False, description="It is at risk of reprisal.")
    measures: OptionalText | None = Field(default=None, description="The measures taken against reprisals.")
    reason: OptionalText | None = None


class ChangeParty(Command):
    """`party edit`, `PATCH /api/cases/{ref}/parties/{party}`: left out, unchanged; "" clears a
    type, organisation number or measures."""

    name: Name | None = None
    type: OptionalName | None = None
    org_number: OptionalName | None = None
    withheld: bool | None = None
    reprisal_risk: bool | None = Field(default=None, description="Turning it off clears the measures.")
    measures: OptionalText | None = None
    reason: OptionalText | None = None


class AddContact(Command):
    """`party contact add`, `POST /api/cases/{ref}/parties/{party}/contacts`: a representative
    or contact; reached by e-mail it needs an e-mail address, by post a postal address."""

    name: Name
    email: Email | None = None
    address: OptionalText | None = Field(default=None, description="The postal address.")
    language: LanguageName = "en"
    channel: ChannelName = "email"
    role: ContactRoleName = "contact"
    reason: OptionalText | None = None


class ChangeContact(Command):
    """`party contact edit`, `PATCH /api/cases/{ref}/parties/{party}/contacts/{number}`: left
    out, unchanged; "" clears an e-mail or postal address."""

    name: Name | None = None
    email: Email | None = None
    address: OptionalText | None = None
    language: LanguageName | None = None
    channel: ChannelName | None = None
    role: ContactRoleName | None = None
    reason: OptionalText | None = None


class RemoveContact(Command):
    """`party contact remove`, `DELETE /api/cases/{ref}/parties/{party}/contacts/{number}`."""

    reason: OptionalText | None = None


Direction = Annotated[str, *_one_of(N_("direction"), correspondence_rules.DIRECTIONS)]
CorrespondenceChannel = Annotated[str, *_one_of(N_("channel"), correspondence_rules.CHANNELS)]


class LogCorrespondence(Command):
    """`correspondence add`, `POST /api/cases/{ref}/correspondence`, the correspondence page's
    form: a communication with a party of the case."""

    direction: Direction = Field(description="in: from the party; out: to the party.")
    party: Name = Field(description="The party: its key (submitter-1, enterprise-2) or its name.")
    channel: CorrespondenceChannel = Field(description="How it went.")
    subject: Text = Field(description="What it was about.")
    at: When | None = None
    documents: Annotated[list[DocumentNumber], Field(max_length=correspondence_rules.DOCUMENTS_MAX)] = Field(
        default_factory=list, description="The numbers of the case's documents it carried."
    )


LetterKindName = Annotated[str, *_one_of(N_("letter kind"), letter_rules.KINDS)]
LetterChannel = Annotated[str, *_one_of(N_("channel"), correspondence_rules.SEND_CHANNELS)]
LetterText = Annotated[str, Field(min_length=1, max_length=100_000), AfterValidator(_not_blank)]


class DraftLetter(Command):
    """`letter draft`, `POST /api/cases/{ref}/letters`, the letters page: a letter of a kind to
    one party, rendered from its template as a draft."""

    kind: LetterKindName = Field(
        description="The letter's kind (the case's step offers some: GET .../letters)."
    )
    party: Name = Field(description="The recipient party: its key (submitter-1) or its name.")
    language: LanguageName | None = Field(
        default=None, description="en or nb; left out: the party's first contact's, else the NCP's."
    )
    deadline: DeadlineChoice | None = Field(
        default=None, description="For a notice: the deadline whose explanation it quotes."
    )


class EditLetter(Command):
    """`letter edit`, `POST /api/cases/{ref}/letters/{n}/text`, the letter page's textarea: the
    draft's text, paragraphs separated by a blank line, the first the subject."""

    text: LetterText = Field(
        description="The letter's text: paragraphs separated by a blank line; the first is the subject."
    )

    def arguments(self) -> dict[str, Any]:
        return {"paragraphs": correspondence_rules.split_paragraphs(self.text)}


class SendLetter(Command):
    """`letter send`, `POST /api/cases/{ref}/letters/{n}/send`, the letter page's confirmation:
    by e-mail through the outbox, or marked sent for posting."""

    channel: LetterChannel = Field(
        description="email: to the party's contacts who take e-mail; post: marked sent for posting."
    )
    to: Email | None = Field(
        default=None, description="With email, for a party without an e-mail contact: the address to send to."
    )


StatementKindName = Annotated[str, *_one_of(N_("statement kind"), statement_rules.KINDS)]
CommentDays = Annotated[
    int,
    PlainValidator(_whole(statement_rules.DAYS_MIN, statement_rules.DAYS_MAX)),
    _range(statement_rules.DAYS_MIN, statement_rules.DAYS_MAX),
]
CommentVia = Annotated[str, *_one_of(N_("way a comment came"), tuple(statement_rules.VIAS))]


class DraftStatement(Command):
    """`statement draft`, `POST /api/cases/{ref}/statements`, the statements page: a statement of
    a kind the case's state offers, rendered from its template as a draft."""

    kind: StatementKindName = Field(
        description="initial_assessment, final_statement or follow_up (GET .../statements: `drafted`)."
    )
    language: LanguageName | None = Field(default=None, description="en or nb; left out: the NCP's.")


class CirculateStatement(Command):
    """`statement circulate`, `POST /api/cases/{ref}/statements/{n}/circulate`, the statements
    page: a comment round to the parties chosen, with a window of days."""

    parties: list[Name] = Field(
        min_length=1, max_length=50, description="The parties: their keys (submitter-1) or names."
    )
    days: CommentDays | None = Field(
        default=None, description="The window in days; left out: [statements] comment_days."
    )


class LogComment(Command):
    """`statement comment`, `POST /api/cases/{ref}/rounds/{n}/comments`, the statements page: a
    comment received from a party of a round."""

    party: Name = Field(description="The party: its key (submitter-1) or its name.")
    via: CommentVia = Field(description="How it came: email, post or link.")
    text: Text | None = Field(default=None, description="The comment's text (or a document, or both).")


class PublishStatement(Command):
    """`statement publish`, `POST /api/cases/{ref}/statements/{n}/publish`, the statements page's
    confirmation: the public PDF, and the step or fact the procedure declares for the kind."""

    trigger: TriggerName | None = Field(
        default=None, description="Where the kind's publishing may fire more than one step: which one."
    )
    reason: Text | None = Field(default=None, description="The step's reason; left out: a standard one.")


YEAR_LOW, YEAR_HIGH = limits.EARLIEST_DAY.year, limits.LATEST_DAY.year
Year = Annotated[int, PlainValidator(_whole(YEAR_LOW, YEAR_HIGH)), _range(YEAR_LOW, YEAR_HIGH)]
PAGE_MAX = 100_000
PageNumber = Annotated[int, PlainValidator(_whole(1, PAGE_MAX)), _range(1, PAGE_MAX)]
PER_PAGE_MAX = 500
PerPage = Annotated[int, PlainValidator(_whole(1, PER_PAGE_MAX)), _range(1, PER_PAGE_MAX)]
QueryText = Annotated[str, Field(max_length=limits.SEARCH_MAX), AfterValidator(_no_nul)]
ORDERS = ("relevance", "due", "received")


class FindCases(Command):
    """`GET /api/cases/search`, the cases page (`/cases?q=...`): cases found by words and
    filters, a page at a time. Every filter is optional; the stage and the lead are checked
    against the procedure's states and the members by the use case. Other query parameters
    (the pages' `lang`) are left alone, as on every other GET."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    q: QueryText = Field(
        default="",
        description="Words to find in the reference, title, parties and the steps' reasons; "
        "each a prefix, all must match.",
    )
    state: Annotated[str, Field(max_length=64)] | None = Field(default=None, description="Only this stage.")
    lead: Annotated[str, Field(max_length=limits.WORD_MAX)] | None = Field(
        default=None, description="Only cases this member (an id) leads."
    )
    overdue: bool = Field(default=False, description="Only cases with an overdue deadline.")
    paused: bool | None = Field(default=None, description="Only paused cases (true) or running ones (false).")
    closed: bool | None = Field(default=None, description="Only closed cases (true) or open ones (false).")
    year: Year | None = Field(default=None, description="Only cases received in this year.")
    theme: Chapter | None = Field(default=None, description="Only cases raising this Guidelines chapter.")
    mine: bool = Field(
        default=False,
        description="Only my cases: those a member leads; for other users, the cases they made a step on.",
    )
    order: Annotated[str, *_one_of(N_("order"), ORDERS)] | None = Field(
        default=None,
        description="relevance (the default with words), received (newest first: the default "
        "without), or due (the earliest open deadline first).",
    )
    page: PageNumber = Field(default=1, description="Which page: 1 is the first.")
    per_page: PerPage = Field(default=50, description="Cases on a page.")


class RegisterFilter(Command):
    """The public register's filters (`/register?year=2025&stage=good_offices&theme=iv&country=BR`):
    each optional; the stage is checked against the register's stages by the use case."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    year: Year | None = Field(default=None, description="Only cases received in this year.")
    stage: Annotated[str, Field(max_length=64)] | None = Field(default=None, description="Only this stage.")
    theme: Chapter | None = Field(default=None, description="Only cases raising this Guidelines chapter.")
    country: Country | None = Field(default=None, description="Only cases with this host country.")


class ReadTimeline(Command):
    """`GET /api/cases/{ref}/timeline`, the case page's timeline (`?kind=note&page=2`): which
    kinds of entry (none: all; the use case checks each), which page, how many on a page."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: Annotated[list[Word], Field(max_length=20)] = Field(
        default_factory=list,
        description="Only these kinds of entry (repeat): step, note, document, letter, correspondence, "
        "follow_up.",
    )
    page: PageNumber = Field(default=1, description="Which page: 1 is the newest.")
    per_page: PerPage = Field(default=50, description="Entries on a page.")

    def arguments(self) -> dict[str, Any]:
        return {"kinds": list(self.kind), "page": self.page, "per_page": self.per_page}


# ---- building a command, and wording a refusal ---------------------------------------------------

C = TypeVar("C", bound=Command)


class Refused(InvalidInputError):
    """`validate`'s refusal: every problem, each an `Input` worded in the reader's language.

    The inputs are named as `spell` spells them unless the entry point names them otherwise
    when it words the error (`words(tr, naming)`)."""

    def __init__(self, found: Iterable[Input], spell: Spell) -> None:
        parts = list(found) or [Input(N_("invalid input"))]
        self.spell = spell
        super().__init__(
            "; ".join(f"{{p{n}}}" for n in range(len(parts))),
            **{f"p{n}": part for n, part in enumerate(parts)},
        )

    def words(self, tr: Translator = ENGLISH, naming: Naming | None = None, terms: Wording = as_is) -> str:
        return super().words(tr, self.spell if naming is None else naming, terms)


def validate(model: type[C], values: Mapping[str, object], spell: Spell) -> C:
    """`model` from what an entry point gathered (None: left out).

    A refusal is InvalidInputError naming each bad input as `spell` spells it."""
    given = {name: value for name, value in values.items() if value is not None}
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        raise Refused((problem for _, problem in refusals(exc.errors())), spell) from None


def refusals(errors: Iterable[Mapping[str, Any]]) -> list[tuple[str, Input]]:
    """Each error as (field, the sentence naming it, unworded); the field is "" for the input
    as a whole."""
    found = []
    for error in errors:
        loc = error.get("loc") or ()
        field = loc[0] if loc and isinstance(loc[0], str) else ""  # not a position in JSON
        what = Input("", field) if field else THE_INPUT
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInputError):  # a check of ours: its own words
            found.append((field, Input(cause.message, params={"what": what, **cause.params})))
            continue
        template, params = _phrase(error)
        found.append((field, Input(template, params={"what": what, **params})))
    return found


def problems(
    errors: Iterable[Mapping[str, Any]], spell: Spell, tr: Translator = ENGLISH
) -> list[tuple[str, str]]:
    """Each error as (field, sentence naming it in `tr`'s words)."""
    return [(field, problem.named(tr, spell)) for field, problem in refusals(errors)]


def describe(errors: Iterable[Mapping[str, Any]], spell: Spell, tr: Translator = ENGLISH) -> str:
    """Every problem, one sentence each, for a message."""
    return "; ".join(message for _, message in problems(errors, spell, tr)) or tr.gettext(N_("invalid input"))


def _phrase(error: Mapping[str, Any]) -> tuple[str, dict[str, object]]:
    """pydantic's own errors in the words of `states.limits`: a template over `{what}` (the
    input) and its parameters."""
    kind, ctx, given = error.get("type"), error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return N_("{what} is required"), {}
    if kind == "string_too_short":
        return N_("{what} is required and must not be blank"), {}
    if kind == "string_too_long":
        if isinstance(given, str):
            return N_("{what} is {length} characters long; at most {limit}"), {
                "length": len(given),
                "limit": ctx.get("max_length"),
            }
        return N_("{what} is too long; at most {limit} characters"), {"limit": ctx.get("max_length")}
    if kind == "too_short":
        return N_("{what} needs at least {count} value(s)"), {"count": ctx.get("min_length")}
    if kind == "too_long":
        return N_("{what} takes at most {count} values"), {"count": ctx.get("max_length")}
    if kind == "extra_forbidden":
        return N_("{what} is not an input of this command; leave it out"), {}
    if kind in {"bool_type", "bool_parsing"}:
        return N_("{what} must be true or false"), {}
    if kind == "string_type":
        return N_("{what} must be text"), {}
    if kind == "list_type":
        return N_("{what} must be a list"), {}
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return N_("{what} must be an object"), {}
    if kind == "json_invalid":
        return N_("{what} is not valid JSON ({error})"), {"error": ctx.get("error", "malformed")}
    if kind == "value_error":
        cause = ctx.get("error")
        return N_("{what} {problem}"), {
            "problem": str(cause)
            if cause is not None
            else str(error.get("msg")).removeprefix("Value error, ")
        }
    return N_("{what} is invalid: {problem}"), {"problem": error.get("msg") or kind}


# ---- follow-up of commitments (states/commitments.py) -------------------------------------------

CommitmentSource = Annotated[str, *_one_of(N_("source"), commitment_rules.SOURCES)]
CommitmentOwner = Annotated[str, *_one_of(N_("owner"), commitment_rules.OWNERS)]
CommitmentStatusName = Annotated[str, *_one_of(N_("status"), commitment_rules.STATUSES)]
CommitmentNumber = Annotated[
    int,
    PlainValidator(_whole(1, commitment_rules.COMMITMENTS_MAX)),
    _range(1, commitment_rules.COMMITMENTS_MAX),
]


class AddCommitment(Command):
    """`followup add`, `POST /api/cases/{ref}/follow-up`, the follow-up page's form: a commitment
    of an agreement or a recommendation of a statement."""

    source: CommitmentSource = Field(description="agreement (a commitment) or statement (a recommendation).")
    owner: CommitmentOwner = Field(description="Who is to act: enterprise, ncp or submitter.")
    text: Text = Field(description="What was committed to or recommended.")
    party: OptionalName | None = Field(
        default=None, description="The owning party, of the owner's kind: its key (enterprise-1) or name."
    )
    document: DocumentNumber | None = Field(
        default=None, description="The case's document holding the agreement or statement."
    )
    due: Day | None = Field(default=None, description="When it is due (YYYY-MM-DD, NCP local).")
    made_on: Day | None = Field(
        default=None, description="The day of the agreement or statement (YYYY-MM-DD); left out: today."
    )


class SetCommitmentStatus(Command):
    """`followup status`, `POST /api/cases/{ref}/follow-up/{number}/status`, the follow-up
    page's form (which may upload an evidence file besides): a status added to the history."""

    status: CommitmentStatusName = Field(description="implemented, partly, not or unknown.")
    on: Day | None = Field(default=None, description="The day it holds from (YYYY-MM-DD); left out: today.")
    note: OptionalText | None = Field(default=None, description="What to note with it.")
    evidence: Annotated[list[DocumentNumber], Field(max_length=commitment_rules.EVIDENCE_MAX)] = Field(
        default_factory=list, description="The numbers of the case's documents that are its evidence."
    )


class RequestUpdate(Command):
    """`followup request`, `POST /api/cases/{ref}/follow-up/requests`, the follow-up page's form:
    ask a party for news of its commitments by a due date."""

    party: Name = Field(description="The party: its key (enterprise-1) or its name.")
    due: Day | None = Field(
        default=None, description="When the answer is due (YYYY-MM-DD); left out: [follow_up] answer_within."
    )
    commitments: Annotated[list[CommitmentNumber], Field(max_length=commitment_rules.COMMITMENTS_MAX)] = (
        Field(
            default_factory=list,
            description="The commitments to ask about; none: the party's not yet implemented.",
        )
    )


# ---- company engagement --------------------------------------------------------------------------

InvitedTo = Annotated[str, *_one_of(N_("invitation"), engagement_rules.INVITED_TO)]
ResponseName = Annotated[str, *_one_of(N_("response"), engagement_rules.RESPONSES)]
SideName = Annotated[str, *_one_of(N_("side"), engagement_rules.SIDES)]
InvitationNumber = Annotated[int, PlainValidator(_whole(1, 1_000_000)), _range(1, 1_000_000)]


def _reason_code(value: str, info: ValidationInfo) -> str:
    if not _PROCEDURE_NAME.fullmatch(value):
        raise _refuse(
            N_("{what}: '{value}' is not a reason code (lower-case letters, digits and _)"),
            what=_name(info),
            value=_shown(value),
        )
    return value


ReasonCode = Annotated[
    str, AfterValidator(_reason_code), WithJsonSchema({"type": "string", "pattern": _PROCEDURE_NAME.pattern})
]


class InviteEnterprise(Command):
    """`engagement invite`, `POST /api/cases/{ref}/engagement/invitations`, the engagement page:
    an enterprise party of the case invited to take part."""

    party: Name = Field(description="The enterprise: its key (enterprise-1) or its name.")
    to: InvitedTo = Field(description="What it is invited to.")
    channel: CorrespondenceChannel = Field(description="How the invitation went.")
    at: When | None = Field(default=None, description="When it was sent; left out: now.")
    respond_by: Day | None = Field(
        default=None,
        description="The day an answer is due; left out: [engagement] respond_within after `at`.",
    )


class RecordResponse(Command):
    """`engagement respond`, `POST /api/cases/{ref}/engagement/responses`, the engagement page:
    the answer to an invitation."""

    invitation: InvitationNumber = Field(description="The invitation's number within the case.")
    response: ResponseName = Field(description="accepted, declined or no_response.")
    reasons: Annotated[list[ReasonCode], Field(max_length=engagement_rules.REASONS_MAX)] = Field(
        default_factory=list,
        description="A decline's reason codes ([engagement] decline_reasons; GET .../engagement/reasons).",
    )
    at: When | None = Field(default=None, description="When the answer came; left out: now.")


def _url(value: str, info: ValidationInfo) -> str:
    from states.case_links import check_url

    return check_url(value)


LinkKind = Annotated[str, *_one_of(N_("kind of link"), case_link_rules.KINDS)]
LinkUrl = Annotated[
    str,
    Field(min_length=1, max_length=case_link_rules.URL_MAX),
    AfterValidator(_url),
    WithJsonSchema({"type": "string", "format": "uri", "maxLength": case_link_rules.URL_MAX}),
]


class LinkCase(Command):
    """`case link`, `POST /api/cases/{ref}/links`, the case's page: a link to a related case,
    either a case here (`case`) or one at another NCP (`ncp` and `external_reference`)."""

    kind: LinkKind = Field(
        description="parallel: a complaint at another NCP; follow_on: this case follows on from the "
        "other; same_facts: a case here about the same facts."
    )
    case: Word | None = Field(default=None, description="The related case here, by its reference.")
    ncp: Country | None = Field(default=None, description="The other NCP, by its ISO 3166 country code.")
    external_reference: Name | None = Field(
        default=None, description="The other NCP's reference for its case (with `ncp`)."
    )
    url: LinkUrl | None = Field(
        default=None, description="Where the other NCP describes its case: an http or https address."
    )


class UnlinkCase(Command):
    """`case unlink`, `POST /api/cases/{ref}/related/{number}/remove`, the case's page."""

    reason: OptionalText | None = Field(default=None, description="Why the link is removed (audited).")


class LinkNumber(Command):
    """A link's number as a page's address names it (`/cases/{ref}/related/{number}/remove`)."""

    link: Annotated[int, PlainValidator(_whole(1, VERSION_MAX)), _range(1, VERSION_MAX)]


class RaiseConcern(Command):
    """`engagement concern`, `POST /api/cases/{ref}/engagement/concerns`, the engagement page: a
    concern about good faith (its text NCP-internal)."""

    side: SideName = Field(description="Who raised it: enterprise or submitter.")
    text: NoteText = Field(description="The concern: at most 20,000 characters.")
    at: When | None = Field(default=None, description="When it was raised; left out: now.")


# ---- the NCPs of a case (issue 16) ------------------------------------------------------------

NcpRoleName = Annotated[str, *_one_of(N_("role"), ("consulted", "reviews_drafts", "translates"))]
KeptRole = Annotated[str, *_one_of(N_("role"), ("consulted", "reviews_drafts", "translates", "none"))]
StatementNumber = Annotated[int, PlainValidator(_whole(1, 1_000_000)), _range(1, 1_000_000)]


class SetLead(Command):
    """`case ncp lead`, `POST /api/cases/{ref}/ncps/lead`, the NCPs page: the lead NCP, or two
    that lead jointly; an open coordination is agreed with it."""

    lead: Annotated[list[Country], Field(min_length=1, max_length=2)] = Field(
        description="ISO 3166 codes of the lead NCP, or of two that lead jointly."
    )
    reason: OptionalText | None = None
    on: Day | None = Field(default=None, description="The day the lead was agreed; left out: today.")

    def arguments(self) -> dict[str, Any]:
        return {"lead": self.lead, "reason": (self.reason or "").strip() or None, "on": self.on}


class SupportingNcp(Command):
    """`case ncp add|role`, `POST /api/cases/{ref}/ncps/supporting`, the NCPs page: a supporting NCP
    in a role."""

    ncp: Country = Field(description="ISO 3166 code of the supporting NCP.")
    role: NcpRoleName = Field(description="consulted, reviews_drafts or translates.")
    reason: OptionalText | None = None

    def arguments(self) -> dict[str, Any]:
        return {"ncp": self.ncp, "role": self.role, "reason": (self.reason or "").strip() or None}


class RemoveSupporting(Command):
    """`case ncp remove`, `POST /api/cases/{ref}/ncps/supporting/{ncp}/remove`, the NCPs page."""

    ncp: Country
    reason: OptionalText | None = None

    def arguments(self) -> dict[str, Any]:
        return {"ncp": self.ncp, "reason": (self.reason or "").strip() or None}


class TransferLead(Command):
    """`case ncp transfer`, `POST /api/cases/{ref}/ncps/transfer`, the NCPs page's confirmation:
    the lead handed over to another NCP."""

    to: Country = Field(description="ISO 3166 code of the NCP that takes over the lead.")
    reason: Text
    keep_as: KeptRole = Field(
        default="consulted", description="The role the NCPs that led keep; none: they leave the case."
    )

    def arguments(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "reason": self.reason,
            "keep_as": None if self.keep_as == "none" else self.keep_as,
        }


class PreferLead(Command):
    """`case ncp prefer`, `POST /api/cases/{ref}/ncps/preference`, the NCPs page: the
    complainant's preference for the lead."""

    ncp: Country
    note: OptionalText | None = None

    def arguments(self) -> dict[str, Any]:
        return {"ncp": self.ncp, "note": (self.note or "").strip() or None}


class BeginCoordination(Command):
    """`case ncp coordinate`, `POST /api/cases/{ref}/ncps/coordination`, the NCPs page."""

    on: Day | None = Field(default=None, description="The day coordination began; left out: today.")


class RequestReview(Command):
    """`case ncp review-request`, `POST /api/cases/{ref}/ncps/reviews`, the NCPs page: review tasks
    on a statement draft."""

    statement: StatementNumber = Field(description="The draft statement's number within the case.")
    ncps: Annotated[list[Country], Field(max_length=COUNTRIES_MAX)] = Field(
        default_factory=list, description="Which reviewing NCPs; left out: every NCP that reviews drafts."
    )
    due: Day | None = Field(default=None, description="The due day; left out: [coordination] review_within.")


class RecordReview(Command):
    """`case ncp review`, `POST /api/cases/{ref}/ncps/reviews/answer`, the NCPs page: a supporting
    NCP's review comment answering its task."""

    ncp: Country
    comment: NoteText = Field(description="The review comment (NCP-internal; at most 20,000 characters).")
    statement: StatementNumber | None = Field(
        default=None, description="The statement reviewed; left out: the NCP's earliest open task."
    )
    on: Day | None = Field(default=None, description="The day the comment was given; left out: today.")


SHARE_DOCUMENTS_MAX = 200  # documents chosen for one bundle


class ShareCase(Command):
    """`case share`, `POST /api/cases/{ref}/bundles`, the sharing page: the case's next bundle
    for another NCP (a `[[peers]]` code), with the documents chosen (none more restricted than
    `parties`); a handover of the lead with its reason; a review comment on a draft of the
    recipient's."""

    to: Word = Field(description="The NCP to share with: its code in `[[peers]]`, e.g. SE.")
    documents: Annotated[list[DocumentNumber], Field(max_length=SHARE_DOCUMENTS_MAX)] = Field(
        default_factory=list, description="The numbers of the documents to include (latest versions)."
    )
    handover: bool = Field(
        default=False,
        description="A handover: the lead passes to the recipient and the case takes its `transfer` "
        "step here, closing it (needs `reason`).",
    )
    reason: OptionalText | None = Field(default=None, description="Why the lead is handed over.")
    review_comment: NoteText | None = Field(
        default=None, description="A review comment on a draft the recipient asked this NCP to review."
    )
    review_statement: StatementNumber | None = Field(
        default=None, description="The recipient's draft the comment is on; left out: the earliest asked."
    )

    @field_validator("review_statement")
    @classmethod
    def _with_comment(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and "review_comment" in info.data and info.data["review_comment"] is None:
            raise _refuse(
                N_("{what} needs {other} (the comment on that draft)"),
                what=_name(info),
                other=Input("", "review_comment"),
            )
        return value

    def arguments(self) -> dict[str, Any]:
        """The recipient and the documents (what a page checks before it asks to confirm)."""
        return {"to": self.to, "documents": tuple(dict.fromkeys(self.documents))}

    def sending(self, on: date) -> dict[str, Any]:
        """The handover and the review comment (given on `on`), as `share` takes them."""
        from workflow.bundles import Review

        reviews = (
            [Review(comment=self.review_comment, on=on, statement=self.review_statement)]
            if self.review_comment is not None
            else []
        )
        return {
            "handover": self.handover,
            "reason": (self.reason or "").strip() or None,
            "reviews": reviews,
        }
