"""Every page of the site, with sample values for its path parameters.

A page is a GET route of the pages (`ncpflow.web.pages`) declared with
`response_class=HTMLResponse`; downloads and static files are not pages. The browser tests
(axe-core, overflow at phone width, screenshots) and the Norwegian check walk what `page_urls`
yields, so a new page is covered as soon as its route exists and its path parameters have a
sample here.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts

# More than one view of a page: its path → the query strings to visit besides the bare path.
VARIANTS: dict[str, tuple[str, ...]] = {
    "/audit": ("?kind=transitioned",),
    "/": ("?mine=1",),
    "/cases": ("?q=fjord&closed=0",),
    "/cases/{ref}": ("?kind=note",),  # the case's story, its notes alone
    # The site's case is received 31 Jan 2025: its acknowledgement falls due in these.
    "/calendar": ("?month=2025-02", "?week=2025-W07"),
}


# Samples for path parameters every walk can use: a user (the admin pages) and a member, as the
# test sites make them (tests/e2e/conftest.py: the admin `ada`; config.toml's members).
SAMPLES: dict[str, str] = {"name": "ada", "member": "member-b"}


def page_paths(app: FastAPI) -> list[str]:
    """The paths of the pages' GET routes that answer HTML, in the order they are matched
    (included routers' too, with their prefixes)."""
    found: list[str] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if (
            isinstance(route, APIRoute)
            and "GET" in route.methods
            and route.response_class is HTMLResponse
            and route.endpoint.__module__.startswith("ncpflow.web.pages")
        ):
            found.append(context.path or route.path)
    return found


def page_urls(app: FastAPI, samples: Mapping[str, str]) -> list[str]:
    """Each page's URL (and its VARIANTS), path parameters filled from `samples` by name
    (`{"ref": "NCP-2026-001"}`); a parameter without a sample is an error naming it."""
    urls: list[str] = []
    samples = {**SAMPLES, **samples}
    for template in page_paths(app):
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        missing = [name for name in names if name not in samples]
        if missing:
            raise KeyError(f"{template}: give {missing} a sample (tests/e2e/page_walk.py)")
        path = template.format(**{name: samples[name] for name in names})
        urls.append(path)
        urls.extend(path + query for query in VARIANTS.get(template, ()))
    return urls
