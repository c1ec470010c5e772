"""The party links section of a case's parties page (`/cases/{ref}/parties`): each link with its
party, expiry and state; a form to issue one (`MANAGE_PARTY_LINKS`), its address shown once after
issuing (held for the next page in a short-lived signed cookie, never in a URL or a log), and a
button to revoke one. Before `cases` in `AREAS`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.feeds import base_url
from ncpflow.web.pages.common import FormText, guard, language, redirect, whole_number
from ncpflow.web.pages.parties import key_words, show_parties
from states.errors import NcpflowError
from states.messages import N_
from states.permissions import Action, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

NEW_LINK_COOKIE = "ncpflow_new_link"
NEW_LINK_SECONDS = 300
LABELS = {"party": N_("Party"), "days": N_("Days valid"), "send": N_("E-mail it to the party")}
STATE_WORDS = {"active": N_("active"), "expired": N_("expired"), "revoked": N_("revoked")}


def _at(ref: str) -> str:
    return f"/cases/{quote(ref, safe='')}/parties"


def _new_links(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="new-party-link")


def section(request: Request, ref: str, user: User) -> dict[str, Any]:
    """What the parties page shows of the case's links (read inside the page's snapshot)."""
    app = application_of(request)
    tr = translator(language(request))
    new_url = None
    raw = request.cookies.get(NEW_LINK_COOKIE)
    if raw:
        try:
            held = _new_links(request).loads(raw, max_age=NEW_LINK_SECONDS)
        except BadSignature:
            held = {}
        if held.get("user") == user.name and held.get("ref") == ref:
            new_url = f"{base_url(request)}/p/{held['token']}"
    request.state.drop_new_link = bool(raw)
    return {
        "links": app.party_links.list(reference=ref),
        "can_manage_links": allows(user.role, Action.MANAGE_PARTY_LINKS),
        "new_link_url": new_url,
        "link_state": lambda state: tr.gettext(STATE_WORDS[state.value]),
        "default_days": app.settings.party_links.days,
    }


def done(request: Request, ref: str, response: Response) -> Response:
    """The page as answered: the new link's cookie dropped once it has been shown."""
    if getattr(request.state, "drop_new_link", False):
        response.delete_cookie(NEW_LINK_COOKIE, path=_at(ref))
    return response


@router.post("/cases/{ref}/parties/links")
@guard(Action.MANAGE_PARTY_LINKS)
def issue_link(
    request: Request,
    ref: str,
    party: FormText = "",
    days: FormText = "",
    send: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    from ncpflow.web.pages.common import spelling

    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        command = commands.validate(
            commands.IssuePartyLink, {"party": party or None, "days": days or None}, spell
        )
        new = application_of(request).party_links.issue(reference=ref, actor=user.name, **command.arguments())
    except NcpflowError as exc:
        kept = ("issue-link", {"party": party, "days": days, "send": send})
        return show_parties(request, ref, user, kept=kept, error=exc.words(tr, spell), status=422)
    said = tr.gettext(
        N_("Link {link} issued to {party}; copy its address below: it is shown this once.")
    ).format(link=new.link.id, party=key_words(new.link.party, tr))
    if new.sent_to:
        said += " " + tr.gettext(N_("It was e-mailed to the party's contacts ({count}).")).format(
            count=len(new.sent_to)
        )
    response = redirect(_at(ref), request, ok=said)
    response.set_cookie(
        NEW_LINK_COOKIE,
        _new_links(request).dumps({"user": user.name, "ref": ref, "token": new.token}),
        max_age=NEW_LINK_SECONDS,
        httponly=True,
        samesite="strict",
        secure=base_url(request).startswith("https://"),
        path=_at(ref),
    )
    return response


@router.post("/cases/{ref}/parties/links/{link}/revoke")
@guard(Action.MANAGE_PARTY_LINKS)
def revoke_link(
    request: Request,
    ref: str,
    link: str,
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    tr = translator(language(request))
    try:
        number = whole_number(link, "link") or 0
        revoked = application_of(request).party_links.revoke(reference=ref, link=number, actor=user.name)
    except NcpflowError as exc:
        return show_parties(request, ref, user, error=exc.words(tr), status=422)
    said = tr.gettext(N_("Link {link} of {party} revoked: it no longer opens.")).format(
        link=revoked.id, party=key_words(revoked.party, tr)
    )
    return redirect(_at(ref), request, ok=said)
