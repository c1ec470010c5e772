"""The audit log page (filters, pages of 100, the chain's verdict) and its JSONL download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, int_param, language, query, render
from states.permissions import Action, allows
from states.users import User

router = APIRouter(include_in_schema=False)
AUDIT_PAGE_SIZE = 100  # entries on one page of /audit, newest first


@router.get("/audit", response_class=HTMLResponse)
@guard(Action.READ_AUDIT, one_snapshot=True)
def audit_page(request: Request, user: User) -> Response:
    app = application_of(request)
    case_filter = request.query_params.get("case") or ""
    kind_filter = request.query_params.get("kind") or ""
    before = int_param(request, "before")
    refs = app.cases.references()
    page = app.audit.page(
        viewer=user,
        case_ref=case_filter if case_filter in refs else None,
        kind=kind_filter or None,
        limit=AUDIT_PAGE_SIZE + 1,
        before=before,
        newest_first=True,
        language=language(request),
    )
    entries = page.items[:AUDIT_PAGE_SIZE]
    # One entry more than shown tells whether an older page exists.
    older = (
        "/audit?" + query(case=case_filter, kind=kind_filter, before=str(entries[-1].seq))
        if len(page.items) > AUDIT_PAGE_SIZE
        else None
    )
    filters = query(case=case_filter, kind=kind_filter)
    verdict = app.audit.verify_chain().as_dict()
    return render(
        request,
        "audit.html",
        user,
        "audit",
        entries=entries,
        show_case=True,
        refs=refs,
        kinds=app.audit.kinds(),
        case_filter=case_filter,
        kind_filter=kind_filter,
        verdict=verdict,
        exports=_exports(case_filter) if allows(user.role, Action.EXPORT_AUDIT) else [],
        older=older,
        newest=("/audit?" + filters if filters else "/audit") if before else None,
    )


def _exports(case_filter: str) -> list[tuple[str, str]]:
    """Download links for the hash-carrying export (workflow.exports), pseudonymised."""
    links = [("JSONL", "/audit/export.jsonl")]
    if case_filter:
        links.append((f"JSONL {case_filter}", f"/audit/export.jsonl?{query(case=case_filter)}"))
    return links


@router.get("/audit/export.jsonl")
@guard(Action.EXPORT_AUDIT, one_snapshot=True)
def audit_export(request: Request, user: User) -> Response:
    """`audit export` as a download: every entry with its hashes; submitters pseudonymised."""
    case_ref = request.query_params.get("case") or None
    body = "".join(application_of(request).audit.export(case_ref=case_ref))
    name = f"ncpflow-audit{'-' + case_ref if case_ref else ''}.jsonl"
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
