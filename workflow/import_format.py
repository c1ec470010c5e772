"""The `case import` file format: JSON lines, one historical case per line.

`CaseLine` is the contract (docs/import-format.md describes it, and
docs/import-format.schema.json is its JSON Schema, generated from it: `python -m
workflow.import_format`). A line that does not fit it is refused naming the line and the key.
What the model cannot see, that the milestones form a path through the lifecycle and that no
date lies in the future, `workflow.imports` checks by replaying each case through the core.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from states import limits
from states.guidelines import SUBMITTER_TYPES
from states.issues import OUTCOMES
from states.messages import N_
from states.precision import HistoricalDate
from workflow.commands import (
    Countries,
    Edition,
    Name,
    OecdOutcome,
    OecdTrigger,
    OptionalName,
    OptionalText,
    Text,
    Theme,
    Themes,
    Word,
    _name,
    _one_of,
    _refuse,
)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "import-format.schema.json"

LINES_MAX = 10_000
"""Cases in one file at most."""
MILESTONES_MAX = 30
SOURCES_MAX = 20
ISSUES_MAX = 30


def _historical(value: object, info: ValidationInfo) -> HistoricalDate:
    if not isinstance(value, str):
        raise _refuse(N_("{what} must be text: a date (YYYY-MM-DD) or a month (YYYY-MM)"), what=_name(info))
    try:
        parsed = HistoricalDate.parse(value.strip())
    except ValueError:
        raise _refuse(
            N_("{what} '{value}' is not a date (YYYY-MM-DD) or a month (YYYY-MM)"),
            what=_name(info),
            value=value[:40],
        ) from None
    limits.check_day(parsed.first_day, _name(info))
    return parsed


Day = Annotated[
    HistoricalDate,
    PlainValidator(_historical),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
            "description": "A day (YYYY-MM-DD) or, when only the month is known, a month (YYYY-MM); "
            "from 1976 on.",
            "examples": ["2019-03-14", "2007-02"],
        }
    ),
]
"""A historical date with its precision: `2019-03-14` (the day) or `2007-02` (the month)."""

Reference = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Source = Text


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(_Part):
    """A submitter or an enterprise; `type` is a submitter type for a submitter, free text
    (at most 300 characters) for an enterprise."""

    role: Literal["submitter", "enterprise"]
    name: Name
    type: OptionalName | None = None
    confidential: bool = Field(default=False, description="A submitter whose identity is withheld.")
    org_number: Name | None = None

    @model_validator(mode="after")
    def _submitter_fields(self) -> Party:
        if self.role == "submitter" and self.type is not None and self.type not in SUBMITTER_TYPES:
            raise _refuse(
                N_("unknown submitter type '{value}'; one of: {choices}"),
                value=self.type[:40],
                choices=", ".join(SUBMITTER_TYPES),
            )
        if self.role == "enterprise" and self.confidential:
            raise _refuse(N_("only a submitter's identity can be confidential"))
        return self


class Milestone(_Part):
    """One step of the case, in order: the trigger, its date, the outcome it recorded."""

    trigger: OecdTrigger
    date: Day
    outcome: OecdOutcome | None = Field(
        default=None, description="Needed where the trigger allows several outcomes."
    )
    reason: Text | None = Field(default=None, description="Why; default: 'imported'.")
    scope: OptionalText | None = Field(default=None, description="With accept: what was accepted, in part.")


IssueResult = Annotated[str, *_one_of(N_("issue result"), OUTCOMES)]
"""An issue's own result: what good offices or the examination came to for it (states.issues)."""


class Issue(_Part):
    """An issue of the submission, the Guidelines chapters it concerns, whether it was
    accepted and when, and (accepted) its own result and when."""

    title: Text
    chapters: Annotated[list[Theme], Field(min_length=1)]
    accepted: bool
    decided: Day | None = Field(
        default=None, description="Default: the date of the accept or reject milestone."
    )
    result: IssueResult | None = Field(default=None, description="Only for an accepted issue.")
    concluded: Day | None = Field(
        default=None, description="With a result; default: the conclude milestone's date."
    )

    @model_validator(mode="after")
    def _result_if_accepted(self) -> Issue:
        if self.result is not None and not self.accepted:
            raise _refuse(N_("an issue that was not accepted has no result"))
        if self.concluded is not None and self.result is None:
            raise _refuse(N_("concluded goes with a result"))
        return self


def _not_before(later: tuple[str, HistoricalDate], earlier: tuple[str, HistoricalDate]) -> None:
    """Refused unless `later`'s date may follow `earlier`'s: by the day where both are days, by
    the month where either is known to the month only."""
    if not later[1].not_before(earlier[1]):
        raise _refuse(
            N_("{later} {date} is before {earlier} {before}; dates come in order"),
            later=later[0],
            date=str(later[1]),
            earlier=earlier[0],
            before=str(earlier[1]),
        )


class CaseLine(_Part):
    """One line of an import file: one historical case."""

    external_id: Annotated[Word, StringConstraints(strip_whitespace=True)] = Field(
        description="The case's id in the system it comes from; the import's key (spaces around it "
        "do not count)."
    )
    reference: Reference | None = Field(default=None, description="Keep this reference; default: allocated.")
    title: Text
    parties: Annotated[list[Party], Field(min_length=2, max_length=40)]
    received: Day
    milestones: Annotated[list[Milestone], Field(max_length=MILESTONES_MAX)] = Field(default_factory=list)
    issues: Annotated[list[Issue], Field(max_length=ISSUES_MAX)] = Field(default_factory=list)
    themes: Themes = Field(default_factory=list)
    host_countries: Countries = Field(default_factory=list)
    sector: OptionalName | None = None
    guidelines_edition: Edition | None = None
    supporting_ncps: Countries = Field(default_factory=list)
    sources: Annotated[list[Source], Field(max_length=SOURCES_MAX)] = Field(
        default_factory=list, description="Where the facts come from: URLs or citations."
    )

    @model_validator(mode="after")
    def _in_order(self) -> CaseLine:
        """Each milestone no earlier than every date before it, and each issue decided no
        earlier than the receipt and concluded no earlier than its decision."""
        dates = [("received", self.received)] + [
            (f"milestones[{n}].date", milestone.date) for n, milestone in enumerate(self.milestones)
        ]
        for n, later in enumerate(dates[1:], start=1):
            for earlier in dates[:n]:
                _not_before(later, earlier)
        for n, issue in enumerate(self.issues):
            decided, concluded = self.issue_dates(issue)
            where = f"issues[{n}]"
            if decided is None:
                raise _refuse(
                    N_("{where}.decided is needed: the case has no accept or reject milestone to date it"),
                    where=where,
                )
            _not_before((f"{where}.decided", decided), dates[0])
            if issue.result is not None and concluded is None:
                raise _refuse(
                    N_("{where}.concluded is needed: the case has no conclude milestone to date its result"),
                    where=where,
                )
            if concluded is not None:
                _not_before((f"{where}.concluded", concluded), (f"{where}.decided", decided))
        return self

    def issue_dates(self, issue: Issue) -> tuple[HistoricalDate | None, HistoricalDate | None]:
        """When the issue was decided (as given, else the accept or reject milestone's date)
        and concluded (with a result: as given, else the conclude milestone's date)."""
        on = {m.trigger: m.date for m in reversed(self.milestones)}  # each trigger's first date
        decided = issue.decided or on.get("accept") or on.get("reject")
        concluded = (issue.concluded or on.get("conclude")) if issue.result is not None else None
        return decided, concluded

    def content(self) -> dict[str, Any]:
        """The line's content as the import compares it (key order and spacing do not count)."""
        return self.model_dump(mode="json", exclude_none=True)


def json_schema() -> str:
    """The JSON Schema of one line, as docs/import-format.schema.json holds it."""
    schema = CaseLine.model_json_schema()
    schema["$id"] = "https://ncpflow.example/import-format.schema.json"
    schema["title"] = "ncpflow case import: one line"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the schema file
    SCHEMA_FILE.write_text(json_schema(), encoding="utf-8")
