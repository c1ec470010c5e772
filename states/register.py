"""The public register of specific instances (pure): which cases it lists, and what an entry holds.

Only 23 of 51 NCPs publish a database of their cases; ncpflow's is `/register`, read by anyone
without signing in, its Atom feed and its export with the OECD database's fields.

Which cases: a case is listed once its acceptance or rejection has been made public, that is
once its audit trail holds any of

- the fact `assessment_published` (the initial assessment was published);
- a statement published (`statement_published`, the statements' own entry);
- a publishing step: the trigger `publish`, or `close` out of `final_statement` (oecd-2023 words
  it "final statement published without follow-up"; `PUBLISHING`).

It enters the register at the first of these (`listed_at`, when it was recorded) and is updated
by every later public event (`updated_at`, the latest of them): a step (stage, decision, outcome,
dates), a migration (the stage's name), a shown fact, a statement published, an edit of the
descriptive fields (themes, host countries, sector, edition, supporting NCPs: the OECD export
shows them all), a party added or its name, type or protection changed, and an issue's changes
(the export lists the issues' chapters and decisions). Notes, documents that are not public,
letters, correspondence, pauses, extensions and leads are never public events.

What an entry holds, public by nature (identifiers, codes and dates):

- the reference; the stage (the case's state, worded by the reader's procedure words); the
  decision on acceptance (accepted / not accepted) and its date; the dates of receipt (to the
  month where only the month is known), of the initial assessment's publication and of
  conclusion; the final outcome; the themes (Guidelines chapters) and host countries;
- the enterprises and the submitters by name, each with its type, except a protected party
  (identity withheld, or at risk of reprisal): its name is never given, not even as a
  pseudonym (a pseudonym lets a reader confirm a guessed name: states/pseudonyms.py), only
  that it is withheld (`Party.name` None);
- the published statements, as the statements record them (`states.statements.Statement`: the
  version of its PDF that was published): each only where that version's access is `public`,
  its direction `out`, with no exemption and no protected party (a later draft of the same
  document is never served), its title redacted (see below).

Free text the register shows: the case's title and the published documents' titles (and, in the
export, the sector), each only after the one redaction (`states.redaction`) of every protected
name, organisation number and contact detail of every case, replaced by a label that names no
case and no party ("[confidential submitter]", never a pseudonym). Nothing else of the case's free
text is public: not the scope, issue titles, reasons, fact notes, measures, contacts, notes,
letters or correspondence, nor any document that is not public (its title, its number, its
content).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from states.case import Case, Party, PartyRole
from states.chain import AuditEntry
from states.documents import Document
from states.errors import NcpflowError
from states.messages import N_
from states.parties import party_keys
from states.precision import shown
from states.redaction import Redaction
from states.reports import CaseHistory
from states.statements import Statement

PUBLISHED_FACT = "assessment_published"
"""The fact that makes a case's acceptance or rejection public: the initial assessment published."""
STATEMENT_PUBLISHED = "statement_published"
"""The statements' entry: a statement published (its PDF a public document)."""
PUBLISHING: tuple[tuple[str, str | None], ...] = (("publish", None), ("close", "final_statement"))
"""The steps that publish a statement: (trigger, from state; None: from any)."""
SHOWN_FACTS = frozenset({PUBLISHED_FACT})
# Changes of a party that the register shows (its name, type, or whether it is protected).
_PARTY_SHOWN = frozenset({"name", "type", "confidential", "reprisal_risk"})
_ALWAYS_PUBLIC = frozenset(
    {
        "transitioned",
        "migrated",
        "edited",
        "party_added",
        "issue_added",
        "issue_decided",
        "issue_concluded",
        STATEMENT_PUBLISHED,
    }
)
PUBLIC_ACCESS = "public"
PUBLISHED_DIRECTION = "out"
ACCEPTED, NOT_ACCEPTED = "accepted", "not_accepted"


@dataclass(frozen=True)
class Listing:
    """When a case entered the register and when its entry last changed (None: not listed)."""

    listed_at: datetime
    updated_at: datetime


def _instant(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def _recorded(entry: AuditEntry) -> datetime:
    """When an entry was recorded: its data's `recorded_at` where it has one (a step back-dated
    with `--at` is recorded now, and a feed reader learns of it now), else its time."""
    recorded = entry.data.get("recorded_at")
    if isinstance(recorded, str):
        try:
            return _instant(recorded)
        except ValueError:
            pass
    return _instant(entry.at)


def publishes(entry: AuditEntry) -> bool:
    """Whether `entry` makes the case's acceptance or rejection public (the module's rule)."""
    if entry.kind == STATEMENT_PUBLISHED:
        return True
    if entry.kind == "fact_recorded":
        return entry.data.get("fact") == PUBLISHED_FACT
    if entry.kind == "transitioned":
        trigger = entry.data.get("trigger")
        return any(trigger == t and source in (None, entry.from_state) for t, source in PUBLISHING)
    return False


def is_public_event(entry: AuditEntry) -> bool:
    """Whether `entry` changes what a listed case's entry shows (the module's list)."""
    if entry.kind in _ALWAYS_PUBLIC:
        return True
    if entry.kind == "fact_recorded":
        return entry.data.get("fact") in SHOWN_FACTS
    if entry.kind == "party_changed":
        return bool(_PARTY_SHOWN & set(entry.data.get("changes") or ()))
    return False


def listing(entries: Iterable[AuditEntry]) -> Listing | None:
    """When the case whose entries these are (in seq order) entered the register, and its latest
    public event; None when it is not listed."""
    listed: datetime | None = None
    updated: datetime | None = None
    for entry in entries:
        if listed is None and publishes(entry):
            listed = updated = _recorded(entry)
        elif listed is not None and is_public_event(entry):
            updated = max(updated or listed, _recorded(entry))
    if listed is None or updated is None:
        return None
    return Listing(listed, updated)


# ---- an entry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicParty:
    """A party as the register names it: `name` None when its identity is withheld."""

    role: str
    name: str | None
    type: str | None


@dataclass(frozen=True)
class PublicDocument:
    """A published statement: the public version of its PDF (a document of the case)."""

    number: int
    version: int
    kind: str  # initial_assessment, final_statement, follow_up
    title: str
    published_on: date
    media_type: str
    size: int
    extension: str


@dataclass(frozen=True)
class Entry:
    """One case as the register shows it (the module's docstring says what and why)."""

    reference: str
    title: str
    stage: str
    received: str  # ISO day, or ISO month where only the month is known
    year: int
    decision: str | None  # ACCEPTED, NOT_ACCEPTED, or None (not decided yet)
    decided_on: str | None
    assessment_published_on: str | None
    concluded_on: str | None
    outcome: str | None
    themes: tuple[str, ...]
    host_countries: tuple[str, ...]
    enterprises: tuple[PublicParty, ...]
    submitters: tuple[PublicParty, ...]
    documents: tuple[PublicDocument, ...]
    listed_at: datetime
    updated_at: datetime
    related: tuple[PublicRelated, ...] = ()  # links to other listed cases (states/case_links.py)


@dataclass(frozen=True)
class PublicRelated:
    """A link from a listed case to another listed case, as the register shows it: the other
    case's reference and title (redacted like every title here) and how they relate
    (`states.case_links.RELATIONS`). A link to a case that is not listed, or to a case at another
    NCP, is never shown."""

    reference: str
    title: str
    relation: str


def _party(party: Party, redaction: Redaction) -> PublicParty:
    return PublicParty(
        role=str(party.role),
        name=None if party.protected else redaction.text(party.name),
        type=party.type,
    )


def _extension(filename: str) -> str:
    """The file's extension when it is a plain one (`.pdf`), else none: the download's name is
    the reference and the number, never the stored file's name."""
    _, dot, tail = filename.rpartition(".")
    return f".{tail.lower()}" if dot and tail.isascii() and tail.isalnum() and len(tail) <= 8 else ""


def published_documents(
    statements: Iterable[Statement], documents: Iterable[Document], case: Case, redaction: Redaction
) -> tuple[PublicDocument, ...]:
    """The case's published statements (the statements' own record: `published_version` of each
    one's PDF), by publication; each only where that version may be read by anyone
    (`is_published`), its title redacted."""
    versions = {(d.number, d.version): d for d in documents}
    protected = [key for key, party in party_keys(case.parties) if party.protected]
    found = []
    for statement in sorted(
        (s for s in statements if s.published_at is not None and s.published_version is not None),
        key=lambda s: (s.published_at, s.number),
    ):
        document = versions.get((statement.pdf_document, statement.published_version or 0))
        published_at = statement.published_at
        if document is None or published_at is None or not is_published(document, protected):
            continue
        found.append(
            PublicDocument(
                number=document.number,
                version=document.version,
                kind=statement.kind,
                title=redaction.text(document.title),
                published_on=case.calendar.local_date(published_at),
                media_type=document.media_type,
                size=document.size,
                extension=_extension(document.filename),
            )
        )
    return tuple(found)


def is_published(document: Document, protected_keys: Iterable[str]) -> bool:
    """Whether this version may be read by anyone: public, sent by the NCP, not exempt, and not
    from or to a protected party."""
    return (
        document.access == PUBLIC_ACCESS
        and document.direction == PUBLISHED_DIRECTION
        and document.exemption is None
        and (document.party is None or document.party not in set(protected_keys))
    )


def entry(
    case: Case,
    history: CaseHistory,
    listed: Listing,
    statements: Iterable[Statement],
    documents: Iterable[Document],
    redaction: Redaction,
) -> Entry:
    """The register's entry for `case`: `history` its dates from the audit log
    (states.reports.histories), `listed` when it entered the register, `statements` its
    statements (states.statements), `documents` every version of its documents, `redaction`
    every protected name of every case (labels name no case)."""
    received_day = case.calendar.local_date(case.received_at)
    decision, decided = None, None
    if history.accepted_on is not None:
        decision, decided = ACCEPTED, history.accepted_on
    elif history.outcome in history.rules.not_accepted:
        decision, decided = NOT_ACCEPTED, history.concluded_on
    published = [on for name, on, _ in history.facts if name == PUBLISHED_FACT]
    return Entry(
        reference=case.reference,
        title=redaction.text(case.title),
        stage=case.state,
        received=shown(received_day, case.received_precision),
        year=received_day.year,
        decision=decision,
        decided_on=history.shown(decided, "concluded" if decision == NOT_ACCEPTED else "accepted"),
        assessment_published_on=published[0].isoformat() if published else None,
        concluded_on=history.shown(history.concluded_on, "concluded"),
        outcome=history.outcome,
        themes=tuple(case.details.themes),
        host_countries=tuple(case.details.host_countries),
        enterprises=tuple(_party(p, redaction) for p in case.parties if p.role == PartyRole.ENTERPRISE),
        submitters=tuple(_party(p, redaction) for p in case.parties if p.role == PartyRole.SUBMITTER),
        documents=published_documents(statements, documents, case, redaction),
        listed_at=listed.listed_at,
        updated_at=listed.updated_at,
    )


# ---- the list and its filters ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The register's filters (None: any): the year received, the stage, a theme, a host country."""

    year: int | None = None
    stage: str | None = None
    theme: str | None = None
    country: str | None = None

    def keep(self, entry: Entry) -> bool:
        return (
            (self.year is None or entry.year == self.year)
            and (self.stage is None or entry.stage == self.stage)
            and (self.theme is None or self.theme in entry.themes)
            and (self.country is None or self.country in entry.host_countries)
        )


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """The register's order: received newest first, then by reference."""
    return sorted(entries, key=lambda e: (e.received, e.reference), reverse=True)


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """The feed's order: the latest updated first, then by reference."""
    return sorted(entries, key=lambda e: (e.updated_at, e.reference), reverse=True)


def choices(entries: Sequence[Entry]) -> Mapping[str, tuple[str, ...]]:
    """The values the listed entries hold, for the filters' choices: years (newest first),
    stages, themes and host countries."""
    return {
        "year": tuple(sorted({str(e.year) for e in entries}, reverse=True)),
        "stage": tuple(sorted({e.stage for e in entries})),
        "theme": tuple(sorted({t for e in entries for t in e.themes})),
        "country": tuple(sorted({c for e in entries for c in e.host_countries})),
    }


class NotInRegister(NcpflowError, LookupError):
    """Not in the public register: an unknown case, a case not listed, or a document that is not
    published; the same refusal for each."""

    code = "not_found"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(N_("nothing in the register under '{reference}'"), reference=reference)


@dataclass(frozen=True)
class Register:
    """The entries the filters keep (in the register's order), out of `total` listed, and the
    values the filters may take (`states.register.choices`)."""

    entries: list[Entry]
    total: int
    choices: Mapping[str, tuple[str, ...]]
