"""The page walk (tests/e2e/page_walk.py) reaches every page, and each answers with HTML."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.e2e.conftest import PASSWORD, Site
from tests.e2e.page_walk import page_urls, party_token
from tests.helpers import made_public, open_one, sign_in


def test_every_page_of_the_walk_answers_a_handler_or_an_admin_with_a_page(site: Site) -> None:
    """Each page the walk yields answers a signed-in handler with an HTML page; the pages only
    admins may see (users) answer the admin."""
    app = site.client.app
    assert isinstance(app, FastAPI)
    public = made_public(site.services, open_one(site.services, title="Forest concession"))
    samples = {
        "ref": site.reference,
        "register/ref": public,
        "token": party_token(site.services, site.reference),
    }
    urls = page_urls(app, samples)
    assert {"/", f"/cases/{site.reference}", "/audit", "/members", "/signin"} <= set(urls)
    assert {"/register", f"/register/{public}"} <= set(urls)
    assert {"/admin/users", "/admin/users/ada", "/members/member-b", "/members/sync"} <= set(urls)
    assert any(url.startswith("/p/") for url in urls)  # a party's own page
    refused = []
    for url in urls:
        answer = site.client.get(url)
        if answer.status_code == 403:
            refused.append(url)
            continue
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith("text/html"), url
    assert refused and all(url.startswith("/admin/") for url in refused)
    site.client.cookies.clear()
    assert sign_in(site.client, "ada", PASSWORD).status_code == 303
    for url in refused:
        answer = site.client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith("text/html"), url


def test_a_page_parameter_without_a_sample_is_named(site: Site) -> None:
    """A path parameter the walk has no sample for is an error naming the page."""
    app = site.client.app
    assert isinstance(app, FastAPI)
    with pytest.raises(KeyError, match=r"/cases/\{ref\}"):
        page_urls(app, {})
