"""The JSON API under /api: thin routes that call workflow use cases as the signed-in user.

The generated OpenAPI (/openapi.json, /docs) is the reference. Errors answer
`{"error": code, "detail": text}`: 401 credentials, 403 role, 404 unknown case, 409 a trigger
not allowed now or a stale version, 422 bad input.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ncpflow.web.auth import api_user, csrf_token, require_roles, services_of
from ncpflow.web.fields import clean_text
from ncpflow.web.writes import run_write
from states import limits
from states.users import Role, User
from workflow import cases, ics, pausing, read_models, rotation, users, views
from workflow.bootstrap import Services
from workflow.inputs import parse_when


class ErrorOut(BaseModel):
    error: str = Field(description="A short code: unauthorized, forbidden, not_found, "
                                   "not_allowed, conflict, invalid_input, unavailable.")
    detail: str = Field(description="What is wrong, in words.")


# The lengths and ranges are the core's (states/limits.py), so the API, the command line and
# the pages refuse the same inputs; here they also document the API in its OpenAPI.
Text = Annotated[str, Field(min_length=1, max_length=limits.TEXT_MAX), AfterValidator(clean_text)]
Name = Annotated[str, Field(min_length=1, max_length=limits.NAME_MAX), AfterValidator(clean_text)]
Word = Annotated[str, Field(min_length=1, max_length=limits.WORD_MAX), AfterValidator(clean_text)]
When = Annotated[str, Field(min_length=1, max_length=40, description="YYYY-MM-DD (NCP local) or "
                            "ISO datetime with offset"), AfterValidator(clean_text)]
Reference = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$",
                                description="Case reference, e.g. NCP-2025-003.")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseIn(Body):
    title: Text
    enterprises: Annotated[list[Name], Field(min_length=1, max_length=20)]
    submitters: Annotated[list[Name], Field(min_length=1, max_length=20)]
    submitter_type: Word | None = None
    received: When | None = None
    themes: Annotated[list[Word], Field(max_length=20)] = []
    host_countries: Annotated[list[Word], Field(max_length=50)] = []
    sector: Name | None = None
    confidential_submitter: bool = False


class TransitionIn(Body):
    trigger: Word
    reason: Text
    outcome: Word | None = None
    at: When | None = None
    expected_version: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    scope: Text | None = None


class PauseIn(Body):
    reason: Text
    requested_by: Name | None = None
    at: When | None = None


class ResumeIn(Body):
    reason: Text | None = None
    at: When | None = None


class ExtendIn(Body):
    deadline: Word
    reason: Text
    days: Annotated[int, Field(ge=1, le=limits.EXTENSION_DAYS_MAX)] | None = None
    months: Annotated[int, Field(ge=1, le=limits.EXTENSION_MONTHS_MAX)] | None = None


class ReassignIn(Body):
    to: Word
    reason: Text
    override: bool = False


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in [
        (401, "Missing or invalid credentials"), (403, "The user's role does not allow this"),
        (404, "No such case"), (409, "Not allowed in the case's state, or a stale version"),
        (422, "Bad input"), (503, "The database is unavailable")]}

router = APIRouter(prefix="/api", responses=ERRORS)


def _roles(*roles: Role) -> Any:
    """`auth.require_roles` as an async dependency: FastAPI runs a sync dependency in its thread
    pool, a hop per dependency per request (benchmarks/api.py); the token lookup is one indexed
    read, brief enough for the event loop. A write signed in by the session cookie needs the
    X-CSRF-Token header (`auth.api_user`)."""
    check = require_roles(*roles)

    async def dependency(request: Request) -> User:
        return check(api_user(request))

    return Depends(dependency)


Handler = Annotated[User, _roles(Role.HANDLER)]
Reader = Annotated[User, _roles(Role.HANDLER, Role.MEMBER, Role.AUDITOR, Role.ADMIN)]
Advancer = Annotated[User, _roles(Role.HANDLER, Role.MEMBER)]


async def _services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(_services)]


def _today(services: Services) -> date:
    return services.policy.calendar.local_date(services.clock.now())


def _when(value: str | None, what: str) -> Any:
    return parse_when(value, what) if value is not None else None


def _view(services: Services, case: Any, user: User) -> read_models.Case:
    return views.case_view(uow=services.uow, case=case, today=_today(services), viewer=user)


class SessionOut(BaseModel):
    name: str
    role: str
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header with every write "
                            "signed in by the session cookie (Bearer tokens need none).")


@router.get("/session", summary="Who is signed in, and the CSRF token for cookie writes",
            response_model=SessionOut)
def session(request: Request, user: Reader) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "csrf_token": csrf_token(request)}


@router.post("/cases", status_code=201, summary="Register a new case",
             response_model=read_models.Case)
async def open_case(body: CaseIn, user: Handler, services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _open_case(body, user, services))


def _open_case(body: CaseIn, user: User, services: Services) -> read_models.Case:
    kinds = [body.submitter_type] * len(body.submitters)
    case = cases.open_case(
        uow=services.uow, clock=services.clock, policy=services.policy,
        reference_prefix=services.settings.ncp.reference_prefix, title=body.title,
        submitters=[cases.PartyInput(n, k, body.confidential_submitter)
                    for n, k in zip(body.submitters, kinds, strict=True)],
        enterprises=[cases.PartyInput(n) for n in body.enterprises], actor=user.name,
        received=_when(body.received, "received"), themes=body.themes,
        host_countries=body.host_countries, sector=body.sector,
        notices=rotation.Notices(services.settings, services.render))
    return _view(services, case, user)


@router.get("/cases", summary="List cases, newest filters first",
            response_model=read_models.CasePage)
def list_cases(user: Reader, services: ServicesDep,
               state: Annotated[str | None, Query(max_length=40)] = None,
               lead: Annotated[str | None, Query(max_length=100)] = None,
               overdue: bool = False,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> read_models.CasePage:
    return views.case_page(uow=services.uow, today=_today(services), viewer=user, state=state,
                           lead=lead, overdue=overdue, limit=limit, offset=offset)


@router.get("/cases/{ref}", summary="One case: the keys of `case show --json`",
            response_model=read_models.Case)
def show_case(ref: Reference, user: Reader, services: ServicesDep) -> read_models.Case:
    return views.show_case(uow=services.uow, reference=ref, today=_today(services),
                           viewer=user)[1]


@router.post("/cases/{ref}/transitions", summary="Fire a trigger on the case",
             response_model=read_models.Case)
async def transition(ref: Reference, body: TransitionIn, user: Advancer,
                     services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _transition(ref, body, user, services))


def _transition(ref: str, body: TransitionIn, user: User,
                services: Services) -> read_models.Case:
    answer: list[read_models.Case] = []
    # The answer is built inside the write transaction: the state just written, and no read
    # transaction of its own (the API's hot path; benchmarks/api.py).
    views.advance_as(user, uow=services.uow, clock=services.clock, policy=services.policy,
                     reference=ref, trigger=body.trigger, reason=body.reason,
                     outcome=body.outcome, at=_when(body.at, "at"),
                     expected_version=body.expected_version, scope=body.scope,
                     then=lambda saved: answer.append(_view(services, saved, user)))
    return answer[0]


@router.post("/cases/{ref}/pause", summary="Stop the case's clock",
             response_model=read_models.Case)
async def pause(ref: Reference, body: PauseIn, user: Handler,
                services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _pause(ref, body, user, services))


def _pause(ref: str, body: PauseIn, user: User, services: Services) -> read_models.Case:
    case = pausing.pause_case(uow=services.uow, clock=services.clock, reference=ref,
                              actor=user.name, reason=body.reason,
                              requested_by=body.requested_by, at=_when(body.at, "at"))
    return _view(services, case, user)


@router.post("/cases/{ref}/resume", summary="Restart the case's clock",
             response_model=read_models.Case)
async def resume(ref: Reference, body: ResumeIn, user: Handler,
                 services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _resume(ref, body, user, services))


def _resume(ref: str, body: ResumeIn, user: User, services: Services) -> read_models.Case:
    case = pausing.resume_case(uow=services.uow, clock=services.clock, reference=ref,
                               actor=user.name, at=_when(body.at, "at"), reason=body.reason)
    return _view(services, case, user)


@router.post("/cases/{ref}/extend", summary="Give one open deadline more time",
             response_model=read_models.Case)
async def extend(ref: Reference, body: ExtendIn, user: Handler,
                 services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _extend(ref, body, user, services))


def _extend(ref: str, body: ExtendIn, user: User, services: Services) -> read_models.Case:
    case = pausing.extend_deadline(uow=services.uow, clock=services.clock, reference=ref,
                                   deadline=body.deadline, actor=user.name, reason=body.reason,
                                   days=body.days, months=body.months)
    return _view(services, case, user)


@router.post("/cases/{ref}/reassign", summary="Give the case to another lead member",
             response_model=read_models.Case)
async def reassign(ref: Reference, body: ReassignIn, user: Handler,
                   services: ServicesDep) -> read_models.Case:
    return await run_write(services, lambda: _reassign(ref, body, user, services))


def _reassign(ref: str, body: ReassignIn, user: User,
              services: Services) -> read_models.Case:
    case = rotation.reassign(uow=services.uow, clock=services.clock, reference=ref, to=body.to,
                             actor=user.name, reason=body.reason, override=body.override,
                             notices=rotation.Notices(services.settings, services.render))
    return _view(services, case, user)


@router.get("/cases/{ref}/audit", summary="The case's audit entries",
            response_model=read_models.AuditPage)
def case_audit(ref: Reference, user: Reader, services: ServicesDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> read_models.AuditPage:
    return views.audit_page(uow=services.uow, viewer=user, case_ref=ref, limit=limit,
                            offset=offset)


@router.get("/audit", summary="The whole audit log, paged",
            response_model=read_models.AuditPage)
def audit_log(user: Reader, services: ServicesDep,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> read_models.AuditPage:
    return views.audit_page(uow=services.uow, viewer=user, limit=limit, offset=offset)


@router.get("/deadlines.ics", summary="Open deadlines as iCalendar", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def deadlines_ics(user: Reader, services: ServicesDep,
                  member: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    body = ics.deadlines_calendar(uow=services.uow, now=services.clock.now(), member=member,
                                  ncp_name=services.settings.ncp.name, viewer=user)
    return Response(body, media_type="text/calendar")


class UserIn(Body):
    name: Word
    role: Word
    member: Word | None = None


class UserOut(BaseModel):
    name: str
    role: str
    member: str | None
    token: str | None = Field(default=None, description="Only when the user is created: the "
                              "API token, shown this once.")


Admin = Annotated[User, _roles(Role.ADMIN)]


@router.get("/users", summary="Users and their roles (admin)", response_model=list[UserOut])
def list_users(user: Admin, services: ServicesDep) -> list[dict[str, Any]]:
    return [{"name": u.name, "role": u.role, "member": u.member_id}
            for u in users.list_users(uow=services.uow)]


@router.post("/users", status_code=201, summary="Add a user; the answer holds its API token once "
             "(admin)", response_model=UserOut)
async def add_user(body: UserIn, user: Admin, services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _add_user(body, user, services))


def _add_user(body: UserIn, user: User, services: Services) -> dict[str, Any]:
    made = users.add_user(uow=services.uow, clock=services.clock, name=body.name, role=body.role,
                          member_id=body.member, actor=user.name)
    return {"name": made.user.name, "role": made.user.role, "member": made.user.member_id,
            "token": made.token}
