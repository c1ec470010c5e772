"""Letters to the parties of a case: Word templates holding Jinja2 (docxtpl), one per letter kind
and language (`en/KIND.docx`, `nb/KIND.docx`, made by `python -m notifications.letters.make_templates`
and shipped as package data), rendered as DOCX and as a PDF of the same text.

The API (render.py): `render_letter(kind, language, context) -> DOCX bytes`, `pdf_of(docx,
language) -> PDF bytes`, `paragraphs_of(docx) -> [str]` (the editable text: subject, body,
signature), `render_edited(paragraphs, context, language) -> (DOCX, PDF)`, `text_of(docx)`, and
`Stationery(folder)`, the same with an NCP's own templates (config.toml `[letters] templates`)
used before the shipped ones. Every problem with a template is a `LetterTemplateError`
(states/letters.py) naming its file.

The context (workflow/letter_context.py builds it; a template may use each of these, and a name
not among them fails the rendering, StrictUndefined):

- `language`: "en" or "nb";
- `ncp.name`, `ncp.address` (a list of lines): config.toml's `[ncp]`;
- `date`: the letter's date, the NCP's local date in long form ("3 February 2025", "3. februar 2025");
- `reference`, `title`: the case's (the title redacted for the recipient);
- `received`: the date of receipt, in long form; `state`: the case's state in words;
- `outcome`: the result recorded last, in words ("" when none); `scope`: what was accepted ("" when none);
- `recipient.key` ("submitter-1"), `recipient.name` (the contact's, or the party's),
  `recipient.party` (the party's name), `recipient.address` (lines), `recipient.role`
  ("submitter" or "enterprise"), `recipient.withheld` (the recipient's own identity is withheld
  from the other parties, or it is at risk of reprisal);
- `submitters`, `enterprises`, `others`: the submitters', the enterprises' and the other parties'
  names, joined in words ("A and B"); a protected party other than the recipient's is a neutral word;
- `deadline`: None, or (the notices) `deadline.name` (its title in words), `deadline.due` (long
  date), `deadline.explanation` (`Deadline.explain()` in the language);
- `lead`: the lead member's name ("" when none); `signatory`: the lead's name, else the NCP's;
- `reply_by`: the letter's date plus `[letters] reply_within`, in long form.

An edited letter's layout (`letter.docx`) has the same context, plus `subject` and `paragraphs`.
"""

from __future__ import annotations

from notifications.letters.render import (
    LetterParts,
    Stationery,
    html_of,
    paragraphs_of,
    parts_of,
    pdf_of,
    render_edited,
    render_letter,
    text_of,
)

__all__ = [
    "LetterParts",
    "Stationery",
    "html_of",
    "paragraphs_of",
    "parts_of",
    "pdf_of",
    "render_edited",
    "render_letter",
    "text_of",
]
