"""The new-case form: `case open` in the browser.

The form holds as many submitters and enterprises as the case has without JavaScript: "Add a
submitter" posts the form back and it comes again with one more row, everything typed kept.
The inputs are `commands.OpenCase`'s, as the command line's and the API's are, so a refusal is
worded from the one source, here in the page's language and naming the field by its label
("Submitter 2: Organisation number is 301 characters long; at most 300").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import FORM_LABELS, guard, language, redirect, render
from states.errors import Input, NcpflowError
from states.guidelines import EDITIONS, SUBMITTER_TYPES, THEMES
from states.messages import N_, Translator
from states.permissions import Action
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

ROWS = 2  # party rows of each kind the form starts with
CURRENT_EDITION = "2023"  # the edition a new case is handled under unless the handler says otherwise
PARTIES = ("submitter", "enterprise")

# The form's fields by their labels on the page (new_case.html), the model's names as keys.
LABELS: Mapping[str, str] = {
    "title": N_("Title"),
    "received": N_("Received on"),
    "guidelines_edition": N_("Guidelines edition"),
    "sector": N_("Sector"),
    "themes": N_("Guidelines chapters"),
    "host_countries": N_("Host countries"),
    "supporting_ncps": N_("Supporting NCPs"),
    "submitters": N_("Submitters"),
    "enterprises": N_("Enterprises"),
}
# A party row's fields, and the row itself ("Submitter 2").
COLUMNS: Mapping[str, str] = {
    "name": N_("Name"),
    "type": N_("Type"),
    "org": N_("Organisation number"),
    "confidential": N_("Confidential"),
}
LEGENDS: Mapping[str, str] = {"submitter": N_("Submitter {number}"), "enterprise": N_("Enterprise {number}")}
# Where the model's per-party lists come from: its field -> (the party kind, the row's column).
PARTY_FIELDS: Mapping[str, tuple[str, str]] = {
    "submitters": ("submitter", "name"),
    "submitter_types": ("submitter", "type"),
    "confidential_submitters": ("submitter", "confidential"),
    "enterprises": ("enterprise", "name"),
}
_ROW_FIELD = re.compile(r"^(submitter|enterprise)-(\d{1,2})-(name|type|org|confidential)$")
_CODES = re.compile(r"[\s,;]+")


@dataclass
class Row:
    """One party as typed."""

    name: str = ""
    type: str = ""
    org: str = ""
    confidential: bool = False

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.org.strip() or self.type or self.confidential)


@dataclass
class Draft:
    """The form as typed: what it shows again after a refusal or an added row."""

    title: str = ""
    received: str = ""
    guidelines_edition: str = CURRENT_EDITION
    sector: str = ""
    themes: list[str] = field(default_factory=list)
    host_countries: str = ""
    supporting_ncps: str = ""
    parties: dict[str, list[Row]] = field(default_factory=lambda: {kind: [] for kind in PARTIES})

    @classmethod
    def blank(cls, received: str) -> Draft:
        return cls(received=received, parties={kind: [Row() for _ in range(ROWS)] for kind in PARTIES})

    @classmethod
    def of(cls, form: FormData) -> Draft:
        """The form's fields; a party row is known by its number (`submitter-0-name`), rows
        past the model's bound are not read."""
        text = {name: value for name, value in form.multi_items() if isinstance(value, str)}
        draft = cls(
            title=text.get("title", ""),
            received=text.get("received", ""),
            guidelines_edition=text.get("guidelines_edition", ""),
            sector=text.get("sector", ""),
            themes=[
                value for name, value in form.multi_items() if name == "themes" and isinstance(value, str)
            ],
            host_countries=text.get("host_countries", ""),
            supporting_ncps=text.get("supporting_ncps", ""),
        )
        for name, value in text.items():
            found = _ROW_FIELD.match(name)
            if not found or int(found[2]) >= commands.PARTIES_MAX:
                continue
            rows = draft.parties[found[1]]
            number = int(found[2])
            rows.extend(Row() for _ in range(number + 1 - len(rows)))
            if found[3] == "confidential":
                rows[number].confidential = True
            else:
                setattr(rows[number], found[3], value)
        for kind in PARTIES:
            rows = draft.parties[kind]
            rows.extend(Row() for _ in range(ROWS - len(rows)))
        return draft

    def add(self, kind: str) -> int | None:
        """One more row of `kind` (within the model's bound): its number, or None."""
        rows = self.parties.get(kind)
        if rows is None or len(rows) >= commands.PARTIES_MAX:
            return None
        rows.append(Row())
        return len(rows) - 1

    def filled(self, kind: str) -> list[int]:
        """The numbers of the rows of `kind` that hold something: the empty ones are ignored."""
        return [number for number, row in enumerate(self.parties[kind]) if not row.empty]

    def values(self) -> dict[str, object]:
        """The model's inputs (None: left out)."""
        submitters = [self.parties["submitter"][n] for n in self.filled("submitter")]
        enterprises = [self.parties["enterprise"][n] for n in self.filled("enterprise")]
        numbers = {
            row.name.strip(): row.org.strip() for row in [*submitters, *enterprises] if row.org.strip()
        }
        return {
            "title": self.title.strip(),
            "received": self.received.strip() or None,
            "guidelines_edition": self.guidelines_edition or None,
            "sector": self.sector.strip() or None,
            "themes": self.themes,
            "host_countries": _codes(self.host_countries),
            "supporting_ncps": _codes(self.supporting_ncps),
            "submitters": [row.name.strip() for row in submitters],
            "submitter_types": [row.type or None for row in submitters]
            if any(r.type for r in submitters)
            else None,
            "confidential_submitters": [row.confidential for row in submitters],
            "enterprises": [row.name.strip() for row in enterprises],
            "org_numbers": numbers,
        }

    def fields(self) -> list[str]:
        """The form's field ids, in the order the form shows them."""
        rows = [
            f"{kind}-{number}-{column}"
            for kind in PARTIES
            for number in range(len(self.parties[kind]))
            for column in COLUMNS
        ]
        return [
            "title",
            "received",
            "guidelines_edition",
            "sector",
            *rows,
            *(f"theme-{t}" for t in THEMES),
            "host_countries",
            "supporting_ncps",
        ]

    def place(self, loc: Sequence[int | str]) -> tuple[str, str, int | None]:
        """Where an input model's error belongs on the form: the field's id, the model's field,
        and the party row's number when it is one."""
        name = str(loc[0]) if loc else ""
        if name in PARTY_FIELDS:
            kind, column = PARTY_FIELDS[name]
            filled = self.filled(kind)
            if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(filled):
                return f"{kind}-{filled[loc[1]]}-{column}", column, filled[loc[1]]
            return f"{kind}-0-name", name, None
        if name == "org_numbers" and len(loc) > 1:
            for kind in PARTIES:
                for number in self.filled(kind):
                    row = self.parties[kind][number]
                    if row.name.strip() == loc[1] and row.org.strip():
                        return f"{kind}-{number}-org", "org", number
        if name == "themes":
            return f"theme-{next(iter(THEMES))}", name, None
        return name if name in LABELS else "", name, None


def _codes(text: str) -> list[str]:
    """Country codes as typed: separated by commas, semicolons or spaces."""
    return [code for code in _CODES.split(text) if code]


@dataclass(frozen=True)
class Problem:
    """One refusal: what the summary and the field say, and the field's id ("" for the form)."""

    anchor: str
    message: str


def _naming(tr: Translator, party: tuple[str, int] | None = None) -> Callable[[str], str]:
    """A field by its label in `tr`'s words; with `party` (its kind and row number), a row's
    column as "Submitter 2: Name"."""

    def name(field_name: str) -> str:
        if party is not None and field_name in COLUMNS:
            legend = tr.gettext(LEGENDS[party[0]]).format(number=party[1] + 1)
            return f"{legend}: {tr.gettext(COLUMNS[field_name])}"
        words = LABELS.get(field_name) or FORM_LABELS.get(field_name)
        return tr.gettext(words) if words else field_name

    return name


def _problems(exc: ValidationError, draft: Draft, tr: Translator) -> list[Problem]:
    """Each of the model's refusals by the field it is about, in the order of the form."""
    found = []
    for error in exc.errors():
        loc = error.get("loc") or ()
        if loc[:1] == ("org_numbers",) and loc[-1] == "[key]":
            continue  # a number's key is the party's name: refused as that name already
        anchor, column, number = draft.place(loc)
        kind = anchor.split("-", 1)[0]
        naming = _naming(tr, (kind, number) if number is not None else None)
        for field_name, problem in commands.refusals([error]):
            # The row's column names the input: "Submitter 2: Name", not "Submitters".
            spell = (
                (lambda f, c=column, n=naming, m=field_name: n(c if f == m else f))
                if number is not None
                else naming
            )
            found.append(Problem(anchor, problem.named(tr, spell)))
    order = {anchor: place for place, anchor in enumerate(draft.fields())}
    return sorted(found, key=lambda p: order.get(p.anchor, len(order)))


def _field_of(exc: NcpflowError) -> str:
    """The form field a use case's refusal names, if any."""
    for value in exc.params.values():
        if isinstance(value, Input) and value.field and value.field in LABELS:
            return value.field
    return ""


async def posted(request: Request) -> FormData:
    """The posted form, read whole: its party rows are numbered, not declared one by one."""
    return await request.form()


Posted = Annotated[FormData, Depends(posted)]


def _page(
    request: Request, user: User, draft: Draft, problems: Sequence[Problem] = (), *, status: int = 200
) -> Response:
    tr = translator(language(request))
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.anchor, []).append(problem.message)
    response = render(
        request,
        "new_case.html",
        user,
        "new_case",
        draft=draft,
        problems=problems,
        by_field=by_field,
        themes=THEMES,
        submitter_types=SUBMITTER_TYPES,
        editions=EDITIONS,
        legend=lambda kind, number: tr.gettext(LEGENDS[kind]).format(number=number + 1),
        parties_max=commands.PARTIES_MAX,
    )
    response.status_code = status
    return response


@router.get("/cases/new", response_class=HTMLResponse)
@guard(Action.OPEN_CASE)
def new_case(request: Request, user: User) -> Response:
    return _page(request, user, Draft.blank(application_of(request).today().isoformat()))


@router.post("/cases/new")
@guard(Action.OPEN_CASE)
def open_case(request: Request, form: Posted, *, user: User) -> Response:
    token = form.get("csrf_token")
    auth.check_csrf(request, token if isinstance(token, str) else None)
    draft = Draft.of(form)
    added = form.get("add")
    if isinstance(added, str) and added in PARTIES:
        draft.add(added)  # nothing is checked or written: the form comes again, one row more
        return _page(request, user, draft)
    lang = language(request)
    tr = translator(lang)
    app = application_of(request)
    try:
        command = commands.OpenCase.model_validate(
            {name: value for name, value in draft.values().items() if value is not None}
        )
    except ValidationError as exc:
        return _page(request, user, draft, _problems(exc, draft, tr), status=422)
    try:
        case = app.cases.open(actor=user.name, **command.arguments())
    except NcpflowError as exc:
        problem = Problem(_field_of(exc), exc.words(tr, _naming(tr)) or type(exc).__name__)
        return _page(request, user, draft, [problem], status=422)
    view = app.cases.view(case=case, viewer=user, language=lang)
    lead = view.lead.name or view.lead_member
    said = (
        tr.gettext(N_("Case {reference} opened; lead: {lead}")).format(reference=case.reference, lead=lead)
        if lead
        else tr.gettext(N_("Case {reference} opened; nobody leads it yet")).format(reference=case.reference)
    )
    return redirect(f"/cases/{case.reference}", request, ok=said)
