"""SQLModel table definitions: the schema as the migrations build it (storage/migrations).

Rows never leave storage/; the repositories read driver rows by name, as the records of
storage/rows.py (generated from these tables), and storage/mapper.py turns them into the core's
values.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Table, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(index=True)
    outcome: str | None = None
    # Every result the case holds, by field (states/results.py; 0014_case_results): JSON text.
    results: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    scope: str | None = Field(default=None, sa_column=Column(Text))
    received_at: datetime
    received_on: date = Field(index=True)
    received_precision: str = "day"  # or "month" (an imported case received "2007-02")
    last_event_at: datetime
    timezone: str
    roll_to_working_day: bool = False
    holiday_country: str | None = None
    themes: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    host_countries: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    sector: str | None = None
    lead_member: str | None = None
    version: int = 1
    guidelines_edition: str | None = None
    supporting_ncps: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    # The procedure version the case follows (0007_procedure_versions): a row of
    # procedure_versions, kept until the case is migrated to another.
    procedure_id: str
    procedure_version: str


class ProcedureVersionRow(SQLModel, table=True):
    """Every procedure version a case follows or followed (0007_procedure_versions): its text as
    read, and the text's sha256. Stored with the first case that uses it; never changed."""

    __tablename__ = "procedure_versions"

    id: str = Field(primary_key=True)
    version: str = Field(primary_key=True)
    sha256: str
    content: str = Field(sa_column=Column(Text, nullable=False))
    stored_at: datetime


class PartyRow(SQLModel, table=True):
    __tablename__ = "parties"
    __table_args__ = (
        # Redaction and the search index read every confidential submitter (0016_case_search).
        Index(
            "ix_parties_confidential",
            "case_id",
            sqlite_where=text("confidential"),
            postgresql_where=text("confidential"),
        ),
        # ... and every party at risk of reprisal (0022_parties).
        Index(
            "ix_parties_reprisal_risk",
            "case_id",
            sqlite_where=text("reprisal_risk"),
            postgresql_where=text("reprisal_risk"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    position: int
    role: str
    name: str = Field(sa_column=Column(Text, nullable=False))
    type: str | None = None
    confidential: bool = False  # identity withheld
    org_number: str | None = None
    reprisal_risk: bool = False  # migration 0022_parties
    measures: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PartyContactRow(SQLModel, table=True):
    """A representative or contact of a party (migration 0022_parties; states/contacts.py):
    numbered from 1 per party, never reused; a removed one keeps its row (`removed_at`)."""

    __tablename__ = "party_contacts"
    __table_args__ = (UniqueConstraint("party_id", "number", name="uq_party_contacts_number"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="parties.id", index=True)
    number: int
    role: str  # representative, contact
    name: str = Field(sa_column=Column(Text, nullable=False))
    email: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    address: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    language: str  # en, nb
    channel: str  # email, post
    created_at: datetime
    removed_at: datetime | None = None


class PartyRevisionRow(SQLModel, table=True):
    """One row: a number every change to a party or a contact raises (migration 0022_parties),
    so the cached redaction of a unit of work (storage/search.py) is known to be current."""

    __tablename__ = "party_revision"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    revision: int


class DeadlineRow(SQLModel, table=True):
    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("case_id", "name"),
        # The sweep and "overdue" lists ask for open deadlines due before a day.
        Index(
            "ix_deadlines_open_due",
            "due_on",
            sqlite_where=text("met_at IS NULL"),
            postgresql_where=text("met_at IS NULL"),
        ),
        # A case's earliest open deadline, read from the index alone: the dashboard's order
        # and the "overdue" filter over many cases (0016_case_search).
        Index(
            "ix_deadlines_open_case",
            "case_id",
            "due_on",
            sqlite_where=text("met_at IS NULL"),
            postgresql_where=text("met_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str
    basis_on: date
    basis_label: str
    duration: str
    started_at: datetime
    met_at: datetime | None = None
    met_on: date | None = None
    # A cache of the derived due date, rewritten whenever the deadline changes, so that
    # queries can filter on it; the truth is basis + duration + adjustments.
    due_on: date


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        # "My cases" of a user who leads none: the cases they made a step on (0016_case_search).
        Index(
            "ix_audit_log_actor_case",
            "actor",
            "case_ref",
            sqlite_where=text("case_ref IS NOT NULL"),
            postgresql_where=text("case_ref IS NOT NULL"),
        ),
    )

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    case_ref: str | None = Field(default=None, index=True)
    kind: str
    actor: str = Field(sa_column=Column(Text, nullable=False))
    at: str  # the exact hashed spelling, UTC with microseconds
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text))
    data: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON
    prev_hash: str
    hash: str


class AuditCheckpointRow(SQLModel, table=True):
    __tablename__ = "audit_checkpoints"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    hash: str
    at: str
    mac: str  # HMAC of older checkpoints; empty when signed with Ed25519
    sig: str | None = None  # Ed25519 signature (base64)
    key_id: str | None = None  # fingerprint of the signing key


class ReferenceCounterRow(SQLModel, table=True):
    __tablename__ = "reference_counters"

    prefix: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last: int


class PauseRow(SQLModel, table=True):
    __tablename__ = "pauses"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    started_at: datetime
    ended_at: datetime | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(Text, nullable=False))
    requested_by: str | None = Field(default=None, sa_column=Column(Text))
    ended_by: str | None = Field(default=None, sa_column=Column(Text))


class FactRow(SQLModel, table=True):
    """A dated fact recorded on a case (states/facts.py), in recording order."""

    __tablename__ = "case_facts"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str
    happened_on: date
    actor: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime
    by_whom: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))


class ExtensionRow(SQLModel, table=True):
    __tablename__ = "extensions"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadlines.id", index=True)
    amount: str
    reason: str = Field(sa_column=Column(Text, nullable=False))
    approved_by: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime | None = None


class AlertRow(SQLModel, table=True):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("deadline_id", "rung", "due_on", name="uq_alerts_once"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadlines.id")
    rung: str
    due_on: date
    fired_at: datetime


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)
    case_ref: str | None = None
    kind: str
    recipient: str = Field(sa_column=Column(Text, nullable=False))
    language: str
    subject: str = Field(sa_column=Column(Text, nullable=False))
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    status: str
    attempts: int = 0
    created_at: datetime
    next_attempt_at: datetime
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class MemberRow(SQLModel, table=True):
    __tablename__ = "members"

    id: str = Field(primary_key=True)
    position: int  # config order; ties in the rotation go to the earlier member
    name: str = Field(sa_column=Column(Text, nullable=False))
    email: str = Field(sa_column=Column(Text, nullable=False))
    role: str
    language: str | None = None
    conflicts: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{name, org_number}]
    soft_conflicts: str = Field(sa_column=Column(Text, nullable=False))
    leave: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{from, to}]
    active: bool = True
    updated_at: datetime


class MemberSettingRow(SQLModel, table=True):
    """A member's leave period or declared conflict set in the browser (migration
    0018_member_settings), beside what config.toml declares; `members sync` never touches it."""

    __tablename__ = "member_settings"

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="members.id", index=True)
    kind: str  # leave, conflict, soft_conflict
    starts_on: date | None = None  # leave: the first day away
    ends_on: date | None = None  # leave: the last day away
    party_name: str | None = Field(default=None, sa_column=Column(Text))  # conflicts
    org_number: str | None = Field(default=None, sa_column=Column(Text))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str = Field(sa_column=Column(Text, nullable=False))
    set_at: datetime


class LeadDecisionRow(SQLModel, table=True):
    __tablename__ = "lead_decisions"

    id: int | None = Field(default=None, primary_key=True)  # the rotation's turn counter
    case_ref: str = Field(index=True)
    member_id: str | None = Field(default=None, index=True)  # None: nobody was eligible
    kind: str  # opened, reassigned, recused
    at: datetime
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    skipped: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{member, reason, detail}]
    given_up_at: datetime | None = None
    given_up_kind: str | None = None  # reassigned, recused


class DutyPeriodRow(SQLModel, table=True):
    __tablename__ = "duty_periods"

    id: int | None = Field(default=None, primary_key=True)
    member_id: str
    started_at: datetime
    started_on: date
    actor: str = Field(sa_column=Column(Text, nullable=False))


class LeadAlertRow(SQLModel, table=True):
    __tablename__ = "lead_alerts"
    __table_args__ = (UniqueConstraint("case_ref", "member_id", "problem", name="uq_lead_alerts_once"),)

    id: int | None = Field(default=None, primary_key=True)
    case_ref: str
    member_id: str
    problem: str = Field(sa_column=Column(Text, nullable=False))
    fired_at: datetime


class UserRow(SQLModel, table=True):
    """Users of the web app and API (migration 0004_users): hashes only, never the secrets."""

    __tablename__ = "users"

    name: str = Field(primary_key=True)
    role: str
    member_id: str | None = None
    password_hash: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    disabled: bool = False  # (0005_sessions) signs nobody in, tokens and sessions refused
    stamp: int = 0  # raised whenever the user's sessions or tokens change (disable, revoke...)
    totp_secret: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The last TOTP time step used: a code works once.
    totp_last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    mediator_id: str | None = None  # (0031_mediators) role mediator: the mediator it is


class SessionRow(SQLModel, table=True):
    """A signed-in browser (migration 0005_sessions): the cookie holds the id, this its sha256."""

    __tablename__ = "sessions"

    id_hash: str = Field(primary_key=True)
    user_name: str = Field(index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    address: str | None = None


class ApiTokenRow(SQLModel, table=True):
    """API tokens (migration 0005_sessions): sha256 only; `id` is the hash's first 12 digits."""

    __tablename__ = "api_tokens"

    id: str = Field(primary_key=True)
    user_name: str = Field(index=True)
    token_hash: str = Field(unique=True)
    created_at: datetime
    revoked_at: datetime | None = None


class CalendarFeedRow(SQLModel, table=True):
    """A user's calendar subscription URL (migration 0017_calendar_feeds): the token's sha256
    only; `id` is the hash's first 12 digits; the language and scope it was made with."""

    __tablename__ = "calendar_feeds"

    id: str = Field(primary_key=True)
    user_name: str = Field(index=True)
    token_hash: str = Field(unique=True)
    language: str
    scope: str  # "all" or "mine" (the cases the user's member leads)
    created_at: datetime
    revoked_at: datetime | None = None


class CaseImportRow(SQLModel, table=True):
    """A case brought in by `case import` (migration 0009_imports): its external id, the
    sha256 of the line's content (a second import of the same content changes nothing), and
    where it came from."""

    __tablename__ = "case_imports"

    external_id: str = Field(primary_key=True)
    reference: str = Field(unique=True)
    sha256: str
    source: str = Field(sa_column=Column(Text, nullable=False))
    line: int
    actor: str = Field(sa_column=Column(Text, nullable=False))
    imported_at: datetime


class CaseIssueRow(SQLModel, table=True):
    """An issue of a case (migration 0008_case_issues): its chapters, decision and outcome."""

    __tablename__ = "case_issues"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_issues_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case, in the order added
    title: str = Field(sa_column=Column(Text, nullable=False))
    chapters: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of chapter ids
    decision: str  # undecided, accepted, not_accepted
    decided_on: date | None = None
    outcome: str | None = None
    outcome_on: date | None = None
    decided_precision: str = "day"  # or "month" (migration 0015_issue_precision): "2007-09"
    outcome_precision: str = "day"
    created_at: datetime


class CaseNoteRow(SQLModel, table=True):
    """An internal note on a case (migration 0024_notes; states/notes.py): never changed or
    removed (the migration's triggers refuse it); a correction is a new row that `replaces`."""

    __tablename__ = "case_notes"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_notes_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case, in the order written down
    text: str = Field(sa_column=Column(Text, nullable=False))
    author: str = Field(sa_column=Column(Text, nullable=False))
    written_at: datetime  # when the note was written (it may be before it was recorded)
    recorded_at: datetime
    replaces: int | None = None  # the number of the earlier note it corrects


class CaseSearchRow(SQLModel, table=True):
    """A case's search terms (migration 0016_case_search; storage/search.py): each column a
    sorted, space-separated set of folded words (states/search.py). SQLite indexes them in the
    FTS5 table `case_search_fts`, PostgreSQL in GIN expression indexes; both made by the
    migration, outside this metadata."""

    __tablename__ = "case_search"

    case_id: int = Field(primary_key=True, foreign_key="cases.id", sa_column_kwargs={"autoincrement": False})
    head: str = Field(sa_column=Column(Text, nullable=False))  # reference, title, parties
    body: str = Field(sa_column=Column(Text, nullable=False))  # the steps' reasons and notes
    head_secret: str = Field(sa_column=Column(Text, nullable=False))  # confidential names
    body_secret: str = Field(sa_column=Column(Text, nullable=False))  # ... in the steps' text


class CorrespondenceRow(SQLModel, table=True):
    """An entry of a case's correspondence log (migration 0023_correspondence): a communication
    in or out with one party, over one channel, with the numbers of the documents it carried."""

    __tablename__ = "case_correspondence"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_correspondence_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case, in the order logged
    at: datetime  # when it happened (UTC)
    direction: str  # in, out
    party: str  # the party's key (submitter-1), states/parties.py
    channel: str  # states/correspondence.py CHANNELS
    subject: str = Field(sa_column=Column(Text, nullable=False))
    documents: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of document numbers
    letter: int | None = None  # the letter whose sending this entry logs
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class OutboxAttachmentRow(SQLModel, table=True):
    """A file an outbox message carries (migration 0023_correspondence): stored content named
    by its sha256, read when the message is sent."""

    __tablename__ = "outbox_attachments"
    __table_args__ = (UniqueConstraint("outbox_id", "position", name="uq_outbox_attachments_position"),)

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id", index=True)
    position: int  # 0, 1, ... in the message's order
    filename: str = Field(sa_column=Column(Text, nullable=False))
    media_type: str
    sha256: str
    size: int = Field(sa_column=Column(BigInteger, nullable=False))


class PartyReminderRow(SQLModel, table=True):
    """A reminder to a case's lead that a party has had no word (migration 0023_correspondence;
    `[parties] update_every`): one per party and silent period, the period named by when the
    party was last written to (`since`: the last outgoing entry, or the case's receipt)."""

    __tablename__ = "party_reminders"
    __table_args__ = (UniqueConstraint("case_id", "party", "since", name="uq_party_reminders_period"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    party: str
    since: datetime
    reminded_at: datetime


class DocumentContentRow(SQLModel, table=True):
    """A document's content, once per sha256 (migration 0021_documents): the same content filed
    twice is stored once. Its bytes are the `document_chunks` of this sha256, in order."""

    __tablename__ = "document_contents"

    sha256: str = Field(primary_key=True)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    stored_at: datetime


class DocumentChunkRow(SQLModel, table=True):
    """One chunk (1 MiB, the last shorter) of a content: a BLOB on SQLite, bytea on PostgreSQL,
    so reads and writes go chunk by chunk with bounded memory."""

    __tablename__ = "document_chunks"

    sha256: str = Field(primary_key=True, foreign_key="document_contents.sha256")
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CaseDocumentRow(SQLModel, table=True):
    """A version of a document of a case (migration 0021_documents): the versions of one
    document share its number; the content is `document_contents` by sha256."""

    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("case_id", "number", "version", name="uq_case_documents_version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    version: int  # 1, 2, ... within the document
    title: str = Field(sa_column=Column(Text, nullable=False))
    direction: str  # in, out, internal
    party: str | None = None  # the party's key (submitter-1), states/parties.py
    access: str  # public, parties, ncp ([documents] access)
    exemption: str | None = Field(default=None, sa_column=Column(Text))  # [documents] exemptions
    filename: str = Field(sa_column=Column(Text, nullable=False))
    media_type: str
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(foreign_key="document_contents.sha256", index=True)
    added_at: datetime
    added_by: str = Field(sa_column=Column(Text, nullable=False))


class LetterRow(SQLModel, table=True):
    """A letter to a party of a case (migration 0023_correspondence): drafted from a template,
    edited, then sent by e-mail or marked sent for posting. Its DOCX and PDF are documents of the
    case (`case_documents`, by number: each edit a new version); `values` is the context it was
    drafted with, so an edit keeps its date, letterhead and recipient."""

    __tablename__ = "case_letters"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_letters_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    kind: str  # states/letters.py KINDS
    party: str  # the recipient party's key (submitter-1)
    language: str  # en, nb
    status: str  # draft, sent, posted
    docx_document: int  # the case's document number of the DOCX
    pdf_document: int  # ... and of its PDF
    docx_sha256: str  # the DOCX as ncpflow last rendered it (a Word upload differs)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    paragraphs: str = Field(sa_column=Column(Text, nullable=False))  # JSON list: the editable text
    letter_values: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the template context
    notice: str | None = None  # pause, extension: queued by that step ([parties] notify_on)
    created_at: datetime
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    channel: str | None = None  # email, post: how it was sent
    sent_at: datetime | None = None
    sent_by: str | None = Field(default=None, sa_column=Column(Text))


class MediatorRow(SQLModel, table=True):
    """An external mediator in the register (migration 0031_mediators; states/mediators.py):
    never deleted, made inactive."""

    __tablename__ = "mediators"

    id: str = Field(primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    email: str = Field(sa_column=Column(Text, nullable=False))
    organisation: str | None = Field(default=None, sa_column=Column(Text))
    languages: str = Field(sa_column=Column(Text, nullable=False))  # JSON ["en", "nb"]
    competence: str | None = Field(default=None, sa_column=Column(Text))
    conflicts: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{name, org_number}]
    soft_conflicts: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = True
    created_at: datetime
    updated_at: datetime


class MediatorAssignmentRow(SQLModel, table=True):
    """A mediator assigned to a case (0031_mediators); ended, never deleted, when unassigned."""

    __tablename__ = "mediator_assignments"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    mediator_id: str = Field(foreign_key="mediators.id", index=True)
    assigned_at: datetime
    assigned_by: str = Field(sa_column=Column(Text, nullable=False))
    override: str | None = Field(default=None, sa_column=Column(Text))  # why a hard conflict was overridden
    conflicts: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the conflicts found then
    ended_at: datetime | None = None
    ended_by: str | None = Field(default=None, sa_column=Column(Text))


class MediationSessionRow(SQLModel, table=True):
    """A mediation session of a case (0031_mediators): appended, numbered within the case."""

    __tablename__ = "mediation_sessions"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_mediation_sessions_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int
    starts_at: datetime  # UTC
    format: str  # in_person, video, phone, hybrid
    place: str | None = Field(default=None, sa_column=Column(Text))
    interpreters: str = Field(sa_column=Column(Text, nullable=False))  # JSON ["fr", "nb"]
    attendees: str = Field(sa_column=Column(Text, nullable=False))  # JSON ["submitter-1", "A. Name"]
    notes: str | None = Field(default=None, sa_column=Column(Text))  # NCP-internal
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime


class PartyLinkRow(SQLModel, table=True):
    """A party's link to one case (migration 0028_party_links; states/party_links.py): the
    sha256 of its token (never the token), when it was issued, when it expires, who issued it
    and, once revoked, when and by whom."""

    __tablename__ = "party_links"

    id: int | None = Field(default=None, primary_key=True)  # the link's number, in its token
    case_id: int = Field(foreign_key="cases.id", index=True)
    party: str  # the party's key (`submitter-1`)
    token_hash: str = Field(unique=True)
    issued_at: datetime
    expires_at: datetime
    issued_by: str = Field(sa_column=Column(Text, nullable=False))
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, sa_column=Column(Text))


class StatementRow(SQLModel, table=True):
    """A statement of a case (migration 0027_statements): an initial assessment, a final
    statement or a follow-up statement drafted from its template. Its DOCX and PDF are documents
    of the case (by number: each edit a new version); published, its public PDF is version
    `published_version` of the PDF document."""

    __tablename__ = "case_statements"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_statements_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    kind: str  # states/statements.py KINDS
    language: str  # en, nb
    status: str  # draft, published
    docx_document: int
    pdf_document: int
    created_at: datetime
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    published_at: datetime | None = None
    published_by: str | None = Field(default=None, sa_column=Column(Text))
    published_version: int | None = None
    fired: str | None = None  # fact:NAME, trigger:NAME


class CommentRoundRow(SQLModel, table=True):
    """A comment round (migration 0027_statements): a statement's PDF as it stood (document,
    version) sent to parties (JSON list of keys) with a window from `opened_on` to `due_on`."""

    __tablename__ = "comment_rounds"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_comment_rounds_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    statement: int
    document: int
    version: int
    parties: str = Field(sa_column=Column(Text, nullable=False))
    days: int
    opened_on: date
    due_on: date
    opened_at: datetime
    opened_by: str = Field(sa_column=Column(Text, nullable=False))
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, sa_column=Column(Text))


class RoundCommentRow(SQLModel, table=True):
    """A comment received in a round (migration 0027_statements): from one party, by e-mail,
    post or the party's link; its text and/or a document filed `in` from that party."""

    __tablename__ = "round_comments"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_round_comments_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    round: int
    party: str
    via: str
    text: str | None = Field(default=None, sa_column=Column(Text))
    document: int | None = None
    received_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class RoundAlertRow(SQLModel, table=True):
    """A rung of a comment window fired (migration 0027_statements): the lead's alerts and the
    parties' reminder, each once per round, rung and due date (the claim)."""

    __tablename__ = "round_alerts"
    __table_args__ = (UniqueConstraint("round_id", "rung", "due_on", name="uq_round_alerts_once"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="comment_rounds.id", index=True)
    rung: str
    due_on: date
    fired_at: datetime


class EngagementInvitationRow(SQLModel, table=True):
    """An invitation to an enterprise party (migration 0030_engagement; states/engagement.py):
    appended, never changed (the migration's triggers refuse it)."""

    __tablename__ = "engagement_invitations"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_engagement_invitations_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    party: str  # the enterprise's key (enterprise-1), states/parties.py
    invited_to: str  # states/engagement.py INVITED_TO
    channel: str  # states/correspondence.py CHANNELS
    at: datetime  # when it was sent (UTC)
    respond_by: date  # the NCP-local day an answer is due
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class EngagementResponseRow(SQLModel, table=True):
    """A response to an invitation (migration 0030_engagement): appended, never changed; an
    invitation's standing is its latest."""

    __tablename__ = "engagement_responses"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_engagement_responses_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    invitation: int  # the invitation's number within the case
    response: str  # accepted, declined, no_response
    reasons: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of reason codes
    at: datetime
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class GoodFaithConcernRow(SQLModel, table=True):
    """A concern about good faith (migration 0030_engagement): appended, never changed; its text
    NCP-internal."""

    __tablename__ = "good_faith_concerns"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_good_faith_concerns_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    side: str  # enterprise, submitter: who raised it
    text: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class CommitmentRow(SQLModel, table=True):
    """A commitment of an agreement or a recommendation of a statement (migration
    0029_commitments; states/commitments.py): never changed or removed (triggers refuse it)."""

    __tablename__ = "case_commitments"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_case_commitments_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    source: str  # agreement, statement
    document: int | None = None  # the case's document holding it
    owner: str  # enterprise, ncp, submitter
    party: str | None = None  # the owning party's key
    text: str = Field(sa_column=Column(Text, nullable=False))
    due_on: date | None = None
    made_on: date  # the agreement's or the statement's date (NCP-local)
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class CommitmentStatusRow(SQLModel, table=True):
    """One entry of a commitment's status history (migration 0029_commitments): append-only."""

    __tablename__ = "commitment_status"
    __table_args__ = (UniqueConstraint("case_id", "commitment", "seq", name="uq_commitment_status_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    commitment: int  # the commitment's number within the case
    seq: int  # 1, 2, ... per commitment, in the order recorded
    status: str  # implemented, partly, not, unknown
    holds_on: date  # the NCP-local day it holds from
    note: str | None = Field(default=None, sa_column=Column(Text))
    evidence: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of document numbers
    actor: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime


class UpdateRequestRow(SQLModel, table=True):
    """A request to a party for news of its commitments, with its due date (migration
    0029_commitments): append-only."""

    __tablename__ = "update_requests"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_update_requests_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    party: str  # the party's key
    commitments: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of numbers
    due_on: date = Field(index=True)
    channel: str  # email
    requested_at: datetime
    requested_by: str = Field(sa_column=Column(Text, nullable=False))


class UpdateRequestAlertRow(SQLModel, table=True):
    """An alert to the lead about an update request, once per `[alerts]` rung (before-7d, due,
    overdue-1, ...) of its due date (0029_commitments): the claim a sweep takes."""

    __tablename__ = "update_request_alerts"
    __table_args__ = (UniqueConstraint("case_id", "request", "rung", name="uq_update_request_alerts"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    request: int  # the request's number within the case
    rung: str
    alerted_at: datetime


class CaseBundleRow(SQLModel, table=True):
    """A case bundle sent to or received from another NCP (migration 0036_bundles;
    states/bundles.py): its case pair's sequence and the SHA-256 of the bundle file, with the
    hash of the one before it. Appended, never changed (the migration's triggers refuse it)."""

    __tablename__ = "case_bundles"
    __table_args__ = (
        UniqueConstraint("case_id", "peer", "direction", "sequence", name="uq_case_bundles_sequence"),
        UniqueConstraint("direction", "sha256", name="uq_case_bundles_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    direction: str  # sent | received
    peer: str  # the other NCP's code
    peer_reference: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    kind: str  # share | handover
    sequence: int  # 1, 2, ... per (case, peer, direction)
    sha256: str
    previous: str | None = None  # the sha256 of the bundle before it in the pair
    at: datetime
    actor: str = Field(sa_column=Column(Text, nullable=False))


class CaseNcpRow(SQLModel, table=True):
    """An NCP of a case and its place (migration 0035_case_ncps; states/ncp_roles.py): `lead`
    (one row, or two for a joint lead), or a supporting role (consulted, reviews_drafts,
    translates). A case with no `lead` row is led by `[ncp] country`."""

    __tablename__ = "case_ncps"
    __table_args__ = (UniqueConstraint("case_id", "ncp", name="uq_case_ncps"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    ncp: str  # ISO 3166 alpha-2 code of the NCP's country
    role: str  # lead, consulted, reviews_drafts, translates
    position: int  # order within the case (a joint lead's first NCP first)


class LeadPreferenceRow(SQLModel, table=True):
    """The complainant's preference for the lead NCP (0035_case_ncps): one per case, replaced."""

    __tablename__ = "lead_preferences"

    case_id: int = Field(foreign_key="cases.id", primary_key=True)
    ncp: str
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: datetime
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))


class ReviewTaskRow(SQLModel, table=True):
    """A supporting NCP's task to review a statement draft (0035_case_ncps; states/reviews.py),
    numbered within the case, due on an NCP-local day; answered once by its review comment."""

    __tablename__ = "review_tasks"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_review_tasks_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    ncp: str
    statement: int  # the statement's number within the case
    due_on: date
    requested_at: datetime
    requested_by: str = Field(sa_column=Column(Text, nullable=False))
    answered_at: datetime | None = None
    answered_on: date | None = None  # the day the comment was given (NCP-local)
    answered_by: str | None = Field(default=None, sa_column=Column(Text))
    comment: str | None = Field(default=None, sa_column=Column(Text))  # NCP-internal


class ReviewTaskAlertRow(SQLModel, table=True):
    """An alert to the lead about an open review task, once per `[alerts]` rung of its due date
    (0035_case_ncps): the claim a sweep takes."""

    __tablename__ = "review_task_alerts"
    __table_args__ = (UniqueConstraint("case_id", "task", "rung", name="uq_review_task_alerts"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    task: int  # the task's number within the case
    rung: str
    alerted_at: datetime


# -- storage/rows.py, generated from the tables above ------------------------------------------


class CaseLinkRow(SQLModel, table=True):
    """A link between related cases (migration 0037_case_links; states/case_links.py): made on
    `case_id` to a case here (`other_case_id`) or to `external_reference` at NCP `ncp`; appended,
    never changed (the migration's triggers refuse it); a removal is a `case_link_removals` row."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("number", name="uq_case_links_number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: int  # 1, 2, ... across the NCP: the same on both cases of a local link
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str  # parallel, follow_on, same_facts
    other_case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    ncp: str | None = None  # ISO 3166 alpha-2 of the other NCP (external links)
    external_reference: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    linked_at: datetime
    linked_by: str = Field(sa_column=Column(Text, nullable=False))


class CaseLinkRemovalRow(SQLModel, table=True):
    """A link's removal (migration 0037_case_links): at most one per link, appended, never
    changed."""

    __tablename__ = "case_link_removals"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="case_links.id", unique=True)
    removed_at: datetime
    removed_by: str = Field(sa_column=Column(Text, nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ChecklistMarkRow(SQLModel, table=True):
    """A tick or untick of a checklist item on a case (migration 0040_checklists;
    states/checklists.py): the item, the stage it was made in, who and when; appended, never
    changed (the migration's triggers refuse it)."""

    __tablename__ = "checklist_marks"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    item: str
    stage: str
    ticked: bool
    actor: str = Field(sa_column=Column(Text, nullable=False))
    marked_at: datetime


ROWS = Path(__file__).with_name("rows.py")

_ROWS_HEADER = '''"""Each table of storage/tables.py as a NamedTuple of its columns, for the plain SQL.

Generated by `python -m storage.tables`; do not edit (see storage/tables.py, render_rows).
"""

from typing import Any, NamedTuple
'''


def render_rows() -> str:
    """The text of storage/rows.py for the tables declared above.

    A file of its own, so that reading a case needs neither SQLAlchemy nor SQLModel at start-up
    (benchmarks/startup.py); tests/storage/test_schema.py fails when it and these tables
    disagree. Each record's fields are the table's columns in table order:
    `storage.db.columns(CaseRow)` spells the SELECT list, and `Db.record(s)` read driver rows
    by name. Values are as the driver returns them (SQLite: text for dates and instants), hence
    `Any`. No `from __future__ import annotations` there: a NamedTuple's string annotations
    would each be compiled as a forward reference at import."""
    parts = [_ROWS_HEADER]
    for mapper in sorted(SQLModel._sa_registry.mappers, key=lambda m: cast(Table, m.local_table).name):
        table = cast(Table, mapper.local_table)
        name = mapper.class_.__name__
        lines = [f"\n\nclass {name}(NamedTuple):", f'    """A row of `{table.name}`."""', ""]
        lines += [f"    {column.name}: Any" for column in table.columns]
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


if __name__ == "__main__":
    ROWS.write_text(render_rows(), encoding="utf-8")
