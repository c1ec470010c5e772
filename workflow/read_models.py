"""The read models: what the API answers, `--json` prints and the pages show.

One pydantic model per document the read side hands out: a case (its parties, deadlines with
their explanation and status, pauses, extensions, lead and panel), a deadline, an audit entry,
the pages of cases and of audit entries, the triggers of a case, the members, the rotation and
its report. The API declares them as `response_model`, so its OpenAPI describes each field; the
command line prints `json_of(model)`; the pages' templates read their attributes.

The JSON spelling is the contract of `case show --json` (DESIGN.md) and of the API, and it does
not change with these models: dates are `YYYY-MM-DD`, instants keep the spelling the core gives
them (`isoformat()` with offset; audit entries `2025-01-31T09:00:00.000000Z`), keys a Python
name cannot hold (`from`, `to`) are aliases. `json_of` is the one way to get that spelling.
"""

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from states.case import PartyRole
from states.deadlines import DeadlineStatus
from states.issues import IssueDecision, IssueOutcome
from states.members import Reason, SettingKind
from states.members import Role as MemberRole
from states.users import FeedScope

if TYPE_CHECKING:  # the import's use case is imported by the commands that run it
    from workflow.imports import ImportResult


class ReadModel(BaseModel):
    """A document of the read side: frozen, and no keys beyond its fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def json_of(model: BaseModel) -> Any:
    """The model as JSON-ready data, in the contract's spelling (the API's and `--json`'s)."""
    return model.model_dump(mode="json", by_alias=True)


Instant = str  # a timestamp in the spelling the core gives it (ISO 8601 with its offset)
MemberId = Annotated[str, Field(description="The member's id.")]
MemberName = Annotated[str, Field(description="The member's name.")]
RoleInNcp = Annotated[MemberRole, Field(description="The member's role in the NCP.")]
Active = Annotated[bool, Field(description="Whether the member is in config.toml now.")]


# ---- a case ------------------------------------------------------------------------------------


class Extension(ReadModel):
    """More time given to one deadline."""

    amount: str = Field(description="The time added: a duration such as `30d` or `2mo`.")
    reason: str = Field(description="Why the extension was granted.")
    approved_by: str = Field(description="Who approved it.")


class Deadline(ReadModel):
    """One of a case's deadlines: when it is due, whether it is met, and why it is due then."""

    name: str = Field(description="Which deadline (a name from the case's procedure).")
    due: date = Field(
        description="The due date (YYYY-MM-DD, the NCP's local calendar): the "
        "basis plus the duration, plus paused days and extensions."
    )
    status: DeadlineStatus = Field(description="open, met, or overdue as of today.")
    explanation: str = Field(description="Why it is due then, in words (English in the API and `--json`).")
    started: date = Field(description="The date the duration runs from (its basis).")
    duration: str = Field(
        description="The indicative duration, e.g. `3mo`, `14d`, or `10wd` (working days: weekends "
        "and the public holidays of the case's holiday country do not count)."
    )
    met_on: date | None = Field(description="The day it was met; null while it is not.")
    days_left: int | None = Field(
        description="Days from today to the due date (negative when overdue); null once met."
    )
    paused_days: int = Field(description="Whole days its clock stood still while the case was paused.")
    extensions: list[Extension] = Field(description="Extensions granted, oldest first.")


class Party(ReadModel):
    """A submitter or an enterprise named in the case."""

    role: PartyRole = Field(description="submitter or enterprise.")
    name: str = Field(
        description="The party's name (a pseudonym for a reader who may not see it: its identity "
        "withheld, or at risk of reprisal; `GET /api/cases/{ref}/parties` has its contacts)."
    )
    type: str | None = Field(description="The submitter's type (NGO, trade union, ...).")
    confidential: bool = Field(
        description="Whether the party's identity is withheld (confidential) from the other party, "
        "the public and auditors."
    )


class Contact(ReadModel):
    """A representative or contact of a party: how the NCP reaches it."""

    number: int = Field(description="The contact's number within its party: 1, 2, ... never reused.")
    role: Literal["representative", "contact"] = Field(description="representative or contact.")
    name: str = Field(description="The contact's name.")
    email: str | None = Field(description="Its e-mail address; null when none was given.")
    address: str | None = Field(description="Its postal address; null when none was given.")
    language: Literal["en", "nb"] = Field(description="The language letters to it are written in.")
    channel: Literal["email", "post"] = Field(description="How it prefers to be reached.")


class CaseParty(ReadModel):
    """A party of a case with its key, flags and contacts, as the reader may see it."""

    key: str = Field(
        description="The party's key: `submitter-1`, `enterprise-2` (per role, in the case's order)."
    )
    role: PartyRole = Field(description="submitter or enterprise.")
    name: str = Field(
        description="The party's name; its pseudonym for a reader who may not see this party (`shown`)."
    )
    type: str | None = Field(description="The party's type (a submitter's: NGO, trade union, ...).")
    org_number: str | None = Field(description="Its organisation number; null when hidden from the reader.")
    withheld: bool = Field(
        description="Whether its identity is withheld from the other party, the public and auditors."
    )
    reprisal_risk: bool = Field(
        description="Whether it is at risk of reprisal: then only handlers, admins and the case's "
        "lead member see it."
    )
    measures: str | None = Field(
        description="The measures taken against reprisals; null when none or hidden from the reader."
    )
    shown: bool = Field(
        description="Whether the reader sees the party as stored; if not, its name is a pseudonym "
        "and its contacts are left out."
    )
    contacts: list[Contact] = Field(description="Its current contacts by number (empty when not `shown`).")


class CaseParties(ReadModel):
    """The parties of a case (`party list --json`, `GET /api/cases/{ref}/parties`)."""

    reference: str = Field(description="The case reference.")
    closed: bool = Field(description="Whether the case is closed (its parties no longer change).")
    parties: list[CaseParty] = Field(description="The parties in the case's order.")


class Pause(ReadModel):
    """A span during which the case's clock stood still."""

    started: Instant = Field(description="When the pause began (ISO 8601 with offset).")
    ended: Instant | None = Field(description="When it ended; null while the case is paused.")
    reason: str = Field(description="Why the case was paused.")
    requested_by: str | None = Field(description="Who asked for the pause (a party, the NCP).")
    recorded_by: str = Field(description="Who recorded the pause.")
    ended_by: str | None = Field(description="Who resumed the case.")


class Fact(ReadModel):
    """A dated fact of the case, recorded beside its steps (`case record`)."""

    fact: str = Field(description="The fact (a fact of the case's procedure), e.g. assessment_published.")
    label: str = Field(description="The fact in words.")
    on: date = Field(description="The day it happened (NCP local).")
    by: str | None = Field(description="Who it was by, for facts that name someone (review_requested).")
    by_label: str | None = Field(description="Who it was by, in words.")
    note: str | None = Field(description="A note recorded with it.")
    recorded_by: str = Field(description="Who recorded it.")
    recorded_at: Instant = Field(description="When it was recorded (ISO 8601 with offset).")


ReportDay = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{2}(-\d{2})?$",
        description="A day (YYYY-MM-DD, NCP local), or only its month (YYYY-MM) when an imported "
        "case knows no more.",
    ),
]


class Issue(ReadModel):
    """One issue of a case: an allegation tied to Guidelines chapters, accepted or not, with
    its own outcome."""

    number: int = Field(description="The issue's number within the case: 1, 2, ... in the order added.")
    title: str = Field(description="What the issue is about (free text).")
    chapters: list[str] = Field(
        description="The Guidelines chapters it concerns (ids such as `human_rights`)."
    )
    decision: IssueDecision = Field(description="undecided, accepted or not_accepted.")
    decided_on: ReportDay | None = Field(
        description="The day of the decision (NCP local), or only its month (YYYY-MM) when that "
        "is all that is known (`decided_precision`); null while undecided."
    )
    decided_precision: Literal["day", "month"] = Field(
        description="How precisely the day of the decision is known: `day`, or `month` (an "
        "imported issue decided `2007-09`)."
    )
    outcome: IssueOutcome | None = Field(description="What came of an accepted issue; null until recorded.")
    outcome_on: ReportDay | None = Field(
        description="The day of the outcome (NCP local), or only its month (YYYY-MM): `outcome_precision`."
    )
    outcome_precision: Literal["day", "month"] = Field(
        description="How precisely the day of the outcome is known: `day` or `month`."
    )


class CaseIssues(ReadModel):
    """A case's issues: what `case issue list --json` prints and `GET /api/cases/{ref}/issues`
    answers."""

    reference: str = Field(description="The case reference.")
    issues: list[Issue] = Field(description="The case's issues by number.")


class CorrespondenceEntry(ReadModel):
    """One communication with a party, as the case's correspondence log holds it."""

    number: int = Field(description="The entry's number within the case: 1, 2, ... in the order logged.")
    at: Instant = Field(description="When it happened (UTC, ISO 8601 with offset).")
    direction: str = Field(description="`in` from the party, `out` to it.")
    party: str = Field(description="The party's key: submitter-1, enterprise-2, ...")
    party_name: str = Field(description="The party's name (a pseudonym for readers who may not see it).")
    channel: str = Field(description="email, post, phone, meeting, video or hand.")
    subject: str = Field(description="What it was about.")
    documents: list[int] = Field(description="The numbers of the case's documents it carried.")
    letter: int | None = Field(description="The letter whose sending this entry logs; null otherwise.")
    recorded_at: Instant | None = Field(description="When it was logged.")
    recorded_by: str = Field(description="Who logged it.")


class CaseCorrespondence(ReadModel):
    """A case's correspondence log: `correspondence list --json`, `GET /api/cases/{ref}/correspondence`."""

    reference: str = Field(description="The case reference.")
    entries: list[CorrespondenceEntry] = Field(
        description="The entries, oldest first (by `at`, then number)."
    )


class EngagementResponse(ReadModel):
    """A response recorded to an invitation."""

    number: int = Field(description="The response's number within the case, in the order recorded.")
    invitation: int = Field(description="The invitation it answers.")
    response: str = Field(description="accepted, declined or no_response.")
    reasons: list[str] = Field(description="A decline's reason codes ([engagement] decline_reasons).")
    at: Instant = Field(description="When the answer came (UTC, ISO 8601 with offset).")
    recorded_at: Instant = Field(description="When it was recorded.")
    recorded_by: str = Field(description="Who recorded it.")


class EngagementInvitation(ReadModel):
    """An invitation to an enterprise party, with its responses and where it stands."""

    number: int = Field(description="The invitation's number within the case.")
    party: str = Field(description="The enterprise's key: enterprise-1, ...")
    party_name: str = Field(description="The enterprise's name (a pseudonym for readers who may not see it).")
    to: str = Field(description="What it was invited to: good_offices, meeting, comment, comment_draft.")
    channel: str = Field(description="email, post, phone, meeting, video or hand.")
    at: Instant = Field(description="When it was sent (UTC, ISO 8601 with offset).")
    respond_by: str = Field(description="The NCP-local day an answer is due (YYYY-MM-DD).")
    standing: str = Field(
        description="accepted, declined, no_response (recorded, or the wait has passed without an "
        "answer) or pending."
    )
    derived: bool = Field(description="Whether `no_response` is derived from the wait, not recorded.")
    recorded_at: Instant = Field(description="When it was recorded.")
    recorded_by: str = Field(description="Who recorded it.")
    responses: list[EngagementResponse] = Field(description="Its responses, in the order recorded.")


class GoodFaithConcern(ReadModel):
    """A concern about good faith; its text withheld from readers who may not read internal material."""

    number: int = Field(description="The concern's number within the case.")
    side: str = Field(description="Who raised it: enterprise or submitter.")
    text: str | None = Field(description="The concern (free text); null when `withheld`.")
    withheld: bool = Field(description="Whether the text is withheld from this reader (auditors).")
    sha256: str = Field(description="The sha256 of its text, as its audit entry holds it.")
    length: int = Field(description="The text's length in characters.")
    at: Instant = Field(description="When it was raised (UTC).")
    recorded_at: Instant = Field(description="When it was recorded.")
    recorded_by: str = Field(description="Who recorded it.")


class CaseEngagement(ReadModel):
    """A case's company engagement: `engagement list --json`, `GET /api/cases/{ref}/engagement`."""

    reference: str = Field(description="The case reference.")
    today: str = Field(description="The NCP-local day the standings are worked out on.")
    invitations: list[EngagementInvitation] = Field(description="The invitations by number.")
    concerns: list[GoodFaithConcern] = Field(description="The concerns about good faith by number.")


class EngagementFigures(ReadModel):
    """The figures of a group of invitations (states/engagement.py `figures`)."""

    invitations: int = Field(description="Invitations sent.")
    accepted: int = Field(description="Standing as accepted.")
    declined: int = Field(description="Standing as declined.")
    no_response: int = Field(description="No response: recorded, or the day to answer by has passed.")
    pending: int = Field(description="Still waiting for an answer (left out of the rate).")
    settled: int = Field(description="accepted + declined + no_response: the rate's denominator.")
    participation_rate: float | None = Field(
        description="accepted / settled (0 to 1); null when none is settled."
    )
    reasons: dict[str, int] = Field(
        description="Each reason code given by the declines and how many gave it, most frequent first."
    )


class EngagementYear(EngagementFigures):
    year: int = Field(description="The year the invitations were sent (NCP local).")


class EngagementSector(EngagementFigures):
    sector: str = Field(description="The case's sector; `unknown` when it has none.")


class EngagementReport(ReadModel):
    """`report engagement --json`, `GET /api/reports/engagement`."""

    year: int | None = Field(description="The year reported on; null: every year.")
    as_of: str = Field(description="The NCP-local day the standings were worked out on.")
    totals: EngagementFigures = Field(description="All invitations reported on.")
    by_year: list[EngagementYear] = Field(description="By the year of the invitation, in order.")
    by_sector: list[EngagementSector] = Field(description="By the case's sector (`unknown` last).")
    reasons_known: list[str] = Field(description="The configured reason codes, in their order.")


class LetterFile(ReadModel):
    """The latest version of one of a letter's two documents (its DOCX or its PDF)."""

    document: int = Field(description="The document's number within the case.")
    version: int = Field(description="Its latest version.")
    filename: str = Field(description="The file's name.")
    size: int = Field(description="The size in bytes.")
    sha256: str = Field(description="The SHA-256 of the latest version's content.")


class CaseLetter(ReadModel):
    """A letter to a party of the case: drafted, edited, sent by e-mail or posted."""

    number: int = Field(description="The letter's number within the case.")
    kind: str = Field(description="acknowledgement, acceptance, rejection, invitation, pause_notice, ...")
    party: str = Field(description="The recipient party's key (submitter-1).")
    party_name: str = Field(description="The party's name (a pseudonym for readers who may not see it).")
    language: str = Field(description="The letter's language: en or nb.")
    status: Literal["draft", "sent", "posted"] = Field(
        description="draft (may be edited), sent (e-mailed) or posted (sent for posting)."
    )
    subject: str = Field(description="Its subject (the first paragraph); empty when hidden.")
    paragraphs: list[str] = Field(
        description="Its text after the subject, paragraph by paragraph; empty when hidden."
    )
    hidden: bool = Field(
        description="Whether the text is withheld from this reader (an `ncp`-access letter for a reader "
        "without the right to read NCP-internal documents)."
    )
    docx: LetterFile = Field(description="Its DOCX document.")
    pdf: LetterFile = Field(description="Its PDF document.")
    edited_in_word: bool = Field(
        description="Whether its DOCX was replaced by an upload (a new version filed with `doc add "
        "--replaces`): that DOCX is what is sent, its PDF made from it."
    )
    notice: str | None = Field(description="pause or extension: the step that queued it; null otherwise.")
    created_at: Instant = Field(description="When it was drafted.")
    created_by: str = Field(description="Who drafted it.")
    channel: str | None = Field(description="email or post once sent; null while a draft.")
    sent_at: Instant | None = Field(description="When it was sent; null while a draft.")
    sent_by: str | None = Field(description="Who sent it.")


class CaseLetters(ReadModel):
    """A case's letters: `letter list --json`, `GET /api/cases/{ref}/letters`."""

    reference: str = Field(description="The case reference.")
    letters: list[CaseLetter] = Field(description="The letters by number.")
    offered: list[str] = Field(
        description="The letter kinds the case's current step offers, most fitting first."
    )


class StatementView(ReadModel):
    """A statement of a case (`statement list`)."""

    number: int = Field(description="The statement's number within the case: 1, 2, ...")
    kind: Literal["initial_assessment", "final_statement", "follow_up"] = Field(description="Its kind.")
    language: str = Field(description="`en` or `nb`.")
    status: Literal["draft", "published"] = Field(description="A draft, or published.")
    docx_document: int = Field(description="The number of its DOCX document.")
    pdf_document: int = Field(description="The number of its PDF document.")
    version: int = Field(description="The latest version of its PDF document.")
    created_at: Instant = Field(description="When it was drafted (UTC).")
    created_by: str = Field(description="Who drafted it.")
    published_at: Instant | None = Field(description="When it was published (UTC).")
    published_version: int | None = Field(description="The public version of its PDF document.")
    fired: str | None = Field(description="What publishing fired: `fact:NAME` or `trigger:NAME`.")


class RoundView(ReadModel):
    """A comment round of a case."""

    number: int = Field(description="The round's number within the case.")
    statement: int = Field(description="The statement circulated.")
    document: int = Field(description="The number of the PDF document sent.")
    version: int = Field(description="The version of that document sent.")
    parties: list[str] = Field(description="The parties' keys it went to.")
    days: int = Field(description="The window in days.")
    opened_on: date = Field(description="The day it was circulated (NCP-local).")
    due_on: date = Field(description="The window's last day (NCP-local).")
    open: bool = Field(description="Whether comments are still taken.")
    closed_at: Instant | None = Field(description="When it closed (UTC).")


class CommentView(ReadModel):
    """A comment received in a round."""

    number: int = Field(description="The comment's number within the case.")
    round: int = Field(description="The round it answers.")
    party: str = Field(description="The party's key.")
    via: Literal["email", "post", "link"] = Field(description="How it came.")
    text: str | None = Field(description="Its text (null when it came as a document only).")
    document: int | None = Field(description="The document filed with it.")
    received_at: Instant = Field(description="When it was logged (UTC).")
    withheld: bool = Field(
        default=False,
        description="Its text and document are withheld: it came from a party the reader may not see.",
    )


class CaseStatements(ReadModel):
    """A case's statements, comment rounds and comments: `statement list --json`,
    `GET /api/cases/{ref}/statements`."""

    reference: str = Field(description="The case reference.")
    statements: list[StatementView] = Field(description="The statements by number.")
    rounds: list[RoundView] = Field(description="The comment rounds by number.")
    comments: list[CommentView] = Field(description="The comments received, by number.")
    drafted: list[str] = Field(description="The statement kinds the case's state may draft.")
    publishable: list[str] = Field(description="The statement kinds the case's state may publish.")
    triggers: dict[str, list[str]] = Field(
        description="Per kind, the steps publishing it may fire (the first by default)."
    )


class CirculatedDraft(ReadModel):
    """A draft circulated to one party (`app.statements.circulated`): what a party link shows."""

    round: int = Field(description="The round's number.")
    statement: int = Field(description="The statement's number.")
    kind: Literal["initial_assessment", "final_statement", "follow_up"] = Field(description="Its kind.")
    document: int = Field(description="The number of the PDF document sent.")
    version: int = Field(description="The version of that document sent.")
    title: str = Field(description="The document version's title.")
    due_on: date = Field(description="The window's last day (NCP-local).")
    open: bool = Field(description="Whether comments are still taken.")


class PublishedStatement(ReadModel):
    """A published statement (`app.statements.published`): what the public register lists."""

    number: int = Field(description="The statement's number.")
    kind: Literal["initial_assessment", "final_statement", "follow_up"] = Field(description="Its kind.")
    language: str = Field(description="`en` or `nb`.")
    published_at: Instant = Field(description="When it was published (UTC).")
    document: int = Field(description="The number of its PDF document.")
    version: int = Field(description="The public version of that document (access `public`).")


class DocumentVersion(ReadModel):
    """One version of a document of a case (its content is downloaded apart)."""

    number: int = Field(description="The document's number within the case; its versions share it.")
    version: int = Field(
        description="1 for the document as first filed, then 2, 3, ... for each replacement."
    )
    title: str = Field(
        description="The title; `[internal document]` for a reader who may not read NCP-internal "
        "documents (`hidden`)."
    )
    direction: Literal["in", "out", "internal"] = Field(description="Received, sent, or internal.")
    party: str | None = Field(description="The party's key (`submitter-1`, `enterprise-2`); null for none.")
    party_name: str | None = Field(
        description="The party's name (a pseudonym where the reader may not see it)."
    )
    access: str = Field(description="Who may see it: public, parties or ncp (NCP-internal).")
    exemption: str | None = Field(description='The exemption ground ("offentleglova § 13"); null for none.')
    filename: str = Field(description="The file's name as filed; hidden like the title.")
    media_type: str = Field(description="The media type, from the content where recognised.")
    size: int = Field(description="The size in bytes.")
    sha256: str = Field(description="The SHA-256 of the content, as the audit chain holds it.")
    added_at: Instant = Field(description="When it was filed (ISO 8601 with offset).")
    added_by: str = Field(description="Who filed it.")
    hidden: bool = Field(
        description="Whether the title, file name and content are withheld from this reader (an "
        "`ncp` document for a reader without the right to read NCP-internal documents)."
    )


class CaseDocument(DocumentVersion):
    """A document of a case: its latest version's fields, and every version, oldest first."""

    versions: list[DocumentVersion] = Field(description="Every version, oldest first.")


class CaseDocuments(ReadModel):
    """A case's documents: what `doc list --json` prints and `GET /api/cases/{ref}/documents`
    answers."""

    reference: str = Field(description="The case reference.")
    documents: list[CaseDocument] = Field(description="The case's documents by number.")


class CaseCore(ReadModel):
    """A case as the core holds it, without who leads it and who takes part (`case list
    --json` prints these; `Case` adds the lead and panel)."""

    reference: str = Field(description="The case reference, e.g. NCP-2025-003.")
    title: str = Field(description="A short title.")
    state: str = Field(description="The stage of the lifecycle the case is in (a state of its procedure).")
    outcome: str | None = Field(
        description="How the case ended or was decided (the result recorded last); null until then."
    )
    results: dict[str, str] = Field(
        description="The results the case holds, by field: `mediation_result` (how good offices "
        "ended, kept when the case goes on to examination), `determination` (how the examination "
        "ended), `outcome` (not accepted, withdrawn, transferred); see states/results.py."
    )
    scope: str | None = Field(description="With a partial acceptance: what was accepted.")
    lead_member: str | None = Field(description="The id of the member leading the case.")
    paused: bool = Field(description="Whether the case's clock stands still now.")
    pauses: list[Pause] = Field(description="Every pause, oldest first.")
    facts: list[Fact] = Field(description="The dated facts recorded, in the order they were recorded.")
    review_open: bool = Field(
        description="Whether a procedural review of the final statement is open (it holds publication)."
    )
    received: ReportDay = Field(
        description="The day the submission was received (YYYY-MM-DD, NCP local), or only its "
        "month (YYYY-MM) when that is all that is known (an imported case: `received_precision`)."
    )
    received_precision: Literal["day", "month"] = Field(
        description="How precisely the date of receipt is known: `day`, or `month` (an imported "
        "case received `2007-02`: `received_at` is then the month's first day, not a known day)."
    )
    received_at: Instant = Field(description="When it was received (ISO 8601 with offset).")
    procedure_id: str = Field(description="The id of the procedure the case follows (`oecd-2023`).")
    procedure_version: str = Field(
        description="The version of that procedure the case follows (pinned when it was opened, "
        "changed only by `case migrate`)."
    )
    version: int = Field(
        description="The case's version; give it as `expected_version` to "
        "refuse a step on a case changed meanwhile."
    )
    parties: list[Party] = Field(description="Submitters and enterprises.")
    themes: list[str] = Field(description="Chapters of the Guidelines the submission raises.")
    host_countries: list[str] = Field(description="Where the alleged conduct took place.")
    sector: str | None = Field(description="The enterprise's sector.")
    guidelines_edition: str | None = Field(
        description="The Guidelines edition that applies: 1976, 1979, 1984, 1991, 2000, 2011, "
        "2023, or both (2011 and 2023)."
    )
    supporting_ncps: list[str] = Field(description="NCPs supporting the lead NCP (ISO 3166 codes).")
    timezone: str = Field(description="The NCP's time zone, in which dates are local.")
    next_due: Deadline | None = Field(
        description="The open deadline due first (a copy of its "
        "entry in `deadlines`); null when none is open."
    )
    deadlines: list[Deadline] = Field(description="Every deadline started, with its explanation and status.")


class Lead(ReadModel):
    """Who leads the case, and how and why they came to."""

    member: str | None = Field(description="The lead member's id; null when nobody leads.")
    name: str | None = Field(description="The lead member's name.")
    how: str | None = Field(
        description="How they came to lead: the kind of the lead decision "
        "(opened, reassigned); null when set outside the rotation."
    )
    since: Instant | None = Field(description="When that decision was taken.")
    why: str = Field(description="The decision in words.")


class PanelMember(ReadModel):
    """A member taking part in the case."""

    member: MemberId
    name: MemberName
    role: RoleInNcp
    lead: bool = Field(description="Whether this member leads the case.")
    note: str | None = Field(description="A soft conflict the member declared, if any.")


class Excluded(ReadModel):
    """A member not taking part in the case, and why."""

    member: MemberId
    reason: Reason = Field(description="Why, as a code.")
    detail: str = Field(description="Why, in words.")


class Panel(ReadModel):
    """Who leads a case, how and why, and who takes part."""

    lead: Lead = Field(description="Who leads the case, how and why.")
    taking_part: list[PanelMember] = Field(description="The members taking part.")
    not_taking_part: list[Excluded] = Field(description="The members who do not, and why.")


LinkRelation = Literal["parallel", "follow_on", "followed_by", "same_facts"]


class RelatedCase(ReadModel):
    """A standing link from a case to a related one (states/case_links.py), as it reads from
    that case: a case here, or a case at another NCP. Never a party's name."""

    number: int = Field(
        description="The link's number: the same on both cases of a link between two cases here."
    )
    relation: LinkRelation = Field(
        description="parallel: a parallel complaint at another NCP; follow_on: this case follows on "
        "from the other; followed_by: the other follows on from this one; same_facts: a case here "
        "about the same facts."
    )
    case: str | None = Field(
        description="The other case's reference when it is here (null: at another NCP, or withheld)."
    )
    title: str | None = Field(
        description="The other case's title when it is here (redacted as the reader sees titles)."
    )
    withheld: bool = Field(
        description="True when the other case is here but the reader may not see it (a mediator not "
        "assigned to it): its reference and title are left out."
    )
    ncp: str | None = Field(description="The other NCP (ISO 3166 alpha-2) for a case at another NCP.")
    external_reference: str | None = Field(description="The other NCP's reference for its case.")
    url: str | None = Field(description="Where the other NCP describes its case (http or https), if given.")
    linked_at: Instant = Field(description="When the link was made (ISO 8601 with offset).")
    linked_by: str = Field(description="Who made it.")


class CaseLinks(ReadModel):
    """A case's standing links to related cases (`case links`, `GET /api/cases/{ref}/links`)."""

    reference: str = Field(description="The case reference.")
    links: list[RelatedCase] = Field(description="Its links, by number.")


# ---- precedents (states/precedents.py) ---------------------------------------------------------


class PrecedentParty(ReadModel):
    """An enterprise of a precedent: its name, or null when the reader may not see it."""

    name: str | None = Field(description="The enterprise's name (null: withheld from this reader).")
    withheld: bool = Field(description="True when the enterprise is protected from this reader.")


class PrecedentStatement(ReadModel):
    """A published statement of a precedent, as the public register serves it."""

    kind: str = Field(description="initial_assessment, final_statement or follow_up.")
    title: str = Field(description="The statement's title (redacted as the register redacts it).")
    published_on: date = Field(description="When it was published (YYYY-MM-DD, the NCP's zone).")
    url: str = Field(description="The register's address of the published PDF (a path on this server).")


class Precedent(ReadModel):
    """A similar past case: its score and what it shares with the case, its outcome and dates,
    and where its published statements are."""

    reference: str = Field(description="The precedent's reference.")
    title: str = Field(description="Its title, redacted as the reader sees titles.")
    source: Literal["own", "imported"] = Field(
        description="own: this NCP's own concluded case; imported: brought in by `case import`."
    )
    score: float = Field(description="Its score out of 12 (states/precedents.py), to two decimals.")
    matched: list[str] = Field(
        description="The dimensions that matched: chapters, host_countries, sector, enterprise."
    )
    chapters: list[str] = Field(description="The Guidelines chapters it shares with the case.")
    host_countries: list[str] = Field(description="The host countries it shares with the case.")
    sector: str | None = Field(description="Its sector (redacted as free text).")
    enterprises: list[PrecedentParty] = Field(description="Its enterprises, as the reader may see them.")
    state: str = Field(description="Its stage now.")
    stage: str = Field(description="Its stage in words (its procedure's label, in the reader's language).")
    outcome: str | None = Field(description="Its final outcome, once concluded (the reports' rule).")
    outcome_words: str | None = Field(description="The outcome in words, as the reports word it.")
    received: str = Field(description="When it was received (YYYY-MM-DD, or YYYY-MM if known to the month).")
    concluded: str | None = Field(description="When it concluded (YYYY-MM-DD or YYYY-MM), if it has.")
    register_url: str | None = Field(description="Its entry in the public register, where it is listed.")
    statements: list[PrecedentStatement] = Field(description="Its published statements.")
    sources: list[str] = Field(description="An imported case's sources (URLs or citations), as imported.")


class Precedents(ReadModel):
    """A case's precedents (`case similar`, `GET /api/cases/{ref}/similar`): similar past cases,
    best first."""

    reference: str = Field(description="The case reference.")
    threshold: float = Field(description="The least score a precedent has.")
    weights: dict[str, int] = Field(description="Each dimension's weight in the score.")
    precedents: list[Precedent] = Field(description="The precedents, best first (may be empty).")


class Case(Panel, CaseCore):  # in this order, the case's fields come first, then its panel's
    """One case: what `case show --json` prints and `GET /api/cases/{ref}` answers."""

    issues: list[Issue] = Field(
        description="The case's issues by number, each accepted or not (partial acceptance)."
    )
    links: list[RelatedCase] = Field(
        default_factory=list,
        description="Its standing links to related cases (a parallel complaint at another NCP, a "
        "follow-on complaint, a case here about the same facts), by number.",
    )


class CasePage(ReadModel):
    """A page of cases, oldest first."""

    total: int = Field(description="How many cases match the filters, on every page.")
    limit: int = Field(description="At most this many items on a page.")
    offset: int = Field(description="How many matching cases come before this page.")
    items: list[Case] = Field(description="The cases of this page.")


class NextDue(ReadModel):
    """A case's open deadline due first, as a list shows it (its explanation is the case's)."""

    name: str = Field(description="Which deadline (a name from the case's procedure).")
    due: date = Field(description="The day it falls due (NCP local).")
    status: DeadlineStatus = Field(description="open, overdue or paused as of today.")
    days_left: int = Field(description="Days from today to the due date; negative: overdue.")


class CaseHit(ReadModel):
    """One case in a list of cases found: what a row of the cases page shows."""

    reference: str = Field(description="The case reference, e.g. NCP-2025-003.")
    title: str = Field(description="A short title.")
    state: str = Field(description="The stage the case is in (a state of its procedure).")
    closed: bool = Field(description="Whether the case is in a state that ends it.")
    paused: bool = Field(description="Whether the case's clock stands still now.")
    lead_member: str | None = Field(description="The id of the member leading the case.")
    lead_name: str | None = Field(description="That member's name.")
    received: ReportDay = Field(description="The day it was received (or only its month).")
    last_step_at: Instant = Field(description="When its latest step took effect (ISO 8601 with offset).")
    parties: list[Party] = Field(
        description="Submitters and enterprises (pseudonyms where the reader may not see them)."
    )
    themes: list[str] = Field(description="Chapters of the Guidelines the submission raises.")
    next_due: NextDue | None = Field(description="Its open deadline due first; null when none is open.")


class CaseHits(ReadModel):
    """A page of the cases a query and filters find (`GET /api/cases/search`, the cases page)."""

    query: str = Field(description="The words searched for, as given (trimmed); empty: none.")
    order: Literal["relevance", "due", "received"] = Field(
        description="relevance: the case whose reference is the query first, then those found by "
        "reference, title or parties, then by the steps' text, each latest step first; due: the "
        "earliest open deadline first; received: newest first."
    )
    total: int = Field(description="How many cases match, on every page.")
    page: int = Field(description="This page's number, 1 the first.")
    per_page: int = Field(description="At most this many cases on a page.")
    items: list[CaseHit] = Field(description="The cases of this page.")


class TriggerOption(ReadModel):
    """A trigger of the lifecycle and whether it may fire on the case now."""

    trigger: str = Field(description="The trigger (a trigger of the case's procedure).")
    allowed: bool = Field(description="Whether it may fire now.")
    to_state: str | None = Field(
        description="The state it leads to from here; null when no transition leaves this state with it."
    )
    outcomes: list[str] = Field(
        description="The outcomes it may record (one must be chosen when there are several)."
    )
    why_not: str | None = Field(description="Why it may not fire now; null when it may.")
    meaning: str = Field(description="What the step means, in words.")


class Triggers(ReadModel):
    """`case triggers --json`: the case's state and every trigger."""

    reference: str = Field(description="The case reference.")
    state: str = Field(description="The state the case is in.")
    triggers: list[TriggerOption] = Field(description="Every trigger, allowed or not.")


# ---- the audit log -----------------------------------------------------------------------------


class AuditEntry(ReadModel):
    """An entry of the hash-chained audit log (docs/audit-format.md describes every kind)."""

    seq: int = Field(description="Position in the chain: 1, 2, 3, ... without gaps.")
    case_ref: str | None = Field(
        description="The case the entry is about; null for entries "
        "about no case (users, members, duty, exports)."
    )
    kind: str = Field(description="What happened: one of the kinds of docs/audit-format.md.")
    actor: str = Field(
        description="Who is accountable: a user, a member id, `config`, `scheduler`, `outbox`."
    )
    at: str = Field(description="When it took effect, in UTC with microseconds: 2025-01-31T09:00:00.000000Z.")
    from_state: str | None = Field(
        description="The case's state before; null when the entry is not about a case's state."
    )
    to_state: str | None = Field(description="The case's state after.")
    reason: str | None = Field(description="The reason given, or a sentence the system wrote.")
    data: dict[str, Any] = Field(description="The kind's own fields.")
    prev_hash: str = Field(description="The hash of entry seq - 1; 64 zeros for entry 1.")
    hash: str = Field(description="This entry's hash (64 lower-case hex digits).")


class AuditPage(ReadModel):
    """A page of the audit log."""

    limit: int = Field(description="At most this many items on a page.")
    offset: int = Field(description="How many matching entries come before this page.")
    items: list[AuditEntry] = Field(description="The entries of this page.")


# ---- a case's internal notes and its timeline ---------------------------------------------------


class Note(ReadModel):
    """An internal note on a case, as a reader who may read NCP-internal material sees it."""

    number: int = Field(description="The note's number within the case: 1, 2, ... in the order written down.")
    text: str = Field(description="The note (free text).")
    author: str = Field(description="Who wrote it down.")
    at: Instant = Field(description="When it was written (ISO 8601, UTC).")
    recorded_at: Instant = Field(description="When it was put into ncpflow (ISO 8601, UTC).")
    sha256: str = Field(
        description="The sha256 of its text (UTF-8), as its `note_added` audit entry holds it."
    )
    length: int = Field(description="The text's length in characters, as its audit entry holds it.")
    replaces: int | None = Field(description="The earlier note it corrects; null when none.")
    replaced_by: int | None = Field(description="The later note that corrects it; null when none.")


class CaseNotes(ReadModel):
    """A case's internal notes: what `note list --json` prints and `GET /api/cases/{ref}/notes`
    answers (readers who may read NCP-internal material only)."""

    reference: str = Field(description="The case reference.")
    notes: list[Note] = Field(description="The case's notes by number.")


class ChecklistLine(ReadModel):
    """One item of a case's checklist now: ticked or not, by whom and when (its last mark)."""

    item: str = Field(description="The item's id (`ia_material`): what `case tick` takes.")
    label: str = Field(description="What is checked or done, in the reader's language.")
    help: str | None = Field(description="A note on the item, in the reader's language; null when none.")
    ticked: bool = Field(description="Whether it is ticked now.")
    by: str | None = Field(description="Who ticked (or last unticked) it; null when never marked.")
    at: Instant | None = Field(description="When (ISO 8601, UTC); null when never marked.")


class CaseChecklist(ReadModel):
    """The checklist of a case's current stage: what `case checklist --json` prints and
    `GET /api/cases/{ref}/checklist` answers."""

    reference: str = Field(description="The case reference.")
    state: str = Field(description="The case's state: the stage whose checklist this is.")
    items: list[ChecklistLine] = Field(
        description="The items in the procedure's order; empty when the stage has none."
    )
    complete: bool = Field(description="Whether every item is ticked.")
    missing: list[str] = Field(description="The ids of the items not ticked, in order.")
    required_by: list[str] = Field(
        description="The steps from this stage that wait for a complete checklist (the guard "
        "`checklist_complete`, where `[procedure] checklists_required` is on); empty otherwise."
    )


class TimelineEntry(ReadModel):
    """One entry of a case's timeline: a step from the audit log, a note, a document, a letter
    or a message of the correspondence, as the reader may see it."""

    id: str = Field(description="The entry's id within the timeline, e.g. `step-12` (audit seq), `note-3`.")
    kind: str = Field(description="Which kind of entry: one of the timeline's `kinds`.")
    what: str = Field(
        description="What exactly: a step's audit kind (`transitioned`, `paused`, ...); `note`; "
        "a document's or a message's direction; a letter's `drafted`, `sent` (by e-mail) or `posted`."
    )
    at: Instant = Field(description="When it happened (ISO 8601, UTC).")
    day: str | None = Field(
        default=None,
        description="The date as an imported step's file gave it (`2007-02`: known to the month "
        "only), shown instead of `at`; null otherwise.",
    )
    title: str = Field(description="What happened, in words (in the reader's language).")
    text: str | None = Field(
        description="The step's reason, the note's text ...; null when there is none or the "
        "reader may not see it (`withheld`)."
    )
    actor: str | None = Field(description="Who did it or wrote it.")
    href: str | None = Field(
        default=None,
        description="A link: a document version's download from the pages (the API's is `/api` "
        "before it); null when none, or withheld.",
    )
    withheld: bool = Field(
        default=False, description="The entry's text is NCP-internal and this reader may not read it."
    )


class TimelineKind(ReadModel):
    """A kind of timeline entry, as the filter offers it."""

    name: str = Field(description="The kind: step, note, document, letter, correspondence, follow_up.")
    label: str = Field(description="Its label, in the reader's language.")


class Timeline(ReadModel):
    """A case's story, newest first: `GET /api/cases/{ref}/timeline`, the case page."""

    reference: str = Field(description="The case reference.")
    kinds: list[TimelineKind] = Field(
        description="Every kind of entry a timeline holds: the filter's choices."
    )
    shown: list[str] = Field(description="The kinds this page shows (all when none was chosen).")
    total: int = Field(description="How many entries of the shown kinds the case has.")
    page: int = Field(description="Which page: 1 is the newest.")
    per_page: int = Field(description="At most this many entries on a page.")
    items: list[TimelineEntry] = Field(description="The page's entries, newest first.")


# ---- members and the rotation --------------------------------------------------------------------


def _spelt(name: str, key: str, description: str) -> Any:
    """A field named `name` in Python and `key` in JSON (a key a Python name cannot hold),
    read back from either (redaction reads the JSON spelling back)."""
    return Field(validation_alias=AliasChoices(name, key), serialization_alias=key, description=description)


# ---- the journal (offentlig journal) ------------------------------------------------------------


class JournalEntry(ReadModel):
    """One document version received or sent, as the journal lists it."""

    day: date = _spelt("day", "date", "The NCP-local day it was filed (YYYY-MM-DD).")
    case: str = Field(description="The case reference.")
    document: int = Field(description="The document's number within the case.")
    version: int = Field(description="Its version: 1 as first filed, 2, 3, ... for each replacement.")
    direction: Literal["in", "out"] = Field(description="in: received; out: sent.")
    party: str | None = Field(
        description="The party it came from or went to; a pseudonym where the name is protected; "
        "null when none is named."
    )
    title: str = Field(
        description='The title; in the public variant an exempt title is "Exempt from public access, '
        '<ground>" and an NCP-internal one `[internal document]`.'
    )
    title_withheld: bool = Field(description="Whether the title is left out for this reader.")
    access: str = Field(description="Its access code: public, parties or ncp.")
    exemption: str | None = Field(description='The exemption ground ("offentleglova § 13"); null for none.')


class Journal(ReadModel):
    """The journal of documents in and out: `journal export --format json`, `/journal.json`."""

    public: bool = Field(description="Whether this is the public variant.")
    since: date | None = _spelt("since", "from", "The first day (NCP-local); null: from the first entry.")
    until: date | None = _spelt("until", "to", "The last day (NCP-local); null: to the last entry.")
    entries: list[JournalEntry] = Field(description="The entries, oldest first.")


class Leave(ReadModel):
    """A period a member is away (both days included)."""

    start: date = _spelt("start", "from", "The first day away.")
    end: date = _spelt("end", "to", "The last day away.")


class Member(ReadModel):
    """A member as config.toml last brought them in, with today's availability and caseload."""

    id: MemberId
    name: MemberName
    email: str = Field(description="Where the member's e-mails go.")
    role: RoleInNcp
    language: str | None = Field(
        description="The language of the member's e-mails; null for the NCP's language."
    )
    active: Active
    conflicts: list[str] = Field(
        description="Declared conflicts: names or organisation numbers the member may not lead a case about."
    )
    soft_conflicts: list[str] = Field(
        description="Declared ties the member may lead despite, noted on the panel."
    )
    leave: list[Leave] = Field(description="Periods away.")
    on_leave_today: bool = Field(description="Whether the member is away today.")
    last_led: str | None = Field(description="The last case the member was given to lead.")
    open_caseload: int = Field(description="Open cases the member leads.")


class Members(ReadModel):
    """`members list --json`: every member ever brought in."""

    members: list[Member] = Field(description="Active first, in config order.")
    config_changes: str | None = Field(
        description="What `members sync` would change; null when the database matches config.toml."
    )


class MemberValue(ReadModel):
    """A member's leave period or declared conflict, and where it comes from."""

    kind: SettingKind = Field(
        description="leave: a leave period; conflict: a hard conflict (not on the case); "
        "soft_conflict: a soft one (takes part, never leads)."
    )
    source: Literal["config", "browser"] = Field(
        description="config: from config.toml (changes only in the file, then `members sync`); "
        "browser: set on the members page (kept by every sync until removed there)."
    )
    text: str = Field(description="The value in words: the period, or the party and its number.")
    start: date | None = Field(default=None, description="Leave: the first day away.")
    end: date | None = Field(default=None, description="Leave: the last day away.")
    name: str | None = Field(default=None, description="A conflict: the party's name.")
    org_number: str | None = Field(default=None, description="A conflict: the party's organisation number.")
    id: int | None = Field(default=None, description="Set in the browser: the value's id (to remove it).")
    reason: str | None = Field(default=None, description="Set in the browser: the reason given.")
    set_by: str | None = Field(default=None, description="Set in the browser: who set it.")
    set_at: Instant | None = Field(default=None, description="Set in the browser: when.")
    current: bool = Field(default=True, description="A conflict, or leave covering today.")


class MemberDetail(ReadModel):
    """One member's page: today's state, and each value with its source."""

    member: Member
    values: list[MemberValue] = Field(description="From config.toml first, then those set in the browser.")


class SyncChange(ReadModel):
    """One change `members sync` would make."""

    member: MemberId
    change: Literal["added", "changed", "deactivated", "reactivated"]
    field: str | None = Field(default=None, description="The field that changes (changed only).")
    before: list[str] = Field(default_factory=list, description="The value in the database now.")
    after: list[str] = Field(default_factory=list, description="The value in config.toml.")


class SyncPreview(ReadModel):
    """What `members sync` would change now; what the browser set is kept, whatever it does."""

    empty: bool = Field(description="Whether the database matches config.toml.")
    summary: str = Field(description="The changes in one sentence.")
    changes: list[SyncChange]
    reordered: bool = Field(description="Whether the order of members (ties in the rotation) changes.")
    order: list[str] = Field(description="The member ids in config.toml's order.")
    kept: int = Field(description="Leave periods and conflicts set in the browser, kept by the sync.")


class UserListed(ReadModel):
    """A user on the users page: never a secret."""

    name: str
    role: str
    member: str | None = Field(description="The member id, for role member.")
    mediator: str | None = Field(default=None, description="The mediator id, for role mediator.")
    disabled: bool
    password: bool = Field(description="Whether a sign-in password is set.")
    totp: bool = Field(description="Whether a second factor is enrolled.")
    active_tokens: int = Field(description="API tokens not revoked.")
    last_signed_in: Instant | None = Field(description="The latest sign-in, while its session is kept.")


class TokenListed(ReadModel):
    """An API token as listed: its id (the hash's first digits), never the token."""

    id: str
    created_at: Instant
    revoked_at: Instant | None


class RotationRow(ReadModel):
    """A member's place in the rotation for the next case."""

    member: MemberId
    name: MemberName
    role: RoleInNcp
    place: int | None = Field(description="Place in the order of candidates; null when inactive.")
    status: str = Field(
        description="next, eligible, later, inactive, or why the member may not lead (a skip reason)."
    )
    why: str = Field(description="Why, in words.")


class Duty(ReadModel):
    """Periodic mode: who is on duty, and for how long."""

    member: str = Field(description="The member on duty.")
    since: Instant = Field(description="When the period began (ISO 8601 with offset).")
    until: Instant = Field(description="When it ends (ISO 8601 with offset).")


class Rotation(ReadModel):
    """`rotation show --json`: who leads the next case, and why not each other member."""

    mode: str = Field(description="per_case or periodic.")
    on: date = Field(description="The day the rotation is shown for.")
    next: str | None = Field(description="The member who leads the next case; null for nobody.")
    rule: str = Field(description="The rule applied.")
    explanation: str = Field(description="The decision in words.")
    members: list[RotationRow] = Field(description="Every member, in the rotation's order.")
    duty: Duty | None = Field(description="Periodic mode: the duty period; else null.")
    config_changes: str | None = Field(description="What `members sync` would change.")
    every: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Periodic mode only: how long a duty period lasts.",
    )


class RotationReportRow(ReadModel):
    """One member's leads, caseload and skips over the period."""

    member: MemberId
    name: MemberName
    active: Active
    led: int = Field(description="Cases the member was given to lead in the period.")
    led_by_kind: dict[str, int] = Field(description="Those lead decisions by kind.")
    given_up: dict[str, int] = Field(description="Leads given up, by how (recused, ...).")
    skipped: dict[str, int] = Field(description="Times passed over, by reason.")
    open_caseload: int = Field(description="Open cases the member leads now.")


class RotationReport(ReadModel):
    """`report rotation --json`: leads per member over a period."""

    since: date | None = _spelt("since", "from", "The first day; null from the start.")
    until: date | None = _spelt("until", "to", "The last day; null up to today.")
    decisions: int = Field(description="Lead decisions taken in the period.")
    members: list[RotationReportRow] = Field(description="Per member.")
    skips_by_reason: dict[str, int] = Field(description="Skips of every member, by reason.")
    without_lead: int = Field(description="Decisions that found nobody to lead.")
    open_without_lead: int = Field(description="Open cases without a lead now.")


# ---- the reports from the audit log (rules in states/reports.py) -------------------------------
# The API answers the very dict the command line prints (`report ... --json`); these models
# describe it in the OpenAPI.


class StageRow(ReadModel):
    """One stage of one case against its indicative timeline."""

    reference: str = Field(description="The case reference.")
    stage: str = Field(
        description="initial_assessment, good_offices, examination, final_statement or procedure."
    )
    start: ReportDay = Field(description="The day the stage began (NCP local; YYYY-MM: the month).")
    end: ReportDay | None = Field(description="The day it ended; null while it runs.")
    finished: bool = Field(description="Whether the stage has ended.")
    elapsed_days: int = Field(description="Days from start to end (or to the report's day).")
    paused_days: int = Field(description="Days of pause inside the stage.")
    days_used: int = Field(description="Elapsed days less paused days.")
    indicative_days: int = Field(description="The indicative timeline, in days from the start.")
    extensions: int = Field(description="Extensions granted to the stage's deadline.")
    extension_days: int = Field(description="Days those extensions added.")
    allowed_days: int = Field(description="Indicative plus extension days.")
    status: str = Field(description="met, exceeded or open.")
    approximate: bool = Field(
        description="Counted from or to a date known to the month only: left out of the medians "
        "unless include_approximate."
    )


class StageTotals(ReadModel):
    """One stage over every case of the report."""

    finished: int = Field(description="Stages ended.")
    open: int = Field(description="Stages still running.")
    met: int = Field(description="Ended within their allowance.")
    exceeded: int = Field(description="Ended past their allowance.")
    share_met: float | None = Field(description="met / finished; null when none finished.")
    median_days: float | None = Field(description="Median days used over finished stages.")
    p90_days: int | None = Field(description="90th percentile (nearest rank) of days used.")
    indicative_days_median: float | None = Field(description="Median indicative days over finished stages.")
    approximate: int = Field(description="Finished stages whose day count is approximate.")


class TimelinesReport(ReadModel):
    """`report timelines --json`: per case and stage, days used against the indicative timeline."""

    year: int | None = Field(description="The year of receipt reported on; null for every year.")
    as_of: date = Field(description="The report's day (NCP local).")
    cases: int = Field(description="Cases reported on.")
    approximate_included: bool = Field(description="Whether approximate day counts are in the medians.")
    stages: list[StageRow] = Field(description="Per case and stage.")
    totals: dict[str, StageTotals] = Field(description="Per stage.")


class AnnualReport(ReadModel):
    """`report annual --json`: the year's figures. Besides these keys, one count per final
    outcome of the procedure (oecd-2023: agreement, partial_agreement, no_agreement,
    enterprise_declined, determination, withdrawn, transferred) over the cases concluded in
    the year."""

    model_config = ConfigDict(frozen=True, extra="allow", defer_build=True)

    year: int = Field(description="The year.")
    as_of: date = Field(description="The report's day (NCP local).")
    received: int = Field(description="Cases received in the year.")
    accepted: int = Field(description="Cases accepted in the year.")
    partially_accepted: int = Field(
        description="Cases accepted in the year of which at least one issue is not accepted."
    )
    not_accepted: int = Field(description="Cases concluded in the year as not accepted.")
    received_led: int = Field(default=0, description="Cases received in the year that this NCP leads.")
    received_led_jointly: int = Field(
        default=0, description="Of those, the cases it leads jointly with another NCP."
    )
    received_supported: int = Field(
        default=0, description="Cases received in the year that this NCP supports (another NCP leads)."
    )
    concluded_led: int = Field(default=0, description="Concluded cases (as `concluded`) that this NCP leads.")
    concluded_supported: int = Field(
        default=0, description="Concluded cases (as `concluded`) that it supports."
    )
    reprisal_risk_cases: int = Field(
        default=0,
        description="Cases received in the year of which a party has been at risk of reprisal "
        "(a count only, never a name).",
    )
    concluded: int = Field(
        description="Cases that reached a concluded state (final statement, follow-up, closed) "
        "in the year, other than not accepted; a case under examination is open."
    )
    examinations_begun: int = Field(description="Cases that went to examination in the year.")
    mediation_results_of_examined: dict[str, int] = Field(
        description="Those cases by mediation result (how good offices ended or were declined)."
    )
    under_examination: int = Field(
        description="Cases under examination at the year's end (or on as_of, when earlier)."
    )
    median_days_to_initial_assessment: float | None = Field(
        description="Median days used by the initial assessments decided in the year."
    )
    median_days_to_conclusion: float | None = Field(
        description="Median days from receipt to conclusion, paused days apart, over the year's "
        "concluded cases."
    )
    guidelines_editions: dict[str, int] = Field(
        description="Cases received in the year by Guidelines edition (cases without one left out)."
    )
    interim_agreements: int = Field(description="Interim agreements made in the year (dated facts).")
    later_agreements: int = Field(description="Agreements reached in the year after a final statement.")
    reviews_requested: int = Field(
        description="Procedural reviews of final statements requested in the year."
    )
    reviews_concluded: int = Field(description="Procedural reviews concluded in the year.")
    leads: dict[str, int] = Field(description="Cases received in the year by lead member.")


class OecdIssue(ReadModel):
    """One issue of a case in the OECD row (not its title: free text)."""

    number: int = Field(description="The issue's number within the case.")
    chapters: list[str] = Field(description="Chapters of the Guidelines, by title.")
    decision: str = Field(description="Whether the issue was accepted.")
    decided_on: ReportDay | None = Field(description="The day it was decided; null until then.")
    outcome: str | None = Field(description="The issue's own result; null until then.")
    outcome_on: ReportDay | None = Field(description="The day of that result.")


class OecdReview(ReadModel):
    """A procedural review of the case's final statement."""

    requested: date = Field(description="The day it was requested.")
    by: str | None = Field(description="Who requested it: oversight_body, submitter or enterprise.")
    concluded: date | None = Field(description="The day it was concluded; null while open.")


class OecdRow(ReadModel):
    """`report oecd --json`: one case with the OECD database's fields (no party names)."""

    reference: str = Field(description="The case reference.")
    lead_ncp: str = Field(
        description="The lead NCP (ISO 3166 code; a joint lead's two codes joined by a comma): the "
        "case's recorded lead, else this NCP."
    )
    ncp_role: Literal["lead", "joint_lead", "supporting"] | None = Field(
        default=None, description="This NCP's place in the case: lead, joint_lead or supporting."
    )
    supporting_ncps: list[str] = Field(description="Supporting NCPs (ISO 3166 codes).")
    themes: list[str] = Field(description="Chapters of the Guidelines, by title.")
    guidelines_edition: str | None = Field(description="1976 ... 2023, or both (2011 and 2023).")
    date_received: ReportDay = Field(description="The day of receipt.")
    host_countries: list[str] = Field(description="Host countries (ISO 3166 codes).")
    submitter_type: list[str] = Field(description="The submitters' types.")
    enterprise_sector: str | None = Field(description="The enterprise's sector.")
    status: str = Field(description="The case's state.")
    mediation_result: str | None = Field(
        description="How good offices ended, kept when the case went on to examination; null if none."
    )
    determination: str | None = Field(description="How the examination ended; null if none (yet).")
    outcome: str | None = Field(description="The final outcome; null while the case is open.")
    date_concluded: ReportDay | None = Field(
        description="The day the case reached a concluded state; null while it is open."
    )
    partially_accepted: bool = Field(description="Accepted, with at least one issue not accepted.")
    issues: list[OecdIssue] = Field(description="The case's issues as last decided.")
    date_assessment_published: date | None = Field(
        description="The day the initial assessment of the accepted case was published; null if not recorded."
    )
    date_mediation_agreed: date | None = Field(
        description="The day the parties agreed to good offices; null if not recorded."
    )
    interim_agreements: list[date] = Field(description="Days of interim agreements made during mediation.")
    later_agreements: list[date] = Field(description="Days of agreements reached after the final statement.")
    procedural_reviews: list[OecdReview] = Field(description="Procedural reviews of the final statement.")


# ---- procedure versions ------------------------------------------------------------------------


class ProcedureVersion(ReadModel):
    """`procedure list --json`: one procedure version, where it comes from, who follows it."""

    id: str = Field(description="The procedure's id.")
    version: str = Field(description="The version.")
    title: str | None = Field(description="The procedure's title; null for a stored version not parsed.")
    sha256: str = Field(description="The sha256 of the definition's text (the stored one when stored).")
    shipped: bool = Field(description="Whether ncpflow ships this version.")
    configured: bool = Field(description="Whether config.toml selects it for new cases.")
    stored: bool = Field(description="Whether the database keeps it (a case follows or followed it).")
    stored_at: str | None = Field(description="When it was stored; null when it is not.")
    cases: int = Field(description="How many cases follow it now.")
    differs: bool = Field(
        description="A shipped or configured definition has this id and version but other content."
    )


class ProcedureChecklistItem(ReadModel):
    id: str = Field(description="The item's id (unique in the definition).")
    label: str = Field(description="What the handler checks or does, in the language asked for.")
    help: str | None = Field(description="Its help text in that language; null when it has none.")


class ProcedureState(ReadModel):
    name: str = Field(description="The state's name.")
    label: str = Field(description="Its label in the language asked for.")
    terminal: bool = Field(description="Whether the case ends there.")
    concluded: bool = Field(description="Whether reaching it counts the case as concluded.")
    deadlines: list[str] = Field(description="The deadlines open while a case is in it.")
    checklist: list[ProcedureChecklistItem] = Field(
        default_factory=list, description="The handler's checklist in this state, in order."
    )


class ProcedureTransition(ReadModel):
    source: str = Field(description="The state it leaves.")
    trigger: str = Field(description="The trigger.")
    dest: str = Field(description="The state it leads to.")
    outcomes: list[str] = Field(description="The outcomes it may record.")
    sets: str | None = Field(description="The result field the outcome is recorded in.")
    guards: list[str] = Field(description="The guards that must hold.")
    meaning: str = Field(description="What the step means, in the language asked for.")


class ProcedureDeadline(ReadModel):
    name: str = Field(description="The deadline's name.")
    label: str = Field(description="Its label in the language asked for.")
    basis: str = Field(
        description="received (counted from receipt) or entered (from the step that opens it)."
    )
    duration: str = Field(description="How long it runs, as the definition spells it (`3mo`, `10wd`).")
    open_in: list[str] = Field(description="The states it stays open in.")


class ProcedureShown(ReadModel):
    """`procedure show --json`: one version's states, transitions and deadlines."""

    id: str
    version: str
    title: str
    sha256: str
    source: str = Field(description="Where the definition was read from.")
    initial: str = Field(description="The state a new case starts in.")
    states: list[ProcedureState]
    transitions: list[ProcedureTransition]
    deadlines: list[ProcedureDeadline]


class ProcedureCheck(ReadModel):
    """`procedure validate --json`: a definition that may be used."""

    file: str
    id: str
    version: str
    sha256: str
    states: int
    transitions: int
    deadlines: int
    stored: bool | None = Field(
        description="Whether the database keeps this very version (same content); null: no database to ask."
    )


class FieldChange(ReadModel):
    field: str
    before: Any = Field(description="The value in A; null when absent.")
    after: Any = Field(description="The value in B; null when absent.")


class ProcedureChange(ReadModel):
    part: str = Field(
        description="procedure, state, checklist (an item), handbook (a stage's text), transition, "
        "trigger, outcome, deadline, fact or statement."
    )
    name: str = Field(description="Which one (a transition: `SOURCE --TRIGGER-->`).")
    change: str = Field(description="added, removed or changed.")
    fields: list[FieldChange] = Field(description="What differs (for a change), or what it is.")


class ProcedureDiff(ReadModel):
    """`procedure diff --json`: what differs from A to B."""

    a: str = Field(description="A, as `ID version VERSION (source)`.")
    b: str = Field(description="B, likewise.")
    changes: list[ProcedureChange]


# ---- an import -----------------------------------------------------------------------------------


class ImportedLine(ReadModel):
    """One case of an import file, and what the import did with it."""

    line: int = Field(description="The line of the file (from 1).")
    external_id: str = Field(description="The case's id in the system it came from.")
    reference: str | None = Field(description="The case's reference; null: allocated on import (dry run).")
    state: str = Field(description="The state its milestones leave it in (a state of its procedure).")
    steps: int = Field(description="Its milestones (each an audit entry after the opening).")
    status: str = Field(description="created (or, in a dry run, would be), or unchanged (imported before).")


class ImportReport(ReadModel):
    """`case import --json`, `POST /api/cases/import`: what the import did, or would do."""

    source: str = Field(description="The source named in each entry's `imported` key.")
    dry_run: bool = Field(description="True: nothing was written.")
    created: int = Field(description="Cases created (in a dry run: that would be).")
    unchanged: int = Field(description="Cases imported before with the same content.")
    cases: list[ImportedLine] = Field(description="Per line, in file order.")

    @classmethod
    def of(cls, result: "ImportResult") -> "ImportReport":
        """What `workflow.imports.import_cases` answered, as the contract spells it."""
        return cls(
            source=result.source,
            dry_run=result.dry_run,
            created=result.created,
            unchanged=result.unchanged,
            cases=[
                ImportedLine(
                    line=line.line,
                    external_id=line.external_id,
                    reference=line.reference,
                    state=line.state,
                    steps=line.steps,
                    status=line.status,
                )
                for line in result.lines
            ],
        )


# ---- the calendar of due dates (issue 13) ---------------------------------------------------------


class DueDeadline(ReadModel):
    """An open deadline on the day it falls due, as the calendar shows it."""

    reference: str = Field(description="The case's reference.")
    title: str = Field(description="The case's title (redacted for a reader who may not see identities).")
    deadline: str = Field(description="Which deadline (a name from the case's procedure).")
    due: date = Field(description="The due date (YYYY-MM-DD, the NCP's local calendar).")
    status: DeadlineStatus = Field(description="open or overdue as of today.")
    paused: bool = Field(description="Whether the case is paused (its due dates will move).")
    lead: str | None = Field(description="The id of the member who leads the case; null: nobody.")


class CalendarDay(ReadModel):
    """A day of the calendar and the open deadlines due on it."""

    day: date = Field(description="The day (YYYY-MM-DD).")
    today: bool = Field(description="Whether it is today in the NCP's zone.")
    outside: bool = Field(description="A day of the month grid's first or last week outside the month.")
    deadlines: list[DueDeadline] = Field(description="The open deadlines due that day.")


class CalendarWeek(ReadModel):
    """A week of the calendar, Monday first."""

    number: int = Field(description="The ISO week number.")
    days: list[CalendarDay] = Field(description="Monday to Sunday.")


class CalendarView(ReadModel):
    """A month or an ISO week of due dates: `/calendar?month=2026-12`, `/calendar?week=2026-W49`."""

    period: Literal["month", "week"] = Field(description="A month or an ISO week.")
    key: str = Field(description="The period as the URL spells it: `2026-12` or `2026-W49`.")
    start: date = Field(description="Its first day.")
    end: date = Field(description="Its last day.")
    previous: str | None = Field(description="The period before (its key); null at the first one.")
    next: str | None = Field(description="The period after (its key); null at the last one.")
    today: date = Field(description="Today in the NCP's zone.")
    current: str = Field(description="Today's period of the same kind (its key).")
    other: str = Field(
        description="The same time seen the other way (its key): a month's week (today's when "
        "today is in the month, else its first), or a week's month (the month of its Thursday)."
    )
    only_mine: bool = Field(description="Only the cases the reader's member leads.")
    weeks: list[CalendarWeek] = Field(description="The weeks shown, Monday first.")
    count: int = Field(description="How many open deadlines fall due in the period.")


class CalendarFeed(ReadModel):
    """A user's calendar subscription URL, as listed: never its token, except once when made."""

    id: str = Field(description="The URL's listed id (the first 12 hex digits of its token's SHA-256).")
    language: str = Field(description="The feed's language: en or nb.")
    scope: FeedScope = Field(
        description="all: every case the user may read; mine: the cases the user's member leads."
    )
    created_at: Instant = Field(description="When it was made (ISO 8601 with offset).")
    url: str | None = Field(
        default=None,
        description="Only when it is made: the subscription URL with its secret token, shown this once.",
    )


# ---- the NCPs of a case ---------------------------------------------------------------------------


class SupportingNcp(ReadModel):
    """A supporting NCP (its country's ISO 3166 code) and its role."""

    ncp: str
    role: str  # consulted, reviews_drafts, translates


class LeadPreferenceView(ReadModel):
    ncp: str
    note: str | None


class ReviewTaskView(ReadModel):
    """A supporting NCP's review task on a statement draft; `comment` left out for readers who
    may not read NCP-internal material."""

    number: int
    ncp: str
    statement: int
    due: str  # ISO date, NCP-local
    requested_at: str
    requested_by: str
    answered_on: str | None
    answered_by: str | None
    status: str  # open, overdue, answered
    comment: str | None


class CaseNcpsView(ReadModel):
    """The NCPs of a case (`case ncp show --json`, `GET /api/cases/{ref}/ncps`): who leads (the
    recorded lead, else `own`), the supporting NCPs with their roles, the complainant's
    preference, the coordination step (`open`, `agreed`, or null) and its clock, and the review
    tasks."""

    reference: str
    lead: list[str]
    lead_recorded: bool
    own: str  # this database's NCP ([ncp] country)
    position: str | None  # this NCP's place: lead, joint_lead, supporting
    supporting: list[SupportingNcp]
    preference: LeadPreferenceView | None
    coordination: str | None
    coordination_due: str | None
    coordination_met_on: str | None
    reviews: list[ReviewTaskView]


# ---- external mediators -------------------------------------------------------------------------


class MediatorView(ReadModel):
    """A mediator in the register (`mediator list --json`, `GET /api/mediators`); each conflict
    as declared: `NAME`, `NAME=NUMBER` or `=NUMBER`."""

    id: str
    name: str
    email: str
    organisation: str | None
    languages: list[str]
    competence: str | None
    conflicts: list[str]
    soft_conflicts: list[str]
    active: bool
    cases: list[str]  # the cases it is assigned to now


class ConflictFound(ReadModel):
    """A declared conflict of an assigned mediator that matches a party of the case now."""

    party: str
    soft: bool
    conflict: str
    text: str  # in the reader's words


class AssignmentView(ReadModel):
    mediator: str
    name: str
    assigned_at: str
    assigned_by: str
    override: str | None
    conflicts: list[str]  # found when assigned (English, as audited)
    now: list[ConflictFound]  # found against the case's parties today (a party added later)
    active: bool
    ended_at: str | None


class SessionView(ReadModel):
    number: int
    starts_at: str  # ISO 8601, UTC
    format: str
    place: str | None
    interpreters: list[str]
    attendees: list[str]
    notes: str | None  # withheld (null) from a reader who may not read internal material
    recorded_by: str
    recorded_at: str


class Mediation(ReadModel):
    """A case's mediators (current and past) and its sessions, as the reader may see them."""

    reference: str
    assignments: list[AssignmentView]
    sessions: list[SessionView]


class PartyLink(ReadModel):
    """A party's link to its case (`link list`), as listed: never its token, except once when issued."""

    id: int = Field(description="The link's number (what it is listed and revoked by).")
    reference: str = Field(description="The case it opens.")
    party: str = Field(description="The party's key (submitter-1, enterprise-1).")
    state: Literal["active", "expired", "revoked"] = Field(description="What the link is now.")
    issued_at: Instant = Field(description="When it was issued (ISO 8601 with offset).")
    expires_at: Instant = Field(description="When it stops opening (ISO 8601 with offset).")
    issued_by: str = Field(description="Who issued it.")
    revoked_at: Instant | None = Field(description="When it was revoked; null while it is not.")
    revoked_by: str | None = Field(description="Who revoked it; null while it is not revoked.")
    url: str | None = Field(
        default=None,
        description="Only when it is issued: the link's address with its token, shown this once.",
    )
    sent_to: list[int] = Field(
        default_factory=list,
        description="Only when it is issued with `send`: the numbers of the contacts it was e-mailed to.",
    )


class CasePartyLinks(ReadModel):
    """A case's party links, oldest first."""

    reference: str = Field(description="The case reference.")
    links: list[PartyLink] = Field(description="Its links, oldest first.")


# ---- follow-up of commitments (states/commitments.py) ------------------------------------------


class CommitmentStatus(ReadModel):
    """One entry of a commitment's status history."""

    seq: int = Field(description="The entry's number within the commitment, in the order recorded.")
    status: str = Field(description="implemented, partly, not or unknown.")
    on: date = Field(description="The NCP-local day the status holds from.")
    note: str | None = Field(description="What the NCP noted with it.")
    evidence: list[int] = Field(description="The numbers of the case's documents that are its evidence.")
    actor: str = Field(description="Who recorded it.")
    recorded_at: Instant = Field(description="When it was recorded.")


class Commitment(ReadModel):
    """A commitment of an agreement or a recommendation of a statement, with its history."""

    number: int = Field(description="The commitment's number within the case.")
    source: str = Field(description="agreement or statement.")
    document: int | None = Field(description="The case's document holding it, if named.")
    owner: str = Field(description="Who is to act: enterprise, ncp or submitter.")
    party: str | None = Field(description="The owning party's key, if one is named.")
    party_name: str | None = Field(description="That party's name (a pseudonym where protected).")
    text: str = Field(description="What was committed to or recommended.")
    made_on: date = Field(description="The day of the agreement or the statement (NCP local).")
    due: date | None = Field(description="When it is due (NCP local), if a date was set.")
    status: str = Field(
        description="The current status: the last in the history's order; unknown without one."
    )
    recorded_at: Instant = Field(description="When it was recorded.")
    recorded_by: str = Field(description="Who recorded it.")
    history: list[CommitmentStatus] = Field(description="The status history, by day, then as recorded.")


class UpdateRequest(ReadModel):
    """A request to a party for news of its commitments."""

    number: int = Field(description="The request's number within the case.")
    party: str = Field(description="The party's key.")
    party_name: str = Field(description="The party's name (a pseudonym where protected).")
    commitments: list[int] = Field(description="The numbers of the commitments asked about.")
    due: date = Field(description="When the answer is due (NCP local).")
    channel: str = Field(description="How it was sent: email.")
    requested_at: Instant = Field(description="When it was sent.")
    requested_by: str = Field(description="Who sent it.")


class CaseCommitments(ReadModel):
    """A case's follow-up: `followup list --json`, `GET /api/cases/{ref}/follow-up`."""

    reference: str = Field(description="The case reference.")
    commitments: list[Commitment] = Field(description="The commitments by number.")
    requests: list[UpdateRequest] = Field(description="The update requests by number.")


class FollowUpRow(ReadModel):
    """The commitments of one year or one theme: counts per status and the implementation rate."""

    key: str = Field(description="The year (YYYY) or the theme (a Guidelines chapter id; `none`).")
    counts: dict[str, int] = Field(description="Commitments by current status (every status, zeros too).")
    total: int = Field(description="Every commitment counted.")
    known: int = Field(description="Those whose status is known (all but unknown).")
    score: float = Field(description="implemented 1, partly 0.5, not 0, summed over the known.")
    rate: float | None = Field(description="score / known, 0 to 1; null when none is known.")


class FollowUpReport(ReadModel):
    """`report follow-up --json`, `GET /api/reports/follow-up`: the implementation rate by year
    (of the agreement or statement) and by theme (the case's Guidelines chapters)."""

    year: int | None = Field(description="The year reported on; null: every year.")
    total: FollowUpRow = Field(description="Every commitment counted.")
    by_year: list[FollowUpRow] = Field(description="Per year of the agreement or statement.")
    by_theme: list[FollowUpRow] = Field(
        description="Per Guidelines chapter of the case (a commitment in each)."
    )


class CaseBundle(ReadModel):
    """A bundle a case sent to or received from another NCP (docs/bundle-format.md)."""

    direction: Literal["sent", "received"] = Field(description="sent to the peer, or received from it.")
    peer: str = Field(description="The other NCP's ISO 3166 code.")
    peer_reference: str | None = Field(description="The other NCP's reference for the case, once known.")
    kind: Literal["share", "handover"] = Field(description="share, or handover (the lead passes).")
    sequence: int = Field(description="The bundle's number in its direction between the two NCPs.")
    sha256: str = Field(description="The SHA-256 of the bundle file, as both audit chains record it.")
    previous: str | None = Field(description="The SHA-256 of the bundle before it in its direction.")
    at: str = Field(description="When it was written or taken in (UTC, ISO 8601).")
    actor: str = Field(description="Who wrote or took it in.")


class CaseBundles(ReadModel):
    """A case's bundles, oldest first: `case bundles --json`, `GET /api/cases/{ref}/bundles`."""

    reference: str = Field(description="The case reference.")
    bundles: list[CaseBundle] = Field(description="Sent and received, oldest first.")


class BundleReceipt(ReadModel):
    """A bundle taken in (`case receive --json`, `POST /api/bundles`)."""

    reference: str = Field(description="The case here the bundle opened or updated.")
    sender: str = Field(description="The sending NCP's ISO 3166 code.")
    sender_reference: str = Field(description="The sender's reference for the case.")
    kind: Literal["share", "handover"] = Field(description="share or handover.")
    sequence: int = Field(description="The bundle's number from its sender for this case.")
    sha256: str = Field(description="The SHA-256 of the bundle file.")
    opened: bool = Field(description="True: the bundle opened a new case here; false: it updated one.")
    documents: list[int] = Field(description="The numbers of the documents it filed here.")


# ---- the start page (workflow/start.py) --------------------------------------------------------

Involvement = Literal["lead", "panel", "mediator", "handler"]


class StartCase(ReadModel):
    """An open case the user is involved in, and how."""

    reference: str = Field(description="The case reference.")
    title: str = Field(description="Its title, redacted as the user sees titles.")
    state: str = Field(description="Its stage now.")
    stage: str = Field(description="Its stage in words (its procedure's label, in the user's language).")
    involvement: list[Involvement] = Field(
        description="lead: the user's member leads it; panel: the user's member takes part; mediator: "
        "the user's mediator is assigned to it; handler: its audit log names the user (opened or moved it)."
    )


class StartPage(ReadModel):
    """What a new user sees first (`/start`): the open cases they are involved in, the rotation's
    mode, and their own declared conflicts when they are a member."""

    user: str = Field(description="The signed-in user.")
    role: str = Field(description="The user's role.")
    member: str | None = Field(description="The member the user is linked to, if any.")
    cases: list[StartCase] = Field(description="Open cases the user is involved in, by reference.")
    rotation_mode: str = Field(description="[rotation] mode: per_case or periodic.")
    conflicts: list[MemberValue] = Field(
        description="The user's member's declared conflicts (hard and soft)."
    )
