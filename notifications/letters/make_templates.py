"""Write the shipped letter templates: one Word file per letter kind and language, holding Jinja2.

    python -m notifications.letters.make_templates [FOLDER]

The wording of every shipped letter is here, to be reviewed as text; the .docx files beside this
module (en/KIND.docx, nb/KIND.docx and the edited letters' layout, LANGUAGE/letter.docx) are made
from it and committed. An NCP edits its own copies in Word and names their folder in config.toml
(`[letters] templates`); `FOLDER` writes the shipped ones there to start from.

Each paragraph carries a style naming its part of the letter (notifications/letters/parts.py):
the letterhead, the recipient block, the date, the reference, the subject, the body (any other
style), a quoted passage and the signature. The PDF lays a rendered letter out by these parts
(notifications/letters/render.py), so a template edited in Word keeps them. The variables a
template may use are listed in notifications/letters/__init__.py; a paragraph holding only
`{%p ... %}` is a control line that docxtpl removes.

The Norwegian letters use the NCP's own terms (docs/glossary.md): Kontaktpunktet, klager,
virksomheten, første vurdering, dialog og mekling, sluttuttalelse, stans, forlengelse, frist.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from notifications.letters.parts import (
    BODY,
    DATE,
    LETTERHEAD,
    QUOTE,
    RECIPIENT,
    REFERENCE,
    SIGNATURE,
    SUBJECT,
)

HERE = Path(__file__).resolve().parent

_LANGUAGE_TAGS = {"en": "en-GB", "nb": "nb-NO"}


@dataclass(frozen=True)
class Words:
    """The fixed words of every letter in one language."""

    reference: str  # "Our reference: {{ reference }}"
    salutation: str | None  # "Dear {{ recipient.name }}," (Norwegian letters have none)
    closing: str  # "Yours sincerely,"


WORDS = {
    "en": Words(
        reference="Our reference: {{ reference }}",
        salutation="Dear {{ recipient.name }},",
        closing="Yours sincerely,",
    ),
    "nb": Words(
        reference="Vår referanse: {{ reference }}",
        salutation=None,
        closing="Med vennlig hilsen",
    ),
}

# A body line: (style, text). Text starting "{%p" is a docxtpl control line.
Line = tuple[str, str]


def _body(*texts: str) -> tuple[Line, ...]:
    return tuple((QUOTE, text[2:]) if text.startswith("> ") else (BODY, text) for text in texts)


# kind -> language -> (subject, body). The subject and body may use every variable.
LETTERS: dict[str, dict[str, tuple[str, tuple[Line, ...]]]] = {
    "acknowledgement": {
        "en": (
            "Acknowledgement of receipt – {{ title }}",
            _body(
                '{%p if recipient.role == "submitter" %}',
                "The NCP confirms that it received your submission concerning {{ enterprises }} on "
                "{{ received }}. The case is registered under the reference {{ reference }}; please "
                "quote it in all correspondence.",
                "{%p else %}",
                "On {{ received }} the NCP received a submission from {{ submitters }} concerning "
                "{{ enterprises }} under the OECD Guidelines for Multinational Enterprises on "
                "Responsible Business Conduct. The case is registered under the reference "
                "{{ reference }}; please quote it in all correspondence.",
                "{%p endif %}",
                "The NCP will now make an initial assessment of whether the issues raised merit "
                "further examination. We will write to you when it is complete, and may ask you for "
                "more information in the meantime.",
                "{%p if recipient.withheld %}",
                "As you asked, your identity will not be disclosed to the other parties or to the "
                "public without your consent.",
                "{%p endif %}",
            ),
        ),
        "nb": (
            "Bekreftelse av mottak – {{ title }}",
            _body(
                '{%p if recipient.role == "submitter" %}',
                "Kontaktpunktet bekrefter å ha mottatt klagen deres som gjelder {{ enterprises }}. "
                "Klagen kom inn den {{ received }}, og saken har referansen {{ reference }}. "
                "Vennligst oppgi referansen i all korrespondanse.",
                "{%p else %}",
                "Kontaktpunktet mottok den {{ received }} en klage fra {{ submitters }} som gjelder "
                "{{ enterprises }}, etter OECDs retningslinjer for flernasjonale selskaper om "
                "ansvarlig næringsliv. Saken har referansen {{ reference }}. Vennligst oppgi den i "
                "all korrespondanse.",
                "{%p endif %}",
                "Kontaktpunktet skal nå gjøre en første vurdering av om spørsmålene i klagen "
                "fortjener videre behandling. Vi skriver til dere når vurderingen er ferdig, og kan "
                "i mellomtiden be om flere opplysninger.",
                "{%p if recipient.withheld %}",
                "Som dere har bedt om, blir identiteten deres ikke gjort kjent for de andre partene "
                "eller for offentligheten uten samtykke.",
                "{%p endif %}",
            ),
        ),
    },
    "acceptance": {
        "en": (
            "Initial assessment: the submission is accepted – {{ title }}",
            _body(
                "The NCP has completed its initial assessment of the submission concerning "
                "{{ enterprises }} (case {{ reference }}). It finds that the issues raised merit "
                "further examination{% if scope %}, limited to: {{ scope }}{% endif %}, and accepts "
                "the case.",
                "Accepting a case does not mean that the NCP finds that the enterprise has not "
                "observed the Guidelines.",
                "The NCP will offer the parties its good offices (dialogue and mediation) and will "
                "write to you about them separately. The initial assessment will be published on "
                "the NCP's website.",
            ),
        ),
        "nb": (
            "Første vurdering: klagen tas opp til behandling – {{ title }}",
            _body(
                "Kontaktpunktet har avsluttet sin første vurdering av klagen som gjelder "
                "{{ enterprises }} (sak {{ reference }}). Kontaktpunktet mener at spørsmålene i "
                "klagen fortjener videre behandling{% if scope %}, avgrenset til: {{ scope }}"
                "{% endif %}, og tar saken opp til behandling.",
                "At en sak tas opp til behandling, betyr ikke at Kontaktpunktet har funnet at "
                "virksomheten har handlet i strid med retningslinjene.",
                "Kontaktpunktet vil tilby partene dialog og mekling, og skriver til dere om dette i "
                "et eget brev. Den første vurderingen blir publisert på Kontaktpunktets nettsider.",
            ),
        ),
    },
    "rejection": {
        "en": (
            "Initial assessment: the submission is not accepted – {{ title }}",
            _body(
                "The NCP has completed its initial assessment of the submission concerning "
                "{{ enterprises }} (case {{ reference }}). It finds that the issues raised do not "
                "merit further examination, and does not accept the case. The reasons are set out "
                "in the enclosed statement.",
                "The NCP will publish a statement of its conclusion. This ends the NCP's handling "
                "of the case.",
            ),
        ),
        "nb": (
            "Første vurdering: klagen tas ikke opp til behandling – {{ title }}",
            _body(
                "Kontaktpunktet har avsluttet sin første vurdering av klagen som gjelder "
                "{{ enterprises }} (sak {{ reference }}). Kontaktpunktet mener at spørsmålene i "
                "klagen ikke fortjener videre behandling, og tar ikke saken opp til behandling. "
                "Begrunnelsen står i den vedlagte uttalelsen.",
                "Kontaktpunktet publiserer en uttalelse om konklusjonen. Dermed er Kontaktpunktets "
                "behandling av saken avsluttet.",
            ),
        ),
    },
    "invitation": {
        "en": (
            "Invitation to good offices (dialogue and mediation) – {{ title }}",
            _body(
                "In case {{ reference }} the NCP offers its good offices: a dialogue between "
                "{{ recipient.party }} and {{ others }}, with mediation if the parties wish, to help "
                "them resolve the issues raised.",
                "Taking part is voluntary. What is said in the dialogue is confidential unless the "
                "parties agree otherwise.",
                "Please let us know by {{ reply_by }} whether you accept the invitation, and who "
                "will represent you.",
            ),
        ),
        "nb": (
            "Invitasjon til dialog og mekling – {{ title }}",
            _body(
                "I sak {{ reference }} tilbyr Kontaktpunktet dialog og mekling mellom "
                "{{ recipient.party }} og {{ others }}, for å hjelpe partene med å løse spørsmålene "
                "i klagen.",
                "Det er frivillig å delta. Det som blir sagt i dialogen, er fortrolig med mindre "
                "partene blir enige om noe annet.",
                "Vi ber om svar innen {{ reply_by }} på om dere takker ja til invitasjonen, og på "
                "hvem som vil representere dere.",
            ),
        ),
    },
    "pause_notice": {
        "en": (
            "Notice of a pause – {{ title }}",
            _body(
                "The NCP has paused its handling of case {{ reference }}. While the case is paused, "
                "its deadlines stand still.",
                "{%p if deadline %}",
                "The deadline for the {{ deadline.name }} now stands as follows:",
                "> {{ deadline.explanation }}",
                "{%p endif %}",
                "We will write to you when the handling resumes.",
            ),
        ),
        "nb": (
            "Varsel om stans – {{ title }}",
            _body(
                "Kontaktpunktet har stanset behandlingen av sak {{ reference }}. Mens saken er "
                "stanset, står fristene stille.",
                "{%p if deadline %}",
                "Fristen for {{ deadline.name }} er nå beregnet slik:",
                "> {{ deadline.explanation }}",
                "{%p endif %}",
                "Vi gir beskjed når behandlingen fortsetter.",
            ),
        ),
    },
    "extension_notice": {
        "en": (
            "Notice of an extension – {{ title }}",
            _body(
                "{%p if deadline %}",
                "The NCP has extended the deadline for the {{ deadline.name }} in case "
                "{{ reference }}. It now falls on {{ deadline.due }}.",
                "How the date is reached:",
                "> {{ deadline.explanation }}",
                "{%p else %}",
                "The NCP needs more time for case {{ reference }} than it first indicated.",
                "{%p endif %}",
                "We will keep you informed of the progress of the case.",
            ),
        ),
        "nb": (
            "Varsel om forlenget frist – {{ title }}",
            _body(
                "{%p if deadline %}",
                "Kontaktpunktet har forlenget fristen for {{ deadline.name }} i sak {{ reference }}. "
                "Ny frist er {{ deadline.due }}.",
                "Slik er fristen beregnet:",
                "> {{ deadline.explanation }}",
                "{%p else %}",
                "Kontaktpunktet trenger mer tid til sak {{ reference }} enn først antatt.",
                "{%p endif %}",
                "Vi holder dere orientert om fremdriften i saken.",
            ),
        ),
    },
    "draft_for_comment": {
        "en": (
            "Draft for comment – {{ title }}",
            _body(
                "Enclosed is the NCP's draft in case {{ reference }}, sent to the parties for "
                "comment before the text is final.",
                "Please send us any comments by {{ reply_by }}. The NCP will consider them before "
                "it decides the final text. The draft is confidential and may not be published.",
            ),
        ),
        "nb": (
            "Utkast til kommentar – {{ title }}",
            _body(
                "Vedlagt er Kontaktpunktets utkast i sak {{ reference }}, som sendes partene for "
                "kommentarer før teksten blir endelig.",
                "Vi ber om eventuelle kommentarer innen {{ reply_by }}. Kontaktpunktet vurderer "
                "kommentarene før den endelige teksten fastsettes. Utkastet er fortrolig og skal "
                "ikke offentliggjøres.",
            ),
        ),
    },
    "case_closed": {
        "en": (
            "The case is closed – {{ title }}",
            _body(
                "The NCP has closed case {{ reference }} concerning {{ enterprises }}."
                "{% if outcome %} Outcome: {{ outcome }}.{% endif %}",
                "Thank you for taking part in the procedure.",
            ),
        ),
        "nb": (
            "Saken er avsluttet – {{ title }}",
            _body(
                "Kontaktpunktet har avsluttet sak {{ reference }} som gjelder {{ enterprises }}."
                "{% if outcome %} Utfall: {{ outcome }}.{% endif %}",
                "Takk for at dere deltok i behandlingen.",
            ),
        ),
    },
}


def _facts(language: str) -> tuple[str, ...]:
    """The facts every statement lists: the parties, the Guidelines chapters, the issues (each
    with its decision and outcome), the results recorded and the scope."""
    if language == "nb":
        return (
            "Kontaktpunktet mottok den {{ received }} en klage fra {{ submitters }} som gjelder "
            "{{ enterprises }}, etter OECDs retningslinjer for flernasjonale selskaper om ansvarlig "
            "næringsliv. Saken har referansen {{ reference }}.",
            "{%p if chapters %}",
            "Klagen gjelder disse kapitlene i retningslinjene: {{ chapters }}.",
            "{%p endif %}",
            "{%p for issue in issues %}",
            "Spørsmål {{ issue.number }}: {{ issue.title }} ({{ issue.chapters }}). "
            "{{ issue.decision }}{% if issue.outcome %} Utfall: {{ issue.outcome }}.{% endif %}",
            "{%p endfor %}",
            "{%p if scope %}",
            "Kontaktpunktet tok opp til behandling: {{ scope }}",
            "{%p endif %}",
            "{%p for result in results %}",
            "{{ result.name }}: {{ result.value }}.",
            "{%p endfor %}",
        )
    return (
        "On {{ received }} the NCP received a submission from {{ submitters }} concerning "
        "{{ enterprises }} under the OECD Guidelines for Multinational Enterprises on Responsible "
        "Business Conduct. The case has the reference {{ reference }}.",
        "{%p if chapters %}",
        "The submission concerns these chapters of the Guidelines: {{ chapters }}.",
        "{%p endif %}",
        "{%p for issue in issues %}",
        "Issue {{ issue.number }}: {{ issue.title }} ({{ issue.chapters }}). "
        "{{ issue.decision }}{% if issue.outcome %} Outcome: {{ issue.outcome }}.{% endif %}",
        "{%p endfor %}",
        "{%p if scope %}",
        "The NCP accepted for further examination: {{ scope }}",
        "{%p endif %}",
        "{%p for result in results %}",
        "{{ result.name }}: {{ result.value }}.",
        "{%p endfor %}",
    )


# kind -> language -> (title, the paragraphs after the facts). Statements are published: they
# name no protected party (workflow/statements.py words them so), and greet no one.
STATEMENTS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "initial_assessment": {
        "en": (
            "Initial assessment – {{ title }}",
            (
                "This is the NCP's initial assessment of whether the issues raised merit further "
                "examination. It does not determine whether the enterprise has observed the Guidelines.",
            ),
        ),
        "nb": (
            "Første vurdering – {{ title }}",
            (
                "Dette er Kontaktpunktets første vurdering av om spørsmålene i klagen fortjener "
                "videre behandling. Vurderingen tar ikke stilling til om virksomheten har fulgt "
                "retningslinjene.",
            ),
        ),
    },
    "final_statement": {
        "en": (
            "Final statement – {{ title }}",
            (
                "With this final statement the NCP concludes its handling of the case{% if outcome %} "
                "({{ outcome }}){% endif %}.",
            ),
        ),
        "nb": (
            "Sluttuttalelse – {{ title }}",
            (
                "Med denne sluttuttalelsen avslutter Kontaktpunktet behandlingen av saken"
                "{% if outcome %} ({{ outcome }}){% endif %}.",
            ),
        ),
    },
    "follow_up": {
        "en": (
            "Follow-up statement – {{ title }}",
            (
                "This statement reports on how the parties followed up the NCP's final statement "
                "and the commitments made in the case.",
            ),
        ),
        "nb": (
            "Oppfølgingsuttalelse – {{ title }}",
            (
                "Denne uttalelsen gjør rede for hvordan partene har fulgt opp Kontaktpunktets "
                "sluttuttalelse og forpliktelsene i saken.",
            ),
        ),
    },
}

STATEMENT_PREFIX = "statement_"  # a statement's template: LANGUAGE/statement_KIND.docx


def statement_lines(kind: str, language: str) -> tuple[Line, ...]:
    """Every paragraph of the template of statement `kind`: the letterhead and date, the
    reference, the title, the case's facts, the kind's own paragraphs, the signature."""
    words = WORDS[language]
    title, paragraphs = STATEMENTS[kind][language]
    head: tuple[Line, ...] = (
        (LETTERHEAD, "{{ ncp.name }}"),
        ("{%p", "{%p for line in ncp.address %}"),
        (LETTERHEAD, "{{ line }}"),
        ("{%p", "{%p endfor %}"),
        (DATE, "{{ date }}"),
        (REFERENCE, words.reference),
        (SUBJECT, title),
    )
    body = tuple(("{%p", text) if text.startswith("{%p") else (BODY, text) for text in _facts(language))
    own = tuple((BODY, text) for text in paragraphs)
    return (*head, *body, *own, (SIGNATURE, "{{ signatory }}"), (SIGNATURE, "{{ ncp.name }}"))


# The edited letter's layout: the handler's paragraphs, the first one its subject.
EDITED: tuple[Line, ...] = (
    ("{%p", "{%p for paragraph in paragraphs %}"),
    (BODY, "{{ paragraph }}"),
    ("{%p", "{%p endfor %}"),
)


def _head() -> tuple[Line, ...]:
    return (
        (LETTERHEAD, "{{ ncp.name }}"),
        ("{%p", "{%p for line in ncp.address %}"),
        (LETTERHEAD, "{{ line }}"),
        ("{%p", "{%p endfor %}"),
        (RECIPIENT, "{{ recipient.name }}"),
        ("{%p", "{%p if recipient.party != recipient.name %}"),
        (RECIPIENT, "{{ recipient.party }}"),
        ("{%p", "{%p endif %}"),
        ("{%p", "{%p for line in recipient.address %}"),
        (RECIPIENT, "{{ line }}"),
        ("{%p", "{%p endfor %}"),
        (DATE, "{{ date }}"),
    )


def _signature(words: Words) -> tuple[Line, ...]:
    return (
        (BODY, words.closing),
        (SIGNATURE, "{{ signatory }}"),
        ("{%p", "{%p if lead %}"),
        (SIGNATURE, "{{ ncp.name }}"),
        ("{%p", "{%p endif %}"),
    )


def letter_lines(kind: str, language: str) -> tuple[Line, ...]:
    """Every paragraph of the template for `kind` ("letter": the edited letters' layout)."""
    if kind.startswith(STATEMENT_PREFIX):
        return statement_lines(kind.removeprefix(STATEMENT_PREFIX), language)
    words = WORDS[language]
    lines = [*_head(), (REFERENCE, words.reference)]
    if kind == "letter":
        lines.append((SUBJECT, "{{ subject }}"))
        lines.extend(EDITED)
        return tuple(lines)
    subject, body = LETTERS[kind][language]
    lines.append((SUBJECT, subject))
    if words.salutation:
        lines.append((BODY, words.salutation))
    lines.extend(body)
    lines.extend(_signature(words))
    return tuple(lines)


def _styles(document: object, language: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    # The language Word checks the spelling in.
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), _LANGUAGE_TAGS[language])
    for name, bold, size, after in (
        (LETTERHEAD, True, 12, 0),
        (RECIPIENT, False, 11, 0),
        (DATE, False, 11, 0),
        (REFERENCE, False, 10, 18),
        (SUBJECT, True, 12, 12),
        (SIGNATURE, False, 11, 0),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.bold = bold
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(after)
    styles[DATE].paragraph_format.space_before = Pt(18)
    styles[RECIPIENT].paragraph_format.space_before = Pt(0)


def make(kind: str, language: str) -> bytes:
    """The .docx of `kind` in `language`, the same bytes every time."""
    from docx import Document

    document = Document()
    _styles(document, language)
    properties = document.core_properties
    properties.title = kind
    properties.language = _LANGUAGE_TAGS[language]
    properties.author = "ncpflow"
    properties.comments = "Made by python -m notifications.letters.make_templates"
    for style, text in letter_lines(kind, language):
        document.add_paragraph(text, style=BODY if style == "{%p" else style)
    # The first paragraph of the default document is empty: none is added before ours.
    out = io.BytesIO()
    document.save(out)
    return _fixed(out.getvalue())


def _fixed(data: bytes) -> bytes:
    """`data` (a zip) with its members' times fixed: the file changes only when its words do."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def templates() -> dict[str, bytes]:
    """Every shipped template by its relative name ("nb/acknowledgement.docx")."""
    return {
        f"{language}/{kind}.docx": make(kind, language)
        for language in WORDS
        for kind in (*LETTERS, "letter", *(STATEMENT_PREFIX + name for name in STATEMENTS))
    }


def write(folder: Path) -> list[Path]:
    """Write every template under `folder`; the paths written."""
    written = []
    for name, data in templates().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else HERE
    for path in write(folder):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
