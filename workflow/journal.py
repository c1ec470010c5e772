"""The journal (offentlig journal): the documents received and sent, for the NCP and, in its
public variant, for anyone.

One read: every document version whose direction is `in` or `out`, filed from `since` to `until`
(NCP-local days, both included), oldest first, with its case's party names. The rules are
`states.journal`. The public variant is redacted with `workflow.redaction.protecting`, as every
export is, whoever asks, with labels that name no case (never a pseudonym: anyone could confirm
a guessed name with one, states/pseudonyms.py); otherwise the reader gets the redaction they get everywhere
(`for_viewer`; the operator at the command line: none), and a reader who may not read
NCP-internal documents sees no `ncp` document's title.
"""

from __future__ import annotations

from datetime import date

from states import journal as rules
from states.documents import Document
from states.parties import party_keys
from states.redaction import NOTHING, Redaction
from states.users import User
from translations import translator
from workflow import read_models
from workflow import redaction as redactions
from workflow.documents import may_read_internal
from workflow.ports import UnitOfWork
from workflow.views import redacted

# An entry's keys that hold no free text: never rewritten by the redaction.
_KEPT = frozenset({"date", "case", "document", "direction", "access", "exemption", "title_withheld"})


def journal_entries(
    *,
    uow: UnitOfWork,
    since: date | None = None,
    until: date | None = None,
    public: bool = False,
    viewer: User | None = None,
    language: str = "en",
) -> read_models.Journal:
    """The journal from `since` to `until` (either left out: from the first, to the last),
    oldest first; `public`: the public variant (no exempt or internal title, no protected name),
    worded in `language`."""
    with uow.read() as tx:
        documents = sorted(
            (d for d in tx.documents.every() if d.direction in rules.JOURNALED),
            key=lambda d: (d.added_at, d.reference, d.number, d.version),
        )
        cases = {
            reference: tx.cases.get(reference) for reference in dict.fromkeys(d.reference for d in documents)
        }
        redaction: Redaction = (
            redactions.protecting(tx, language)
            if public
            else NOTHING
            if viewer is None
            else redactions.for_viewer(tx, viewer, language)
        )

    def day_of(document: Document) -> date:
        return cases[document.reference].calendar.local_date(document.added_at)

    found = rules.lines(
        documents,
        day_of=day_of,
        parties={
            ref: {key: party.name for key, party in party_keys(case.parties)} for ref, case in cases.items()
        },
        since=since,
        until=until,
    )
    tr = translator(language)
    internal = may_read_internal(viewer)
    entries = []
    for line in found:
        title = rules.shown_title(line, tr, public=public, internal=internal)
        entry = read_models.JournalEntry(
            day=line.day,
            case=line.reference,
            document=line.number,
            version=line.version,
            direction=line.direction,  # type: ignore[arg-type]  # one of JOURNALED
            party=line.party,
            title=title,
            title_withheld=title != line.title,
            access=line.access,
            exemption=line.exemption,
        )
        # The public variant's labels name no case: a pseudonym lets anyone confirm a guessed name.
        entries.append(redacted(entry, redaction, None if public else line.reference, _KEPT))
    return read_models.Journal(public=public, since=since, until=until, entries=entries)
