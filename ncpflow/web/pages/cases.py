"""A case's page with the steps that may come next (their forms are case_steps'; a refused one
comes back through `show_case` with the values the user typed; the dashboard: pages/search.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import i18n
from ncpflow.web.auth import application_of
from ncpflow.web.pages import sharing
from ncpflow.web.pages.common import (
    guard,
    language,
    render,
    spelling,
    urgency,
)
from ncpflow.web.pages.mediators import hard_conflicts
from ncpflow.web.pages.ncps import country_words, role_words
from states import case_links as link_rules
from states.case import duration_of
from states.deadlines import human_month
from states.errors import InvalidInputError
from states.guidelines import EDITIONS, THEMES
from states.messages import N_
from states.permissions import Action, allows
from states.precision import Precision
from states.procedure import Procedure
from states.users import User
from states.wording import days_late
from translations import translator
from workflow import commands, read_models, views
from workflow.application import Application

router = APIRouter(include_in_schema=False)


def _may_change(user: User, case: Any, *, changes_lead: bool = False) -> str | None:
    """None when the user may advance the case, else the message saying why not (for the chair,
    who `changes_lead` but does not lead the case, what it may do instead)."""
    try:
        views.may_advance(user, case)
    except views.ForbiddenError:
        if changes_lead:
            return N_(
                "Only the case's lead can move it on; as the chair you can give it to another lead "
                "or let its lead step aside."
            )
        return (
            N_("Only the case's lead can change it.")
            if allows(user.role, Action.ADVANCE_LED_CASE)
            else N_("You can read this case but not change it.")
        )
    return None


def _day_of(entry: read_models.AuditEntry, zone: ZoneInfo) -> str:
    """The day an entry took effect, in the NCP's zone; an imported entry's date as its file gave
    it, which may be only a month (`2007-02`): never an invented day (states/precision.py)."""
    imported = entry.data.get("imported")
    if isinstance(imported, dict) and isinstance(imported.get("date"), str):
        return str(imported["date"])
    return datetime.fromisoformat(entry.at).astimezone(zone).date().isoformat()


def _timeline(
    view: read_models.Case,
    entries: list[read_models.AuditEntry],
    app: Application,
    language: str,
    procedure: Procedure,
) -> list[dict[str, Any]]:
    """The stages in order, when each was entered, and its indicative timeline: those of
    `procedure`, the one the case follows."""
    entered: dict[str, str] = {}
    zone = ZoneInfo(view.timezone)
    for entry in entries:
        to_state = entry.to_state
        if to_state and to_state != entry.from_state and to_state not in entered:
            entered[to_state] = _day_of(entry, zone)
    deadlines = {d.name: d for d in view.deadlines}
    durations = {name: duration_of(procedure, name, app.policy) for name in procedure.deadlines}
    order = list(procedure.states)
    current = order.index(view.state) if view.state in order else len(order)
    steps = []
    for index, state in enumerate(order):
        name = procedure.stage_deadline(state)
        if state == view.state:
            status = "current"
        elif state in entered:
            status = "done"
        elif index < current:
            status = "skipped"
        else:
            status = "future"
        steps.append(
            {
                "state": state,
                "status": status,
                "entered": entered.get(state),
                "deadline": deadlines.get(name) if name else None,
                "duration": durations[name].describe(translator(language)) if name else None,
            }
        )
    return steps


# The story's filter by its labels on the page (case.html); a refusal names them so.
STORY_LABELS = {"kind": N_("Show"), "page": N_("Page"), "per_page": N_("Entries per page")}
STORY_KINDS_MAX = 20  # `kind` values read from the URL


def _story(
    request: Request, app: Application, ref: str, user: User, lang: str
) -> tuple[read_models.Timeline, str | None, dict[str, Any]]:
    """The case's story as the URL asks for it (`?kind=note&kind=step&page=2`), the refusal of
    a bad filter in the page's words (the story then shows everything), and the pager's links."""
    asked = request.query_params if request.method in ("GET", "HEAD") else None
    typed: dict[str, object] = {}
    if asked is not None:
        typed = {"kind": asked.getlist("kind")[:STORY_KINDS_MAX], "page": asked.get("page") or None}
    problem = None
    try:
        shown = commands.validate(commands.ReadTimeline, typed, spelling(request, STORY_LABELS))
        story = app.cases.timeline(reference=ref, viewer=user, language=lang, **shown.arguments())
    except InvalidInputError as exc:
        problem = exc.words(translator(lang), spelling(request, STORY_LABELS)) or type(exc).__name__
        story = app.cases.timeline(reference=ref, viewer=user, language=lang)
    pages = max(1, -(-story.total // story.per_page))
    chosen = [] if len(story.shown) == len(story.kinds) else story.shown

    def link(number: int) -> str:
        pairs = [("kind", kind) for kind in chosen] + ([("page", str(number))] if number > 1 else [])
        return f"/cases/{ref}?{urlencode(pairs)}#story" if pairs else f"/cases/{ref}#story"

    pager = {
        "number": story.page,
        "count": pages,
        "newer": link(story.page - 1) if 1 < story.page <= pages + 1 else None,
        "older": link(story.page + 1) if story.page < pages else None,
        "chosen": chosen,
        "only": {kind.name: f"/cases/{ref}?{urlencode([('kind', kind.name)])}#story" for kind in story.kinds},
        "all": f"/cases/{ref}#story",
    }
    return story, problem, pager


@router.get("/cases/{ref}", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def case_page(request: Request, ref: str, user: User) -> Response:
    return show_case(request, ref, user)


Kept = tuple[str, Mapping[str, Any]]
"""A form sent back to be filled again: its id on the page ("pause", "advance-accept") and the
values the user gave."""


def show_case(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Kept | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The case's page; after a refused step with the message (`error`), the form the user
    filled in again with their values (`kept`), and the refusal's status (422, 409)."""
    app = application_of(request)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it (pages/errors.py)
    lang = language(request)
    view = app.cases.view(case=case, viewer=user, language=lang)
    entries = app.audit.page(viewer=user, case_ref=ref, limit=100_000, language=lang).items
    options = app.cases.triggers(case=case, language=lang)
    lead_changes = app.cases.lead_changes(user=user)  # handlers, and the chair's member user
    blocked_reason = _may_change(user, case, changes_lead=bool(lead_changes) and not case.is_terminal)
    words = app.words(lang, procedure=case.procedure)  # the case's own procedure names its states
    helpers = i18n.helpers(lang, words)
    role = user.role
    story, story_problem, story_pager = _story(request, app, ref, user, lang)
    mediation = app.mediators.sessions(reference=ref, viewer=user, language=lang)
    ncps = app.ncps.show(reference=ref, viewer=user, language=lang)
    error = error or story_problem
    status = 422 if story_problem and status == 200 else status
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    response = render(
        request,
        "case.html",
        user,
        "dashboard",
        **helpers,
        **extra,
        received=(
            human_month(case.received_on, words)
            if case.received_precision is Precision.MONTH
            else view.received
        ),
        procedure_title=case.procedure.title.get(lang),
        case=view,
        parties=view.parties,
        urgency=urgency,
        days_late=_days_late,
        late_words=lambda n: days_late(n, words),
        terminal=case.is_terminal,
        timeline=_timeline(view, entries, app, lang, case.procedure),
        story=story,
        story_pager=story_pager,
        can_write_note=allows(role, Action.WRITE_NOTE),
        **_related_words(lang),
        can_link=allows(role, Action.LINK_CASES),
        checklist=app.checklists.show(reference=ref, viewer=user, language=lang),
        can_tick=allows(role, Action.TICK_CHECKLIST) and not case.is_terminal,
        precedents=app.cases.similar(reference=ref, viewer=user, language=lang),
        shares=_shares(lang),
        shown_day=lambda value: i18n.shown_day(value, lang),
        score_words=lambda value: format_decimal(value, format="#,##0.#", locale=lang),
        mediators=[a.name for a in mediation.assignments if a.active],
        mediator_conflicts=hard_conflicts(mediation),
        ncps=ncps,
        bundles=app.bundles.view(reference=ref).bundles,
        kind_words=sharing.KIND_WORDS,
        direction_words=sharing.DIRECTION_WORDS,
        country=country_words(lang),
        role_words=role_words(lang),
        can_read_internal=allows(role, Action.READ_INTERNAL),
        allowed=[o for o in options if o.allowed] if blocked_reason is None else [],
        blocked=[o for o in options if not o.allowed and o.to_state],
        can_change=blocked_reason is None,
        change_blocked=blocked_reason or "",
        can_pause=allows(role, Action.PAUSE_CASE),
        can_resume=allows(role, Action.RESUME_CASE),
        can_extend=allows(role, Action.EXTEND_DEADLINE),
        can_edit=allows(role, Action.EDIT_CASE),
        can_record=allows(role, Action.RECORD_FACT),
        can_reassign=Action.REASSIGN_CASE in lead_changes,
        can_recuse=Action.RECUSE_MEMBER in lead_changes,
        **_choices(view, case.procedure, lang, helpers),
        kept_form=kept[0] if kept else "",
        kept=kept[1] if kept else {},
    )
    response.status_code = status
    return response


def _related_words(lang: str) -> dict[str, Any]:
    """The related cases' words: each kind of link and each relation, and the NCPs by their
    countries' names, in the page's language."""
    tr = translator(lang)
    return {
        "link_kinds": {code: tr.gettext(words) for code, words in link_rules.KINDS.items()},
        "relations": {code: tr.gettext(words) for code, words in link_rules.RELATIONS.items()},
        "country_names": Locale.parse(lang).territories,
    }


# What a precedent has in common with the case, each dimension (states/precedents.py) as a phrase.
_SECTOR = N_("the sector “{sector}”")
_ENTERPRISE = N_("the same enterprise")
IN_COMMON = N_("In common with this case: {shared}.")


def _shares(lang: str) -> Callable[[read_models.Precedent], str]:
    """What a precedent has in common with the case, as a sentence in the page's language: the
    chapters by their titles and the host countries by their names (each list, and the whole,
    joined as the locale joins lists), the sector, the same enterprise."""
    tr = translator(lang)
    countries = Locale.parse(lang).territories
    locale = i18n.LOCALES[lang]

    def listed(items: list[str]) -> str:
        return str(format_list(items, locale=locale))

    def shares(precedent: read_models.Precedent) -> str:
        parts = []
        for name in precedent.matched:
            if name == "chapters":
                titles = [tr.gettext(THEMES.get(c, c)) for c in precedent.chapters]
                parts.append(
                    tr.ngettext("chapter {chapters}", "chapters {chapters}", len(titles)).format(
                        chapters=listed(titles)
                    )
                )
            elif name == "host_countries":
                names = [countries.get(c, c) for c in precedent.host_countries]
                parts.append(
                    tr.ngettext("host country {countries}", "host countries {countries}", len(names)).format(
                        countries=listed(names)
                    )
                )
            elif name == "sector":
                parts.append(tr.gettext(_SECTOR).format(sector=precedent.sector or ""))
            else:
                parts.append(tr.gettext(_ENTERPRISE))
        return tr.gettext(IN_COMMON).format(shared=listed(parts)) if parts else ""

    return shares


def _days_late(met_on: date | None, due: date) -> int:
    """How many days after its due date a deadline was met (0: on time, or not met)."""
    return 0 if met_on is None else max((met_on - due).days, 0)


def _choices(
    view: read_models.Case, procedure: Procedure, lang: str, helpers: Mapping[str, Any]
) -> dict[str, Any]:
    """The choices the step forms offer, each value with its words in `lang`: the open deadlines
    (with their due dates), the facts `procedure` lets the case record in its state and whom they
    may name, the members who might lead instead, the Guidelines' chapters and editions."""
    term, gettext = helpers["term"], helpers["gettext"]
    facts = {n: f for n, f in procedure.facts.items() if view.state in f.recorded_in}
    leads = {m.member: m.name for m in view.taking_part if not m.lead}
    leads |= {m.member: f"{m.member} ({term('tag_' + m.reason)})" for m in view.not_taking_part}
    return {
        "open_deadlines": {
            d.name: f"{i18n.upper_first(term(d.name))} ({d.due})" for d in view.deadlines if d.met_on is None
        },
        "facts": {name: i18n.upper_first(procedure.label("fact", name, lang)) for name in facts},
        "fact_by": {by: label.get(lang) for fact in facts.values() for by, label in fact.by.items()},
        "leads": leads,
        "themes": [(name, gettext(title)) for name, title in THEMES.items()],
        "editions": {e: gettext(N_("2011 and 2023")) if e == "both" else e for e in EDITIONS},
    }
