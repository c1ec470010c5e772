"""config.toml: read, validate, and turn into the core's values.

Every problem names the file, the key and what is wrong, so a handler can fix it without
reading code. Unknown keys are errors too: a typo must not silently fall back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ByteSize,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from states import limits
from states.alerts import AlertPolicy
from states.calendar import CalendarRule, check_holiday_country, zone
from states.case import Policy
from states.documents import ACCESS_LEVELS, EXEMPTIONS, DocumentRules
from states.durations import Duration
from states.engagement import DEFAULT_REASONS, DEFAULT_WAIT, DeclineReason
from states.errors import NcpflowError, ProcedureInvalidError
from states.lifecycle import DeadlineName
from states.members import Leave, Member, PartyMatch, Role
from states.party_links import duration_days
from states.procedure import Procedure
from states.rotation import RotationMode, RotationRule
from states.users import Role as UserRole
from workflow import procedures
from workflow.periods import check_every

DEFAULT_CONFIG = Path("config.toml")
MAX_CONFIG_BYTES = 4 * 2**20  # far more than any config.toml; /dev/zero is not one


class ConfigError(NcpflowError):
    """config.toml cannot be read or says something we cannot use."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: str) -> str:
    # Raises InvalidInputError (a ValueError) with a clear message; pydantic names the key.
    amount = Duration.parse(value)
    limits.check_duration(
        days=amount.days, months=amount.months, working_days=amount.working_days, what=f"'{value}'"
    )
    return value


def _calendar_duration(value: str) -> str:
    """A duration in calendar days, weeks, months or years: alert rungs count days on the calendar."""
    if Duration.parse(value).in_working_days:
        raise ValueError(
            f"'{value}' counts working days; alerts count calendar days, weeks, months or years "
            '(e.g. "7d"); working days (wd) belong in [timelines]'
        )
    return _duration(value)


def _address(value: str) -> str:
    """A plain e-mail address: nothing that could end a mail header (CR, LF) or hide in one."""
    if limits.has_control(value) or not _ADDRESS.fullmatch(value):
        raise ValueError(f"{value!r} is not an e-mail address (name@domain, no spaces or control characters)")
    return value


def _plain(value: str) -> str:
    """A name as people write it: no NUL or other control characters."""
    if limits.has_control(value):
        raise ValueError(f"{value!r} contains control characters")
    return value


_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
Address = Annotated[str, AfterValidator(_address)]
PlainName = Annotated[str, AfterValidator(_plain)]


class NcpSection(_Section):
    name: PlainName = "National Contact Point"
    name_nb: PlainName | None = None  # the name in Norwegian (bokmål); left out: `name`
    country: str = "NO"
    timezone: str = "Europe/Oslo"
    language: Literal["en", "nb"] = "en"
    reference_prefix: str = Field(default="NCP", pattern=r"^[A-Z][A-Z0-9]{0,9}$")
    secretariat: tuple[Address, ...] = ()
    address: tuple[PlainName, ...] = Field(
        default=(), description="postal address lines under the NCP's name in letters' letterhead"
    )

    def name_in(self, language: str) -> str:
        """The NCP's name in `language`: `name_nb` on Norwegian pages, else `name`."""
        return self.name_nb if language == "nb" and self.name_nb else self.name

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value


class LettersSection(_Section):
    templates: PlainName | None = Field(
        default=None,
        description="a folder of the NCP's own letter templates (LANGUAGE/KIND.docx), relative to this "
        "file's folder; a file there replaces the shipped one of the same name",
    )
    reply_within: Annotated[str, AfterValidator(_calendar_duration)] = Field(
        default="14d", description="the date letters ask a reply by: this long after the letter's date"
    )
    access: PlainName = Field(
        default="parties",
        description="the access level of a letter's DOCX and PDF documents (one of [documents] access)",
    )
    attach_docx: bool = Field(
        default=False, description="a letter e-mailed carries its DOCX as well as its PDF"
    )


def _link_validity(value: str) -> str:
    """How long a party link is valid for: whole days or weeks, from a day to a year."""
    duration_days(Duration.parse(value))
    return value


class PartyLinksSection(_Section):
    valid_for: Annotated[str, AfterValidator(_link_validity)] = Field(
        default="60d",
        description='how long a party link is valid for unless issued with --days, e.g. "60d" '
        "(days or weeks, from 1 day to 366)",
    )
    key_file: str | None = Field(
        default=None,
        description="signs party links (else $NCPFLOW_PARTY_LINK_KEY); made, readable by the owner "
        "only, by the first link issued; default: beside the database",
    )

    @property
    def days(self) -> int:
        return duration_days(Duration.parse(self.valid_for))


class StatementsSection(_Section):
    comment_days: int = Field(
        default=14, ge=1, le=90, description="a comment round's window in days unless --days says otherwise"
    )
    remind_before: Annotated[str, AfterValidator(_calendar_duration)] = Field(
        default="3d",
        description="the parties of a comment round are reminded this long before its window ends",
    )


class DatabaseSection(_Section):
    url: str = "sqlite:///ncpflow.db"
    ncp: str | None = Field(
        default=None,
        description="the NCP this process works for in a PostgreSQL database shared by a network "
        "(row-level security by NCP); leave out for a database of one NCP",
    )
    pool_size: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="PostgreSQL connections this process keeps open (as many again may open "
        "under load); default 5, and 2 for an NCP of a network folder (`serve --network`)",
    )

    @field_validator("ncp")
    @classmethod
    def _ncp_code(cls, ncp: str | None) -> str | None:
        if ncp is not None and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", ncp) is None:
            raise ValueError(
                "an NCP code is 1-32 letters, digits, '-' or '_', starting with a letter or digit"
            )
        return ncp

    @field_validator("url")
    @classmethod
    def _no_control(cls, url: str) -> str:
        if limits.has_control(url):  # not echoed: a URL may hold a password
            raise ValueError("contains control characters")
        return url


class TimelinesSection(_Section):
    """Durations that override the procedure definition's, per deadline name (oecd-2023's are
    declared here with their defaults; another definition's deadlines may be named too)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    acknowledgement: str = "14d"
    initial_assessment: str = "3mo"
    good_offices: str = "6mo"
    examination: str = "3mo"
    final_statement: str = "3mo"
    procedure: str = "12mo"
    follow_up: str = "12mo"
    coordination: str = "1mo"
    roll_to_working_day: bool = False
    holiday_country: str | None = None

    _check = field_validator(*(n.value for n in DeadlineName))(_duration)

    @model_validator(mode="after")
    def _other_deadlines(self) -> TimelinesSection:
        for name, value in (self.model_extra or {}).items():
            if not isinstance(value, str):
                raise ValueError(f'{name}: a duration such as "14d" or "3mo"')
            _duration(value)
        return self

    def durations(self) -> dict[str, str]:
        """The deadlines this section names (set in the file, or oecd-2023's defaults)."""
        named = {n.value: getattr(self, n.value) for n in DeadlineName}
        return {**named, **(self.model_extra or {})}

    @field_validator("holiday_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None:
            check_holiday_country(value)
        return value


class ProcedureSection(_Section):
    definition: str = Field(
        default=procedures.DEFAULT, description="a procedure shipped with ncpflow, by id (oecd-2023)"
    )
    file: PlainName | None = Field(
        default=None,
        description="a procedure definition file (docs/procedure-schema.md), relative to this file's folder",
    )
    examination: bool = True
    checklists_required: bool = Field(
        default=False,
        description="whether a step guarded by checklist_complete (oecd-2023 version 6: accept and reject "
        "from the initial assessment) waits until the stage's checklist is complete",
    )

    @model_validator(mode="after")
    def _one_source(self) -> ProcedureSection:
        if self.file is not None and "definition" in self.model_fields_set:
            raise ValueError("give either definition (a shipped procedure) or file, not both")
        return self


class AlertsSection(_Section):
    before: tuple[str, ...] = ("30d", "7d")
    overdue_every: str = "7d"
    escalate_after: str = "30d"

    @field_validator("before")
    @classmethod
    def _durations(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            _calendar_duration(item)
        return value

    _check = field_validator("overdue_every", "escalate_after")(_calendar_duration)


class PartiesSection(_Section):
    notify_on: tuple[Literal["pause", "extension"], ...] = Field(
        default=(),
        description="steps that queue a draft notice letter to each party of the case, quoting the "
        "deadline's explanation: pause, extension; empty (the default): none",
    )
    update_every: Annotated[str, AfterValidator(_calendar_duration)] | None = Field(
        default=None,
        description="remind a case's lead when a party of the open case has had no outgoing "
        "correspondence for this long (e.g. 3mo); unset: never",
    )

    @cached_property
    def update_period(self) -> Duration | None:
        return Duration.parse(self.update_every) if self.update_every else None


class FollowUpSection(_Section):
    answer_within: Annotated[str, AfterValidator(_calendar_duration)] = Field(
        default="30d",
        description="the due date a request to a party for news of its commitments gets when none is "
        "given: this long after the request",
    )
    evidence_access: PlainName = Field(
        default="parties",
        description="the access level evidence documents are filed with (one of [documents] access)",
    )

    @cached_property
    def answer_period(self) -> Duration:
        return Duration.parse(self.answer_within)


class CoordinationSection(_Section):
    review_within: Annotated[str, AfterValidator(_duration)] = Field(
        default="10wd",
        description="a supporting NCP's review task on a statement draft is due this long after it is "
        "requested unless a day is given (e.g. 14d, or 10wd working days)",
    )

    @cached_property
    def review_period(self) -> Duration:
        return Duration.parse(self.review_within)


class RotationSection(_Section):
    mode: Literal["per_case", "periodic"] = "per_case"
    every: str = Field(default="1mo", description="periodic duty: a duration or a cron expression")

    @field_validator("every")
    @classmethod
    def _period(cls, value: str) -> str:
        return check_every(value)


class LeaveSection(_Section):
    start: date = Field(alias="from")
    end: date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> LeaveSection:
        limits.check_day(self.start, "leave from")
        limits.check_day(self.end, "leave to")
        if self.end < self.start:
            raise ValueError(f"leave ends ({self.end}) before it starts ({self.start})")
        return self


class ConflictSection(_Section):
    """A declared conflict: a party name, or `{ name = "...", org_number = "..." }` (one or both)."""

    name: PlainName | None = None
    org_number: PlainName | None = None

    @model_validator(mode="after")
    def _something(self) -> ConflictSection:
        if not (self.name or "").strip() and not (self.org_number or "").strip():
            raise ValueError("a conflict needs a name or an org_number")
        return self


class MemberSection(_Section):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: PlainName
    email: Address
    role: Literal["chair", "member"] = "member"
    language: Literal["en", "nb"] | None = None
    conflicts: tuple[ConflictSection, ...] = ()
    soft_conflicts: tuple[ConflictSection, ...] = ()
    leave: tuple[LeaveSection, ...] = ()

    @field_validator("conflicts", "soft_conflicts", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        # A plain string names the party: "Nordic Metals ASA" = { name = "Nordic Metals ASA" }.
        if isinstance(value, list | tuple):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @property
    def member(self) -> Member:
        """The core's value: what the rotation decides on once `members sync` brings it in."""

        def matches(items: tuple[ConflictSection, ...]) -> tuple[PartyMatch, ...]:
            return tuple(
                PartyMatch(
                    name=(i.name or "").strip() or None, org_number=(i.org_number or "").strip() or None
                )
                for i in items
            )

        return Member(
            id=self.id,
            name=self.name,
            email=self.email,
            role=Role(self.role),
            language=self.language,
            conflicts=matches(self.conflicts),
            soft_conflicts=matches(self.soft_conflicts),
            leave=tuple(Leave(p.start, p.end) for p in self.leave),
        )


class SmtpSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    sender: Address = "ncpflow@localhost"
    timeout: float = Field(default=10.0, gt=0, description="seconds to wait for the server")
    lease_seconds: int = Field(
        default=300,
        ge=1,
        description="how long a message being sent is reserved before another dispatcher may retry it",
    )


class SchedulerSection(_Section):
    sweep_interval: int = Field(default=900, ge=1, description="seconds between alert sweeps")
    dispatch_interval: int = Field(default=60, ge=1, description="seconds between dispatches")
    misfire_grace: int = Field(default=3600, ge=1, description="how late a run may still start")
    rotation_interval: int = Field(
        default=3600, ge=1, description="seconds between duty and lead-availability checks"
    )


class AuditSection(_Section):
    key_file: str | None = Field(
        default=None,
        description="HMAC key that checks checkpoints made before Ed25519 signing (else $NCPFLOW_AUDIT_KEY)",
    )
    signing_key_file: str | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs checkpoints and exports "
        "(else $NCPFLOW_AUDIT_SIGNING_KEY); `ncpflow audit keygen --output FILE` makes one",
    )
    checkpoint_file: str | None = Field(
        default=None, description="checkpoint log outside the database (default: beside it)"
    )


class WebSection(_Section):
    session_key_file: str | None = Field(
        default=None,
        description="signs session cookies and form tokens (else "
        "$NCPFLOW_SECRET_KEY); made, readable by the owner only, by the first `serve` that finds "
        "it missing; default: beside the database",
    )
    public_url: str | None = Field(
        default=None,
        description="the address users reach the app at, e.g. "
        '"https://ncp.example.org"; https makes session cookies Secure',
    )
    trusted_proxies: tuple[str, ...] = Field(
        default=(),
        description="addresses (IPs or CIDR ranges) of reverse proxies whose "
        "X-Forwarded-Proto and X-Forwarded-For headers are believed; from any other address "
        "they are ignored",
    )
    require_totp_for: tuple[str, ...] = Field(
        default=(),
        description="roles that must give a one-time code (TOTP, enrolled with "
        '`ncpflow users totp NAME`) to sign in to the pages, e.g. ["admin"]',
    )

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("https://") or value.startswith("http://")):
            raise ValueError(f"'{value}' is not an http:// or https:// address")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        import ipaddress

        for item in value:
            if item == "*":
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"'{item}' is not an IP address or CIDR range") from None
        return value

    @field_validator("require_totp_for")
    @classmethod
    def _roles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = tuple(role.value for role in UserRole)
        for role in value:
            if role not in known:
                raise ValueError(f"'{role}' is not a role; roles are {', '.join(known)}")
        return value


_ACCESS_LEVEL = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class DocumentsSection(_Section):
    max_size: ByteSize = Field(
        default=ByteSize(50_000_000),
        description='the largest document filed, e.g. "50MB" (decimal units; "MiB" binary)',
    )
    access: tuple[str, ...] = Field(
        default=ACCESS_LEVELS,
        description="the access levels a document may have; `ncp` is NCP-internal (not shown to auditors)",
    )
    exemptions: tuple[PlainName, ...] = Field(
        default=EXEMPTIONS,
        description='the grounds a document may be exempt from public access on, e.g. "offentleglova § 13"',
    )

    @field_validator("max_size")
    @classmethod
    def _size(cls, value: ByteSize) -> ByteSize:
        if not 1 <= value <= 2**40:
            raise ValueError(f"{value} bytes: give a size from 1 byte to 1 TiB")
        return value

    @field_validator("access")
    @classmethod
    def _levels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one access level")
        for level in value:
            if not _ACCESS_LEVEL.fullmatch(level):
                raise ValueError(f"'{level}' is not an access level (lower-case letters, digits, - and _)")
        return value

    @property
    def rules(self) -> DocumentRules:
        return DocumentRules(max_size=int(self.max_size), access=self.access, exemptions=self.exemptions)


_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class DeclineReasonSection(_Section):
    code: str = Field(description="the reason's code, as stored and in --reason (lower-case, digits, _)")
    en: PlainName = Field(min_length=1, max_length=limits.TEXT_MAX, description="its words in English")
    nb: PlainName = Field(min_length=1, max_length=limits.TEXT_MAX, description="its words in Norwegian")

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not _REASON_CODE.fullmatch(value):
            raise ValueError(f"'{value}' is not a reason code (lower-case letters, digits and _)")
        return value


class EngagementSection(_Section):
    respond_within: Annotated[str, AfterValidator(_calendar_duration)] = Field(
        default=DEFAULT_WAIT,
        description="how long an invited enterprise has to answer before its invitation stands as "
        "no response (calendar time, e.g. 30d)",
    )
    decline_reasons: tuple[DeclineReasonSection, ...] | None = Field(
        default=None,
        description="the reason codes a decline may give, each with its en and nb words; left out: "
        "the shipped list (states/engagement.py DEFAULT_REASONS)",
    )

    @field_validator("decline_reasons")
    @classmethod
    def _reasons(
        cls, value: tuple[DeclineReasonSection, ...] | None
    ) -> tuple[DeclineReasonSection, ...] | None:
        if value is not None:
            if not value:
                raise ValueError("name at least one reason, or leave decline_reasons out")
            codes = [reason.code for reason in value]
            twice = sorted({code for code in codes if codes.count(code) > 1})
            if twice:
                raise ValueError(f"reason code '{twice[0]}' appears twice")
        return value

    @cached_property
    def wait(self) -> Duration:
        return Duration.parse(self.respond_within)

    @cached_property
    def reasons(self) -> tuple[DeclineReason, ...]:
        """The reasons a decline may give: the configured ones, else the shipped list."""
        if self.decline_reasons is None:
            return DEFAULT_REASONS
        return tuple(DeclineReason(r.code, r.en, r.nb) for r in self.decline_reasons)


class SharingSection(_Section):
    max_bundle_bytes: ByteSize = Field(
        default=ByteSize(64 * 2**20),
        description="the largest bundle file taken in (`case receive`, the API, the sharing page), "
        'e.g. "64MiB" (binary units; "MB" decimal); a bundle is read whole into memory',
    )

    @field_validator("max_bundle_bytes")
    @classmethod
    def _size(cls, value: ByteSize) -> ByteSize:
        if not 1 <= value <= 2**30:
            raise ValueError(f"{value} bytes: give a size from 1 byte to 1 GiB")
        return value


class PeerSection(_Section):
    """Another NCP this one shares cases with (`ncpflow case share --to NCP`, `case receive`)."""

    ncp: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$", description="its code, e.g. SE (as bundles name it)")
    name: PlainName = Field(description="its name, as people say it")
    public_key_file: PlainName = Field(
        description="its Ed25519 public key (PEM, from its `ncpflow audit public-key`), relative to "
        "this file's folder; bundles it signs verify with this key alone"
    )


class Settings(_Section):
    ncp: NcpSection = NcpSection()
    database: DatabaseSection = DatabaseSection()
    timelines: TimelinesSection = TimelinesSection()
    procedure: ProcedureSection = ProcedureSection()
    alerts: AlertsSection = AlertsSection()
    rotation: RotationSection = RotationSection()
    members: tuple[MemberSection, ...] = ()
    smtp: SmtpSection = SmtpSection()
    scheduler: SchedulerSection = SchedulerSection()
    audit: AuditSection = AuditSection()
    web: WebSection = WebSection()
    parties: PartiesSection = PartiesSection()
    documents: DocumentsSection = DocumentsSection()
    letters: LettersSection = LettersSection()
    party_links: PartyLinksSection = PartyLinksSection()
    statements: StatementsSection = StatementsSection()
    follow_up: FollowUpSection = FollowUpSection()
    engagement: EngagementSection = EngagementSection()
    sharing: SharingSection = SharingSection()
    peers: tuple[PeerSection, ...] = ()
    coordination: CoordinationSection = CoordinationSection()
    source: str = Field(default="(built-in defaults)", exclude=True)

    @field_validator("members")
    @classmethod
    def _unique_ids(cls, value: tuple[MemberSection, ...]) -> tuple[MemberSection, ...]:
        seen: set[str] = set()
        for member in value:
            if member.id in seen:
                raise ValueError(f"member id '{member.id}' appears twice")
            seen.add(member.id)
        return value

    @field_validator("peers")
    @classmethod
    def _unique_peers(cls, value: tuple[PeerSection, ...]) -> tuple[PeerSection, ...]:
        codes = [peer.ncp for peer in value]
        for code in codes:
            if codes.count(code) > 1:
                raise ValueError(f"peer ncp '{code}' appears twice")
        return value

    @model_validator(mode="after")
    def _peers_are_others(self) -> Settings:
        if self.peer(self.ncp.country) is not None:
            raise ValueError(f"[[peers]] names this NCP itself ({self.ncp.country}, [ncp] country)")
        return self

    def peer(self, code: str) -> PeerSection | None:
        return next((peer for peer in self.peers if peer.ncp == code), None)

    @cached_property
    def definition(self) -> Procedure:
        """The procedure new cases follow: [procedure] file, else the shipped [procedure] definition."""
        if self.procedure.file is not None:
            return procedures.from_file(Path(self.procedure.file))
        return procedures.shipped(self.procedure.definition)

    @cached_property
    def policy(self) -> Policy:
        # Built once per loaded config: every use case asks for it, every request.
        procedure = self.definition
        set_here = self.timelines.model_fields_set | set(self.timelines.model_extra or {})
        timelines = {
            name: Duration.parse(text)
            for name, text in self.timelines.durations().items()
            if name in procedure.deadlines and (name in set_here or procedure.id == procedures.DEFAULT)
        }
        calendar = CalendarRule(
            timezone=self.ncp.timezone,
            roll_to_working_day=self.timelines.roll_to_working_day,
            holiday_country=self.timelines.holiday_country or self.ncp.country,
        )
        return Policy(
            timelines=timelines,
            calendar=calendar,
            procedure=procedure,
            examination=self.procedure.examination,
            checklists_required=self.procedure.checklists_required,
            rotation=RotationRule(mode=RotationMode(self.rotation.mode), every=self.rotation.every),
        )

    @property
    def configured_members(self) -> tuple[Member, ...]:
        """[[members]] in config order, as the core's values."""
        return tuple(m.member for m in self.members)

    @property
    def alert_policy(self) -> AlertPolicy:
        return _alert_policy(self.alerts)


def _alert_policy(alerts: AlertsSection) -> AlertPolicy:
    return AlertPolicy(
        before=tuple(Duration.parse(b) for b in alerts.before),
        overdue_every=Duration.parse(alerts.overdue_every),
        escalate_after=Duration.parse(alerts.escalate_after),
    )


def _where(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if not parts:
        return "(top level)"
    if len(parts) == 1:
        return f"[{parts[0]}]" if parts[0] not in {"members"} else parts[0]
    if parts[0] == "members" and len(parts) >= 2:
        rest = ".".join(parts[2:])
        return f"[[members]] #{int(parts[1]) + 1}" + (f" {rest}" if rest else "")
    return f"[{parts[0]}] {'.'.join(parts[1:])}"


def _message(error: Mapping[str, Any]) -> str:
    text = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (a typo?)"
    return text


def parse_settings(data: dict[str, Any], *, source: str, base: Path | None = None) -> Settings:
    try:
        settings = Settings.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e['loc'])}: {_message(e)}" for e in exc.errors())
        raise ConfigError(f"{source}: {problems}") from None
    settings = _resolve_procedure_path(_resolve_sqlite_path(settings, base), base)
    return _check_procedure(_resolve_letters_path(settings, base))


def _resolve_letters_path(settings: Settings, base: Path | None) -> Settings:
    """[letters] templates, a folder, read from beside the config file when relative; ConfigError
    naming it when it is not a folder."""
    folder = settings.letters.templates
    if folder is None:
        return settings
    path = Path(folder) if base is None or Path(folder).is_absolute() else (base / folder).resolve()
    if not path.is_dir():
        raise ConfigError(f"{settings.source}: [letters] templates: {path}: no such folder")
    section = settings.letters.model_copy(update={"templates": str(path)})
    return settings.model_copy(update={"letters": section})


def _resolve_procedure_path(settings: Settings, base: Path | None) -> Settings:
    # A relative definition file is read from beside the config file.
    file = settings.procedure.file
    if file is None or base is None or Path(file).is_absolute():
        return settings
    section = settings.procedure.model_copy(update={"file": str((base / file).resolve())})
    return settings.model_copy(update={"procedure": section})


def _check_procedure(settings: Settings) -> Settings:
    """The settings, once the procedure they name is read and fits [timelines]; ConfigError
    naming the file and key otherwise (ProcedureInvalidError names the definition's file)."""
    source = settings.source
    try:
        procedure = settings.definition
    except ProcedureInvalidError:
        raise
    except procedures.UnknownProcedureError as exc:
        raise ConfigError(f"{source}: [procedure] definition: {exc}") from None
    except NcpflowError as exc:
        raise ConfigError(f"{source}: [procedure] file: {exc}") from None
    set_here = settings.timelines.model_fields_set | set(settings.timelines.model_extra or {})
    for name in sorted(set_here - {"roll_to_working_day", "holiday_country"}):
        if name not in procedure.deadlines:
            raise ConfigError(
                f"{source}: [timelines] {name}: the procedure '{procedure.id}' has no such deadline; "
                f"its deadlines: {', '.join(procedure.deadlines)}"
            )
    _check_working_days(settings)
    return settings


def _check_working_days(settings: Settings) -> None:
    """Working days count on the holiday calendar: [timelines] holiday_country is checked by its
    own key; [ncp] country, the fallback, only here, when some deadline counts working days."""
    if settings.timelines.holiday_country is not None:
        return
    counted = [name for name, duration in settings.policy.durations.items() if duration.in_working_days]
    if counted:
        try:
            check_holiday_country(settings.ncp.country)
        except ValueError as exc:
            raise ConfigError(
                f"{settings.source}: [ncp] country: deadline '{counted[0]}' counts working days on "
                f"this country's public holidays, but {exc}; set [timelines] holiday_country"
            ) from None


def _resolve_sqlite_path(settings: Settings, base: Path | None) -> Settings:
    # A relative SQLite path means "beside the config file", wherever the command runs from.
    url = settings.database.url
    prefix = "sqlite:///"
    if base is None or not url.startswith(prefix) or url.startswith(prefix + "/"):
        return settings
    rel = url[len(prefix) :]
    if rel in {"", ":memory:"}:
        return settings
    database = settings.database.model_copy(update={"url": prefix + str((base / rel).resolve())})
    return settings.model_copy(update={"database": database})


def read_config(path: Path) -> dict[str, Any] | None:
    """The TOML table in `path`, or None when there is no such file; ConfigError naming the
    file when it cannot be read, is not UTF-8 text or is not TOML we can take."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 2**20} MiB; not a config file")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); save the file as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts (4300)
        raise ConfigError(f"{path}: not valid TOML: a number with too many digits") from None


def load_settings(
    path: Path | None = None, *, database_url: str | None = None, ncp: str | None = None
) -> Settings:
    """Read config from `path`, else $NCPFLOW_CONFIG, else ./config.toml, else built-in defaults.

    The database URL comes from `database_url`, else $NCPFLOW_DATABASE_URL, else the file; the
    NCP of a network database from `ncp`, else $NCPFLOW_NCP, else the file.
    """
    explicit = path is not None or "NCPFLOW_CONFIG" in os.environ
    chosen = path or Path(os.environ.get("NCPFLOW_CONFIG", DEFAULT_CONFIG))
    data = read_config(chosen)
    if data is not None:
        settings = parse_settings(data, source=str(chosen), base=chosen.resolve().parent)
    elif explicit:
        raise ConfigError(f"{chosen}: no such config file")
    else:
        settings = parse_settings({}, source="(built-in defaults)", base=Path.cwd())
    url = database_url or os.environ.get("NCPFLOW_DATABASE_URL")
    if url:
        database = settings.database.model_copy(update={"url": url})
        settings = settings.model_copy(update={"database": database})
    code = ncp or os.environ.get("NCPFLOW_NCP")
    if code:
        try:  # validated as the file's value is
            database = DatabaseSection(url=settings.database.url, ncp=code)
        except ValidationError:
            raise ConfigError(
                f"--ncp/$NCPFLOW_NCP '{limits.neutralise(code)}' is not an NCP code "
                "(1-32 letters, digits, '-' or '_')"
            ) from None
        settings = settings.model_copy(update={"database": database})
    return settings


MAX_NETWORK_NCPS = 500  # far more than any network (the OECD has about 50 NCPs)
NETWORK_POOL_SIZE = 2  # a network NCP's `[database] pool_size` unless its file sets one


@dataclass(frozen=True)
class NetworkNcp:
    """One NCP of a network folder (`serve --network`, `scheduler --network`): its config
    file, its settings and the host name its users reach it at."""

    code: str
    host: str
    path: Path
    settings: Settings


def load_network(folder: Path) -> list[NetworkNcp]:
    """Every NCP of a network folder: one `<CODE>.toml` per NCP, each a whole config.toml of
    its own (members, keys, procedure, settings) whose `[database]` names a PostgreSQL URL
    (ideally the NCP's own pinned login role) and `ncp = "<CODE>"`, and whose `[web]
    public_url` names the host its users reach it at. Its `[database] pool_size` is 2
    unless the file sets one (each process keeps a pool per NCP). Environment overrides of a single
    NCP's config ($NCPFLOW_DATABASE_URL, $NCPFLOW_NCP) do not apply: each file says it all.

    ConfigError naming the file and key when a file is not such a config, and when two NCPs
    would share a code or a host."""
    if not folder.is_dir():
        raise ConfigError(f"--network {folder}: no such folder")
    paths = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not paths:
        raise ConfigError(f"--network {folder}: no NCP config (<CODE>.toml) in the folder")
    if len(paths) > MAX_NETWORK_NCPS:
        raise ConfigError(f"--network {folder}: more than {MAX_NETWORK_NCPS} config files")
    ncps: list[NetworkNcp] = []
    hosts: dict[str, Path] = {}
    codes: dict[str, Path] = {}
    for path in paths:
        data = read_config(path)
        if data is None:  # gone since the listing
            raise ConfigError(f"{path}: no such config file")
        settings = parse_settings(data, source=str(path), base=path.resolve().parent)
        database, web = settings.database, settings.web
        if not database.url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            raise ConfigError(
                f"{path}: [database] url: a network's NCPs share one PostgreSQL database "
                "(docs/network.md); a SQLite database serves one NCP on its own"
            )
        if database.ncp is None:
            raise ConfigError(
                f'{path}: [database] ncp: missing; the NCP this file configures, e.g. ncp = "{path.stem}"'
            )
        if database.ncp != path.stem:
            raise ConfigError(
                f"{path}: [database] ncp: '{database.ncp}' is not the file's NCP; name the file "
                f"{database.ncp}.toml"
            )
        host = urlsplit(web.public_url).hostname if web.public_url is not None else None
        if not host:
            raise ConfigError(
                f"{path}: [web] public_url: missing; the address this NCP's users reach it at "
                '(e.g. "https://no.ncp.example"), whose host name chooses the NCP of a request'
            )
        if host in hosts:
            raise ConfigError(f"{path}: [web] public_url: host {host} is {hosts[host]}'s too")
        code = database.ncp
        if code.casefold() in codes:
            raise ConfigError(f"{path}: [database] ncp: {codes[code.casefold()]} names it too")
        if database.pool_size is None:  # one pool per NCP in each process: small unless set
            pooled = database.model_copy(update={"pool_size": NETWORK_POOL_SIZE})
            settings = settings.model_copy(update={"database": pooled})
        hosts[host] = path
        codes[code.casefold()] = path
        ncps.append(NetworkNcp(code=code, host=host, path=path, settings=settings))
    return ncps
