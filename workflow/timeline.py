"""A case's story: one timeline of its steps, notes, documents, letters, correspondence and follow-up,
newest first, filtered by kind, a page at a time, as the reader may see it.

The timeline is a read model over *sources*. A source is one small function reading one kind of
entry of one case inside the caller's snapshot (`Seen`: the transaction, the case, the reader
and the reader's words) and returning `TimelineEntry`s; `SOURCES` lists them. A source that
tells something the audit log also records (`note_added`, `document_added`) names those audit
kinds in `covers`, and the steps leave them out, so nothing is told twice. Adding a source
(letters, correspondence as their foundations land) is: write its function, add one `Source` to
`SOURCES` (its kind, its label marked with `N_`, the audit kinds it covers), and give its label a
Norwegian translation.

Every entry is redacted for the reader like every other view (withheld parties' names become
pseudonyms); what is NCP-internal (a note's text, an `ncp` document's title and download) is
`withheld` from a reader who may not read internal material (auditors): the entry stays, so the
story has no gap, without it. A document the reader may not open (a protected party's, for a reader
who may not see that party: workflow/documents.py refuses it) has no link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from states import audit_wording, journal, wording
from states.case import Case
from states.chain import AuditEntry
from states.documents import HIDDEN_TITLE, Document
from states.engagement import DEFAULT_REASONS, DeclineReason
from states.messages import N_, Translator
from states.notes import replaced_by
from states.parties import may_see, party_keys
from states.permissions import Action, allows
from states.redaction import NOTHING, Redaction
from states.users import User
from translations import upper_first
from workflow import inputs, parties, procedures, read_models
from workflow import redaction as redactions
from workflow.ports import Transaction, UnitOfWork
from workflow.views import redacted

PER_PAGE = 50
"""Entries on one page of a case's timeline."""


@dataclass(frozen=True)
class Seen:
    """What a source reads with: the snapshot, the case, the reader (None: the operator at the
    command line, who reads everything) and the reader's words (the case's procedure's)."""

    tx: Transaction
    case: Case
    viewer: User | None
    words: Translator
    covered: frozenset[str]  # audit kinds another source tells: the steps leave them out
    language: str = "en"
    reasons: Sequence[DeclineReason] = DEFAULT_REASONS  # [engagement] decline_reasons, for their words

    @property
    def internal(self) -> bool:
        """Whether the reader may read NCP-internal material (notes, `ncp`-only documents)."""
        return self.viewer is None or allows(self.viewer.role, Action.READ_INTERNAL)

    def opens(self, party: str | None) -> bool:
        """Whether the reader may open the files of party `party` (its key; None: no party): not
        those of a party whose identity is protected from it."""
        found = dict(party_keys(self.case.parties)).get(party or "")
        if self.viewer is None or found is None:
            return True
        return may_see(found, role=self.viewer.role, leads=parties.leads(self.viewer, self.case))


Entries = Iterable[read_models.TimelineEntry]


@dataclass(frozen=True)
class Source:
    """One kind of timeline entry: its name (the filter's value), its label in the filter
    (marked with `N_`), the audit kinds it tells itself, and the function that reads it."""

    kind: str
    label: str
    read: Callable[[Seen], Entries]
    covers: frozenset[str] = frozenset()


def _instant(at: str | datetime) -> datetime:
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


# ---- the sources ---------------------------------------------------------------------------------


def _step_title(entry: AuditEntry, words: Translator) -> str:
    """The kind of step in words, with the stage it left and the one it entered, if it moved."""
    name = upper_first(audit_wording.kind_name(entry.kind, words))
    if entry.to_state and entry.from_state and entry.to_state != entry.from_state:
        left, entered = (upper_first(wording.term(s, words)) for s in (entry.from_state, entry.to_state))
        return f"{name}: {left} → {entered}"
    if entry.to_state and not entry.from_state:
        return f"{name}: {upper_first(wording.term(entry.to_state, words))}"
    return name


def _imported_day(entry: AuditEntry) -> str | None:
    """An imported step's date as its file gave it (`2007-02`): never an invented day."""
    imported = entry.data.get("imported")
    if isinstance(imported, dict) and isinstance(imported.get("date"), str):
        return str(imported["date"])
    return None


def steps(seen: Seen) -> Entries:
    """The case's steps from its audit log: stage changes, pauses, extensions, facts, edits,
    lead changes, issues, alerts ... but what another source tells (`covers`)."""
    for entry in seen.tx.audit.entries(case_ref=seen.case.reference):
        if entry.kind in seen.covered:
            continue
        reason = (
            audit_wording.reason(entry.kind, entry.reason, entry.data, seen.words) if entry.reason else None
        )
        yield read_models.TimelineEntry(
            id=f"step-{entry.seq}",
            kind="step",
            what=entry.kind,
            at=_instant(entry.at).isoformat(),
            day=_imported_day(entry),
            title=_step_title(entry, seen.words),
            text=reason or None,
            actor=entry.actor,
        )


def notes(seen: Seen) -> Entries:
    """The case's internal notes; their text withheld from a reader who may not read it."""
    found = seen.tx.notes.of_case(seen.case.reference)
    later = replaced_by(found)
    words = seen.words
    for note in found:
        title = words.gettext(N_("Note {number}")).format(number=note.number)
        if note.replaces is not None:
            title += " " + words.gettext(N_("(replaces note {number})")).format(number=note.replaces)
        if note.number in later:
            title += " " + words.gettext(N_("(replaced by note {number})")).format(number=later[note.number])
        yield read_models.TimelineEntry(
            id=f"note-{note.number}",
            kind="note",
            what="note",
            at=note.at.isoformat(),
            title=title,
            text=note.text if seen.internal else None,
            actor=note.author,
            withheld=not seen.internal,
        )


def documents(seen: Seen) -> Entries:
    """The case's documents, each version as filed, linked to its download; an NCP-internal
    document's title, file and link withheld from a reader who may not read it."""
    case, words = seen.case, seen.words
    names = {key: party.name for key, party in party_keys(case.parties)}
    for document in seen.tx.documents.of_case(case.reference):
        hidden = document.internal and not seen.internal
        heading = words.gettext(_FILED[document.direction]).format(number=document.number)
        if document.version > 1:
            heading += " " + words.gettext(N_("(version {version})")).format(version=document.version)
        title = words.gettext(HIDDEN_TITLE) if hidden else document.title
        details = []
        if document.party:
            towards = N_("From {party}") if document.direction == "in" else N_("To {party}")
            details.append(words.gettext(towards).format(party=names.get(document.party, document.party)))
        access = words.gettext(journal.ACCESS_WORDS.get(document.access, document.access))
        details.append(words.gettext(N_("Access: {access}")).format(access=access))
        if document.exemption:
            details.append(words.gettext(journal.EXEMPT_TITLE).format(ground=document.exemption))
        yield read_models.TimelineEntry(
            id=f"document-{document.number}-{document.version}",
            kind="document",
            what=document.direction,
            at=document.added_at.isoformat(),
            title=f"{heading}: {title}",
            text=" · ".join(details),
            actor=document.added_by,
            href=None if hidden or not seen.opens(document.party) else _download(document),
            withheld=hidden,
        )


# A document's heading by its direction.
_FILED = {
    "in": N_("Document {number} received"),
    "out": N_("Document {number} sent"),
    "internal": N_("Internal document {number}"),
}


def _download(document: Document) -> str:
    """Where a document version is downloaded from the pages (the case's documents page links
    the same; the API's route is `/api` before it)."""
    return (
        f"/cases/{quote(document.reference, safe='')}/documents/{document.number}/content"
        f"?version={document.version}"
    )


def letters(seen: Seen) -> Entries:
    """The case's letters: each drafted, and each sent (by e-mail or post), linked to the
    letters page; an NCP-internal letter's subject withheld from a reader who may not read it."""
    from states.correspondence import STATUS_TITLES, party_words
    from states.letters import label

    case, words = seen.case, seen.words
    names = {key: party.name for key, party in party_keys(case.parties)}
    internal = {d.number for d in seen.tx.documents.of_case(case.reference) if d.internal}
    for letter in seen.tx.correspondence.letters(case.reference):
        hidden = letter.pdf_document in internal and not seen.internal
        to = words.gettext(N_("To {party}")).format(
            party=f"{names.get(letter.party, letter.party)} ({party_words(letter.party, words)})"
        )
        href = f"/cases/{quote(case.reference, safe='')}/letters#letter-{letter.number}"
        moments = [("drafted", letter.created_at, letter.created_by)]
        if letter.sent_at is not None:
            moments.append((letter.status.value, letter.sent_at, letter.sent_by or ""))
        for moment, at, actor in moments:
            if at is None:
                continue
            title = words.gettext(STATUS_TITLES[moment]).format(number=letter.number)
            yield read_models.TimelineEntry(
                id=f"letter-{letter.number}-{moment}",
                kind="letter",
                what=moment,
                at=at.isoformat(),
                title=f"{title}: {upper_first(label(letter.kind, words))}",
                text=to if hidden else f"{to} · {letter.subject}",
                actor=actor,
                href=href,
                withheld=hidden,
            )


def correspondence(seen: Seen) -> Entries:
    """The case's correspondence log, but the letters sent (their own entries tell them)."""
    from states.correspondence import CHANNELS, party_words

    case, words = seen.case, seen.words
    names = {key: party.name for key, party in party_keys(case.parties)}
    for entry in seen.tx.correspondence.of_case(case.reference):
        if entry.letter is not None:
            continue
        party = f"{names.get(entry.party, entry.party)} ({party_words(entry.party, words)})"
        heading = (
            N_("Received by {channel} from {party}")
            if entry.direction == "in"
            else N_("Sent by {channel} to {party}")
        )
        yield read_models.TimelineEntry(
            id=f"correspondence-{entry.number}",
            kind="correspondence",
            what=entry.direction,
            at=entry.at.isoformat(),
            title=words.gettext(heading).format(channel=words.gettext(CHANNELS[entry.channel]), party=party),
            text=entry.subject,
            actor=entry.recorded_by,
            href=f"/cases/{quote(case.reference, safe='')}/correspondence#entry-{entry.number}",
        )


def statements(seen: Seen) -> Entries:
    """The case's statements (drafted, published), comment rounds (circulated, closed) and the
    comments received, linked to the statements page; a comment's text is NCP-internal."""
    from states.correspondence import party_words
    from states.statements import VIAS, label

    case, words = seen.case, seen.words
    names = {key: party.name for key, party in party_keys(case.parties)}
    href = f"/cases/{quote(case.reference, safe='')}/statements"
    found = seen.tx.statements.statements(case.reference)
    kinds = {s.number: s.kind for s in found}

    def party(key: str) -> str:
        return f"{names.get(key, key)} ({party_words(key, words)})"

    for statement in found:
        kind = upper_first(label(statement.kind, words))
        moments = [("drafted", statement.created_at, statement.created_by, N_("Statement {number} drafted"))]
        if statement.published_at is not None:
            moments.append(
                (
                    "published",
                    statement.published_at,
                    statement.published_by or "",
                    N_("Statement {number} published"),
                )
            )
        for moment, at, actor, title in moments:
            yield read_models.TimelineEntry(
                id=f"statement-{statement.number}-{moment}",
                kind="statement",
                what=moment,
                at=at.isoformat(),
                title=f"{words.gettext(title).format(number=statement.number)}: {kind}",
                text=None,
                actor=actor,
                href=f"{href}#statement-{statement.number}",
            )
    for held in seen.tx.statements.rounds(case.reference):
        kind = upper_first(label(kinds.get(held.statement, "final_statement"), words))
        to = ", ".join(party(key) for key in held.parties)
        yield read_models.TimelineEntry(
            id=f"round-{held.number}-circulated",
            kind="statement",
            what="circulated",
            at=held.opened_at.isoformat(),
            title=words.gettext(N_("{kind} circulated for comment (round {round})")).format(
                kind=kind, round=held.number
            ),
            text=words.gettext(N_("To {parties}, until {due}")).format(
                parties=to, due=held.due_on.isoformat()
            ),
            actor=held.opened_by,
            href=f"{href}#round-{held.number}",
        )
        if held.closed_at is not None:
            yield read_models.TimelineEntry(
                id=f"round-{held.number}-closed",
                kind="statement",
                what="closed",
                at=held.closed_at.isoformat(),
                title=words.gettext(N_("Comment round {round} closed")).format(round=held.number),
                text=None,
                actor=held.closed_by or "",
                href=f"{href}#round-{held.number}",
            )
    for comment in seen.tx.statements.comments(case.reference):
        hidden = not seen.internal
        yield read_models.TimelineEntry(
            id=f"comment-{comment.number}",
            kind="statement",
            what="comment",
            at=comment.received_at.isoformat(),
            title=words.gettext(N_("Comment from {party} by {via} (round {round})")).format(
                party=party(comment.party), via=words.gettext(VIAS[comment.via]), round=comment.round
            ),
            text=None if hidden else comment.text,
            actor=comment.recorded_by,
            href=f"{href}#round-{comment.round}",
            withheld=hidden,
        )


def engagement(seen: Seen) -> Entries:
    """The case's company engagement: each invitation, each response recorded (a decline's
    reasons in words) and each concern about good faith, its text withheld from a reader who may
    not read it. A "no response" derived from the wait is the engagement page's and the report's,
    not a moment of the story."""
    from states import engagement as rules
    from states.correspondence import CHANNELS

    case, words, tx = seen.case, seen.words, seen.tx
    names = {key: party.name for key, party in party_keys(case.parties)}
    reasons = {r.code: r.words(words, seen.language) for r in seen.reasons}
    href = f"/cases/{quote(case.reference, safe='')}/engagement"
    invitations = tx.engagement.invitations(case.reference)
    responses = tx.engagement.responses(case.reference)
    for invitation in invitations:
        yield read_models.TimelineEntry(
            id=f"invitation-{invitation.number}",
            kind="engagement",
            what="invited",
            at=invitation.at.isoformat(),
            title=words.gettext(N_("Invitation {number} to {party}: {to}")).format(
                number=invitation.number,
                party=names.get(invitation.party, invitation.party),
                to=words.gettext(rules.INVITED_TO.get(invitation.to, invitation.to)),
            ),
            text=words.gettext(N_("By {channel}; answer due by {day}")).format(
                channel=words.gettext(CHANNELS.get(invitation.channel, invitation.channel)),
                day=invitation.respond_by.isoformat(),
            ),
            actor=invitation.recorded_by,
            href=f"{href}#invitation-{invitation.number}",
        )
    for response in responses:
        given = "; ".join(reasons.get(code) or code.replace("_", " ") for code in response.reasons)
        yield read_models.TimelineEntry(
            id=f"response-{response.number}",
            kind="engagement",
            what=response.response,
            at=response.at.isoformat(),
            title=words.gettext(N_("Response to invitation {number}: {response}")).format(
                number=response.invitation, response=words.gettext(rules.RESPONSES[response.response])
            ),
            text=given or None,
            actor=response.recorded_by,
            href=f"{href}#invitation-{response.invitation}",
        )
    for concern in tx.engagement.concerns(case.reference):
        yield read_models.TimelineEntry(
            id=f"concern-{concern.number}",
            kind="engagement",
            what="concern",
            at=concern.at.isoformat(),
            title=words.gettext(N_("Concern about good faith {number}, raised by {side}")).format(
                number=concern.number, side=words.gettext(rules.SIDES[concern.side])
            ),
            text=concern.text if seen.internal else None,
            actor=concern.recorded_by,
            href=f"{href}#concern-{concern.number}",
            withheld=not seen.internal,
        )


def mediation(seen: Seen) -> Entries:
    """The case's external mediators, each assigned (with the conflicts found then and an
    override's reason) and unassigned, and its mediation sessions (at their start); a session's
    notes only for a reader who may read them (`workflow.mediators.may_read_notes`)."""
    from states.mediators import FORMAT_WORDS
    from workflow.mediators import may_read_notes

    case, words = seen.case, seen.words
    names = {m.id: m.name for m in seen.tx.mediators.all()}
    href = f"/cases/{quote(case.reference, safe='')}/mediation"
    for a in seen.tx.mediators.assignments(case.reference):
        name = names.get(a.mediator, a.mediator)
        details = [c.text(tr=words) for c in a.conflicts]
        if a.override:
            details.append(words.gettext(N_("Override: {reason}")).format(reason=a.override))
        yield read_models.TimelineEntry(
            id=f"mediator-{a.id}-assigned",
            kind="mediation",
            what="assigned",
            at=a.assigned_at.isoformat(),
            title=words.gettext(N_("Mediator assigned: {name}")).format(name=name),
            text=" · ".join(details) or None,
            actor=a.assigned_by,
            href=href,
        )
        if a.ended_at is not None:
            yield read_models.TimelineEntry(
                id=f"mediator-{a.id}-unassigned",
                kind="mediation",
                what="unassigned",
                at=a.ended_at.isoformat(),
                title=words.gettext(N_("Mediator unassigned: {name}")).format(name=name),
                text=None,
                actor=a.ended_by or "",
                href=href,
            )
    notes = may_read_notes(seen.viewer)
    keys = dict(party_keys(case.parties))
    for s in seen.tx.mediators.sessions(case.reference):
        details = [upper_first(words.gettext(FORMAT_WORDS[s.format])), *([s.place] if s.place else [])]
        if s.interpreters:
            details.append(
                words.gettext(N_("Interpreters: {languages}")).format(languages=", ".join(s.interpreters))
            )
        if s.attendees:
            shown = [keys[a].name if a in keys else a for a in s.attendees]
            details.append(words.gettext(N_("Attendees: {names}")).format(names=", ".join(shown)))
        if notes and s.notes:
            details.append(s.notes)
        yield read_models.TimelineEntry(
            id=f"session-{s.number}",
            kind="mediation",
            what="session",
            at=s.starts_at.isoformat(),
            title=words.gettext(N_("Mediation session {number}")).format(number=s.number),
            text=" · ".join(details),
            actor=s.recorded_by,
            href=f"{href}#sessions",
            withheld=bool(s.notes) and not notes,
        )


def follow_up(seen: Seen) -> Entries:
    """The case's follow-up: each commitment recorded, each status set (with its note and
    evidence) and each update asked of a party, linked to the follow-up page."""
    from states.commitments import ordered

    case, words = seen.case, seen.words
    store = seen.tx.commitments
    href = f"/cases/{quote(case.reference, safe='')}/follow-up"
    statuses = {
        "implemented": N_("implemented"),
        "partly": N_("partly implemented"),
        "not": N_("not implemented"),
        "unknown": N_("status unknown"),
    }
    for commitment in store.of_case(case.reference):
        heading = (
            N_("Commitment {number} recorded")
            if commitment.source == "agreement"
            else N_("Recommendation {number} recorded")
        )
        yield read_models.TimelineEntry(
            id=f"commitment-{commitment.number}",
            kind="follow_up",
            what="commitment_recorded",
            at=commitment.recorded_at.isoformat(),
            title=words.gettext(heading).format(number=commitment.number),
            text=commitment.text,
            actor=commitment.recorded_by,
            href=f"{href}#commitment-{commitment.number}",
        )
    for entry in ordered(store.history(case.reference)):
        details = [entry.note] if entry.note else []
        if entry.evidence:
            details.append(
                words.gettext(N_("Evidence: documents {numbers}")).format(
                    numbers=", ".join(map(str, entry.evidence))
                )
            )
        yield read_models.TimelineEntry(
            id=f"commitment-{entry.commitment}-status-{entry.seq}",
            kind="follow_up",
            what="commitment_status_set",
            at=entry.recorded_at.isoformat(),
            title=words.gettext(N_("Commitment {number}: {status} from {on}")).format(
                number=entry.commitment, status=words.gettext(statuses[entry.status]), on=entry.on.isoformat()
            ),
            text=" · ".join(details) or None,
            actor=entry.actor,
            href=f"{href}#commitment-{entry.commitment}",
        )
    names = {key: party.name for key, party in party_keys(case.parties)}
    for request in store.requests(case.reference):
        yield read_models.TimelineEntry(
            id=f"update-request-{request.number}",
            kind="follow_up",
            what="update_requested",
            at=request.requested_at.isoformat(),
            title=words.gettext(N_("Update asked of {party}, due {due}")).format(
                party=names.get(request.party, request.party), due=request.due.isoformat()
            ),
            text=words.gettext(N_("Commitments {numbers}")).format(
                numbers=", ".join(map(str, request.commitments))
            ),
            actor=request.requested_by,
            href=f"{href}#requests",
        )


def related(seen: Seen) -> Entries:
    """The case's links to related cases: each made (how they relate, and the other case here or
    at another NCP) and each removed (with its reason); a case here the reader may not see (a
    mediator not assigned to it) is not named."""
    from states.case_links import RELATIONS
    from workflow.related import may_see_case

    case, words = seen.case, seen.words
    for link in seen.tx.case_links.of_case(case.reference):
        other = link.other_of(case.reference)
        if other is not None and seen.viewer is not None and not may_see_case(seen.tx, seen.viewer, other):
            named = words.gettext(N_("a case at this NCP that you may not see"))
        elif other is not None:
            named = other
        else:
            named = f"{link.ncp} {link.external_reference}"
        relation = words.gettext(RELATIONS.get(link.relation(case.reference), link.kind))
        yield read_models.TimelineEntry(
            id=f"link-{link.number}",
            kind="related",
            what="linked",
            at=link.linked_at.isoformat(),
            title=words.gettext(N_("Link {number} to a related case: {relation} {other}")).format(
                number=link.number, relation=relation, other=named
            ),
            text=None,
            actor=link.linked_by,
        )
        if link.removed_at is not None:
            yield read_models.TimelineEntry(
                id=f"unlink-{link.number}",
                kind="related",
                what="unlinked",
                at=link.removed_at.isoformat(),
                title=words.gettext(N_("Link {number} to a related case removed: {relation} {other}")).format(
                    number=link.number, relation=relation, other=named
                ),
                text=link.removed_because,
                actor=link.removed_by,
            )


def checklist(seen: Seen) -> Entries:
    """The ticks and unticks of the case's stage checklists (states/checklists.py), each item by
    its label and its stage by its name in the reader's words."""
    words = seen.words
    for number, mark in enumerate(seen.tx.checklists.of_case(seen.case.reference), start=1):
        said = (
            N_("Checklist of {stage}: ticked “{item}”")
            if mark.ticked
            else N_("Checklist of {stage}: unticked “{item}”")
        )
        yield read_models.TimelineEntry(
            id=f"checklist-{number}",
            kind="checklist",
            what="ticked" if mark.ticked else "unticked",
            at=mark.at.isoformat(),
            title=words.gettext(said).format(
                stage=wording.term(mark.stage, words), item=wording.term(mark.item, words)
            ),
            text=None,
            actor=mark.actor,
        )


SOURCES: tuple[Source, ...] = (
    Source("step", N_("Steps"), steps),
    Source("note", N_("Notes"), notes, covers=frozenset({"note_added"})),
    Source("document", N_("Documents"), documents, covers=frozenset({"document_added"})),
    Source(
        "letter", N_("Letters"), letters, covers=frozenset({"letter_drafted", "letter_edited", "letter_sent"})
    ),
    Source(
        "correspondence", N_("Correspondence"), correspondence, covers=frozenset({"correspondence_logged"})
    ),
    Source(
        "engagement",
        N_("Company engagement"),
        engagement,
        covers=frozenset({"engagement_invited", "engagement_responded", "good_faith_concern_raised"}),
    ),
    Source(
        "statement",
        N_("Statements"),
        statements,
        covers=frozenset(
            {
                "statement_drafted",
                "statement_edited",
                "statement_circulated",
                "comment_received",
                "comment_round_closed",
                "statement_published",
            }
        ),
    ),
    Source(
        "mediation",
        N_("Mediation"),
        mediation,
        covers=frozenset({"mediator_assigned", "mediator_unassigned", "mediation_session_recorded"}),
    ),
    Source(
        "follow_up",
        N_("Follow-up"),
        follow_up,
        covers=frozenset({"commitment_recorded", "commitment_status_set", "update_requested"}),
    ),
    Source("related", N_("Related cases"), related, covers=frozenset({"case_linked", "case_unlinked"})),
    Source(
        "checklist",
        N_("Checklists"),
        checklist,
        covers=frozenset({"checklist_ticked", "checklist_unticked"}),
    ),
)
"""Every source of a timeline, in the filter's order."""

KINDS: tuple[str, ...] = tuple(source.kind for source in SOURCES)


# ---- the timeline --------------------------------------------------------------------------------

# An entry's own keys that hold no free text: never rewritten by the redaction.
_KEPT = frozenset({"id", "kind", "what", "at", "day", "href", "withheld"})


def case_timeline(
    *,
    uow: UnitOfWork,
    reference: str,
    viewer: User | None = None,
    kinds: Sequence[str] = (),
    language: str = "en",
    page: int = 1,
    per_page: int = PER_PAGE,
    reasons: Sequence[DeclineReason] = DEFAULT_REASONS,
) -> read_models.Timeline:
    """The case's timeline, newest first: the entries of `kinds` (none given: every kind), page
    `page` of `per_page`, as `viewer` may see them, worded in `language`. An unknown kind is
    refused naming the input `kind` and listing the kinds."""
    chosen = [inputs.one_of(KINDS, kind, N_("kind of entry"), "kind") for kind in dict.fromkeys(kinds)]
    shown = [source for source in SOURCES if not chosen or source.kind in chosen]
    with uow.read() as tx:
        case = tx.cases.get(reference)
        seen = Seen(
            tx=tx,
            case=case,
            viewer=viewer,
            words=procedures.words(case.procedure, language),
            covered=frozenset().union(*(source.covers for source in SOURCES)),
            language=language,
            reasons=reasons,
        )
        found = [(rank, entry) for rank, source in enumerate(shown) for entry in source.read(seen)]
        redaction: Redaction = NOTHING if viewer is None else redactions.for_viewer(tx, viewer, language)
    # Newest first; at the same instant, the later source and the later entry of a source first.
    ordered = [
        entry
        for _, _, _, entry in sorted(
            ((_instant(entry.at), rank, n, entry) for n, (rank, entry) in enumerate(found)),
            key=lambda item: item[:3],
            reverse=True,
        )
    ]
    start = (page - 1) * per_page
    words = seen.words
    return read_models.Timeline(
        reference=reference,
        kinds=[read_models.TimelineKind(name=s.kind, label=words.gettext(s.label)) for s in SOURCES],
        shown=[source.kind for source in shown],
        total=len(ordered),
        page=page,
        per_page=per_page,
        items=[redacted(entry, redaction, reference, _KEPT) for entry in ordered[start : start + per_page]],
    )
