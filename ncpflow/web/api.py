"""The JSON API under /api: thin routes that call workflow use cases as the signed-in user.

The generated OpenAPI (/openapi.json, /docs) is the reference. The request bodies are the
commands' input models (workflow/commands.py), the same the command line and the pages
validate. Errors answer `{"error": code, "detail": text}`: 401 credentials, 403 role, 404
unknown case, 409 a trigger not allowed now or a stale version, 422 bad input (with `fields`,
the body's fields at fault).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ncpflow.web.auth import ApiAllow, ApiError, application_of, csrf_token
from ncpflow.web.feeds import feed_url
from ncpflow.web.writes import run_write
from states.case import Case
from states.errors import Input, InvalidInputError
from states.limits import EARLIEST_DAY, LATEST_DAY
from states.messages import N_
from states.permissions import Action
from states.users import CalendarFeed, FeedScope, User
from workflow import read_models
from workflow.application import Application
from workflow.commands import (
    AddContact,
    AddDocument,
    AddIssue,
    AddNote,
    AddParty,
    AddUser,
    AdvanceCase,
    ChangeContact,
    ChangeParty,
    ConcludeIssue,
    DecideIssue,
    EditCase,
    ExtendDeadline,
    FindCases,
    MakeCalendarFeed,
    MigrateCase,
    OpenCase,
    PauseCase,
    ReadTimeline,
    ReassignLead,
    RecordFact,
    RecuseLead,
    ResumeCase,
    validate,
)
from workflow.users import NewUser


class ErrorOut(BaseModel):
    error: str = Field(
        description="A short code: unauthorized, forbidden, not_found, "
        "not_allowed, conflict, invalid_input, unavailable."
    )
    detail: str = Field(description="What is wrong, in words.")
    fields: list[str] | None = Field(
        default=None,
        description="With invalid_input: the request's fields at fault, as the body spells them.",
    )


Reference = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="Case reference, e.g. NCP-2025-003.")
]


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in [
        (401, "Missing or invalid credentials"),
        (403, "The user's role does not allow this"),
        (404, "No such case"),
        (409, "Not allowed in the case's state, or a stale version"),
        (422, "Bad input"),
        (503, "The database is unavailable"),
    ]
}

router = APIRouter(prefix="/api", responses=ERRORS)


def _may(*actions: Action) -> Any:
    """The route's permission (states/permissions.py), checked by `auth.ApiAllow`."""
    return Depends(ApiAllow(*actions))


# Who may call a route is the type of its `user`: one action of the permission table each.
ReadsSession = Annotated[User, _may(Action.READ_SESSION)]
ReadsCases = Annotated[User, _may(Action.READ_CASES)]
# A list of cases: a mediator's user gets its own cases only (workflow.redaction.mediated_by).
ListsCases = Annotated[User, _may(Action.READ_CASES, Action.READ_ASSIGNED_CASES)]
ReadsAudit = Annotated[User, _may(Action.READ_AUDIT)]
OpensCases = Annotated[User, _may(Action.OPEN_CASE)]
EditsCases = Annotated[User, _may(Action.EDIT_CASE)]
Advances = Annotated[User, _may(Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE)]
Pauses = Annotated[User, _may(Action.PAUSE_CASE)]
Resumes = Annotated[User, _may(Action.RESUME_CASE)]
Extends = Annotated[User, _may(Action.EXTEND_DEADLINE)]
RecordsFacts = Annotated[User, _may(Action.RECORD_FACT)]
# Reassigning and recusing: handlers, and the member user of the NCP's chair; the use case
# refuses other members (workflow.rotation.may_change_lead).
Reassigns = Annotated[User, _may(Action.REASSIGN_CASE, Action.CHANGE_LEAD_AS_CHAIR)]
Recuses = Annotated[User, _may(Action.RECUSE_MEMBER, Action.CHANGE_LEAD_AS_CHAIR)]
ManagesUsers = Annotated[User, _may(Action.MANAGE_USERS)]
Migrates = Annotated[User, _may(Action.MIGRATE_CASE)]
ImportsCases = Annotated[User, _may(Action.IMPORT_CASES)]
ReadsReports = Annotated[User, _may(Action.READ_REPORTS)]
Subscribes = Annotated[User, _may(Action.SUBSCRIBE_CALENDAR)]
ReadsInternal = Annotated[User, _may(Action.READ_INTERNAL)]
WritesNotes = Annotated[User, _may(Action.WRITE_NOTE)]
AddsDocuments = Annotated[User, _may(Action.ADD_DOCUMENT)]
ManagesParties = Annotated[User, _may(Action.MANAGE_PARTIES)]


async def _application(request: Request) -> Application:
    return application_of(request)


App = Annotated[Application, Depends(_application)]


def _view(app: Application, case: Case, user: User) -> read_models.Case:
    return app.cases.view(case=case, viewer=user)


async def _answer(
    app: Application, user: User, write: Callable[[Callable[[Case], None]], Case]
) -> read_models.Case:
    """Run a bound case write (`write(then)`, through `run_write`) and answer the case as the
    user may see it. A write that takes `then` builds the answer inside its transaction: the
    state just written, with no read transaction of its own (the API's hot path,
    benchmarks/api.py); for the others the answer is read after the commit."""
    answer: list[read_models.Case] = []

    def work() -> read_models.Case:
        case = write(lambda saved: answer.append(_view(app, saved, user)))
        return answer[0] if answer else _view(app, case, user)

    return await run_write(app, work)


class SessionOut(BaseModel):
    name: str
    role: str
    csrf_token: str = Field(
        description="Send it as the X-CSRF-Token header with every write "
        "signed in by the session cookie (Bearer tokens need none)."
    )


@router.get(
    "/session", summary="Who is signed in, and the CSRF token for cookie writes", response_model=SessionOut
)
def session(request: Request, user: ReadsSession) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "csrf_token": csrf_token(request)}


@router.post("/cases", status_code=201, summary="Register a new case", response_model=read_models.Case)
async def open_case(body: OpenCase, user: OpensCases, app: App) -> read_models.Case:
    return await _answer(app, user, lambda then: app.cases.open(actor=user.name, **body.arguments()))


@router.get("/cases", summary="List cases, newest filters first", response_model=read_models.CasePage)
def list_cases(
    user: ListsCases,
    app: App,
    state: Annotated[str | None, Query(max_length=40)] = None,
    lead: Annotated[str | None, Query(max_length=100)] = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> read_models.CasePage:
    return app.cases.page(viewer=user, state=state, lead=lead, overdue=overdue, limit=limit, offset=offset)


@router.get(
    "/cases/search",
    summary="Find cases by words and filters, a page at a time (the cases page's model)",
    response_model=read_models.CaseHits,
)
def find_cases(user: ListsCases, app: App, find: Annotated[FindCases, Query()]) -> read_models.CaseHits:
    """Words match the reference, title, parties (names, organisation numbers) and the steps'
    reasons, each word a prefix, folded alike on SQLite and PostgreSQL (Nestlé = nestle; æ, ø,
    å as typed, or spelled ae, o/oe, a/aa); a reader who may not see identities finds nothing
    through a confidential submitter and sees pseudonyms."""
    return app.cases.find(viewer=user, find=find)


IMPORT_BYTES_MAX = 32 * 1024 * 1024  # workflow.imports.BYTES_MAX, the command line's bound
_IMPORT_BODY = {
    "required": True,
    "description": "The import file (docs/import-format.md): JSON lines, one case a line, as the "
    "body (any content type but multipart: text/plain, application/x-ndjson), or as the `file` "
    "field of a multipart form.",
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    },
}


async def _import_text(request: Request) -> tuple[str, str]:
    """The file's text and its name (`api` for a plain body), at most IMPORT_BYTES_MAX bytes."""
    name = "api"
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=0) as form:  # closes the spooled file
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise InvalidInputError(N_("{what} is required: the import file"), what=Input("", "file"))
            name = upload.filename or name
            raw = await upload.read(IMPORT_BYTES_MAX + 1)
    else:
        chunks = bytearray()
        async for chunk in request.stream():
            chunks += chunk
            if len(chunks) > IMPORT_BYTES_MAX:
                break
        raw = bytes(chunks)
    if len(raw) > IMPORT_BYTES_MAX:
        raise InvalidInputError(
            N_("the import file is larger than {limit} MiB; split it"), limit=IMPORT_BYTES_MAX // 2**20
        )
    try:
        return raw.decode("utf-8-sig"), name  # a byte-order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        raise InvalidInputError(N_("the import file is not UTF-8 text (byte {at})"), at=exc.start) from None


@router.post(
    "/cases/import",
    summary="Import past cases from JSON lines (`case import`): all of them, or none (admin)",
    response_model=read_models.ImportReport,
    openapi_extra={"requestBody": _IMPORT_BODY},
)
async def import_cases(
    request: Request,
    user: ImportsCases,
    app: App,
    dry_run: bool = False,
    source: Annotated[str | None, Query(max_length=300)] = None,
) -> read_models.ImportReport:
    text, name = await _import_text(request)
    result = await run_in_threadpool(
        lambda: app.cases.import_cases(text=text, actor=user.name, source=source or name, dry_run=dry_run)
    )
    return read_models.ImportReport.of(result)


@router.get(
    "/cases/{ref}", summary="One case: the keys of `case show --json`", response_model=read_models.Case
)
def show_case(ref: Reference, user: ReadsCases, app: App) -> read_models.Case:
    return app.cases.show(reference=ref, viewer=user)[1]


# The steps on one case share one shape: a body (the command's input model), the action the
# user needs, and one bound write. They are declared as data, so a step is one row.
Then = Callable[[Case], None]


@dataclass(frozen=True)
class _Step:
    name: str
    method: str
    path: str
    summary: str
    body: type[BaseModel]
    user: Any
    write: Callable[[Application, User, str, Any, Then], Case]


def _as_actor(use_case: str) -> Callable[[Application, User, str, Any, Then], Case]:
    """A step whose bound write takes the user's name as its actor."""

    def write(app: Application, user: User, ref: str, body: Any, then: Then) -> Case:
        call: Callable[..., Case] = getattr(app.cases, use_case)
        return call(reference=ref, actor=user.name, **body.arguments())

    return write


def _advance(app: Application, user: User, ref: str, body: Any, then: Then) -> Case:
    return app.cases.advance_as(user=user, reference=ref, then=then, **body.arguments())


STEPS = (
    _Step(
        "edit_case",
        "PATCH",
        "",
        "Change the case's descriptive fields (`case edit`); one audit entry names every change",
        EditCase,
        EditsCases,
        _as_actor("edit"),
    ),
    _Step(
        "transition", "POST", "/transitions", "Fire a trigger on the case", AdvanceCase, Advances, _advance
    ),
    _Step("pause", "POST", "/pause", "Stop the case's clock", PauseCase, Pauses, _as_actor("pause")),
    _Step("resume", "POST", "/resume", "Restart the case's clock", ResumeCase, Resumes, _as_actor("resume")),
    _Step(
        "extend",
        "POST",
        "/extend",
        "Give one open deadline more time",
        ExtendDeadline,
        Extends,
        _as_actor("extend"),
    ),
    _Step(
        "record_fact",
        "POST",
        "/facts",
        "Record a dated fact of the case (`case record`): it does not move the case",
        RecordFact,
        RecordsFacts,
        _as_actor("record"),
    ),
    _Step(
        "reassign",
        "POST",
        "/reassign",
        "Give the case to another lead member (handlers, and the member user of the NCP's chair)",
        ReassignLead,
        Reassigns,
        _as_actor("reassign"),
    ),
    _Step(
        "recuse",
        "POST",
        "/recuse",
        "The lead steps aside; the rotation picks the next eligible member (handlers, and the "
        "member user of the NCP's chair)",
        RecuseLead,
        Recuses,
        _as_actor("recuse"),
    ),
    _Step(
        "migrate",
        "POST",
        "/migrate",
        "Move the case to another version of its procedure (`case migrate`); audited",
        MigrateCase,
        Migrates,
        _as_actor("migrate"),
    ),
)


def _route(step: _Step) -> None:
    async def endpoint(ref: Any, body: Any, user: Any, app: Any) -> Response:
        case = await _answer(app, user, lambda then: step.write(app, user, ref, body, then))
        # The answer is a `read_models.Case` built by the core's own data: serialised once,
        # here, rather than validated again and serialised by FastAPI (the hot path,
        # benchmarks/api.py). `response_model` still documents it in the OpenAPI.
        return Response(case.model_dump_json(by_alias=True), media_type="application/json")

    endpoint.__name__ = step.name
    # FastAPI reads a route's inputs from its annotations: each step's own body and user.
    endpoint.__annotations__ = {
        "ref": Reference,
        "body": step.body,
        "user": step.user,
        "app": App,
        "return": read_models.Case,
    }
    router.add_api_route(
        "/cases/{ref}" + step.path,
        endpoint,
        methods=[step.method],
        name=step.name,
        summary=step.summary,
        response_model=read_models.Case,
    )


for _step in STEPS:
    _route(_step)


IssueNumber = Annotated[
    int, Path(ge=1, le=1_000_000, description="The issue's number within the case (1, 2, ...).")
]


def _issue_step(
    app: Application, ref: str, user: User, use_case: str, **arguments: Any
) -> Callable[[], read_models.CaseIssues]:
    """A bound write on the case's issues as the user, then the case's issues as the user may
    see them (read after the commit)."""
    call: Callable[..., object] = getattr(app.cases, use_case)

    def work() -> read_models.CaseIssues:
        call(reference=ref, actor=user.name, **arguments)
        return app.cases.issues(reference=ref, viewer=user)

    return work


@router.get(
    "/cases/{ref}/issues",
    summary="The case's issues: chapters, decision and outcome of each",
    response_model=read_models.CaseIssues,
)
def list_issues(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseIssues:
    return app.cases.issues(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/issues",
    status_code=201,
    summary="Record an issue of the case (`case issue add`); answers the case's issues",
    response_model=read_models.CaseIssues,
)
async def add_issue(ref: Reference, body: AddIssue, user: EditsCases, app: App) -> read_models.CaseIssues:
    return await run_write(app, _issue_step(app, ref, user, "add_issue", **body.arguments()))


@router.post(
    "/cases/{ref}/issues/{number}/decision",
    summary="Accept an issue or not (`case issue decide`); answers the case's issues",
    response_model=read_models.CaseIssues,
)
async def decide_issue(
    ref: Reference, number: IssueNumber, body: DecideIssue, user: EditsCases, app: App
) -> read_models.CaseIssues:
    return await run_write(
        app, _issue_step(app, ref, user, "decide_issue", number=number, **body.arguments())
    )


@router.post(
    "/cases/{ref}/issues/{number}/result",
    summary="Record what came of an accepted issue (`case issue result`); answers the case's issues",
    response_model=read_models.CaseIssues,
)
async def conclude_issue(
    ref: Reference, number: IssueNumber, body: ConcludeIssue, user: EditsCases, app: App
) -> read_models.CaseIssues:
    return await run_write(
        app, _issue_step(app, ref, user, "conclude_issue", number=number, **body.arguments())
    )


DocumentNumber = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The document's number within the case (1, 2, ...).")
]
_DOCUMENT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "title", "direction", "access"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "The file; its name is kept.",
                    },
                    **AddDocument.model_json_schema()["properties"],
                },
            }
        }
    },
}


@router.get(
    "/cases/{ref}/documents",
    summary="The case's documents with their versions (`doc list`)",
    response_model=read_models.CaseDocuments,
)
def list_documents(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseDocuments:
    return app.documents.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/documents",
    status_code=201,
    summary="File a document on the case, or a new version of one (`doc add`); multipart: the "
    "file and the fields; refused (422, nothing written) when too large, its content is not what "
    "its name says, or the party, access level or exemption is unknown",
    response_model=read_models.CaseDocument,
    openapi_extra={"requestBody": _DOCUMENT_BODY},
)
async def add_document(
    ref: Reference, request: Request, user: AddsDocuments, app: App
) -> read_models.CaseDocument:
    from ncpflow.web.uploads import read_upload

    upload = await read_upload(request, max_size=app.documents.rules.max_size)
    try:
        if upload.file is None:
            raise InvalidInputError(N_("{what} is required and must not be blank"), what=Input("", "file"))
        fields = {key: value or None for key, value in upload.fields.items()}
        command = validate(AddDocument, fields, lambda field: field)
        file = upload.file

        def work() -> read_models.CaseDocument:
            document = app.documents.add(
                reference=ref, source=file, filename=upload.filename, actor=user.name, **command.arguments()
            )
            return app.documents.get(reference=ref, number=document.number, viewer=user)

        return await run_in_threadpool(work)  # a large file's chunks: not on the event loop
    finally:
        upload.close()


@router.get(
    "/cases/{ref}/documents/{number}",
    summary="One document of the case: its latest version's metadata and every version",
    response_model=read_models.CaseDocument,
)
def get_document(
    ref: Reference, number: DocumentNumber, user: ReadsCases, app: App
) -> read_models.CaseDocument:
    return app.documents.get(reference=ref, number=number, viewer=user)


@router.get(
    "/cases/{ref}/documents/{number}/content",
    summary="A document's content (default: the latest version), streamed as an attachment; "
    "403 for an NCP-internal document to a reader who may not read those (auditors)",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file"}},
)
def document_content(
    ref: Reference,
    number: DocumentNumber,
    user: ReadsCases,
    app: App,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Which version.")] = None,
) -> StreamingResponse:
    from ncpflow.web.downloads import document_response

    return document_response(app.documents.open(reference=ref, number=number, version=version, viewer=user))


# ---- a case's parties and their contacts ------------------------------------------------------

PartyName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=300,
        description="The party: its key (submitter-1, enterprise-2) or its name.",
    ),
]
ContactNumber = Annotated[
    int, Path(ge=1, le=1_000_000, description="The contact's number within its party (1, 2, ...).")
]


def _party_step(
    app: Application, ref: str, user: User, use_case: str, **arguments: Any
) -> Callable[[], read_models.CaseParties]:
    """A bound write on the case's parties as the user, then the parties as the user may see
    them (read after the commit)."""
    call: Callable[..., object] = getattr(app.parties, use_case)

    def work() -> read_models.CaseParties:
        call(reference=ref, actor=user.name, **arguments)
        return app.parties.list(reference=ref, viewer=user)

    return work


@router.get(
    "/cases/{ref}/parties",
    summary="The case's parties with their keys, flags and contacts, as the user may see them",
    response_model=read_models.CaseParties,
)
def list_parties(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseParties:
    return app.parties.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/parties",
    status_code=201,
    summary="Add a party to an open case (`party add`); answers the case's parties",
    response_model=read_models.CaseParties,
)
async def add_party(
    ref: Reference, body: AddParty, user: ManagesParties, app: App
) -> read_models.CaseParties:
    return await run_write(app, _party_step(app, ref, user, "add_party", **body.arguments()))


@router.patch(
    "/cases/{ref}/parties/{party}",
    summary="Change a party: name, type, org number, withheld, reprisal risk, measures (`party edit`)",
    response_model=read_models.CaseParties,
)
async def change_party(
    ref: Reference, party: PartyName, body: ChangeParty, user: ManagesParties, app: App
) -> read_models.CaseParties:
    return await run_write(app, _party_step(app, ref, user, "change_party", party=party, **body.arguments()))


@router.post(
    "/cases/{ref}/parties/{party}/contacts",
    status_code=201,
    summary="Add a representative or contact to a party (`party contact add`)",
    response_model=read_models.CaseParties,
)
async def add_contact(
    ref: Reference, party: PartyName, body: AddContact, user: ManagesParties, app: App
) -> read_models.CaseParties:
    return await run_write(app, _party_step(app, ref, user, "add_contact", party=party, **body.arguments()))


@router.patch(
    "/cases/{ref}/parties/{party}/contacts/{number}",
    summary="Change a contact of a party (`party contact edit`)",
    response_model=read_models.CaseParties,
)
async def change_contact(
    ref: Reference,
    party: PartyName,
    number: ContactNumber,
    body: ChangeContact,
    user: ManagesParties,
    app: App,
) -> read_models.CaseParties:
    return await run_write(
        app, _party_step(app, ref, user, "change_contact", party=party, number=number, **body.arguments())
    )


@router.delete(
    "/cases/{ref}/parties/{party}/contacts/{number}",
    summary="Remove a contact of a party (`party contact remove`); its number is not given again",
    response_model=read_models.CaseParties,
)
async def remove_contact(
    ref: Reference,
    party: PartyName,
    number: ContactNumber,
    user: ManagesParties,
    app: App,
    reason: Annotated[str | None, Query(max_length=2000, description="Why (kept in the audit log).")] = None,
) -> read_models.CaseParties:
    return await run_write(
        app, _party_step(app, ref, user, "remove_contact", party=party, number=number, reason=reason or None)
    )


@router.get("/cases/{ref}/audit", summary="The case's audit entries", response_model=read_models.AuditPage)
def case_audit(
    ref: Reference,
    user: ReadsAudit,
    app: App,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> read_models.AuditPage:
    return app.audit.page(viewer=user, case_ref=ref, limit=limit, offset=offset)


@router.get(
    "/cases/{ref}/timeline",
    summary="The case's story, newest first: steps, notes, documents, letters and correspondence, "
    "filtered by kind, a page at a time (notes' text withheld from readers who may not read "
    "internal material)",
    response_model=read_models.Timeline,
)
def case_timeline(
    ref: Reference, user: ReadsCases, app: App, shown: Annotated[ReadTimeline, Query()]
) -> read_models.Timeline:
    return app.cases.timeline(reference=ref, viewer=user, **shown.arguments())


@router.get(
    "/cases/{ref}/notes",
    summary="The case's internal notes (readers of NCP-internal material only)",
    response_model=read_models.CaseNotes,
)
def list_notes(ref: Reference, user: ReadsInternal, app: App) -> read_models.CaseNotes:
    return app.notes.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/notes",
    status_code=201,
    summary="Write down an internal note on the case (`note add`); the audit log holds its hash, "
    "not its text",
    response_model=read_models.Note,
)
async def add_note(ref: Reference, body: AddNote, user: WritesNotes, app: App) -> read_models.Note:
    def work() -> read_models.Note:
        note = app.notes.add(reference=ref, actor=user.name, **body.arguments())
        listed = app.notes.list(reference=ref, viewer=user).notes
        return next(n for n in listed if n.number == note.number)

    return await run_write(app, work)


@router.get("/audit", summary="The whole audit log, paged", response_model=read_models.AuditPage)
def audit_log(
    user: ReadsAudit,
    app: App,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> read_models.AuditPage:
    return app.audit.page(viewer=user, limit=limit, offset=offset)


@router.get(
    "/deadlines.ics",
    summary="Open deadlines as iCalendar",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def deadlines_ics(
    user: ListsCases, app: App, member: Annotated[str | None, Query(max_length=100)] = None
) -> Response:
    body = app.calendar.ics(member=member, viewer=user)
    return Response(body, media_type="text/calendar")


# The user's own calendar subscription URL (workflow/feeds.py): one at a time; the token is in
# the answer of the POST only, never again.


def _feed_out(feed: CalendarFeed, url: str | None = None) -> read_models.CalendarFeed:
    return read_models.CalendarFeed(
        id=feed.id,
        language=feed.language,
        scope=FeedScope(feed.scope),
        created_at=feed.created_at.isoformat(),
        url=url,
    )


@router.get(
    "/me/calendar-feed",
    summary="Your calendar subscription URL as listed (never its token); 404 when you have none",
    response_model=read_models.CalendarFeed,
)
def my_calendar_feed(user: Subscribes, app: App) -> read_models.CalendarFeed:
    feed = app.calendar.active_feed(name=user.name)
    if feed is None:
        raise ApiError(404, "not_found", "you have no calendar URL; POST /api/me/calendar-feed makes one")
    return _feed_out(feed)


@router.post(
    "/me/calendar-feed",
    status_code=201,
    summary="Make your calendar subscription URL (revoking the one before); the answer holds it once",
    response_model=read_models.CalendarFeed,
)
async def make_calendar_feed(
    body: MakeCalendarFeed, user: Subscribes, app: App, request: Request
) -> read_models.CalendarFeed:
    arguments = {**body.arguments(), "language": body.language or app.settings.ncp.language}

    def make() -> read_models.CalendarFeed:
        made = app.calendar.make_feed(name=user.name, actor=user.name, **arguments)
        return _feed_out(made.listed, feed_url(request, made.token))

    return await run_write(app, make)


class FeedRevokedOut(BaseModel):
    revoked: str = Field(description="The listed id of the URL revoked: it answers 404 from now on.")


@router.delete(
    "/me/calendar-feed",
    summary="Revoke your calendar subscription URL (422 when you have none)",
    response_model=FeedRevokedOut,
)
async def revoke_calendar_feed(user: Subscribes, app: App) -> FeedRevokedOut:
    return await run_write(
        app, lambda: FeedRevokedOut(revoked=app.calendar.revoke_feed(name=user.name, actor=user.name))
    )


# The reports of `ncpflow report timelines|annual|oecd`, the same JSON (rules and fields in
# states/reports.py). No report names a party; free text is redacted for every reader.
_YEAR = Query(ge=EARLIEST_DAY.year, le=LATEST_DAY.year, description="The report's year.")
Year = Annotated[int, _YEAR]
AnyYear = Annotated[int | None, _YEAR]  # none: every year
Approximate = Annotated[
    bool, Query(description="Count in the medians the day counts from dates known to the month only.")
]


@router.get(
    "/reports/timelines",
    summary="`report timelines`: per case and stage, days used against the indicative timeline",
    response_model=read_models.TimelinesReport,
)
def report_timelines(
    user: ReadsReports, app: App, year: AnyYear = None, include_approximate: Approximate = False
) -> Response:
    return _report(app.reports.timelines(year=year, include_approximate=include_approximate))


@router.get(
    "/reports/annual",
    summary="`report annual`: the year's figures (received, accepted, concluded per final outcome, "
    "examined cases by mediation result, medians, editions, leads)",
    response_model=read_models.AnnualReport,
)
def report_annual(
    user: ReadsReports, app: App, year: Year, include_approximate: Approximate = False
) -> Response:
    return _report(app.reports.annual(year=year, include_approximate=include_approximate))


@router.get(
    "/reports/oecd",
    summary="`report oecd`: one row per case with the OECD database's fields (status, "
    "mediation_result, determination, the final outcome and date_concluded)",
    response_model=list[read_models.OecdRow],
)
def report_oecd(user: ReadsReports, app: App, year: AnyYear = None) -> Response:
    return _report(app.reports.oecd(year=year))


def _report(report: Any) -> Response:
    """The report as the command line's `--json` prints it, key for key (`response_model`
    describes it in the OpenAPI)."""
    return JSONResponse(report)


class UserOut(BaseModel):
    name: str
    role: str
    member: str | None
    token: str | None = Field(
        default=None, description="Only when the user is created: the API token, shown this once."
    )


@router.get("/users", summary="Users and their roles (admin)", response_model=list[UserOut])
def list_users(user: ManagesUsers, app: App) -> list[dict[str, Any]]:
    return [{"name": u.name, "role": u.role, "member": u.member_id} for u in app.users.list()]


@router.post(
    "/users",
    status_code=201,
    summary="Add a user; the answer holds its API token once (admin)",
    response_model=UserOut,
)
async def add_user(body: AddUser, user: ManagesUsers, app: App) -> dict[str, Any]:
    return await run_write(app, lambda: _user_added(app.users.add(actor=user.name, **body.arguments())))


def _user_added(made: NewUser) -> dict[str, Any]:
    return {
        "name": made.user.name,
        "role": made.user.role,
        "member": made.user.member_id,
        "token": made.token,
    }
