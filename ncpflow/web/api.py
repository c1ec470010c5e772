"""The JSON API under /api: thin routes that call workflow use cases as the signed-in user.

The generated OpenAPI (/openapi.json, /docs) is the reference. The request bodies are the
commands' input models (workflow/commands.py), the same the command line and the pages
validate. Errors answer `{"error": code, "detail": text}`: 401 credentials, 403 role, 404
unknown case, 409 a trigger not allowed now or a stale version, 422 bad input (with `fields`,
the body's fields at fault).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from ncpflow.web.auth import api_user, csrf_token, require_roles, services_of
from ncpflow.web.writes import run_write
from states.users import Role, User
from workflow import cases, ics, pausing, rotation, users, views
from workflow.bootstrap import Services
from workflow.commands import (
    AddUser,
    Advance,
    EditCase,
    Extend,
    OpenCase,
    Pause,
    Reassign,
    Recuse,
    Resume,
)


class ErrorOut(BaseModel):
    error: str = Field(description="A short code: unauthorized, forbidden, not_found, "
                                   "not_allowed, conflict, invalid_input, unavailable.")
    detail: str = Field(description="What is wrong, in words.")
    fields: list[str] | None = Field(default=None, description="With invalid_input: the "
                                     "request's fields at fault, as the body spells them.")


Reference = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$",
                                description="Case reference, e.g. NCP-2025-003.")]


class CasePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class AuditPage(BaseModel):
    limit: int
    offset: int
    items: list[dict[str, Any]]


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


def _view(services: Services, case: Any, user: User) -> dict[str, Any]:
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


@router.post("/cases", status_code=201, summary="Register a new case")
async def open_case(body: OpenCase, user: Handler, services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _open_case(body, user, services))


def _open_case(body: OpenCase, user: User, services: Services) -> dict[str, Any]:
    case = cases.open_case(
        uow=services.uow, clock=services.clock, policy=services.policy,
        reference_prefix=services.settings.ncp.reference_prefix, actor=user.name,
        notices=rotation.Notices(services.settings, services.render), **body.arguments())
    return _view(services, case, user)


@router.get("/cases", summary="List cases, newest filters first", response_model=CasePage)
def list_cases(user: Reader, services: ServicesDep,
               state: Annotated[str | None, Query(max_length=40)] = None,
               lead: Annotated[str | None, Query(max_length=100)] = None,
               overdue: bool = False,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
    return views.case_page(uow=services.uow, today=_today(services), viewer=user, state=state,
                           lead=lead, overdue=overdue, limit=limit, offset=offset)


@router.get("/cases/{ref}", summary="One case: the keys of `case show --json`")
def show_case(ref: Reference, user: Reader, services: ServicesDep) -> dict[str, Any]:
    return views.show_case(uow=services.uow, reference=ref, today=_today(services),
                           viewer=user)[1]


@router.patch("/cases/{ref}", summary="Change the case's descriptive fields (`case edit`); "
              "one audit entry names every change")
async def edit_case(ref: Reference, body: EditCase, user: Handler,
                    services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _edit_case(ref, body, user, services))


def _edit_case(ref: str, body: EditCase, user: User, services: Services) -> dict[str, Any]:
    case = cases.edit_case(uow=services.uow, clock=services.clock, reference=ref,
                           actor=user.name, **body.arguments())
    return _view(services, case, user)


@router.post("/cases/{ref}/transitions", summary="Fire a trigger on the case")
async def transition(ref: Reference, body: Advance, user: Advancer,
                     services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _transition(ref, body, user, services))


def _transition(ref: str, body: Advance, user: User, services: Services) -> dict[str, Any]:
    answer: list[dict[str, Any]] = []
    # The answer is built inside the write transaction: the state just written, and no read
    # transaction of its own (the API's hot path; benchmarks/api.py).
    views.advance_as(user, uow=services.uow, clock=services.clock, policy=services.policy,
                     reference=ref, then=lambda saved: answer.append(_view(services, saved, user)),
                     **body.arguments())
    return answer[0]


@router.post("/cases/{ref}/pause", summary="Stop the case's clock")
async def pause(ref: Reference, body: Pause, user: Handler,
                services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _pause(ref, body, user, services))


def _pause(ref: str, body: Pause, user: User, services: Services) -> dict[str, Any]:
    case = pausing.pause_case(uow=services.uow, clock=services.clock, reference=ref,
                              actor=user.name, **body.arguments())
    return _view(services, case, user)


@router.post("/cases/{ref}/resume", summary="Restart the case's clock")
async def resume(ref: Reference, body: Resume, user: Handler,
                 services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _resume(ref, body, user, services))


def _resume(ref: str, body: Resume, user: User, services: Services) -> dict[str, Any]:
    case = pausing.resume_case(uow=services.uow, clock=services.clock, reference=ref,
                               actor=user.name, **body.arguments())
    return _view(services, case, user)


@router.post("/cases/{ref}/extend", summary="Give one open deadline more time")
async def extend(ref: Reference, body: Extend, user: Handler,
                 services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _extend(ref, body, user, services))


def _extend(ref: str, body: Extend, user: User, services: Services) -> dict[str, Any]:
    case = pausing.extend_deadline(uow=services.uow, clock=services.clock, reference=ref,
                                   actor=user.name, **body.arguments())
    return _view(services, case, user)


@router.post("/cases/{ref}/reassign", summary="Give the case to another lead member")
async def reassign(ref: Reference, body: Reassign, user: Handler,
                   services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _reassign(ref, body, user, services))


def _reassign(ref: str, body: Reassign, user: User, services: Services) -> dict[str, Any]:
    case = rotation.reassign(uow=services.uow, clock=services.clock, reference=ref,
                             actor=user.name, **body.arguments(),
                             notices=rotation.Notices(services.settings, services.render))
    return _view(services, case, user)


@router.post("/cases/{ref}/recuse", summary="The lead steps aside; the rotation picks the next "
             "eligible member")
async def recuse(ref: Reference, body: Recuse, user: Handler,
                 services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _recuse(ref, body, user, services))


def _recuse(ref: str, body: Recuse, user: User, services: Services) -> dict[str, Any]:
    case = rotation.recuse(uow=services.uow, clock=services.clock, policy=services.policy,
                           reference=ref, actor=user.name, **body.arguments(),
                           notices=rotation.Notices(services.settings, services.render))
    return _view(services, case, user)


@router.get("/cases/{ref}/audit", summary="The case's audit entries", response_model=AuditPage)
def case_audit(ref: Reference, user: Reader, services: ServicesDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    return views.audit_page(uow=services.uow, viewer=user, case_ref=ref, limit=limit,
                            offset=offset)


@router.get("/audit", summary="The whole audit log, paged", response_model=AuditPage)
def audit_log(user: Reader, services: ServicesDep,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    return views.audit_page(uow=services.uow, viewer=user, limit=limit, offset=offset)


@router.get("/deadlines.ics", summary="Open deadlines as iCalendar", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def deadlines_ics(user: Reader, services: ServicesDep,
                  member: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    body = ics.deadlines_calendar(uow=services.uow, now=services.clock.now(), member=member,
                                  ncp_name=services.settings.ncp.name, viewer=user)
    return Response(body, media_type="text/calendar")


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
async def add_user(body: AddUser, user: Admin, services: ServicesDep) -> dict[str, Any]:
    return await run_write(services, lambda: _add_user(body, user, services))


def _add_user(body: AddUser, user: User, services: Services) -> dict[str, Any]:
    made = users.add_user(uow=services.uow, clock=services.clock, actor=user.name,
                          **body.arguments())
    return {"name": made.user.name, "role": made.user.role, "member": made.user.member_id,
            "token": made.token}
