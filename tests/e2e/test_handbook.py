"""The handbook at the edges: `ncpflow handbook [--lang] [--format] [--output] [--version]` and the
page /handbook (every signed-in role, `?version=`, en and nb); bad input refused with a message
and exit 2 or the 404 page, nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from tests.conftest import InProcessCli
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import OECD, sign_in


def test_the_command_writes_the_handbook_as_html_in_the_language_asked(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """`--lang nb --output FILE`: the Norwegian HTML file; without --output, stdout."""
    target = tmp_path / "handbok.html"
    result = ncp("handbook", "--lang", "nb", "--output", str(target))
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert '<html lang="nb">' in page and "Prosedyrehåndbok" in page and "første vurdering" in page
    printed = ncp("handbook", "--lang", "en")
    assert (
        printed.returncode == 0
        and '<html lang="en">' in printed.stdout
        and "Procedure handbook" in printed.stdout
    )


def test_the_command_writes_a_pdf_whose_text_names_every_stage(ncp: InProcessCli, tmp_path: Path) -> None:
    """`--format pdf`: a PDF that reads back with each stage's name and its steps."""
    target = tmp_path / "handbook.pdf"
    result = ncp("handbook", "--format", "pdf", "--lang", "en", "--output", str(target))
    assert result.returncode == 0, result.stderr
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages)
    for name in OECD.states:
        assert OECD.label("state", name, "en") in text
    assert "Begin assessment → initial assessment" in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--lang", "fr"), "'fr' is not one of 'en', 'nb'"),
        (("--format", "docx"), "'docx' is not one of 'html', 'pdf'"),
        (("--output", "missing-folder/handbook.html"), "the folder 'missing-folder' does not exist"),
        (("--version", "99"), "the procedure oecd-2023 has no version '99'"),
    ],
)
def test_bad_input_to_the_command_is_refused_with_exit_2_and_nothing_is_written(
    ncp: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    """An unknown language, format or version, an output in a missing folder: exit 2, the message
    names the problem, no file is made."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    extra = () if "--output" in args else ("--output", "out.html")
    result = ncp("handbook", *args, *extra)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("role", ["handler", "member", "auditor", "admin", "mediator"])
def test_every_signed_in_role_reads_the_handbook_page(site: Site, role: str) -> None:
    """Each role gets the page, linked from the menu, its stages and history."""
    if role == "mediator":
        site.services.mediators.add(
            actor="test", mediator_id="ola-hansen", name="Ola Hansen", email="ola@example.org"
        )
        site.services.users.add(
            name="mekler", role="mediator", mediator_id="ola-hansen", actor="test", password=PASSWORD
        )
        site.client.cookies.clear()
        assert sign_in(site.client, "mekler", PASSWORD).status_code == 303
    else:
        site.sign_in_as(f"reader-{role}", role, "member-b" if role == "member" else None)
    page = site.client.get("/handbook")
    assert page.status_code == 200
    assert 'href="/handbook" aria-current="page"' in page.text
    assert 'id="stage-initial_assessment"' in page.text and 'id="handbook-history"' in page.text


def test_the_page_is_in_norwegian_and_shows_the_version_asked(site: Site) -> None:
    """`?lang=nb`: the Norwegian handbook; `?version=6` (the version in force): the same version."""
    page = site.client.get(f"/handbook?lang=nb&version={OECD.version}")
    assert page.status_code == 200
    assert '<html lang="nb"' in page.text and "Prosedyrehåndbok" in page.text
    assert "Hva partene får vite" in page.text and "What the parties are told" not in page.text


def test_an_unknown_version_answers_the_404_page_in_the_pages_language(site: Site) -> None:
    """`?version=99`: 404, the page names the version and those there are, in Norwegian."""
    page = site.client.get("/handbook?version=99&lang=nb", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "prosedyren oecd-2023 har ingen versjon &#39;99&#39;; versjonene er: 6" in page.text


def test_the_page_sends_a_visitor_who_is_not_signed_in_to_sign_in(site: Site) -> None:
    """Signed out: the handbook is not public; the sign-in page, then the handbook again."""
    site.client.cookies.clear()
    answer = site.client.get("/handbook", follow_redirects=False)
    assert answer.status_code in (302, 303) and "/signin" in answer.headers["location"]
    assert sign_in(site.client, "hanna", PASSWORD).status_code == 303
    assert site.client.get("/handbook").status_code == 200


def test_the_page_offers_the_handbook_as_a_pdf_in_its_language(site: Site) -> None:
    """`/handbook.pdf?lang=nb`: an attachment, a PDF whose text is Norwegian; an unknown version 404."""
    page = site.client.get("/handbook?lang=nb")
    assert f'href="/handbook.pdf?version={OECD.version}&amp;lang=nb"' in page.text
    answer = site.client.get(f"/handbook.pdf?version={OECD.version}&lang=nb")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="ncpflow-handbook-nb.pdf"'
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(answer.content)).pages)
    assert "Prosedyrehåndbok" in text and "første vurdering" in text
    assert site.client.get("/handbook.pdf?version=99", headers={"Accept": "text/html"}).status_code == 404
