"""Helpers the tests share: one way to open a case through the use case, to file a small
document on it, to find a free port, to wait for a condition, and to sign in through the pages'
form."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime

import httpx
import pytest

from workflow import procedures
from workflow.bootstrap import Services
from workflow.cases import PartyInput, open_case
from workflow.rotation import Notices

# The shipped default procedure, as the core sees it (parsed once).
OECD = procedures.shipped("oecd-2023")


def open_one(
    services: Services,
    *enterprises: str,
    received: date | datetime = date(2025, 1, 31),
    title: str = "Fish farm discharges",
    submitter: str = "Naturvernforbundet",
    numbers: Mapping[str, str] | None = None,
    actor: str = "sek",
) -> str:
    """Open a case as the CLI does (lead notices wired) and return its reference.

    One submitting NGO; the enterprises named (Havbruk Seafood ASA when none), with the org
    numbers in `numbers`.
    """
    numbers = numbers or {}
    case = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[PartyInput(submitter, "ngo")],
        enterprises=[
            PartyInput(e, org_number=numbers.get(e)) for e in enterprises or ("Havbruk Seafood ASA",)
        ],
        actor=actor,
        received=received,
        notices=Notices(services.settings, services.render),
    )
    return case.reference


def file_pdf(services: Services, reference: str, n: int, title: str, **fields: object) -> None:
    """File a small PDF (its content told apart by `n`) on the case as document `title`, by
    `sek`: received (`direction="in"`) and for the parties unless `fields` say otherwise
    (`direction`, `access`, `party`, `exemption`)."""
    values: dict[str, object] = {"direction": "in", "access": "parties", **fields}
    services.documents.add(
        reference=reference,
        source=[b"%PDF-1.4\n% a document " + str(n).encode() + b"\n"],
        filename=f"document-{n}.pdf",
        title=title,
        actor="sek",
        **values,  # type: ignore[arg-type]
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Poll `condition` until it holds; fail the test naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def csrf_of(page: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def sign_in(
    client: httpx.Client, name: str, password: str, *, next: str = "/", headers: dict[str, str] | None = None
) -> httpx.Response:
    """The sign-in form, as a browser fills it: the form's CSRF token, then the post; the
    answer (303 when signed in) is not followed. A Secure pre-session cookie, which a client
    keeps back over plain http, is carried by hand."""
    from ncpflow.web.auth import PRESESSION_COOKIE

    form = client.get("/signin", headers=headers)
    assert form.status_code == 200, form.text
    for cookie in form.headers.get_list("set-cookie"):
        pre = re.match(PRESESSION_COOKIE + r"=([^;]+)", cookie)
        if pre and "; secure" in cookie.lower() and client.base_url.scheme == "http":
            client.cookies.set(PRESESSION_COOKIE, pre.group(1))
    return client.post(
        "/signin",
        headers=headers,
        follow_redirects=False,
        data={"username": name, "password": password, "csrf_token": csrf_of(form.text), "next": next},
    )


def made_public(services: Services, reference: str, *, actor: str = "sek") -> str:
    """Reject the case (from `received`) and close it with its statement published, so the
    public register lists it (states/register.py); its reference."""
    for trigger in ("begin_assessment", "reject", "close"):
        services.cases.advance(reference=reference, trigger=trigger, actor=actor, reason="Made public")
    return reference


HANDBOOK_BLOCK = "\n# ------------------------------------------------------------------ handbook (version 6)"
CHECKLISTS_BLOCK = (
    "# ------------------------------------------------------------------ checklists (version 6)"
)
TRIGGERS_BLOCK = "# ------------------------------------------------------------------ triggers"


def oecd_version_5(text: str | None = None) -> str:
    """oecd-2023 version 5 exactly as shipped: the shipped definition (or `text`, one made from
    it) without what version 6 added: the handbook's texts (one block at the end), the stage
    checklists (one block after the states) and the guard that requires them."""
    text = (text or OECD.text).replace('version = "6"', 'version = "5"', 1)
    text = text[: text.index(HANDBOOK_BLOCK)] if HANDBOOK_BLOCK in text else text
    if CHECKLISTS_BLOCK in text:
        text = text[: text.index(CHECKLISTS_BLOCK)] + text[text.index(TRIGGERS_BLOCK) :]
    return text.replace('guards = ["checklist_complete"]  # version 6\n', "")


def oecd_version_4(text: str | None = None) -> str:
    """oecd-2023 version 4 exactly as shipped: version 5 without what it added, the
    coordination between NCPs (its two facts and its deadline)."""
    text = oecd_version_5(text).replace('version = "5"', 'version = "4"')
    facts = text.index("# Coordination between NCPs (version 5)")
    text = (
        text[:facts]
        + text[text.index("# ------------------------------------------------------------------ deadlines") :]
    )
    deadline = text.index("# The NCPs agree on the lead within")
    return text[:deadline] + text[text.index("[deadlines.initial_assessment]") :]
