"""Every page of the site, with sample values for its path parameters.

A page is a GET route of the pages (`ncpflow.web.pages`) declared with
`response_class=HTMLResponse`; downloads and static files are not pages. The browser tests
(axe-core, overflow at phone width, screenshots) and the Norwegian check walk what `page_urls`
yields, so a new page is covered as soon as its route exists and its path parameters have a
sample here.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

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
    "/register": ("?stage=closed&theme=environment",),  # the register narrowed by its filters
}


# A path parameter's sample: one value, several, or a function of the parameters filled before it
# (a case's document numbers, given its `ref`).
Sample = str | Sequence[str] | Callable[[Mapping[str, str]], Sequence[str]]

# Samples for path parameters every walk can use: a user (the admin pages) and a member, as the
# test sites make them (tests/e2e/conftest.py: the admin `ada`; config.toml's members).
SAMPLES: dict[str, str] = {"name": "ada", "member": "member-b"}


def party_token(application: Any, reference: str, party: str = "submitter-1") -> str:
    """A sample for `/p/{token}` (a party's own page): a link issued through `application` (an
    `Application`) to `party` of the open case `reference`."""
    issued = application.party_links.issue(reference=reference, party=party, actor="walk", days=30)
    return str(issued.token)


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


def parameters(template: str) -> list[str]:
    """The names of a route's path parameters, in order (`/cases/{ref}/letters/{number}`: ref, number)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _sample_key(template: str, name: str) -> str:
    """The specific key of a parameter's sample: the path segment before it and its name
    (`/cases/{ref}/documents/{number}`: `documents/number`; `/static/{name}`: `static/name`)."""
    before = template[: template.index("{" + name + "}")].rstrip("/").rsplit("/", 1)[-1]
    return f"{before}/{name}"


def fill(template: str, samples: Mapping[str, Sample]) -> list[str]:
    """`template` with its path parameters filled from `samples`, every combination: a
    parameter's sample is found under its specific key (`documents/number`, `_sample_key`), else
    under its name (`ref`); a function is called with the parameters filled before it. A
    parameter without a sample is a KeyError naming the route and the parameter."""
    names = parameters(template)
    missing = [name for name in names if _sample_key(template, name) not in samples and name not in samples]
    if missing:
        raise KeyError(f"{template}: give {missing} a sample (tests/e2e/page_walk.py)")
    filled: list[dict[str, str]] = [{}]
    for name in names:
        key = _sample_key(template, name)
        sample = samples[key] if key in samples else samples[name]
        filled = [
            {**done, name: value}
            for done in filled
            for value in (
                [sample] if isinstance(sample, str) else sample(done) if callable(sample) else sample
            )
        ]
    return [template.format(**values) for values in filled]


def page_urls(app: FastAPI, samples: Mapping[str, Sample]) -> list[str]:
    """Each page's URL (and its VARIANTS), path parameters filled from `samples` by name
    (`{"ref": "NCP-2026-001"}`; `fill`); a parameter without a sample is an error naming it."""
    urls: list[str] = []
    samples = {**SAMPLES, **samples}
    for template in page_paths(app):
        for path in fill(template, samples):
            urls.append(path)
            urls.extend(path + query for query in VARIANTS.get(template, ()))
    return urls
