"""The kinds of letter an NCP sends the parties of a case (pure).

Which letters a step of a procedure offers is the procedure's data (`letters` on its states and
transitions, and `[letters] open`: docs/procedure-schema.md); this module names the kinds a
definition may use, and how each is called in the reader's words. Each kind has a Word template
per language (notifications/letters/LANGUAGE/KIND.docx).
"""

from __future__ import annotations

from enum import StrEnum

from states.errors import InvalidInputError
from states.messages import N_, Translator


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"  # receipt of the submission acknowledged
    ACCEPTANCE = "acceptance"  # the initial assessment: accepted (wholly or in part)
    REJECTION = "rejection"  # the initial assessment: not accepted
    INVITATION = "invitation"  # invitation to good offices (dialogue and mediation)
    PAUSE_NOTICE = "pause_notice"  # the case is paused: quotes the deadline's explanation
    EXTENSION_NOTICE = "extension_notice"  # a deadline extended: quotes its explanation
    DRAFT_FOR_COMMENT = "draft_for_comment"  # a draft (statement) sent for comment
    CASE_CLOSED = "case_closed"  # the case is closed


KINDS: tuple[str, ...] = tuple(kind.value for kind in LetterKind)

# The notices quote a deadline's own explanation: their context needs the deadline.
NOTICES = frozenset({LetterKind.PAUSE_NOTICE.value, LetterKind.EXTENSION_NOTICE.value})

_LABELS = {
    LetterKind.ACKNOWLEDGEMENT: N_("acknowledgement of receipt"),
    LetterKind.ACCEPTANCE: N_("acceptance"),
    LetterKind.REJECTION: N_("rejection"),
    LetterKind.INVITATION: N_("invitation to good offices"),
    LetterKind.PAUSE_NOTICE: N_("notice of a pause"),
    LetterKind.EXTENSION_NOTICE: N_("notice of an extension"),
    LetterKind.DRAFT_FOR_COMMENT: N_("draft for comment"),
    LetterKind.CASE_CLOSED: N_("case closed"),
}


def needs_deadline(kind: str) -> bool:
    """Whether a letter of `kind` quotes a deadline's explanation (the notices)."""
    return kind in NOTICES


def label(kind: str, tr: Translator) -> str:
    """The kind's name in `tr`'s words ("notice of a pause", "varsel om stans")."""
    return tr.gettext(_LABELS[LetterKind(kind)])


class LetterTemplateError(InvalidInputError):
    """A letter template cannot be used: not a Word document, a variable its context lacks, a
    kind or language there is none of. Names the template's file."""

    code = "letter_template"

    def __init__(self, *, template: str, problem: str) -> None:
        super().__init__(N_("letter template {template}: {problem}"), template=template, problem=problem)
