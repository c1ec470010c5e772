"""Letters from their Word templates: every template renders with StrictUndefined at every step of
every shipped procedure that offers it, in both languages; the DOCX and the PDF hold the case's
reference and the notices the deadline's own explanation; a withheld party is never named to
another; Norwegian letters hold no English; a template with an unknown variable fails loudly.

The cases are the pure core's (no database): the context needs only a case and the settings.
PDFs are slow (WeasyPrint): each is rendered once for the module.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import docx
import pypdf
import pytest

from notifications.letters import Stationery, paragraphs_of, pdf_of, render_edited, render_letter, text_of
from notifications.letters.make_templates import templates
from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, open_case
from states.durations import Duration
from states.letters import KINDS, LetterTemplateError
from states.pausing import extend, pause
from states.procedure import Procedure
from states.redaction import Protected
from tests.e2e.nb_check import StrictWords, leaks
from workflow import procedures
from workflow.config import Settings
from workflow.letter_context import LetterContext, Recipient, letter_context

HERE = Path(__file__).resolve().parents[2] / "notifications" / "letters"
TODAY = date(2025, 3, 3)
SETTINGS = Settings.model_validate(
    {
        "ncp": {
            "name": "Norway's National Contact Point for Responsible Business Conduct",
            "name_nb": "Kontaktpunktet for ansvarlig næringsliv",
            "address": ["Postboks 8114 Dep", "0032 Oslo"],
        }
    }
)
WITHHELD = "Kari Nordmann"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


def policy(procedure: Procedure) -> Policy:
    return Policy(timelines={}, calendar=CalendarRule("Europe/Oslo"), procedure=procedure)


def opened(
    procedure: Procedure, *, title: str = "Utslipp fra oppdrettsanlegg", confidential: bool = False
) -> Case:
    case, _ = open_case(
        reference="NCP-2025-007",
        title=title,
        parties=(
            Party(
                PartyRole.SUBMITTER,
                WITHHELD if confidential else "Naturvernforbundet",
                confidential=confidential,
            ),
            Party(PartyRole.ENTERPRISE, "Havbruk Seafood ASA"),
        ),
        received_at=at("2025-01-31"),
        opened_at=at("2025-01-31"),
        actor="sek",
        policy=policy(procedure),
        procedure=procedure,
    )
    return case


def steps(procedure: Procedure) -> Iterator[tuple[Case, tuple[str, str] | None]]:
    """A case at every step of `procedure`: its initial state, and the state each transition leads
    to, entered by that transition."""
    rules = policy(procedure)
    start = opened(procedure)
    yield start, None
    seen: set[tuple[str, str]] = set()
    todo = [start]
    while todo:
        case = todo.pop(0)
        for row in procedure.transitions_from(case.state):
            if (row.source, row.trigger) in seen:
                continue
            seen.add((row.source, row.trigger))
            moved, _ = advance(
                case,
                trigger=row.trigger,
                actor="sek",
                reason="step",
                at=at("2025-02-20"),
                policy=rules,
                outcome=row.outcomes[0] if row.outcomes else None,
            )
            yield moved, (row.source, row.trigger)
            todo.append(moved)


def context(
    case: Case, kind: str, language: str, key: str = "enterprise-1", **options: object
) -> LetterContext:
    name = dict((k, p.name) for k, p in _keys(case))[key]
    recipient = Recipient(key=key, name=name, language=language, address=("Storgata 1", "0155 Oslo"))
    return letter_context(
        case=case,
        kind=kind,
        recipient=recipient,
        today=TODAY,
        settings=SETTINGS,
        lead="Hanna Berg",
        **options,
    )  # type: ignore[arg-type]


def _keys(case: Case) -> list[tuple[str, Party]]:
    from states.parties import party_keys

    return party_keys(case.parties)


def xml_text(rendered: bytes) -> str:
    """The text of a DOCX's body, one paragraph a line, read from its XML."""
    import html
    import zipfile

    body = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml").decode("utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", body.replace("</w:p>", "\n")))


def words(text: str) -> str:
    """`text` with its white space as one space each (a PDF breaks lines where it must)."""
    return " ".join(text.split())


# ---- every template, every step --------------------------------------------------------------


WALK = [
    (ident, case, entered, kind)
    for ident in procedures.shipped_ids()
    for case, entered in steps(procedures.shipped(ident))
    for kind in case.procedure.letters_offered(case.state, entered_by=entered)
]


def test_the_walk_reaches_every_kind_at_some_step() -> None:
    """The procedures' data offers every letter kind somewhere (so the walk renders them all)."""
    assert {kind for _ident, _case, _entered, kind in WALK} == set(KINDS)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_letter_renders_at_every_step_that_offers_it(language: str) -> None:
    """For each shipped procedure, each step and each letter it offers: the template renders with
    StrictUndefined, and the document holds the reference (and, for a notice, the deadline's
    explanation as the case's page words it) and no template tag. (Read from its XML: python-docx
    opens the letters in the tests below, and would double this one's time.)"""
    for index, (ident, case, entered, kind) in enumerate(WALK):
        key = "enterprise-1" if index % 2 else "submitter-1"
        letter = context(case, kind, language, key=key)
        rendered = render_letter(kind, language, letter.values)
        text = xml_text(rendered)
        where = f"{ident} {case.state} (after {entered}) {kind} {language}"
        assert case.reference in text, where
        assert "{{" not in text and "{%" not in text, where
        if letter.values["deadline"] is not None:
            assert words(letter.values["deadline"]["explanation"]) in words(text), where


def test_every_shipped_template_is_the_one_the_script_makes() -> None:
    """The committed .docx files are exactly what `python -m notifications.letters.make_templates`
    writes from its wording (run it after changing the wording)."""
    made = templates()
    statements = ("statement_initial_assessment", "statement_final_statement", "statement_follow_up")
    assert set(made) == {
        f"{language}/{kind}.docx" for language in ("en", "nb") for kind in (*KINDS, "letter", *statements)
    }
    for name, data in made.items():
        assert (HERE / name).read_bytes() == data, (
            f"{name} is stale: run python -m notifications.letters.make_templates"
        )


# ---- the notices quote the deadline: DOCX and PDF ------------------------------------------


def paused_and_extended(language_title: str = "Utslipp fra oppdrettsanlegg") -> Case:
    procedure = procedures.shipped("oecd-2023")
    case = opened(procedure, title=language_title)
    case, _ = advance(
        case,
        trigger="begin_assessment",
        actor="sek",
        reason="ok",
        at=at("2025-02-03"),
        policy=policy(procedure),
    )
    case, _ = pause(case, actor="sek", reason="parallelle rettssaker", at=at("2025-02-10"))
    case, _ = extend(
        case,
        deadline="initial_assessment",
        amount=Duration.parse("10d"),
        actor="chair",
        reason="oversettelse av vedlegg",
        at=at("2025-02-12"),
    )
    return case


@pytest.fixture(scope="module")
def notices() -> dict[str, tuple[LetterContext, bytes, bytes]]:
    """The pause notice in English and the extension notice in Norwegian, each rendered once."""
    case = paused_and_extended()
    made = {}
    for kind, language in (("pause_notice", "en"), ("extension_notice", "nb")):
        letter = context(case, kind, language)
        rendered = render_letter(kind, language, letter.values)
        made[kind] = (letter, rendered, pdf_of(rendered, language))
    return made


@pytest.mark.parametrize("kind", ["pause_notice", "extension_notice"])
def test_a_notice_holds_the_reference_and_the_deadline_explanation_in_its_docx_and_pdf(
    notices: dict[str, tuple[LetterContext, bytes, bytes]], kind: str
) -> None:
    """The DOCX opens with python-docx and the PDF with pypdf; both hold the reference and the
    deadline's own explanation (paused and extended), in the letter's language."""
    letter, rendered, pdf = notices[kind]
    explanation = letter.values["deadline"]["explanation"]
    if letter.language == "nb":
        assert "på vent" in explanation and "forlenget" in explanation
    else:
        assert "paused" in explanation and "extended" in explanation
    document = words("\n".join(p.text for p in docx.Document(io.BytesIO(rendered)).paragraphs))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    printed = words(" ".join(page.extract_text() for page in reader.pages))
    for text in (document, printed):
        assert "NCP-2025-007" in text and words(explanation) in text
    assert reader.metadata is not None and reader.metadata.title == paragraphs_of(rendered)[0]
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == letter.language and "/StructTreeRoot" in catalog  # tagged, its language
    assert "/OutputIntents" in catalog and b"pdfaid:part" in catalog["/Metadata"].get_object().get_data()


def test_the_pdf_prints_the_same_paragraphs_as_the_docx(
    notices: dict[str, tuple[LetterContext, bytes, bytes]],
) -> None:
    """Every paragraph of the DOCX is in the PDF, in the same order: one text, two forms."""
    _letter, rendered, pdf = notices["extension_notice"]
    printed = words(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    position = 0
    for line in text_of(rendered).splitlines():
        if line.strip():
            found = printed.find(words(line), position)
            assert found >= 0, line
            position = found


# ---- who is named to whom --------------------------------------------------------------------


def test_a_withheld_submitter_is_never_named_in_a_letter_to_the_enterprise() -> None:
    """The submitter's identity is withheld: to the enterprise, the letters say "the submitter" and
    a pseudonym where the name stood in the title or a reason; to the submitter, its own name."""
    procedure = procedures.shipped("oecd-2023")
    case = opened(procedure, title=f"{WITHHELD} mot Havbruk", confidential=True)
    case, _ = pause(case, actor="sek", reason=f"{WITHHELD} ba om stans", at=at("2025-02-10"))
    for language in ("en", "nb"):
        for kind in KINDS:
            letter = context(case, kind, language, key="enterprise-1")
            text = text_of(render_letter(kind, language, letter.values))
            assert WITHHELD not in text and "Kari" not in text, (kind, language, text)
        own = context(case, "acknowledgement", language, key="submitter-1")
        text = text_of(render_letter("acknowledgement", language, own.values))
        assert WITHHELD in text and ("without your consent" in text or "uten samtykke" in text)
    to_enterprise = context(case, "invitation", "nb", key="enterprise-1").values
    assert to_enterprise["others"] == "klageren" and to_enterprise["submitters"] == "klageren"
    assert to_enterprise["title"].startswith("Klager ") and WITHHELD not in to_enterprise["title"]


def test_a_protected_party_of_another_case_is_never_named_in_a_letter() -> None:
    """A name protected in another case may recur in this one's text: the letter gives a neutral
    label for it, never the name."""
    procedure = procedures.shipped("oecd-2023")
    case = opened(procedure, title="Ola Varsler's village against Havbruk")
    elsewhere = Protected("NCP-2024-009", "Ola Varsler", None, kind="submitter")
    for language in ("en", "nb"):
        letter = context(case, "acknowledgement", language, key="submitter-1", others=[elsewhere])
        assert "Varsler" not in text_of(render_letter("acknowledgement", language, letter.values))
    assert "Varsler" in context(case, "acknowledgement", "en", key="submitter-1").values["title"]


# ---- Norwegian letters are Norwegian ---------------------------------------------------------


def test_a_norwegian_letter_holds_no_english() -> None:
    """Every kind in nb, with Norwegian data: no English phrase of the catalogue, no raw internal
    name, nothing the catalogue cannot word, and no word of the English letter's own wording."""
    case = paused_and_extended()
    strict = StrictWords()
    english_words: set[str] = set()
    norwegian: dict[str, str] = {}
    with strict.watching():
        for kind in KINDS:
            for key in ("submitter-1", "enterprise-1"):
                text = text_of(render_letter(kind, "nb", context(case, kind, "nb", key=key).values))
                assert leaks(text, norwegian=True, html=False) == [], (kind, text)
                norwegian[f"{kind} {key}"] = text
                english = text_of(render_letter(kind, "en", context(case, kind, "en", key=key).values))
                english_words |= set(re.findall(r"[A-Za-z]{4,}", english))
    assert strict.missing == set()
    data: set[str] = set()  # the words the data brings (names, addresses, title): the same in both
    for language in ("en", "nb"):
        values = context(case, "pause_notice", language).values
        data |= set(re.findall(r"[A-Za-z]{4,}", repr({k: v for k, v in values.items() if k != "deadline"})))
    data |= {"parallelle", "rettssaker", "oversettelse", "vedlegg", "chair"}  # the reasons, who approved
    for name, text in norwegian.items():
        shared = set(re.findall(r"[A-Za-z]{4,}", text)) & english_words - data - {"OECD"}
        assert shared == set(), (name, shared)


# ---- templates: strict, overridable, edited -------------------------------------------------


def test_a_template_with_an_unknown_variable_fails_loudly_naming_the_file(tmp_path: Path) -> None:
    """An NCP's template using a variable the context lacks is refused, naming its file and the
    variable; a context lacking one a shipped template needs, too. Nothing renders blank."""
    from docx import Document

    (tmp_path / "en").mkdir()
    document = Document()
    document.add_paragraph("Dear {{ recipient.nmae }}, about {{ reference }}")
    document.save(tmp_path / "en" / "acknowledgement.docx")
    letter = context(opened(procedures.shipped("oecd-2023")), "acknowledgement", "en")
    with pytest.raises(LetterTemplateError) as raised:
        Stationery(tmp_path).render_letter("acknowledgement", "en", letter.values)
    assert str(tmp_path / "en" / "acknowledgement.docx") in str(raised.value)
    assert "nmae" in str(raised.value)
    incomplete = {k: v for k, v in letter.values.items() if k != "received"}
    with pytest.raises(
        LetterTemplateError, match=r"en/acknowledgement.docx \(shipped\).*'received' is undefined"
    ):
        render_letter("acknowledgement", "en", incomplete)


def test_an_ncp_template_replaces_the_shipped_one_of_the_same_name(tmp_path: Path) -> None:
    """A file in the [letters] templates folder wins over the shipped one of its relative name;
    the other kinds stay the shipped ones. A file that is no Word document is refused by name."""
    from docx import Document

    (tmp_path / "nb").mkdir()
    document = Document()
    document.add_paragraph("Egen mal for {{ reference }}", style="Normal")
    document.save(tmp_path / "nb" / "case_closed.docx")
    (tmp_path / "nb" / "rejection.docx").write_bytes(b"not a zip")
    ours = Stationery(tmp_path)
    letter = context(opened(procedures.shipped("oecd-2023")), "case_closed", "nb")
    assert text_of(ours.render_letter("case_closed", "nb", letter.values)) == "Egen mal for NCP-2025-007\n"
    case = opened(procedures.shipped("oecd-2023"))
    shipped = text_of(ours.render_letter("acceptance", "nb", context(case, "acceptance", "nb").values))
    assert "Kontaktpunktet har avsluttet sin første vurdering" in shipped
    rejection = context(case, "rejection", "nb").values
    with pytest.raises(LetterTemplateError, match=r"rejection\.docx: not a Word document"):
        ours.render_letter("rejection", "nb", rejection)


def test_values_are_text_never_markup_or_breaks() -> None:
    """A title holding XML, Jinja2 and control characters renders as its text: escaped, not
    evaluated, and no character a Word document cannot hold."""
    case = opened(procedures.shipped("oecd-2023"), title="<w:p>{{ ncp }} & \x07\x0c\x01 {% raw %}")
    letter = context(case, "acknowledgement", "en")
    paragraphs = paragraphs_of(render_letter("acknowledgement", "en", letter.values))
    assert paragraphs[0] == "Acknowledgement of receipt – <w:p>{{ ncp }} &  {% raw %}"


def test_an_edited_letter_keeps_the_letterhead_and_the_handlers_paragraphs() -> None:
    """`paragraphs_of` gives the editable text (subject first, the signature as one paragraph);
    `render_edited` lays the edited paragraphs out again as DOCX and PDF, around the same
    letterhead, recipient, date and reference."""
    letter = context(opened(procedures.shipped("oecd-2023")), "acknowledgement", "nb", key="submitter-1")
    original = render_letter("acknowledgement", "nb", letter.values)
    paragraphs = paragraphs_of(original)
    assert (
        paragraphs[0].startswith("Bekreftelse av mottak")
        and paragraphs[-1] == "Hanna Berg\nKontaktpunktet for ansvarlig næringsliv"
    )
    edited = [*paragraphs[:2], "Vi beklager at svaret kom sent.", *paragraphs[2:]]
    rendered, pdf = render_edited(edited, letter.values, "nb")
    assert paragraphs_of(rendered) == edited
    text = text_of(rendered)
    head = "Kontaktpunktet for ansvarlig næringsliv\nPostboks 8114 Dep\n0032 Oslo\n\nNaturvernforbundet"
    assert text.startswith(head + "\nStorgata 1")
    assert "3. mars 2025" in text and "Vår referanse: NCP-2025-007" in text
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(LetterTemplateError, match="the letter is empty"):
        render_edited(["  ", ""], letter.values, "nb")


def test_a_submitter_at_risk_of_reprisal_is_not_named_to_the_enterprise_either() -> None:
    """A party at risk of reprisal is protected like a withheld one: the enterprise's letter
    says "the submitter"; the submitter's own letter names it."""
    from dataclasses import replace

    case = opened(procedures.shipped("oecd-2023"))
    at_risk = replace(case.parties[0], reprisal_risk=True)
    case = replace(case, parties=(at_risk, *case.parties[1:]))
    to_enterprise = context(case, "invitation", "en").values
    assert to_enterprise["others"] == "the submitter" and to_enterprise["submitters"] == "the submitter"
    assert context(case, "invitation", "en", key="submitter-1").values["recipient"]["withheld"] is True
