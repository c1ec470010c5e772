"""The steps on a case's page: advance (with an optional earlier date), pause and resume, extend a
deadline, edit the descriptive fields, record a fact, reassign and recuse.

Each form is validated by its command's input model (workflow/commands.py), the one the command
line and the API use, and a refusal names each field by its label on the page, in the page's
language. A refused form does not redirect: the case's page comes back with the refusal
(422 for bad input, 409 for a step the case does not allow now, such as one sent from a page that
has gone stale) and with the user's values in the form. The lifecycle's names in a refusal
(states, triggers, outcomes, deadlines) are worded as the page words them.

Who sees which form is the permission table (states/permissions.py): advance for handlers and the
member leading the case; reassign and recuse for handlers and the member user linked to the NCP's
chair (`workflow.rotation.may_change_lead`); every other step for the roles holding its action
(handlers).

Consequential steps ask first. Before any of these is written, a confirmation page says what is
about to happen ("You are about to ... for NCP-...") with Confirm (the same form again, with
`confirm=yes` and the CSRF token) and Back (the case's page, the input kept); without JavaScript:

- a step that records an outcome (reject, examine, conclude, withdraw, transfer in oecd-2023);
- a step into a state that concludes or ends the case (final statement, follow-up, closed: also
  publish and close);
- extending a deadline;
- reassigning the case to another lead;
- the lead's recusal.

A step the case does not allow as it stands (a paused case, a trigger no longer open, an outcome
that does not fit) asks nothing: it goes to its use case, whose refusal is shown.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.cases import show_case
from ncpflow.web.pages.common import (
    FORM_LABELS,
    FormText,
    NoteText,
    guard,
    language,
    local_time,
    redirect,
    render,
    whole_number,
)
from states import pausing
from states.case import Case
from states.durations import Duration
from states.errors import (
    CaseNotFoundError,
    ConflictError,
    Input,
    InvalidInputError,
    NcpflowError,
    StepRefusedError,
    TransitionNotAllowedError,
)
from states.messages import N_, Translator
from states.permissions import Action, PermissionDeniedError
from states.users import User
from translations import translator
from workflow import commands, views
from workflow.application import Application

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
# The steps' own fields by their labels on the page (the rest are common.FORM_LABELS).
STEP_LABELS = {
    "at": N_("Effective date (if earlier)"),
    "deadline": N_("Deadline"),
    "days": N_("Extend by"),
    "months": N_("Extend by"),
    "unit": N_("Unit"),
    "themes": N_("Guidelines chapters"),
    "host_countries": N_("Host countries"),
    "sector": N_("Sector"),
    "guidelines_edition": N_("Guidelines edition"),
    "supporting_ncps": N_("Supporting NCPs"),
    "fact": N_("Fact"),
    "on": N_("Date"),
    "by": N_("By"),
    "note": N_("Note"),
    "to": N_("New lead"),
    "member": N_("Lead who steps aside"),
    "override": N_("Assign even if the member may not lead"),
    "text": N_("Note text"),
    "replaces": N_("Replaces note number"),
}
EDITABLE = ("themes", "host_countries", "sector", "guidelines_edition", "supporting_ncps")
UNITS = {"days": N_("days"), "months": N_("months")}
# The parameters of a refusal that hold one of the lifecycle's names, or a list of them.
_NAMES = frozenset({"state", "trigger", "outcome", "deadline"})
_LISTS = frozenset({"allowed", "choices"})


# ---- wording ----------------------------------------------------------------------------------


def _spell(tr: Translator) -> Callable[[str], str]:
    """A field by its label on the page, in `tr`'s words."""

    def spell(field: str) -> str:
        words = STEP_LABELS.get(field) or FORM_LABELS.get(field)
        return tr.gettext(words) if words else field

    return spell


def _termed(params: Mapping[str, object], term: Callable[[str], str]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, Input) and value.params:
            value = replace(value, params=_termed(value.params, term))
        elif key in _NAMES and isinstance(value, str):
            value = term(value)
        elif key in _LISTS and isinstance(value, str):
            value = ", ".join(term(name) for name in value.split(", "))
        found[key] = value
    return found


def worded(exc: NcpflowError, request: Request, case: Case | None = None) -> str:
    """A refusal in the page's language: each input by its label, and the lifecycle's names as
    the page words them (the case's own procedure), never the identifiers."""
    lang = language(request)
    tr = translator(lang)
    procedure = case.procedure if case is not None else None
    term = i18n.helpers(lang, application_of(request).words(lang, procedure=procedure))["term"]
    if case is not None:
        exc = NcpflowError(exc.message, **_termed(exc.params, term))
    return exc.words(tr, _spell(tr), term) or type(exc).__name__


def _status(exc: NcpflowError) -> int:
    if isinstance(exc, CaseNotFoundError):
        return 404
    if isinstance(exc, TransitionNotAllowedError | StepRefusedError | ConflictError):
        return 409
    return 422


def _command(request: Request, model: type[commands.C], values: Mapping[str, object]) -> commands.C:
    """The step's input model; a refusal names each field by its label, in the page's language."""
    return commands.validate(model, values, _spell(translator(language(request))))


def _optional(value: str) -> str | None:
    return value or None


def _codes(text: str) -> list[str]:
    """Country codes typed in one field: "BR, se  NO" → ["BR", "se", "NO"] (the model checks them)."""
    return [code for code in re.split(r"[\s,;]+", text) if code]


def _when(value: date | datetime | None, request: Request) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(application_of(request).settings.ncp.timezone)(value.isoformat())
    return value.isoformat()


class _Step:
    """One form sent on a case's page: what the user gave, and how to answer."""

    def __init__(self, request: Request, ref: str, user: User, form: str, values: Mapping[str, Any]) -> None:
        self.request, self.ref, self.user, self.form = request, ref, user, form
        self.values = {name: value for name, value in values.items() if name != "confirm"}
        self.app: Application = application_of(request)
        self.lang = language(request)
        self.tr = translator(self.lang)
        self.case: Case | None = None

    def load(self) -> Case:
        self.case = self.app.cases.get(reference=self.ref)
        return self.case

    def words(self) -> Translator:
        procedure = self.case.procedure if self.case is not None else None
        return self.app.words(self.lang, procedure=procedure)

    def term(self, name: str) -> str:
        return str(i18n.helpers(self.lang, self.words())["term"](name))

    def say(self, message: str, **params: object) -> str:
        return self.tr.gettext(message).format(**params)

    def again(self, *, error: str | None = None, status: int = 200) -> Response:
        """The case's page with this form filled in as the user left it."""
        with self.app.uow.read():
            return show_case(
                self.request, self.ref, self.user, kept=(self.form, self.values), error=error, status=status
            )

    def run(self, work: Callable[[], Response]) -> Response:
        """`work`'s answer, or the case's page again with the refusal and the user's values."""
        try:
            return work()
        except PermissionDeniedError as exc:
            raise ApiError(403, "forbidden", worded(exc, self.request)) from None
        except NcpflowError as exc:
            return self.again(error=worded(exc, self.request, self.case), status=_status(exc))

    def done(self, message: str) -> Response:
        return redirect(f"/cases/{self.ref}", self.request, ok=message)

    def effective(self, at: date | datetime | None, now: str, earlier: str, **params: object) -> Response:
        """Done, saying so with `now`, or with `earlier` when the step was recorded with an
        earlier date (its `{day}`)."""
        if at is None:
            return self.done(self.say(now, **params))
        return self.done(self.say(earlier, day=_when(at, self.request), **params))

    def confirm(self, heading: str, summary: list[tuple[str, str]]) -> Response:
        """The page that asks before a consequential step: Confirm sends the same values again
        with `confirm=yes`, Back (`confirm=back`) returns to the case's page with them."""
        case = self.case
        assert case is not None
        values = {"version": str(case.version), **{k: v for k, v in self.values.items() if v}}
        hidden = [(name, value) for name, value in values.items() if isinstance(value, str) and value]
        return render(
            self.request,
            "confirm.html",
            self.user,
            "dashboard",
            reference=self.ref,
            title=case.title,
            heading=heading,
            summary=[(label, value) for label, value in summary if value],
            action=f"/cases/{self.ref}/{self.form.split('-')[0]}",
            hidden=hidden,
        )

    def answered(self, confirm: str, version: str) -> Response | None:
        """What the confirmation page's answer leads to: Back, the case's page with the values;
        Confirm, on (None) unless the case changed since the page was shown."""
        if confirm == "back":
            return self.again()
        if confirm == "yes":
            self.unchanged(version)
        return None

    def unchanged(self, version: str) -> None:
        """A step confirmed on a page shown for another version of the case (sent twice, or
        changed meanwhile) is refused: ConflictError, nothing written."""
        expected, case = whole_number(version, "version"), self.case
        if expected is not None and case is not None and expected != case.version:
            raise ConflictError(
                reference=self.ref, expected_version=expected, actual_version=case.version, state=case.state
            )


def _label(tr: Translator, field: str) -> str:
    return _spell(tr)(field)


StepPage = Callable[..., Response]


def step_form(
    name: str, *actions: Action, form: Callable[[Mapping[str, Any]], str] | None = None
) -> Callable[[StepPage], StepPage]:
    """`POST /cases/{ref}/NAME`, guarded by `actions`: the form's CSRF token checked, then
    `work(step, **fields)`, its fields declared as `work`'s keyword parameters; a refusal comes
    back as the case's page with the fields as sent (`_Step.run`). `form` names the form on the
    page from its fields (one per trigger: "advance-accept"); else it is NAME."""

    def register(work: StepPage) -> StepPage:
        fields = [p for p in inspect.signature(work, eval_str=True).parameters.values() if p.name != "step"]

        def endpoint(
            request: Request, ref: str, csrf_token: str = "", *, user: User, **values: Any
        ) -> Response:
            auth.check_csrf(request, csrf_token)
            step = _Step(request, ref, user, form(values) if form else name, values)
            return step.run(lambda: work(step, **values))

        keyword = inspect.Parameter.KEYWORD_ONLY
        endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # what FastAPI reads
            [
                inspect.Parameter("request", keyword, annotation=Request),
                inspect.Parameter("ref", keyword, annotation=str),
                *(field.replace(kind=keyword) for field in fields),
                inspect.Parameter("csrf_token", keyword, annotation=Csrf, default=""),
                inspect.Parameter("user", keyword, annotation=User),
            ],
            return_annotation=Response,
        )
        endpoint.__name__ = endpoint.__qualname__ = work.__name__
        router.post(f"/cases/{{ref}}/{name}")(guard(*actions)(endpoint))
        return work

    return register


# ---- advance ----------------------------------------------------------------------------------


def consequential(case: Case, trigger: str) -> bool:
    """Whether `trigger` on `case` asks for confirmation first (the module's list): it records
    an outcome, or leads into a state that concludes or ends the case."""
    row = case.procedure.find(case.state, trigger)
    if row is None:
        return False
    procedure = case.procedure
    return bool(row.outcomes) or procedure.is_terminal(row.dest) or row.dest in procedure.concluded


@step_form(
    "advance",
    Action.ADVANCE_ANY_CASE,
    Action.ADVANCE_LED_CASE,
    form=lambda values: f"advance-{values['trigger']}",
)
def advance(
    step: _Step,
    trigger: FormText,
    reason: FormText = "",
    outcome: FormText = "",
    scope: FormText = "",
    at: FormText = "",
    version: FormText = "",
    confirm: FormText = "",
) -> Response:
    command = _command(
        step.request,
        commands.AdvanceCase,
        {
            "trigger": trigger,
            "reason": reason,
            "outcome": _optional(outcome),
            "scope": _optional(scope),
            "at": _optional(at),
            "expected_version": _optional(version),
        },
    )
    case = step.load()
    views.may_advance(step.user, case)
    if (answer := step.answered(confirm, version)) is not None:
        return answer
    option = next((o for o in step.app.cases.triggers(case=case) if o.trigger == command.trigger), None)
    fits = option is not None and (command.outcome in option.outcomes or len(option.outcomes) <= 1)
    ready = option is not None and option.allowed and not case.paused and fits
    if confirm != "yes" and ready and consequential(case, command.trigger) and option is not None:
        chosen = command.outcome or (option.outcomes[0] if option.outcomes else "")
        tr = step.tr
        return step.confirm(
            step.say(
                N_("You are about to record “{step}” for {reference}:"),
                step=step.term(command.trigger),
                reference=step.ref,
            ),
            [
                (
                    tr.gettext(N_("Stage")),
                    i18n.upper_first(f"{step.term(case.state)} → {step.term(option.to_state or '')}"),
                ),
                (_label(tr, "outcome"), step.term(chosen) if chosen else ""),
                (_label(tr, "scope"), command.scope or ""),
                (_label(tr, "reason"), command.reason),
                (_label(tr, "at"), _when(command.at, step.request)),
            ],
        )
    saved = step.app.cases.advance_as(user=step.user, reference=step.ref, **command.arguments())
    return step.effective(
        command.at,
        N_("Advanced to {state}."),
        N_("Advanced to {state}, effective {day}."),
        state=i18n.upper_first(step.term(saved.state)),
    )


# ---- the clock ----------------------------------------------------------------------------------


@step_form("pause", Action.PAUSE_CASE)
def pause(step: _Step, reason: FormText = "", requested_by: FormText = "", at: FormText = "") -> Response:
    command = _command(
        step.request,
        commands.PauseCase,
        {"reason": reason, "requested_by": _optional(requested_by), "at": _optional(at)},
    )
    step.load()
    step.app.cases.pause(reference=step.ref, actor=step.user.name, **command.arguments())
    return step.effective(command.at, N_("Clock paused."), N_("Clock paused, effective {day}."))


@step_form("resume", Action.RESUME_CASE)
def resume(step: _Step, reason: FormText = "", at: FormText = "") -> Response:
    command = _command(step.request, commands.ResumeCase, {"reason": _optional(reason), "at": _optional(at)})
    step.load()
    step.app.cases.resume(reference=step.ref, actor=step.user.name, **command.arguments())
    return step.effective(command.at, N_("Clock restarted."), N_("Clock restarted, effective {day}."))


@step_form("extend", Action.EXTEND_DEADLINE)
def extend(
    step: _Step,
    deadline: FormText = "",
    amount: FormText = "",
    unit: FormText = "",
    reason: FormText = "",
    at: FormText = "",
    version: FormText = "",
    confirm: FormText = "",
) -> Response:
    if unit not in UNITS:
        raise InvalidInputError(
            N_("{what}: unknown {kind} '{value}'; one of: {choices}"),
            what=Input("", "unit"),
            kind=Input(N_("unit")),
            value=unit[:40],
            choices=", ".join(step.tr.gettext(words) for words in UNITS.values()),
        )
    command = _command(
        step.request,
        commands.ExtendDeadline,
        {
            "deadline": deadline,
            "reason": reason,
            "days": _optional(amount) if unit == "days" else None,
            "months": _optional(amount) if unit == "months" else None,
            "at": _optional(at),
        },
    )
    case = step.load()
    if (answer := step.answered(confirm, version)) is not None:
        return answer
    size = Duration(days=command.days or 0, months=command.months or 0)
    tr = step.words()
    if confirm != "yes":
        # What the extension would do, decided by the core on the case as it stands; its
        # refusal (a deadline met or not started) comes before anything is asked.
        now = max(step.app.clock.now(), case.last_event_at)
        grown, _ = pausing.extend(
            case, deadline=command.deadline, amount=size, actor=step.user.name, reason=command.reason, at=now
        )
        before, after = case.deadline(command.deadline), grown.deadline(command.deadline)
        assert before is not None and after is not None
        return step.confirm(
            step.say(
                N_("You are about to extend the deadline “{deadline}” by {amount} for {reference}:"),
                deadline=step.term(command.deadline),
                amount=size.describe(tr),
                reference=step.ref,
            ),
            [
                (tr.gettext(N_("Due now")), before.due.isoformat()),
                (tr.gettext(N_("Due after the extension")), after.due.isoformat()),
                (_label(tr, "reason"), command.reason),
                (_label(tr, "at"), _when(command.at, step.request)),
            ],
        )
    saved = step.app.cases.extend(reference=step.ref, actor=step.user.name, **command.arguments())
    moved = saved.deadline(command.deadline)
    return step.done(
        step.say(
            N_("Deadline “{deadline}” extended by {amount} to {due}."),
            deadline=step.term(command.deadline),
            amount=size.describe(tr),
            due=moved.due.isoformat() if moved else "",
        )
    )


# ---- the case's details and facts ---------------------------------------------------------------


@step_form("edit", Action.EDIT_CASE)
def edit(
    step: _Step,
    themes: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006  (FastAPI copies it)
    host_countries: FormText = "",
    sector: FormText = "",
    guidelines_edition: FormText = "",
    supporting_ncps: FormText = "",
    reason: FormText = "",
    at: FormText = "",
) -> Response:
    # The form shows every field as it stands, so each is sent: an emptied one clears it.
    command = _command(
        step.request,
        commands.EditCase,
        {
            "reason": reason,
            "themes": themes,
            "host_countries": _codes(host_countries),
            "sector": sector,
            "guidelines_edition": guidelines_edition,
            "supporting_ncps": _codes(supporting_ncps),
            "at": _optional(at),
        },
    )
    before = step.load().details
    saved = step.app.cases.edit(reference=step.ref, actor=step.user.name, **command.arguments())
    changed = [name for name in EDITABLE if getattr(before, name) != getattr(saved.details, name)]
    fields = ", ".join(_label(step.tr, name) for name in changed)
    return step.done(step.say(N_("Saved: {fields}."), fields=fields))


@step_form("record", Action.RECORD_FACT)
def record(
    step: _Step, fact: FormText = "", on: FormText = "", by: FormText = "", note: FormText = ""
) -> Response:
    command = _command(
        step.request,
        commands.RecordFact,
        {"fact": fact, "on": on, "by": _optional(by), "note": _optional(note)},
    )
    case = step.load()
    step.app.cases.record(reference=step.ref, actor=step.user.name, **command.arguments())
    return step.done(
        step.say(
            N_("Recorded: {fact} on {day}."),
            fact=case.procedure.label("fact", command.fact, step.lang),
            day=command.on.isoformat(),
        )
    )


# ---- who leads ----------------------------------------------------------------------------------


@step_form("reassign", Action.REASSIGN_CASE, Action.CHANGE_LEAD_AS_CHAIR)
def reassign(
    step: _Step,
    to: FormText = "",
    reason: FormText = "",
    override: FormText = "",
    version: FormText = "",
    confirm: FormText = "",
) -> Response:
    step.app.cases.may_change_lead(user=step.user, action=Action.REASSIGN_CASE)  # before the form
    command = _command(
        step.request, commands.ReassignLead, {"to": to, "reason": reason, "override": bool(override)}
    )
    case = step.load()
    if (answer := step.answered(confirm, version)) is not None:
        return answer
    tr = step.tr
    if confirm != "yes":
        return step.confirm(
            step.say(
                N_("You are about to make {member} the lead of {reference}:"),
                member=command.to,
                reference=step.ref,
            ),
            [
                (tr.gettext(N_("Lead now")), case.lead_member or "—"),
                (_label(tr, "to"), command.to),
                (_label(tr, "override"), tr.gettext(N_("yes")) if command.override else ""),
                (_label(tr, "reason"), command.reason),
            ],
        )
    saved = step.app.cases.reassign(reference=step.ref, actor=step.user.name, **command.arguments())
    return step.done(step.say(N_("{member} now leads the case."), member=saved.lead_member))


@step_form("recuse", Action.RECUSE_MEMBER, Action.CHANGE_LEAD_AS_CHAIR)
def recuse(
    step: _Step, member: FormText = "", reason: FormText = "", version: FormText = "", confirm: FormText = ""
) -> Response:
    step.app.cases.may_change_lead(user=step.user, action=Action.RECUSE_MEMBER)  # before the form
    command = _command(step.request, commands.RecuseLead, {"member": member, "reason": reason})
    step.load()
    if (answer := step.answered(confirm, version)) is not None:
        return answer
    tr = step.tr
    if confirm != "yes":
        return step.confirm(
            step.say(
                N_("You are about to let {member} step aside as the lead of {reference}:"),
                member=command.member,
                reference=step.ref,
            ),
            [
                (
                    tr.gettext(N_("Who leads next")),
                    tr.gettext(N_("the rotation picks the next eligible member")),
                ),
                (_label(tr, "reason"), command.reason),
            ],
        )
    saved = step.app.cases.recuse(reference=step.ref, actor=step.user.name, **command.arguments())
    if saved.lead_member is None:
        said = step.say(N_("{member} stepped aside; nobody may lead the case now."), member=member)
    else:
        said = step.say(
            N_("{member} stepped aside; {lead} now leads the case."), member=member, lead=saved.lead_member
        )
    return step.done(said)


# ---- internal notes -----------------------------------------------------------------------------


@step_form("notes", Action.WRITE_NOTE)
def notes(step: _Step, text: NoteText = "", replaces: FormText = "", at: FormText = "") -> Response:
    command = _command(
        step.request,
        commands.AddNote,
        {"text": text, "replaces": _optional(replaces), "at": _optional(at)},
    )
    step.load()
    note = step.app.notes.add(reference=step.ref, actor=step.user.name, **command.arguments())
    return step.done(step.say(N_("Note {number} saved."), number=note.number))
