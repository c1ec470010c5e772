"""Letters to the parties: which ones a case's step offers, their context, and a preview.

`offered` reads the procedure's data (`letters` on states and transitions, `[letters] open`)
for the case's state and the step that brought it there (its last `transitioned` audit entry).
`context_for` builds a letter's context for one party (workflow/letter_context.py); `render`
renders it as DOCX and PDF and reads its text back, writing nothing (`app.letters.preview`, for
those who `may_write`). Drafting, editing, sending
and filing a letter build on these (the correspondence use cases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from states import contacts as contact_rules
from states.case import Case
from states.contacts import Contact
from states.parties import party_keys
from states.permissions import Action, require
from states.users import User
from workflow.config import Settings
from workflow.letter_context import (
    LetterContext,
    Recipient,
    check_kind,
    check_language,
    letter_context,
    recipient_party,
)
from workflow.ports import LetterRenderer, Transaction, UnitOfWork


@dataclass(frozen=True)
class LetterPreview:
    """A letter as it would go out: its context, the rendered DOCX and PDF, and its text (the
    subject, and the paragraphs a handler edits: `LetterRenderer.paragraphs_of`)."""

    context: LetterContext
    docx: bytes
    pdf: bytes | None
    subject: str
    paragraphs: list[str]
    text: str

    @property
    def kind(self) -> str:
        return self.context.kind

    @property
    def language(self) -> str:
        return self.context.language

    @property
    def recipient(self) -> Recipient:
        return self.context.recipient


def entered_by(tx: Transaction, case: Case) -> tuple[str, str] | None:
    """The step that brought `case` into its state: the source state and trigger of its last
    `transitioned` entry, when that entry led to the state the case is in."""
    last = tx.audit.page(case_ref=case.reference, kind="transitioned", limit=1, newest_first=True)
    if not last or last[0].to_state != case.state or last[0].from_state is None:
        return None
    trigger = last[0].data.get("trigger")
    return (last[0].from_state, trigger) if isinstance(trigger, str) else None


def offered(tx: Transaction, case: Case) -> tuple[str, ...]:
    """The letter kinds `case`'s step offers now, most fitting first (its procedure's data)."""
    return case.procedure.letters_offered(case.state, entered_by=entered_by(tx, case))


def lead_name(tx: Transaction, case: Case) -> str | None:
    """The name of the member leading `case`, if it has one."""
    if case.lead_member is None:
        return None
    return next((m.name for m in tx.members.all() if m.id == case.lead_member), case.lead_member)


def context_for(
    *,
    uow: UnitOfWork,
    settings: Settings,
    today: date,
    reference: str,
    kind: str,
    party: str,
    contact: int | None = None,
    language: str | None = None,
    deadline: str | None = None,
) -> LetterContext:
    """The context of a letter of `kind` about case `reference` to `party` (its key or name):
    to its contact number `contact`, else to the first its contacts list (representatives first,
    `states.contacts.recipients`), else to the party itself; in `language`, else the contact's,
    else the NCP's (`[ncp] language`); `deadline` the one a notice quotes."""
    check_kind(kind)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        lead = lead_name(tx, case)
        by_position = tx.parties.contacts(reference)
        others = tx.cases.protected_parties()
    key, found = recipient_party(case, party)
    contacts: dict[str, list[Contact]] = {
        other: by_position.get(position, [])
        for position, (other, _party) in enumerate(party_keys(case.parties))
    }
    reachable = contact_rules.recipients(key, contacts[key])
    if contact is not None:
        number = contact_rules.find_contact(contacts[key], contact, reference=reference, party=key).number
        reachable = [r for r in reachable if r.contact == number]
    if reachable:
        recipient = Recipient.of_contact(reachable[0], language)
    else:
        recipient = Recipient(key=key, name=found.name, language=language or settings.ncp.language)
    check_language(recipient.language)
    return letter_context(
        case=case,
        kind=kind,
        recipient=recipient,
        today=today,
        settings=settings,
        lead=lead,
        deadline=deadline,
        contacts=contacts,
        others=others,
    )


def render(letterpress: LetterRenderer, context: LetterContext, *, pdf: bool = True) -> LetterPreview:
    """The letter of `context` rendered from its template: DOCX, PDF (unless `pdf` is false), text."""
    docx = letterpress.render_letter(context.kind, context.language, context.values)
    paragraphs = letterpress.paragraphs_of(docx)
    return LetterPreview(
        context=context,
        docx=docx,
        pdf=letterpress.pdf(docx, context.language) if pdf else None,
        subject=paragraphs[0] if paragraphs else "",
        paragraphs=paragraphs,
        text=letterpress.text_of(docx),
    )


def may_write(viewer: User) -> None:
    """PermissionDeniedError unless `viewer` may write letters (`SEND_LETTER`): a letter names the
    parties as stored, so only those who may send one see one."""
    require(viewer.role, Action.SEND_LETTER)
