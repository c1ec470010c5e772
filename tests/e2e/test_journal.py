"""The journal through the command line (`journal export`) and its pages through HTTP: the
signed-in `/journal` and the public `/public/journal` without signing in, in English and
Norwegian, their CSV and JSON downloads, and refusals of a bad period."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from tests.conftest import InProcessCli
from tests.e2e.conftest import Site
from tests.helpers import file_pdf
from workflow.bootstrap import Services
from workflow.cases import PartyInput

WITHHELD = "Kari Nordmann"
GROUND = "offentleglova § 13"


def _withheld_case(services: Services) -> str:
    ref = services.cases.open(
        title="Reprisals",
        submitters=[PartyInput(WITHHELD, "individual", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 1, 31),
    ).reference
    file_pdf(services, ref, 1, f"Complaint from {WITHHELD}", party="submitter-1", exemption=GROUND)
    file_pdf(services, ref, 2, f"Reply to {WITHHELD}", direction="out", party="submitter-1", access="public")
    file_pdf(services, ref, 3, "Internal memo", direction="internal", access="ncp")
    return ref


def test_journal_export_writes_csv_and_json_and_its_public_variant(ncp: InProcessCli, tmp_path: Path) -> None:
    """CSV with its header, JSON with the period; `--public` without the exempt title or the
    withheld name; `--output` writes the file."""
    ref = ncp.json(
        "case", "open", "--title", "T", "--submitter", WITHHELD, "--confidential-submitter",
        "--enterprise", "Nordic Metals ASA", "--received", "2025-03-03", "--actor", "sek", "--json",
    )["reference"]  # fmt: skip
    from workflow.bootstrap import bootstrap
    from workflow.config import load_settings

    services = bootstrap(load_settings(None))
    try:
        file_pdf(services, ref, 1, f"Complaint from {WITHHELD}", party="submitter-1", exemption=GROUND)
        file_pdf(services, ref, 2, "Internal memo", direction="internal", access="ncp")
    finally:
        services.close()
    rows = list(csv.DictReader(io.StringIO(ncp("journal", "export", "--format", "csv").stdout)))
    assert [(r["case"], r["direction"], r["party"], r["title"], r["exemption"]) for r in rows] == [
        (ref, "in", WITHHELD, f"Complaint from {WITHHELD}", "offentleglova § 13")
    ]
    public = ncp("journal", "export", "--format", "json", "--public", "--from", "2025-01-01", "--lang", "nb")
    assert public.returncode == 0, public.stderr
    document = json.loads(public.stdout)
    assert document["public"] is True and document["from"] == "2025-01-01" and document["to"] is None
    assert document["entries"][0]["title"] == "Unntatt offentlighet, offentleglova § 13"
    assert WITHHELD not in public.stdout
    target = tmp_path / "journal.csv"
    assert ncp("journal", "export", "--format", "csv", "--public", "--output", str(target)).returncode == 0
    assert "Unntatt offentlighet" in target.read_text(encoding="utf-8")  # config.toml: [ncp] language = "nb"


def test_journal_export_refuses_a_bad_period_naming_the_option(ncp: InProcessCli) -> None:
    """A period backwards or a date that is none: exit 2 naming --from or --to."""
    backwards = ncp("journal", "export", "--format", "csv", "--from", "2025-02-01", "--to", "2025-01-01")
    assert backwards.returncode == 2 and "--to 2025-01-01 is before --from 2025-02-01" in backwards.stderr
    nonsense = ncp("journal", "export", "--format", "json", "--from", "yesterday")
    assert nonsense.returncode == 2 and "--from" in nonsense.stderr
    assert ncp("journal", "export", "--format", "xml").returncode == 2


def test_the_public_journal_needs_no_sign_in_and_shows_no_exempt_title_or_withheld_name(site: Site) -> None:
    """Signed out: the page, in Norwegian too, and its downloads; the signed-in journal sends
    the visitor to sign in."""
    _withheld_case(site.services)
    site.client.cookies.clear()
    assert site.client.get("/journal", follow_redirects=False).status_code == 303
    page = site.client.get("/public/journal?lang=en")
    assert page.status_code == 200
    assert "Exempt from public access, offentleglova § 13" in page.text
    assert WITHHELD not in page.text and "Internal memo" not in page.text
    assert 'href="/cases/' not in page.text  # no links into the NCP's pages
    nb = site.client.get("/public/journal?lang=nb").text
    assert "Offentlig journal" in nb and f"Unntatt offentlighet, {GROUND}" in nb and WITHHELD not in nb
    download = site.client.get("/public/journal.csv?public=0")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"] and WITHHELD not in download.text
    as_json = site.client.get("/public/journal.json").json()
    assert as_json["public"] is True and len(as_json["entries"]) == 2


def test_the_signed_in_journal_shows_titles_as_filed_and_offers_the_public_variant(site: Site) -> None:
    """A handler sees the titles and names as filed, linked to their cases; `public=1` gives the
    public variant; the downloads carry the period and the variant."""
    ref = _withheld_case(site.services)
    page = site.client.get("/journal?lang=en").text
    assert f"Complaint from {WITHHELD}" in page and f'href="/cases/{ref}"' in page
    assert "Internal memo" not in page  # internal documents are no journal entries
    assert "/journal.csv?from=" in page and "/journal.json?from=" in page
    public = site.client.get("/journal?public=1&from=2020-01-01&lang=en").text
    assert WITHHELD not in public and "Exempt from public access" in public
    assert "/journal.csv?from=2020-01-01&amp;public=1&amp;lang=en" in public
    rows = list(csv.DictReader(io.StringIO(site.client.get("/journal.csv?from=2020-01-01").text)))
    assert [r["title"] for r in rows] == [f"Complaint from {WITHHELD}", f"Reply to {WITHHELD}"]


def test_an_auditor_sees_pseudonyms_in_the_journal(site: Site) -> None:
    """Signed in as an auditor, the NCP's journal still names no withheld party."""
    _withheld_case(site.services)
    site.sign_in_as("aud", "auditor")
    page = site.client.get("/journal?from=2020-01-01&lang=en")
    assert page.status_code == 200 and WITHHELD not in page.text
    assert WITHHELD not in site.client.get("/journal.json?from=2020-01-01").text


def test_a_bad_period_is_refused_on_the_page_in_its_language_keeping_what_was_typed(site: Site) -> None:
    """422, the page itself, the field named by its label in Norwegian, the dates kept."""
    answer = site.client.get("/public/journal?from=2025-02-01&to=2025-01-01&lang=nb")
    assert answer.status_code == 422
    assert "Til 2025-01-01 er før Fra 2025-02-01" in answer.text
    assert 'value="2025-02-01"' in answer.text and 'value="2025-01-01"' in answer.text
    assert site.client.get("/journal.csv?from=nonsense").status_code == 422


def test_a_documents_entry_in_the_story_links_a_download_that_answers(site: Site) -> None:
    """The case page's story links each document version to the download of the documents page."""
    ref = _withheld_case(site.services)
    page = site.client.get(f"/cases/{ref}?kind=document&lang=en").text
    link = f"/cases/{ref}/documents/1/content?version=1"
    assert f'href="{link}"' in page
    download = site.client.get(link)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-1.4")
    assert "attachment" in download.headers["content-disposition"]
