"""The application: the use cases bound to one unit of work, clock, policy and notifier.

`workflow.bootstrap.bootstrap()` builds it; the command line, the API, the pages and the
scheduler's jobs call `app.cases.advance(reference=..., trigger=..., actor=..., reason=...)` and
its siblings, never a use-case function with `uow=`/`clock=` of their own. Each group is one
concept; its methods are keyword-only and delegate to the workflow functions, which stay the
implementation (and what the workflow tests call). Lead notices come from the application,
and every bound call that may queue one passes them: no bound method takes them, so no entry
point can leave them out.

The use-case modules are imported inside the methods: a command pays only for what it runs.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from threading import Event, Lock
from typing import TYPE_CHECKING, Any

from states.case import Case, Policy
from states.messages import Translator
from states.party_links import PartyLink
from states.users import CalendarFeed, User
from workflow.config import Settings
from workflow.ports import Channel, Clock, HandbookPrinter, LetterRenderer, Renderer, Transaction, UnitOfWork

if TYPE_CHECKING:
    from states import checklists as checklist_rules
    from states.bundles import Link
    from states.case_links import CaseLink
    from states.chain import AuditEntry, Verdict
    from states.checkpoints import Checkpoint
    from states.commitments import Commitment, StatusEntry, UpdateRequest
    from states.contacts import Contact, Recipient
    from states.correspondence import Entry, Letter
    from states.documents import Document, DocumentRules
    from states.engagement import Concern, DeclineReason, Invitation, Response
    from states.handbook import Handbook
    from states.issues import Issue
    from states.mediators import Found, Mediator
    from states.mediators import Session as MediationSession
    from states.members import MemberChanges, MemberSetting
    from states.ncp_roles import CaseNcps
    from states.network import NcpFigures
    from states.notes import Note
    from states.permissions import Action
    from states.procedure import Procedure
    from states.register import Entry as RegisterEntry
    from states.register import Register as RegisterList
    from states.reviews import ReviewTask
    from states.signatures import Signer
    from states.statements import Comment, Round, Statement
    from states.users import ApiToken
    from workflow import read_models
    from workflow.audit import AuditReport
    from workflow.bundle_receipt import Received
    from workflow.bundles import Review, Shared
    from workflow.cases import PartyInput
    from workflow.commands import FindCases
    from workflow.documents import OpenDocument, Source, Spooled
    from workflow.feeds import NewFeed
    from workflow.follow_up import Evidence
    from workflow.imports import ImportResult
    from workflow.letter_context import LetterContext
    from workflow.letters import LetterPreview
    from workflow.outbox import DispatchResult
    from workflow.party_links import Listed, NewLink, Opened, PartyView
    from workflow.pausing import Then
    from workflow.rotation import DutyResult, LeadProblem, Notices
    from workflow.signin import SignIn
    from workflow.users import Enrolment, NewToken, NewUser

When = date | datetime | None


@dataclass
class Application:
    """What bootstrap wires; entry points use the groups (`app.cases`, `app.audit`, ...)."""

    settings: Settings
    uow: UnitOfWork
    clock: Clock
    channel: Channel
    render: Renderer
    letterpress: LetterRenderer
    """Letters from the Word templates (workflow/letter_context.py gives their context)."""
    printer: HandbookPrinter
    """The procedure handbook drawn as HTML and PDF (notifications/handbook/render.py)."""
    close: Callable[[], None] = field(default=lambda: None)
    """Release connections; entry points call it when they are done."""
    turn: Callable[[str], AbstractContextManager[bool]] = field(default=lambda _job: nullcontext(True))
    """`turn(job)`: True while this process holds the turn at a scheduler job for this NCP,
    False when another process holds it (storage/sql.py `turn`); a network's schedulers
    split the work so (workflow/scheduler.py)."""
    _lazy: _Lazy = field(default_factory=lambda: _Lazy(), init=False, repr=False)

    @property
    def policy(self) -> Policy:
        return self.settings.policy

    def words(self, language: str, *, procedure: Procedure | None = None) -> Translator:
        """The catalogue for `language`, wording a procedure's names from its labels: the
        configured procedure's, or `procedure`'s (a case's pinned version)."""
        from workflow import procedures

        return procedures.words(procedure or self.policy.procedure, language)

    def today(self) -> date:
        """The NCP-local date of the application's clock."""
        return self.policy.calendar.local_date(self.clock.now())

    def as_of(self, value: str | None, what: str = "--now") -> Application:
        """`--now`: this application on a clock standing at that date (its local midnight) or
        instant; itself when `value` is None. The copy shares the database; what is read once (the
        signing key, the sign-in state) is read again by the copy if it asks."""
        if value is None:
            return self
        from workflow.clock import FixedClock
        from workflow.inputs import parse_when

        parsed = parse_when(value, what)
        instant = parsed if isinstance(parsed, datetime) else self.policy.calendar.start_of_day(parsed)
        return replace(self, clock=FixedClock(instant))

    def health(self) -> None:
        """Raise (StorageUnavailableError) unless the database answers with its schema."""
        from workflow import views

        views.health(uow=self.uow)

    @property
    def notices(self) -> Notices:
        """Where lead notices go: the settings and the renderer, a frozen pair; every bound
        call that may queue one passes them (imported when first needed: start-up stays
        cheap for commands that send none)."""
        from workflow.rotation import Notices

        return Notices(self.settings, self.render)

    @property
    def signin(self) -> SignIn:
        """The web's sign-in state (throttles, the argon2 gate, sessions), one per application."""
        return self._lazy.signin(self)

    @cached_property
    def cases(self) -> CaseUseCases:
        return CaseUseCases(self)

    @cached_property
    def notes(self) -> NoteUseCases:
        return NoteUseCases(self)

    @cached_property
    def journal(self) -> JournalUseCases:
        return JournalUseCases(self)

    @cached_property
    def members(self) -> MemberUseCases:
        return MemberUseCases(self)

    @cached_property
    def rotation(self) -> RotationUseCases:
        return RotationUseCases(self)

    @cached_property
    def alerts(self) -> AlertUseCases:
        return AlertUseCases(self)

    @cached_property
    def outbox(self) -> OutboxUseCases:
        return OutboxUseCases(self)

    @cached_property
    def audit(self) -> AuditUseCases:
        return AuditUseCases(self)

    @cached_property
    def reports(self) -> ReportUseCases:
        return ReportUseCases(self)

    @cached_property
    def network(self) -> NetworkUseCases:
        return NetworkUseCases(self)

    @cached_property
    def users(self) -> UserUseCases:
        return UserUseCases(self)

    @cached_property
    def calendar(self) -> CalendarUseCases:
        return CalendarUseCases(self)

    @cached_property
    def procedures(self) -> ProcedureUseCases:
        return ProcedureUseCases(self)

    @cached_property
    def handbook(self) -> HandbookUseCases:
        return HandbookUseCases(self)

    @cached_property
    def documents(self) -> DocumentUseCases:
        return DocumentUseCases(self)

    @cached_property
    def correspondence(self) -> CorrespondenceUseCases:
        return CorrespondenceUseCases(self)

    @cached_property
    def letters(self) -> LetterUseCases:
        return LetterUseCases(self)

    @cached_property
    def parties(self) -> PartyUseCases:
        return PartyUseCases(self)

    @cached_property
    def mediators(self) -> MediatorUseCases:
        return MediatorUseCases(self)

    @cached_property
    def register(self) -> RegisterUseCases:
        return RegisterUseCases(self)

    @cached_property
    def engagement(self) -> EngagementUseCases:
        return EngagementUseCases(self)

    @cached_property
    def party_links(self) -> PartyLinkUseCases:
        return PartyLinkUseCases(self)

    @cached_property
    def statements(self) -> StatementUseCases:
        return StatementUseCases(self)

    @cached_property
    def case_links(self) -> CaseLinkUseCases:
        return CaseLinkUseCases(self)

    @cached_property
    def checklists(self) -> ChecklistUseCases:
        return ChecklistUseCases(self)

    @cached_property
    def follow_up(self) -> FollowUpUseCases:
        return FollowUpUseCases(self)

    @cached_property
    def bundles(self) -> BundleUseCases:
        return BundleUseCases(self)

    @cached_property
    def ncps(self) -> NcpUseCases:
        return NcpUseCases(self)


class _Lazy:
    """What an application builds once, when first needed: the audit signing key (not read
    again by every job or download) and the sign-in state."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._signer_read = False
        self._signer: Signer | None = None
        self._signin: SignIn | None = None

    def signer(self, settings: Settings) -> Signer | None:
        with self._lock:
            if not self._signer_read:
                from workflow.audit import load_signer

                self._signer = load_signer(settings)  # a bad key raises, and is read again
                self._signer_read = True
            return self._signer

    def signin(self, app: Application) -> SignIn:
        with self._lock:
            if self._signin is None:
                from workflow.signin import SignIn

                self._signin = SignIn(app.uow, app.clock, frozenset(app.settings.web.require_totp_for))
            return self._signin


class _Group:
    def __init__(self, app: Application) -> None:
        self._app = app


class CaseUseCases(_Group):
    """Cases: open, edit, advance; pause, resume, extend; record facts; reassign, recuse; their
    issues; import; read and view."""

    def open(
        self,
        *,
        title: str,
        submitters: Sequence[PartyInput],
        enterprises: Sequence[PartyInput],
        actor: str,
        received: When = None,
        themes: Sequence[str] = (),
        host_countries: Sequence[str] = (),
        sector: str | None = None,
        guidelines_edition: str | None = None,
        supporting_ncps: Sequence[str] = (),
    ) -> Case:
        from workflow import cases

        app = self._app
        return cases.open_case(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            reference_prefix=app.settings.ncp.reference_prefix,
            title=title,
            submitters=submitters,
            enterprises=enterprises,
            actor=actor,
            received=received,
            themes=themes,
            host_countries=host_countries,
            sector=sector,
            notices=app.notices,
            guidelines_edition=guidelines_edition,
            supporting_ncps=supporting_ncps,
        )

    def edit(
        self,
        *,
        reference: str,
        actor: str,
        reason: str,
        themes: Sequence[str] | None = None,
        host_countries: Sequence[str] | None = None,
        sector: str | None = None,
        guidelines_edition: str | None = None,
        supporting_ncps: Sequence[str] | None = None,
        at: When = None,
    ) -> Case:
        from workflow import cases

        return cases.edit_case(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            reason=reason,
            themes=themes,
            host_countries=host_countries,
            sector=sector,
            guidelines_edition=guidelines_edition,
            supporting_ncps=supporting_ncps,
            at=at,
        )

    def advance(
        self,
        *,
        reference: str,
        trigger: str,
        actor: str,
        reason: str,
        outcome: str | None = None,
        at: When = None,
        expected_version: int | None = None,
        scope: str | None = None,
        then: Callable[[Case], None] | None = None,
    ) -> Case:
        """Fire `trigger`; `then(case)` runs inside the write transaction, on the saved case."""
        from workflow import cases

        app = self._app
        return cases.advance(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            reference=reference,
            trigger=trigger,
            actor=actor,
            reason=reason,
            outcome=outcome,
            at=at,
            expected_version=expected_version,
            scope=scope,
            then=then,
        )

    def advance_as(
        self,
        *,
        user: User,
        reference: str,
        trigger: str,
        reason: str,
        outcome: str | None = None,
        at: When = None,
        expected_version: int | None = None,
        scope: str | None = None,
        then: Callable[[Case], None] | None = None,
    ) -> Case:
        """`advance` with the signed-in user as actor, refused (views.ForbiddenError) unless
        they may (`views.may_advance`: handlers any case, members the cases they lead)."""
        from workflow import views

        app = self._app
        return views.advance_as(
            user,
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            reference=reference,
            trigger=trigger,
            reason=reason,
            outcome=outcome,
            at=at,
            expected_version=expected_version,
            scope=scope,
            then=then,
        )

    def pause(
        self, *, reference: str, actor: str, reason: str, requested_by: str | None = None, at: When = None
    ) -> Case:
        from workflow import pausing

        return pausing.pause_case(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            reason=reason,
            requested_by=requested_by,
            at=at,
            then=self._app.letters.notices("pause", actor=actor),
        )

    def record(
        self,
        *,
        reference: str,
        fact: str,
        on: date,
        actor: str,
        by: str | None = None,
        note: str | None = None,
    ) -> Case:
        """Record a dated fact of the case (`case record`): it does not move the case."""
        from workflow import facts

        app = self._app
        return facts.record_fact(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            reference=reference,
            fact=fact,
            on=on,
            actor=actor,
            by=by,
            note=note,
        )

    def resume(self, *, reference: str, actor: str, at: When = None, reason: str | None = None) -> Case:
        from workflow import pausing

        return pausing.resume_case(
            uow=self._app.uow, clock=self._app.clock, reference=reference, actor=actor, at=at, reason=reason
        )

    def extend(
        self,
        *,
        reference: str,
        deadline: str,
        actor: str,
        reason: str,
        days: int | None = None,
        months: int | None = None,
        at: When = None,
    ) -> Case:
        from workflow import pausing

        return pausing.extend_deadline(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            deadline=deadline,
            actor=actor,
            reason=reason,
            days=days,
            months=months,
            at=at,
            then=self._app.letters.notices("extension", actor=actor, deadline=deadline),
        )

    def migrate(
        self,
        *,
        reference: str,
        to: str,
        actor: str,
        mapping: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> Case:
        """Move the case to the procedure version `to` (ID@VERSION or VERSION); `mapping`:
        old state -> new state, for states the target lacks."""
        from workflow import versions

        app = self._app
        return versions.migrate_case(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            settings=app.settings,
            reference=reference,
            to=to,
            mapping=mapping or {},
            actor=actor,
            reason=reason,
        )

    def reassign(self, *, reference: str, to: str, actor: str, reason: str, override: bool = False) -> Case:
        from workflow import rotation

        app = self._app
        return rotation.reassign(
            uow=app.uow,
            clock=app.clock,
            reference=reference,
            to=to,
            actor=actor,
            reason=reason,
            override=override,
            notices=app.notices,
        )

    def may_change_lead(self, *, user: User, action: Action) -> None:
        """Refuse (PermissionDeniedError) unless `user` may reassign or recuse (`action`): handlers,
        and the member user of the NCP's chair (`rotation.may_change_lead`)."""
        from workflow import rotation

        rotation.check_lead_change(uow=self._app.uow, user=user, action=action)

    def lead_changes(self, *, user: User) -> frozenset[Action]:
        """Which of reassign and recuse `user` may do on a case (`rotation.may_change_lead`)."""
        from workflow import rotation

        return rotation.lead_changes(uow=self._app.uow, user=user)

    def recuse(self, *, reference: str, member: str, actor: str, reason: str) -> Case:
        from workflow import rotation

        app = self._app
        return rotation.recuse(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            reference=reference,
            member=member,
            actor=actor,
            reason=reason,
            notices=app.notices,
        )

    def import_cases(self, *, text: str, actor: str, source: str, dry_run: bool = False) -> ImportResult:
        """`case import`: the JSON-lines file's new cases, all or none (none with `dry_run`)."""
        from workflow import imports

        app = self._app
        return imports.import_cases(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            text=text,
            actor=actor,
            source=source,
            dry_run=dry_run,
        )

    def add_issue(
        self,
        *,
        reference: str,
        actor: str,
        title: str,
        chapters: Sequence[str],
        reason: str | None = None,
    ) -> Issue:
        """A new issue of the case (numbered after its last), tied to Guidelines chapters."""
        from workflow import issues

        return issues.add_issue(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            title=title,
            chapters=chapters,
            reason=reason,
        )

    def decide_issue(
        self,
        *,
        reference: str,
        number: int,
        decision: str,
        actor: str,
        at: When = None,
        reason: str | None = None,
    ) -> Issue:
        """Issue `number` accepted or not_accepted, on the day `at` (default today)."""
        from workflow import issues

        return issues.decide_issue(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            number=number,
            decision=decision,
            actor=actor,
            at=at,
            reason=reason,
        )

    def conclude_issue(
        self,
        *,
        reference: str,
        number: int,
        outcome: str,
        actor: str,
        at: When = None,
        reason: str | None = None,
    ) -> Issue:
        """The outcome of accepted issue `number`, on the day `at` (default today)."""
        from workflow import issues

        return issues.conclude_issue(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            number=number,
            outcome=outcome,
            actor=actor,
            at=at,
            reason=reason,
        )

    def issues(self, *, reference: str, viewer: User | None = None) -> read_models.CaseIssues:
        """`case issue list`: the case's issues; for a `viewer`, redacted as they may see them."""
        if viewer is not None:
            from workflow import views

            return views.case_issues(uow=self._app.uow, reference=reference, viewer=viewer)
        from workflow import queries

        return queries.case_issues(uow=self._app.uow, reference=reference)

    def timeline(
        self,
        *,
        reference: str,
        viewer: User | None = None,
        kinds: Sequence[str] = (),
        language: str = "en",
        page: int = 1,
        per_page: int = 50,
    ) -> read_models.Timeline:
        """The case's story, newest first: its steps, notes, documents, letters and
        correspondence (`kinds`: only these; none: all), a page at a time, as `viewer` may see
        it (None: everything, as the operator at the command line), worded in `language`."""
        from workflow import timeline

        return timeline.case_timeline(
            uow=self._app.uow,
            reference=reference,
            viewer=viewer,
            kinds=kinds,
            language=language,
            reasons=self._app.settings.engagement.reasons,
            page=page,
            per_page=per_page,
        )

    def get(self, *, reference: str) -> Case:
        from workflow import queries

        return queries.get_case(uow=self._app.uow, reference=reference)

    def list(self, *, state: str | None = None, overdue: bool = False) -> list[Case]:
        """Cases, oldest first; `overdue`: only those with a deadline overdue today."""
        from workflow import queries

        return queries.list_cases(
            uow=self._app.uow,
            state=state,
            overdue_on=self._app.today() if overdue else None,
            states=self._app.policy.procedure.states,
        )

    def references(self) -> builtins.list[str]:
        from workflow import queries

        return queries.case_references(uow=self._app.uow)

    def view(self, *, case: Case, viewer: User | None = None, language: str = "en") -> read_models.Case:
        """`case show --json` of `case` as of today, with its lead and panel; for a `viewer`,
        redacted as that viewer may see it (the API and the pages)."""
        app = self._app
        if viewer is not None:
            from workflow import views

            return views.case_view(
                uow=app.uow, case=case, today=app.today(), viewer=viewer, language=language
            )
        from workflow import queries, related, rotation_views

        with app.uow.read() as tx:  # the case's issues and links, in the snapshot of a show around it
            issues = tx.issues.of_case(case.reference)
            links = related.related(tx, case.reference, tx.case_links.of_case(case.reference), None)
        return queries.case_document(
            case,
            rotation_views.lead_view(uow=app.uow, case=case),
            issues,
            today=app.today(),
            language=language,
            links=links,
        )

    def summary(self, *, case: Case, language: str = "en") -> read_models.CaseCore:
        """`view` without the lead and panel (one row of `case list --json`)."""
        from workflow import queries

        return queries.case_view(case, today=self._app.today(), language=language)

    def show(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> tuple[Case, read_models.Case]:
        """The case and its `view`, both from one snapshot."""
        with self._app.uow.read():
            case = self.get(reference=reference)
            return case, self.view(case=case, viewer=viewer, language=language)

    def page(
        self,
        *,
        viewer: User,
        state: str | None = None,
        lead: str | None = None,
        overdue: bool = False,
        open_only: bool = False,
        limit: int = 50,
        offset: int = 0,
        language: str = "en",
    ) -> read_models.CasePage:
        """One page of cases as `viewer` may see them; filtered and paged in the database;
        explanations and pseudonyms in `language` (the pages)."""
        from workflow import views

        return views.case_page(
            uow=self._app.uow,
            today=self._app.today(),
            viewer=viewer,
            state=state,
            lead=lead,
            overdue=overdue,
            open_only=open_only,
            limit=limit,
            offset=offset,
            states=self._app.policy.procedure.states,
            language=language,
        )

    def find(self, *, viewer: User, find: FindCases, language: str = "en") -> read_models.CaseHits:
        """A page of the cases `find` asks for (words and filters), as `viewer` may see them
        (pseudonyms in `language`)."""
        from workflow import views

        return views.find_cases(
            uow=self._app.uow,
            today=self._app.today(),
            viewer=viewer,
            find=find,
            procedure=self._app.policy.procedure,
            language=language,
        )

    def similar(
        self, *, reference: str, viewer: User | None = None, limit: int = 10, language: str = "en"
    ) -> read_models.Precedents:
        """The case's precedents (`case similar`): similar past cases, best first, as `viewer`
        (None: the operator) may see them; states/precedents.py ranks them."""
        from workflow import precedents

        return precedents.similar(
            uow=self._app.uow,
            settings=self._app.settings,
            reference=reference,
            viewer=viewer,
            limit=limit,
            language=language,
        )

    def lead_choices(self) -> builtins.list[tuple[str, str]]:
        """The members a case may be filtered by as lead: (id, name)."""
        from workflow import views

        return views.lead_choices(uow=self._app.uow)

    def triggers(
        self, *, case: Case, language: str | None = None
    ) -> builtins.list[read_models.TriggerOption]:
        """What may happen next to `case`, and why not the rest; with a `language` (the pages),
        every reason in its words, names worded too."""
        from workflow import queries
        from workflow.checklists import ticked_now

        with self._app.uow.read() as tx:
            ticked = ticked_now(tx, case)
        return queries.triggers_view(case, self._app.policy, language=language, ticked=ticked)


class NoteUseCases(_Group):
    """A case's internal notes: written down and listed (never shown to parties, the public or
    auditors; the audit log holds their hashes)."""

    def add(
        self,
        *,
        reference: str,
        text: str,
        actor: str,
        at: When = None,
        replaces: int | None = None,
    ) -> Note:
        """A new note on the case (`at`: when it was written, default now); `replaces`: the
        earlier note it corrects."""
        from workflow import notes

        return notes.add_note(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            text=text,
            actor=actor,
            at=at,
            replaces=replaces,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, actor: str | None = None
    ) -> read_models.CaseNotes:
        """The case's notes for `viewer` (or the user `actor` names; neither: the operator at
        the command line), refused unless they may read internal material."""
        from workflow import notes

        return notes.list_notes(uow=self._app.uow, reference=reference, viewer=viewer, actor=actor)


class JournalUseCases(_Group):
    """The journal of documents received and sent (offentlig journal), and its public variant."""

    def entries(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        public: bool = False,
        viewer: User | None = None,
        language: str = "en",
    ) -> read_models.Journal:
        """The entries filed from `since` to `until` (NCP-local days, both included), oldest
        first; `public`: no exempt or internal title and no protected name, whoever asks; else as
        `viewer` may see them (None: the operator at the command line, who sees all)."""
        from workflow import journal

        return journal.journal_entries(
            uow=self._app.uow, since=since, until=until, public=public, viewer=viewer, language=language
        )


class MemberUseCases(_Group):
    """The NCP's members: as config.toml declares them (`sync`), with the leave and conflicts
    set in the browser beside (`add_leave`, `add_conflict`, `remove_setting`)."""

    def sync(self, *, actor: str = "config") -> MemberChanges:
        from workflow import rotation

        return rotation.sync_members(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, actor=actor
        )

    def list(self, *, language: str = "en") -> read_models.Members:
        """`members list`: availability and caseload of each member."""
        from workflow import rotation_views

        return rotation_views.members_view(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, language=language
        )

    def page(self, *, viewer: User, language: str) -> tuple[read_models.Members, read_models.Rotation]:
        """The members page's two views (members, rotation), redacted for `viewer`."""
        from workflow import views

        app = self._app
        return views.members_page(
            uow=app.uow, clock=app.clock, settings=app.settings, viewer=viewer, language=language
        )

    def detail(self, *, member: str, viewer: User, language: str = "en") -> read_models.MemberDetail:
        """One member's page: each leave period and conflict with where it comes from,
        redacted for `viewer` (a conflict may name a confidential party)."""
        from workflow import member_settings, views
        from workflow import redaction as redactions

        app = self._app
        found = member_settings.member_detail(
            uow=app.uow, clock=app.clock, settings=app.settings, member_id=member, language=language
        )
        return views.redacted(found, redactions.read_for_viewer(app.uow, viewer))

    def sync_preview(self, *, viewer: User, language: str = "en") -> read_models.SyncPreview:
        """What `members sync` would change now, field by field (the browser's values are kept)."""
        from workflow import member_settings, views
        from workflow import redaction as redactions

        app = self._app
        found = member_settings.sync_preview(uow=app.uow, settings=app.settings, language=language)
        return views.redacted(found, redactions.read_for_viewer(app.uow, viewer))

    def add_leave(
        self, *, member: str, first_day: date, last_day: date, actor: str, reason: str | None = None
    ) -> MemberSetting:
        from workflow import member_settings

        return member_settings.add_leave(
            uow=self._app.uow,
            clock=self._app.clock,
            member=member,
            first_day=first_day,
            last_day=last_day,
            reason=reason,
            actor=actor,
        )

    def add_conflict(
        self,
        *,
        member: str,
        reason: str,
        actor: str,
        party_name: str | None = None,
        org_number: str | None = None,
        soft: bool = False,
    ) -> MemberSetting:
        from workflow import member_settings

        return member_settings.add_conflict(
            uow=self._app.uow,
            clock=self._app.clock,
            member=member,
            party_name=party_name,
            org_number=org_number,
            soft=soft,
            reason=reason,
            actor=actor,
        )

    def remove_setting(self, *, member: str, setting_id: int, actor: str) -> MemberSetting:
        """Remove a leave period or conflict set in the browser."""
        from workflow import member_settings

        return member_settings.remove_setting(
            uow=self._app.uow, clock=self._app.clock, member=member, setting_id=setting_id, actor=actor
        )


class RotationUseCases(_Group):
    """Who leads: the rotation, duty periods, and leads that may no longer lead."""

    def show(self, *, language: str = "en") -> read_models.Rotation:
        from workflow import rotation_views

        return rotation_views.rotation_view(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, language=language
        )

    def advance_duty(self, *, actor: str | None = None, force: bool = False) -> DutyResult:
        """Hand duty on when the period is over (or now, with `force`); actor: the scheduler's
        name unless given."""
        from workflow import rotation
        from workflow.alerts import SCHEDULER_ACTOR

        app = self._app
        return rotation.advance_duty(
            uow=app.uow,
            clock=app.clock,
            policy=app.policy,
            actor=SCHEDULER_ACTOR if actor is None else actor,
            force=force,
        )

    def check(self) -> list[LeadProblem]:
        from workflow import rotation

        return rotation.check_leads(uow=self._app.uow, clock=self._app.clock)

    def alert(self) -> list[dict[str, Any]]:
        """Tell the chair, once, about open cases whose lead is now conflicted or away."""
        from workflow import rotation

        return rotation.alert_unavailable_leads(
            uow=self._app.uow, clock=self._app.clock, notices=self._app.notices
        )


class AlertUseCases(_Group):
    def sweep(self) -> list[dict[str, Any]]:
        """Fire the alert rungs that are due, once each, into the outbox."""
        from workflow import alerts

        app = self._app
        return alerts.sweep(uow=app.uow, clock=app.clock, settings=app.settings, render=app.render)


class OutboxUseCases(_Group):
    def dispatch(self, *, stop: Event | None = None) -> DispatchResult:
        """Send what the outbox holds; once `stop` is set, no message after the one in hand."""
        from workflow import outbox

        app = self._app
        return outbox.dispatch(
            uow=app.uow,
            clock=app.clock,
            channel=app.channel,
            lease=timedelta(seconds=app.settings.smtp.lease_seconds),
            stop=stop,
        )


class AuditUseCases(_Group):
    """The hash-chained audit log: read, verify, checkpoint, export."""

    def signer(self) -> Signer | None:
        """The configured signing key, read once per application; None when there is none."""
        return self._app._lazy.signer(self._app.settings)

    def log(self, *, case_ref: str | None = None) -> list[AuditEntry]:
        from workflow import audit

        return audit.audit_entries(uow=self._app.uow, case_ref=case_ref)

    def page(
        self,
        *,
        viewer: User,
        case_ref: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
        before: int | None = None,
        newest_first: bool = False,
        language: str = "en",
    ) -> read_models.AuditPage:
        """A page of the log as `viewer` may read it (pseudonyms in `language`)."""
        from workflow import views

        return views.audit_page(
            uow=self._app.uow,
            viewer=viewer,
            case_ref=case_ref,
            kind=kind,
            limit=limit,
            offset=offset,
            before=before,
            newest_first=newest_first,
            language=language,
        )

    def kinds(self) -> list[str]:
        from workflow import views

        return views.audit_kinds(uow=self._app.uow)

    def verify_chain(self) -> Verdict:
        from workflow import audit

        return audit.verify_chain(uow=self._app.uow)

    def verify(self, *, public_keys: Sequence[Path] = ()) -> AuditReport:
        """The chain, then every checkpoint in the table and in the checkpoint log."""
        from workflow import audit

        return audit.verify_all(uow=self._app.uow, settings=self._app.settings, public_keys=public_keys)

    def checkpoint(self) -> Checkpoint:
        """Sign the chain head with the configured key (ConfigError without one)."""
        from workflow import audit

        return audit.make_checkpoint(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, signer=self.signer()
        )

    def export_rows(
        self,
        *,
        case_ref: str | None = None,
        since: date | None = None,
        until: date | None = None,
        reveal: bool = False,
        actor: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        from workflow import exports

        return exports.export_rows(
            uow=self._app.uow,
            clock=self._app.clock,
            case_ref=case_ref,
            since=since,
            until=until,
            reveal=reveal,
            actor=actor,
        )

    def export(
        self,
        *,
        case_ref: str | None = None,
        since: date | None = None,
        until: date | None = None,
        reveal: bool = False,
        actor: str | None = None,
        documents: Path | None = None,
    ) -> Iterator[str]:
        """The signed JSONL export (signed when a signing key is configured); with `documents`,
        each document's content and a manifest written into that folder, bound by the signature."""
        from workflow import export_files

        return export_files.export_jsonl(
            uow=self._app.uow,
            clock=self._app.clock,
            signer=self.signer(),
            case_ref=case_ref,
            since=since,
            until=until,
            reveal=reveal,
            actor=actor,
            documents=documents,
        )


class NetworkUseCases(_Group):
    """A network of NCPs in one PostgreSQL database: published figures, read aggregated."""

    def publish(self, *, year: int, actor: str) -> NcpFigures:
        from workflow import network

        return network.publish(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, year=year, actor=actor
        )

    def statistics(self, *, year: int) -> dict[str, object]:
        from workflow import network

        return network.statistics(uow=self._app.uow, year=year)


class ReportUseCases(_Group):
    """Reports derived from the audit log."""

    def timelines(self, *, year: int | None = None, include_approximate: bool = False) -> dict[str, Any]:
        """Per case and stage; day counts from dates known to the month only are marked
        approximate and left out of the medians unless `include_approximate`."""
        from workflow import reports

        return reports.timelines(
            uow=self._app.uow,
            clock=self._app.clock,
            settings=self._app.settings,
            year=year,
            include_approximate=include_approximate,
        )

    def annual(self, *, year: int, include_approximate: bool = False) -> dict[str, Any]:
        from workflow import reports

        return reports.annual(
            uow=self._app.uow,
            clock=self._app.clock,
            settings=self._app.settings,
            year=year,
            include_approximate=include_approximate,
        )

    def oecd(self, *, year: int | None = None) -> list[dict[str, Any]]:
        from workflow import reports

        return reports.oecd(uow=self._app.uow, settings=self._app.settings, year=year)

    def procedures(self) -> builtins.list[Procedure]:
        """The procedure versions reported cases may follow (the configured one first), whose
        labels word the reports' names."""
        from workflow import reports

        return reports.procedures(uow=self._app.uow, settings=self._app.settings)

    def rotation(self, *, since: date | None = None, until: date | None = None) -> read_models.RotationReport:
        from workflow import rotation_views

        return rotation_views.rotation_report(
            uow=self._app.uow, policy=self._app.policy, since=since, until=until
        )

    def follow_up(self, *, year: int | None = None) -> read_models.FollowUpReport:
        """The implementation rate of commitments by year and by theme (states/commitments.py)."""
        from workflow import follow_up

        return follow_up.report(uow=self._app.uow, year=year)

    def engagement(self, *, year: int | None = None) -> dict[str, Any]:
        """Company engagement: the participation rate and the reasons for declining, by year and
        by sector (states/engagement.py gives the rule)."""
        from workflow import engagement

        return engagement.report(
            uow=self._app.uow, clock=self._app.clock, settings=self._app.settings, year=year
        )


class UserUseCases(_Group):
    """Users of the web app and API, their passwords, tokens and second factors."""

    def start(self, *, viewer: User, language: str = "en") -> read_models.StartPage:
        """The start page of a signed-in user (`/start`): the open cases it is involved in, the
        rotation's mode, its member's declared conflicts (workflow/start.py)."""
        from workflow import start

        app = self._app
        return start.start_page(
            uow=app.uow, clock=app.clock, settings=app.settings, viewer=viewer, language=language
        )

    def add(
        self,
        *,
        name: str,
        role: str,
        actor: str,
        member_id: str | None = None,
        password: str | None = None,
        with_token: bool = True,
        mediator_id: str | None = None,
    ) -> NewUser:
        from workflow import users

        return users.add_user(
            uow=self._app.uow,
            clock=self._app.clock,
            name=name,
            role=role,
            actor=actor,
            member_id=member_id,
            password=password,
            with_token=with_token,
            mediator_id=mediator_id,
        )

    def set_password(self, *, name: str, password: str, actor: str) -> int:
        from workflow import users

        return users.set_password(
            uow=self._app.uow, clock=self._app.clock, name=name, password=password, actor=actor
        )

    def set_disabled(self, *, name: str, disabled: bool, actor: str) -> None:
        from workflow import users

        users.set_disabled(
            uow=self._app.uow, clock=self._app.clock, name=name, disabled=disabled, actor=actor
        )

    def list(self) -> list[User]:
        from workflow import users

        return users.list_users(uow=self._app.uow)

    def tokens(self, *, name: str) -> builtins.list[ApiToken]:
        from workflow import users

        return users.list_tokens(uow=self._app.uow, name=name)

    def issue_token(self, *, name: str, actor: str) -> NewToken:
        from workflow import users

        return users.issue_token(uow=self._app.uow, clock=self._app.clock, name=name, actor=actor)

    def revoke_token(self, *, name: str, token_id: str | None, actor: str) -> int:
        from workflow import users

        return users.revoke_token(
            uow=self._app.uow, clock=self._app.clock, name=name, token_id=token_id, actor=actor
        )

    def enrol_totp(self, *, name: str, actor: str, issuer: str) -> Enrolment:
        from workflow import users

        return users.enrol_totp(
            uow=self._app.uow, clock=self._app.clock, name=name, actor=actor, issuer=issuer
        )

    def remove_totp(self, *, name: str, actor: str) -> None:
        from workflow import users

        users.remove_totp(uow=self._app.uow, clock=self._app.clock, name=name, actor=actor)

    def summaries(self) -> builtins.list[read_models.UserListed]:
        """The users page: roles, member links, flags, active tokens, latest sign-in."""
        from workflow import users

        return users.summaries(uow=self._app.uow)

    def generated_password(self) -> str:
        """A new random password, for a user made or reset without a typed one (shown once)."""
        from workflow import users

        return users.new_password()

    def by_token(self, *, token: str) -> User | None:
        from workflow import users

        return users.by_token(uow=self._app.uow, token=token)

    def still_valid(self, *, user: User) -> bool:
        from workflow import users

        return users.still_valid(uow=self._app.uow, user=user)


class CalendarUseCases(_Group):
    """Due dates: the iCalendar download, the month and week views, and each user's
    subscription URL (made, revoked, read by its token)."""

    def ics(self, *, member: str | None = None, viewer: User | None = None, language: str = "en") -> bytes:
        """Open deadlines as an iCalendar file; `member`: only the cases it leads."""
        from workflow import ics  # icalendar costs ~30 ms to import: only this call pays

        app = self._app
        return ics.deadlines_calendar(
            uow=app.uow,
            now=app.clock.now(),
            member=member,
            ncp_name=app.settings.ncp.name_in(language),
            viewer=viewer,
            language=language,
            alerts=app.settings.alert_policy,
        )

    def view(
        self, *, viewer: User, month: str | None = None, week: str | None = None, only_mine: bool = False
    ) -> read_models.CalendarView:
        """The month (`2026-12`) or ISO week (`2026-W49`) of open deadlines; today's month
        when neither is given (InvalidInputError naming `month` or `week` when malformed)."""
        from workflow import due_dates

        today = self._app.today()
        shown = due_dates.period(month_value=month, week_value=week, today=today)
        return due_dates.calendar_view(
            uow=self._app.uow, viewer=viewer, shown=shown, today=today, only_mine=only_mine
        )

    def make_feed(self, *, name: str, actor: str, language: str, scope: str = "all") -> NewFeed:
        """A new subscription URL for user `name` (its token shown once); the one before it is
        revoked."""
        from workflow import feeds

        return feeds.make_feed(
            uow=self._app.uow, clock=self._app.clock, name=name, actor=actor, language=language, scope=scope
        )

    def revoke_feed(self, *, name: str, actor: str) -> str:
        """Revoke user `name`'s subscription URL; its listed id."""
        from workflow import feeds

        return feeds.revoke_feed(uow=self._app.uow, clock=self._app.clock, name=name, actor=actor)

    def active_feed(self, *, name: str) -> CalendarFeed | None:
        from workflow import feeds

        return feeds.active_feed(uow=self._app.uow, name=name)

    def feed(self, *, token: str, case_url: Callable[[str], str] | None = None) -> bytes | None:
        """The iCalendar file of the subscription URL holding `token`, as its user may see it
        now; None for a malformed, unknown or revoked token or a disabled user."""
        from workflow import feeds

        app = self._app
        return feeds.feed_calendar(
            uow=app.uow,
            clock=app.clock,
            token=token,
            ncp_name=app.settings.ncp.name_in,
            alerts=app.settings.alert_policy,
            case_url=case_url,
        )


class ProcedureUseCases(_Group):
    """Procedure versions: list, show, validate, diff (`ncpflow procedure ...`)."""

    def list(self) -> builtins.list[read_models.ProcedureVersion]:
        from workflow import versions

        return versions.list_versions(self._app.uow, self._app.settings)

    def show(self, *, ref: str | None = None, language: str | None = None) -> read_models.ProcedureShown:
        """`ref` (ID[@VERSION], or a file): the configured definition when None."""
        from workflow import versions

        app = self._app
        procedure = versions.resolve(app.uow, app.settings, ref) if ref else app.policy.procedure
        return versions.show(procedure, language or app.settings.ncp.language)

    def validate(self, *, path: Path) -> read_models.ProcedureCheck:
        from workflow import versions

        return versions.validate(self._app.uow, path)

    def diff(self, *, a: str, b: str) -> read_models.ProcedureDiff:
        from workflow import versions

        app = self._app
        return versions.diff(
            versions.resolve(app.uow, app.settings, a), versions.resolve(app.uow, app.settings, b)
        )


class HandbookUseCases(_Group):
    """The procedure handbook (`ncpflow handbook`, the page /handbook): the definition in force,
    or an older `version` of it, worded in `language`, with its history."""

    def render(self, *, language: str, version: str | None = None) -> Handbook:
        from workflow import handbook

        app = self._app
        return handbook.handbook(
            uow=app.uow, settings=app.settings, policy=app.policy, language=language, version=version
        )

    def body(self, *, language: str, version: str | None = None) -> tuple[Handbook, str]:
        """The handbook and its body as an HTML fragment (the page places it in its layout)."""
        made = self.render(language=language, version=version)
        return made, self._app.printer.body(made)

    def document(self, *, language: str, format: str, version: str | None = None) -> bytes:
        """The handbook as a file: `format` "html" (UTF-8) or "pdf"."""
        from workflow import handbook

        handbook.check_format(format)
        made = self.render(language=language, version=version)
        if format == "pdf":
            return self._app.printer.pdf(made)
        return self._app.printer.html(made).encode("utf-8")


class DocumentUseCases(_Group):
    """A case's documents: file one (or a new version), list them, open one (streamed)."""

    @property
    def rules(self) -> DocumentRules:
        """`[documents]`: the size limit, access levels and exemption grounds."""
        return self._app.settings.documents.rules

    def add(
        self,
        *,
        reference: str,
        source: Source | Spooled,
        filename: str,
        title: str,
        direction: str,
        access: str,
        actor: str,
        party: str | None = None,
        exemption: str | None = None,
        replaces: int | None = None,
    ) -> Document:
        """File `source` (byte chunks, a binary file, or an upload read already) as a new
        document of the case, or as a new version of document `replaces`; refused, writing
        nothing, when it breaks a rule."""
        from workflow import documents

        app = self._app
        return documents.add_document(
            uow=app.uow,
            clock=app.clock,
            rules=self.rules,
            reference=reference,
            source=source,
            filename=filename,
            title=title,
            direction=direction,
            access=access,
            actor=actor,
            party=party,
            exemption=exemption,
            replaces=replaces,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseDocuments:
        """The case's documents with their versions, as `viewer` may see them (no viewer: all)."""
        from workflow import documents

        return documents.list_documents(
            uow=self._app.uow, reference=reference, viewer=viewer, language=language
        )

    def get(self, *, reference: str, number: int, viewer: User | None = None) -> read_models.CaseDocument:
        """One document of the case with its versions."""
        from workflow import documents

        return documents.get_document(uow=self._app.uow, reference=reference, number=number, viewer=viewer)

    def open(
        self, *, reference: str, number: int, version: int | None = None, viewer: User | None = None
    ) -> OpenDocument:
        """A version (default: the latest) of document `number` and its content as an iterator of
        chunks (streamed; checked against its sha256 at the end)."""
        from workflow import documents

        return documents.open_document(
            uow=self._app.uow, reference=reference, number=number, version=version, viewer=viewer
        )


class CorrespondenceUseCases(_Group):
    """The correspondence log of each case: communications in and out with its parties."""

    def log(
        self,
        *,
        reference: str,
        direction: str,
        party: str,
        channel: str,
        subject: str,
        actor: str,
        at: When = None,
        documents: Sequence[int] = (),
    ) -> Entry:
        """Log a communication (`correspondence add`); `party` its key or name."""
        from workflow import correspondence

        return correspondence.log_entry(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            direction=direction,
            party=party,
            channel=channel,
            subject=subject,
            at=at,
            documents=documents,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseCorrespondence:
        """The case's log, oldest first; for a `viewer`, redacted as they may see it."""
        from workflow import correspondence

        return correspondence.case_log(
            uow=self._app.uow, reference=reference, viewer=viewer, language=language
        )


class LetterUseCases(_Group):
    """Letters to the parties: which ones a case's step offers, a letter's context, a preview
    (rendered, nothing written), and an edited letter rendered again (workflow/letters.py)."""

    def offered(self, *, reference: str) -> tuple[str, ...]:
        """The letter kinds the step case `reference` is at offers, most fitting first."""
        from workflow import letters

        with self._app.uow.read() as tx:
            return letters.offered(tx, tx.cases.get(reference))

    def context(
        self,
        *,
        reference: str,
        kind: str,
        party: str,
        contact: int | None = None,
        language: str | None = None,
        deadline: str | None = None,
    ) -> LetterContext:
        """The context of a letter of `kind` to `party` (key or name) or its contact number
        `contact` (default: its first contact, representatives first), dated today."""
        from workflow import letters

        app = self._app
        return letters.context_for(
            uow=app.uow,
            settings=app.settings,
            today=app.today(),
            reference=reference,
            kind=kind,
            party=party,
            contact=contact,
            language=language,
            deadline=deadline,
        )

    def preview(
        self,
        *,
        reference: str,
        kind: str,
        party: str,
        viewer: User,
        contact: int | None = None,
        language: str | None = None,
        deadline: str | None = None,
        pdf: bool = True,
    ) -> LetterPreview:
        """The letter rendered (DOCX, PDF unless `pdf` is false, its text), writing nothing; only
        for a role that may send letters."""
        from workflow import letters

        letters.may_write(viewer)
        context = self.context(
            reference=reference, kind=kind, party=party, contact=contact, language=language, deadline=deadline
        )
        return letters.render(self._app.letterpress, context, pdf=pdf)

    def render(self, *, context: LetterContext, pdf: bool = True) -> LetterPreview:
        """The letter of `context` rendered from its kind's template."""
        from workflow import letters

        return letters.render(self._app.letterpress, context, pdf=pdf)

    def render_edited(self, *, context: LetterContext, paragraphs: Sequence[str]) -> tuple[bytes, bytes]:
        """A letter the handler edited (`paragraphs`, the first its subject) as (DOCX, PDF), in
        the generic layout around `context`'s letterhead, recipient, date and reference."""
        return self._app.letterpress.render_edited(paragraphs, context.values, context.language)

    # -- drafted, edited and sent (workflow/letter_sending.py) -------------------------------------

    def draft(
        self,
        *,
        reference: str,
        kind: str,
        party: str,
        actor: str,
        language: str | None = None,
        deadline: str | None = None,
    ) -> Letter:
        """A draft letter of `kind` to `party` (key or name), filed as DOCX and PDF documents."""
        from workflow import letter_sending

        app = self._app
        return letter_sending.draft_letter(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            letterpress=app.letterpress,
            reference=reference,
            kind=kind,
            party=party,
            actor=actor,
            language=language,
            deadline=deadline,
        )

    def edit(self, *, reference: str, letter: int, paragraphs: Sequence[str], actor: str) -> Letter:
        """The draft's text as edited (the first paragraph its subject): new DOCX and PDF versions."""
        from workflow import letter_sending

        app = self._app
        return letter_sending.edit_letter(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            letterpress=app.letterpress,
            reference=reference,
            letter=letter,
            paragraphs=paragraphs,
            actor=actor,
        )

    def send(self, *, reference: str, letter: int, channel: str, actor: str, to: str | None = None) -> Letter:
        """Send a draft by e-mail (through the outbox, with its PDF) or mark it sent for posting;
        one transaction; a letter sent already is refused."""
        from workflow import letter_sending

        app = self._app
        return letter_sending.send_letter(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            letterpress=app.letterpress,
            render=app.render,
            reference=reference,
            letter=letter,
            channel=channel,
            actor=actor,
            to=to,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseLetters:
        """The case's letters, as `viewer` may see them."""
        from workflow import letter_views

        return letter_views.case_letters(
            uow=self._app.uow, reference=reference, viewer=viewer, language=language
        )

    def get(self, *, reference: str, letter: int, format: str, viewer: User | None = None) -> OpenDocument:
        """The letter's DOCX or PDF (`format`), its latest version, streamed."""
        from workflow import letter_views

        return letter_views.letter_file(
            uow=self._app.uow, reference=reference, letter=letter, format=format, viewer=viewer
        )

    def notices(self, step: str, *, actor: str, deadline: str | None = None) -> Then | None:
        """What a pause or an extension (`step`) runs in its own transaction when `[parties]
        notify_on` names it: a draft notice to every party; None otherwise."""
        app = self._app
        if step not in app.settings.parties.notify_on:
            return None

        def queue(tx: Transaction, case: Case, now: datetime) -> None:
            from workflow import letter_sending

            letter_sending.queue_notices(
                tx,
                uow=app.uow,
                case=case,
                step=step,
                deadline=deadline,
                actor=actor,
                now=now,
                settings=app.settings,
                letterpress=app.letterpress,
            )

        return queue


class StatementUseCases(_Group):
    """Statements drafted from templates, circulated for comment, published (workflow/statements.py).

    The foundation other parts build on: `circulated` (what a party's link shows), `comment`
    (a comment through the link: `via="link"`, actor `party:KEY`), `published` (the register)."""

    def draft(self, *, reference: str, kind: str, actor: str, language: str | None = None) -> Statement:
        """A draft statement of `kind`, filed as DOCX and PDF documents (internal until published)."""
        from workflow import statements

        app = self._app
        return statements.draft(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            letterpress=app.letterpress,
            reference=reference,
            kind=kind,
            actor=actor,
            language=language,
        )

    def edit(self, *, reference: str, statement: int, upload: Spooled, actor: str) -> Statement:
        """A DOCX edited in Word filed as the draft's new version, with its PDF."""
        from workflow import statements

        app = self._app
        return statements.edit(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            letterpress=app.letterpress,
            reference=reference,
            statement=statement,
            upload=upload,
            actor=actor,
        )

    def circulate(
        self, *, reference: str, statement: int, parties: Sequence[str], actor: str, days: int | None = None
    ) -> Round:
        """A comment round: the draft's PDF sent to `parties` (keys or names) with a window of
        `days` (default `[statements] comment_days`)."""
        from workflow import statements

        app = self._app
        return statements.circulate(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            render=app.render,
            reference=reference,
            statement=statement,
            parties_chosen=parties,
            actor=actor,
            days=days,
        )

    def comment(
        self,
        *,
        reference: str,
        round: int,
        party: str,
        via: str,
        actor: str,
        text: str | None = None,
        upload: Spooled | None = None,
    ) -> Comment:
        """A comment received in open round `round` from `party` (its key), by `via` (`email`,
        `post`, `link`): its text and/or `upload` (read already; the caller closes it), filed
        `in` from that party."""
        from workflow import statements

        app = self._app
        return statements.comment(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            round=round,
            party=party,
            via=via,
            actor=actor,
            text=text,
            upload=upload,
        )

    def close(self, *, reference: str, round: int, actor: str) -> Round:
        """Close open round `round` (early, or at its end)."""
        from workflow import statements

        app = self._app
        return statements.close(uow=app.uow, clock=app.clock, reference=reference, round=round, actor=actor)

    def publish(
        self,
        *,
        reference: str,
        statement: int,
        actor: str,
        trigger: str | None = None,
        reason: str | None = None,
    ) -> Statement:
        """Publish a draft: its public PDF and the procedure's fact or step for its kind, at once."""
        from workflow import statements

        app = self._app
        return statements.publish(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            policy=app.policy,
            reference=reference,
            statement=statement,
            actor=actor,
            trigger=trigger,
            reason=reason,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseStatements:
        """The case's statements, rounds and comments (NCP-internal), as `viewer` may see them."""
        from workflow import statements

        return statements.case_statements(
            uow=self._app.uow, reference=reference, viewer=viewer, language=language
        )

    def circulated(self, *, reference: str, party: str) -> builtins.list[read_models.CirculatedDraft]:
        """The drafts circulated to party `party` (its key), by round."""
        from workflow import statements

        return statements.circulated(uow=self._app.uow, reference=reference, party=party)

    def published(self, *, reference: str) -> builtins.list[read_models.PublishedStatement]:
        """The case's published statements and their public PDFs."""
        from workflow import statements

        return statements.published(uow=self._app.uow, reference=reference)


class PartyUseCases(_Group):
    """The parties of a case and their contacts (`ncpflow party ...`): add a party to an open
    case, change one, add, change and remove its contacts; list them as a reader may see them;
    who a letter to a party goes to."""

    def add_party(
        self,
        *,
        reference: str,
        actor: str,
        role: str,
        name: str,
        type: str | None = None,
        org_number: str | None = None,
        withheld: bool = False,
        reprisal_risk: bool = False,
        measures: str | None = None,
        reason: str | None = None,
    ) -> str:
        """A new party of the open case `reference`, last in its order; its key."""
        from workflow import parties

        return parties.add_party(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            role=role,
            name=name,
            type=type,
            org_number=org_number,
            withheld=withheld,
            reprisal_risk=reprisal_risk,
            measures=measures,
            reason=reason,
        )

    def change_party(
        self,
        *,
        reference: str,
        party: str,
        actor: str,
        name: str | None = None,
        type: str | None = None,
        org_number: str | None = None,
        withheld: bool | None = None,
        reprisal_risk: bool | None = None,
        measures: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Change party `party` (a key or a name): what is given (None: as it is); its key."""
        from workflow import parties

        return parties.change_party(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            party=party,
            actor=actor,
            name=name,
            type=type,
            org_number=org_number,
            withheld=withheld,
            reprisal_risk=reprisal_risk,
            measures=measures,
            reason=reason,
        )

    def add_contact(
        self,
        *,
        reference: str,
        party: str,
        actor: str,
        name: str,
        email: str | None = None,
        address: str | None = None,
        language: str = "en",
        channel: str = "email",
        role: str = "contact",
        reason: str | None = None,
    ) -> Contact:
        """A new representative or contact of party `party`, numbered after its last one."""
        from workflow import parties

        return parties.add_contact(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            party=party,
            actor=actor,
            name=name,
            email=email,
            address=address,
            language=language,
            channel=channel,
            role=role,
            reason=reason,
        )

    def change_contact(
        self,
        *,
        reference: str,
        party: str,
        number: int,
        actor: str,
        name: str | None = None,
        email: str | None = None,
        address: str | None = None,
        language: str | None = None,
        channel: str | None = None,
        role: str | None = None,
        reason: str | None = None,
    ) -> Contact:
        """Change contact `number` of party `party`: what is given (None: as it is)."""
        from workflow import parties

        return parties.change_contact(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            party=party,
            number=number,
            actor=actor,
            name=name,
            email=email,
            address=address,
            language=language,
            channel=channel,
            role=role,
            reason=reason,
        )

    def remove_contact(
        self, *, reference: str, party: str, number: int, actor: str, reason: str | None = None
    ) -> Contact:
        """Remove contact `number` of party `party` (its number is not given again)."""
        from workflow import parties

        return parties.remove_contact(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            party=party,
            number=number,
            actor=actor,
            reason=reason,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseParties:
        """The case's parties with keys, flags and contacts; for a `viewer`, as it may see them
        (pseudonyms and no contacts for the parties it may not see)."""
        from workflow import parties

        return parties.list_parties(uow=self._app.uow, reference=reference, viewer=viewer, language=language)

    def recipients(self, *, reference: str, party: str) -> builtins.list[Recipient]:
        """Who a letter to party `party` (a key or a name) goes to: its current contacts,
        representatives first, e-mail before post, each with its language and channel."""
        from workflow import parties

        return parties.recipients(uow=self._app.uow, reference=reference, party=party)


class RegisterUseCases(_Group):
    """The public register of specific instances (states/register.py): for anyone, redacted with
    every protected party whoever asks."""

    def entries(
        self,
        *,
        year: int | None = None,
        stage: str | None = None,
        theme: str | None = None,
        country: str | None = None,
        language: str = "en",
    ) -> RegisterList:
        """The listed cases the filters keep (None: any), received newest first."""
        from states.register import Filters
        from workflow import register

        app = self._app
        chosen = Filters(year=year, stage=stage, theme=theme, country=country)
        return register.register(uow=app.uow, settings=app.settings, filters=chosen, language=language)

    def entry(self, *, reference: str, language: str = "en") -> RegisterEntry:
        """One listed case's entry; `NotInRegister` for any case not listed or unknown."""
        from workflow import register

        app = self._app
        return register.entry(uow=app.uow, settings=app.settings, reference=reference, language=language)

    def open(self, *, reference: str, number: int) -> OpenDocument:
        """A listed case's published document, streamed; `NotInRegister` for any other."""
        from workflow import register

        app = self._app
        return register.open_published(uow=app.uow, settings=app.settings, reference=reference, number=number)

    def export(self) -> builtins.list[dict[str, Any]]:
        """One row per listed case with the OECD database's fields and the entry's own."""
        from workflow import register

        return register.export(uow=self._app.uow, settings=self._app.settings)


class PartyLinkUseCases(_Group):
    """Party links (`ncpflow link ...`): issue one party a signed, expiring link to its case,
    list and revoke them; open a link and act through it as the party (workflow/party_links.py)."""

    @cached_property
    def key(self) -> str:
        """The key that signs the links, read (or made) once."""
        from workflow import party_links

        return party_links.link_key(self._app.settings)

    def issue(
        self,
        *,
        reference: str,
        party: str,
        actor: str,
        days: int | None = None,
        send: bool = False,
        url_base: str | None = None,
    ) -> NewLink:
        """A new link for `party` (a key or a name), valid `days` (default `[party_links]
        valid_for`); its token is in the answer, this once. `send`: e-mailed to the party's
        contacts at `url_base` (default `[web] public_url`) + `/p/TOKEN`."""
        from workflow import party_links

        app = self._app
        return party_links.issue_link(
            uow=app.uow,
            clock=app.clock,
            key=self.key,
            reference=reference,
            party=party,
            actor=actor,
            days=days,
            default_days=app.settings.party_links.days,
            send=send,
            url_base=url_base or app.settings.web.public_url,
            settings=app.settings,
            render=app.render,
        )

    def list(self, *, reference: str) -> builtins.list[Listed]:
        """The case's links, oldest first, each with what it is now (active, expired, revoked)."""
        from workflow import party_links

        return party_links.list_links(uow=self._app.uow, clock=self._app.clock, reference=reference)

    def revoke(self, *, reference: str, link: int, actor: str) -> PartyLink:
        """Revoke link `link` of the case."""
        from workflow import party_links

        return party_links.revoke_link(
            uow=self._app.uow, clock=self._app.clock, reference=reference, link=link, actor=actor
        )

    def open(self, *, token: str) -> Opened:
        """The link `token` opens and its case; LinkRefusedError naming why it does not."""
        from workflow import party_links

        return party_links.open_link(uow=self._app.uow, clock=self._app.clock, key=self.key, token=token)

    def view(self, *, opened: Opened, language: str) -> PartyView:
        """What the party's page shows of its case, in `language`."""
        from workflow import party_links

        return party_links.party_view(
            uow=self._app.uow, clock=self._app.clock, opened=opened, language=language
        )

    def send_document(self, *, token: str, source: Source | Spooled, filename: str, title: str) -> Document:
        """A document the party sends through its link (the case file's checks)."""
        from workflow import party_links

        app = self._app
        return party_links.send_document(
            uow=app.uow,
            clock=app.clock,
            key=self.key,
            token=token,
            rules=app.settings.documents.rules,
            source=source,
            filename=filename,
            title=title,
        )

    def open_draft(self, *, token: str, round: int) -> OpenDocument:
        """The draft PDF of round `round` as sent to the link's party (streamed)."""
        from workflow import party_links

        return party_links.open_draft(
            uow=self._app.uow, clock=self._app.clock, key=self.key, token=token, round=round
        )

    def comment_on_round(
        self, *, token: str, round: int, text: str | None = None, upload: Spooled | None = None
    ) -> int:
        """A comment through the link on an open round sent to its party; its number."""
        from workflow import party_links

        app = self._app
        return party_links.comment_on_round(
            uow=app.uow,
            clock=app.clock,
            key=self.key,
            token=token,
            settings=app.settings,
            round=round,
            text=text,
            upload=upload,
        )

    def send_comment(self, *, token: str, text: str, title: str) -> Document:
        """A comment the party writes through its link, filed as a text document."""
        from workflow import party_links

        app = self._app
        return party_links.send_comment(
            uow=app.uow,
            clock=app.clock,
            key=self.key,
            token=token,
            rules=app.settings.documents.rules,
            text=text,
            title=title,
        )


class EngagementUseCases(_Group):
    """Company engagement of each case: invitations to its enterprises, their responses, and
    concerns about good faith."""

    def invite(
        self,
        *,
        reference: str,
        party: str,
        to: str,
        channel: str,
        actor: str,
        at: When = None,
        respond_by: date | None = None,
    ) -> Invitation:
        """Invite an enterprise party (`engagement invite`); `party` its key or name."""
        from workflow import engagement

        return engagement.invite(
            uow=self._app.uow,
            clock=self._app.clock,
            settings=self._app.settings,
            reference=reference,
            actor=actor,
            party=party,
            to=to,
            channel=channel,
            at=at,
            respond_by=respond_by,
        )

    def respond(
        self,
        *,
        reference: str,
        invitation: int,
        response: str,
        actor: str,
        reasons: Sequence[str] = (),
        at: When = None,
    ) -> Response:
        """Record the answer to an invitation (`engagement respond`)."""
        from workflow import engagement

        return engagement.respond(
            uow=self._app.uow,
            clock=self._app.clock,
            settings=self._app.settings,
            reference=reference,
            actor=actor,
            invitation=invitation,
            response=response,
            reasons=reasons,
            at=at,
        )

    def concern(self, *, reference: str, side: str, text: str, actor: str, at: When = None) -> Concern:
        """Record a concern about good faith (`engagement concern`)."""
        from workflow import engagement

        return engagement.concern(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            side=side,
            text=text,
            at=at,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, actor: str | None = None, language: str = "en"
    ) -> read_models.CaseEngagement:
        """The case's engagement as `viewer` (or the user `actor` names) may see it."""
        from workflow import engagement

        return engagement.case_engagement(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            viewer=viewer,
            actor=actor,
            language=language,
        )

    def reasons(self) -> tuple[DeclineReason, ...]:
        """The reason codes a decline may give ([engagement] decline_reasons)."""
        return self._app.settings.engagement.reasons


class CaseLinkUseCases(_Group):
    """Related instances: links between cases about the same facts (a parallel complaint at
    another NCP, a follow-on complaint, a case here with the same facts)."""

    def link(
        self,
        *,
        reference: str,
        kind: str,
        actor: str,
        case: str | None = None,
        ncp: str | None = None,
        external_reference: str | None = None,
        url: str | None = None,
    ) -> CaseLink:
        """Link a case to a related one (`case link`): `case` here, or `external_reference` at
        NCP `ncp` (with its `url`)."""
        from workflow import case_links

        return case_links.link(
            uow=self._app.uow,
            clock=self._app.clock,
            settings=self._app.settings,
            reference=reference,
            actor=actor,
            kind=kind,
            case=case,
            ncp=ncp,
            external_reference=external_reference,
            url=url,
        )

    def unlink(self, *, reference: str, number: int, actor: str, reason: str | None = None) -> CaseLink:
        """Remove a case's link `number` (`case unlink`)."""
        from workflow import case_links

        return case_links.unlink(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            number=number,
            reason=reason,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, actor: str | None = None, language: str = "en"
    ) -> read_models.CaseLinks:
        """The case's standing links as `viewer` (or the user `actor` names) may see them."""
        from workflow import related

        return related.case_links(
            uow=self._app.uow, reference=reference, viewer=viewer, actor=actor, language=language
        )


class ChecklistUseCases(_Group):
    """Stage checklists: the items a procedure defines per state, ticked and unticked on a case
    (each audited), and the checklist of a case's current stage."""

    def tick(
        self, *, reference: str, item: str, actor: str, at: date | datetime | None = None
    ) -> checklist_rules.Mark:
        """Tick an item of the case's current checklist (`case tick`)."""
        from workflow import checklists

        return checklists.tick(
            uow=self._app.uow, clock=self._app.clock, reference=reference, item=item, actor=actor, at=at
        )

    def untick(
        self, *, reference: str, item: str, actor: str, at: date | datetime | None = None
    ) -> checklist_rules.Mark:
        """Untick a ticked item of the case's current checklist (`case untick`)."""
        from workflow import checklists

        return checklists.untick(
            uow=self._app.uow, clock=self._app.clock, reference=reference, item=item, actor=actor, at=at
        )

    def show(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseChecklist:
        """The checklist of the case's current stage (`case checklist`), in `language`, as
        `viewer` may see it (None: the operator)."""
        from workflow import checklists

        return checklists.show(
            uow=self._app.uow,
            policy=self._app.policy,
            reference=reference,
            viewer=viewer,
            language=language,
        )


class MediatorUseCases(_Group):
    """External mediators: the register, assignment to cases (checked for conflicts with the
    case's parties), mediation sessions, and which cases a mediator's user may see."""

    def add(
        self,
        *,
        actor: str,
        mediator_id: str,
        name: str,
        email: str,
        organisation: str | None = None,
        languages: Sequence[str] = (),
        competence: str | None = None,
        conflicts: Sequence[tuple[str | None, str | None]] = (),
        soft_conflicts: Sequence[tuple[str | None, str | None]] = (),
    ) -> Mediator:
        """A new mediator in the register; conflicts as (name, organisation number) pairs."""
        from workflow import mediators

        return mediators.add_mediator(
            uow=self._app.uow,
            clock=self._app.clock,
            actor=actor,
            mediator_id=mediator_id,
            name=name,
            email=email,
            organisation=organisation,
            languages=languages,
            competence=competence,
            conflicts=conflicts,
            soft_conflicts=soft_conflicts,
        )

    def change(self, *, actor: str, mediator_id: str, changes: dict[str, Any]) -> tuple[str, ...]:
        """Change a mediator's entry; the fields that changed."""
        from workflow import mediators

        return mediators.change_mediator(
            uow=self._app.uow, clock=self._app.clock, actor=actor, mediator_id=mediator_id, changes=changes
        )

    def list(self, *, actor: str | None = None) -> builtins.list[read_models.MediatorView]:
        """The register, each mediator with the cases it is assigned to now."""
        from workflow import mediators

        return mediators.list_mediators(uow=self._app.uow, actor=actor)

    def get(self, *, mediator_id: str) -> read_models.MediatorView:
        from workflow import mediators

        return mediators.get_mediator(uow=self._app.uow, mediator_id=mediator_id)

    def assign(
        self, *, reference: str, mediator: str, actor: str, override: str | None = None
    ) -> tuple[Found, ...]:
        """Assign a mediator to the case; a hard conflict refuses unless `override` says why."""
        from workflow import mediators

        return mediators.assign(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            mediator=mediator,
            actor=actor,
            override=override,
        )

    def unassign(self, *, reference: str, mediator: str, actor: str) -> None:
        from workflow import mediators

        mediators.unassign(
            uow=self._app.uow, clock=self._app.clock, reference=reference, mediator=mediator, actor=actor
        )

    def add_session(
        self,
        *,
        reference: str,
        actor: str,
        starts: date | datetime,
        format: str,
        place: str | None = None,
        interpreters: Sequence[str] = (),
        attendees: Sequence[str] = (),
        notes: str | None = None,
    ) -> MediationSession:
        """A mediation session of the case (a time without offset is NCP-local; stored UTC)."""
        from workflow import mediators

        return mediators.add_session(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            actor=actor,
            starts=starts,
            format=format,
            place=place,
            interpreters=interpreters,
            attendees=attendees,
            notes=notes,
        )

    def sessions(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.Mediation:
        """The case's mediators and sessions as `viewer` may see them (None: the operator)."""
        from workflow import mediators

        return mediators.mediation(uow=self._app.uow, reference=reference, viewer=viewer, language=language)

    def visible(self, *, viewer: User, reference: str) -> bool:
        """Whether `viewer` may see the case at all (a mediator's user: only its own cases)."""
        from states.permissions import scoped

        if not scoped(viewer.role):
            return True
        from workflow import mediators

        return mediators.visible(uow=self._app.uow, viewer=viewer, reference=reference)


class FollowUpUseCases(_Group):
    """The follow-up of commitments (workflow/follow_up.py): record them, set their status with
    evidence, list them, ask a party for an update."""

    def add(
        self,
        *,
        reference: str,
        source: str,
        owner: str,
        text: str,
        actor: str,
        party: str | None = None,
        document: int | None = None,
        due: date | None = None,
        made_on: date | None = None,
    ) -> Commitment:
        """Record a commitment of an agreement or a recommendation of a statement (`followup add`)."""
        from workflow import follow_up

        return follow_up.add(
            uow=self._app.uow,
            clock=self._app.clock,
            reference=reference,
            source=source,
            owner=owner,
            text=text,
            actor=actor,
            party=party,
            document=document,
            due=due,
            made_on=made_on,
        )

    def set_status(
        self,
        *,
        reference: str,
        commitment: int,
        status: str,
        actor: str,
        on: date | None = None,
        note: str | None = None,
        evidence: Sequence[int] = (),
        upload: Evidence | None = None,
    ) -> StatusEntry:
        """Append a status to a commitment's history (`followup status`), with evidence."""
        from workflow import follow_up

        app = self._app
        return follow_up.set_status(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            commitment=commitment,
            status=status,
            actor=actor,
            on=on,
            note=note,
            evidence=evidence,
            upload=upload,
        )

    def list(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseCommitments:
        """The case's commitments, histories and update requests, as `viewer` may see them."""
        from workflow import follow_up

        return follow_up.case_follow_up(
            uow=self._app.uow, reference=reference, viewer=viewer, language=language
        )

    def request_update(
        self,
        *,
        reference: str,
        party: str,
        actor: str,
        due: date | None = None,
        commitments: Sequence[int] = (),
    ) -> UpdateRequest:
        """Ask a party for news of its commitments by a due date (`followup request`)."""
        from workflow import follow_up

        app = self._app
        return follow_up.request_update(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            render=app.render,
            reference=reference,
            party=party,
            actor=actor,
            due=due,
            commitments=commitments,
        )


class BundleUseCases(_Group):
    """Sharing cases with other NCPs: signed bundles written and taken in (workflow/bundles.py,
    docs/bundle-format.md)."""

    def share(
        self,
        *,
        reference: str,
        to: str,
        actor: str,
        documents: Sequence[int] = (),
        reviews: Sequence[Review] = (),
        handover: bool = False,
        reason: str | None = None,
        out: Path | None = None,
    ) -> Shared:
        """Write the case's next bundle for NCP `to` into `out` and record it (the sending
        NCP's audit chain holds the bundle's SHA-256). `reviews`: comments on the recipient's
        drafts; `handover`: the lead passes to `to` and the case takes its `transfer` step here,
        with `reason`, in the same transaction."""
        from workflow import bundles

        app = self._app
        return bundles.share_case(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            signer=app.audit.signer(),
            reference=reference,
            to=to,
            actor=actor,
            documents=documents,
            reviews=reviews,
            handover=handover,
            reason=reason,
            out=out,
            policy=app.policy,
        )

    def receive(self, *, path: Path, actor: str) -> Received:
        """Verify the bundle file at `path` against the `[[peers]]` keys and take it in (a new
        case, or an update of the linked one); a refusal names its reason and changes nothing."""
        from workflow import bundle_receipt

        app = self._app
        return bundle_receipt.receive_bundle(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            policy=app.policy,
            raw=bundle_receipt.read_bundle(path),
            actor=actor,
            rules_of_documents=app.settings.documents.rules,
            notices=app.notices,
        )

    def take_in(self, *, raw: bytes, actor: str) -> Received:
        """`receive` for a bundle's bytes already read (an upload in the browser or the API)."""
        from workflow import bundle_receipt

        app = self._app
        bundle_receipt.check_size(raw)
        return bundle_receipt.receive_bundle(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            policy=app.policy,
            raw=raw,
            actor=actor,
            rules_of_documents=app.settings.documents.rules,
            notices=app.notices,
        )

    def check(self, *, reference: str, to: str, documents: Sequence[int] = ()) -> tuple[str, str]:
        """What `share` would refuse of the NCP and the documents, checked before a page asks
        for confirmation (nothing written); the recipient's code and name."""
        from workflow import bundles

        peer = bundles.check_share(
            uow=self._app.uow, settings=self._app.settings, reference=reference, to=to, documents=documents
        )
        return peer.ncp, peer.name

    def peers(self) -> builtins.list[tuple[str, str]]:
        """The NCPs this one may share with (`[[peers]]`): code and name."""
        return [(peer.ncp, peer.name) for peer in self._app.settings.peers]

    def view(self, *, reference: str) -> read_models.CaseBundles:
        """The case's bundles as the pages and the API show them, oldest first."""
        from workflow import read_models

        return read_models.CaseBundles(
            reference=reference,
            bundles=[
                read_models.CaseBundle(
                    direction=link.direction,  # type: ignore[arg-type]
                    peer=link.peer,
                    peer_reference=link.peer_reference,
                    kind=link.kind,  # type: ignore[arg-type]
                    sequence=link.sequence,
                    sha256=link.sha256,
                    previous=link.previous,
                    at=link.at.isoformat(),
                    actor=link.actor,
                )
                for link in self.list(reference=reference)
            ],
        )

    def receipt(self, received: Received) -> read_models.BundleReceipt:
        """A bundle taken in, as the API answers it."""
        from workflow import read_models

        return read_models.BundleReceipt(
            reference=received.reference,
            sender=received.sender,
            sender_reference=received.peer_reference,
            kind=received.kind,  # type: ignore[arg-type]
            sequence=received.sequence,
            sha256=received.sha256,
            opened=received.opened,
            documents=list(received.documents),
        )

    def list(self, *, reference: str) -> builtins.list[Link]:
        """The case's bundles, sent and received, oldest first."""
        from workflow import bundle_receipt

        return bundle_receipt.bundles_of(uow=self._app.uow, reference=reference)


class NcpUseCases(_Group):
    """The NCPs of a case: the lead (one, or two jointly; none recorded: `[ncp] country`), the
    supporting NCPs and their roles, the complainant's preference, the coordination step, the
    handover of the lead, and supporting NCPs' review tasks on statement drafts."""

    def show(
        self, *, reference: str, viewer: User | None = None, language: str = "en"
    ) -> read_models.CaseNcpsView:
        """The case's NCPs, coordination and review tasks as `viewer` may see them (None: the
        operator; review comments only for readers of NCP-internal material)."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.ncps_view(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            viewer=viewer,
            language=language,
        )

    def begin_coordination(self, *, reference: str, actor: str, on: date | None = None) -> Case:
        """The NCPs begin to agree on the lead: the coordination clock starts."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.begin_coordination(
            uow=app.uow, clock=app.clock, settings=app.settings, reference=reference, actor=actor, on=on
        )

    def set_lead(
        self,
        *,
        reference: str,
        lead: Sequence[str],
        actor: str,
        reason: str | None = None,
        on: date | None = None,
    ) -> CaseNcps:
        """Record the lead (one NCP, or two jointly); agrees an open coordination."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.set_lead(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            lead=lead,
            actor=actor,
            reason=reason,
            on=on,
        )

    def transfer(
        self, *, reference: str, to: str, actor: str, reason: str, keep_as: str | None = "consulted"
    ) -> CaseNcps:
        """Hand the lead over to `to`; the NCPs that led support the case in `keep_as` (None:
        they leave it)."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.transfer_lead(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            to=to,
            actor=actor,
            reason=reason,
            keep_as=keep_as,
        )

    def add_supporting(
        self, *, reference: str, ncp: str, role: str, actor: str, reason: str | None = None
    ) -> CaseNcps:
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.add_supporting(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            ncp=ncp,
            role=role,
            actor=actor,
            reason=reason,
        )

    def change_role(
        self, *, reference: str, ncp: str, role: str, actor: str, reason: str | None = None
    ) -> CaseNcps:
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.change_role(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            ncp=ncp,
            role=role,
            actor=actor,
            reason=reason,
        )

    def remove_supporting(
        self, *, reference: str, ncp: str, actor: str, reason: str | None = None
    ) -> CaseNcps:
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.remove_supporting(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            ncp=ncp,
            actor=actor,
            reason=reason,
        )

    def prefer(self, *, reference: str, ncp: str, actor: str, note: str | None = None) -> CaseNcps:
        """Record the complainant's preference for the lead NCP."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.prefer_lead(
            uow=app.uow, clock=app.clock, reference=reference, ncp=ncp, actor=actor, note=note
        )

    def request_review(
        self,
        *,
        reference: str,
        statement: int,
        actor: str,
        ncps: Sequence[str] = (),
        due: date | None = None,
    ) -> builtins.list[ReviewTask]:
        """A review task on a statement draft for each supporting NCP reviewing drafts (or those
        named)."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.request_review(
            uow=app.uow,
            clock=app.clock,
            settings=app.settings,
            reference=reference,
            statement=statement,
            actor=actor,
            ncps=ncps,
            due=due,
        )

    def record_review(
        self,
        *,
        reference: str,
        ncp: str,
        comment: str,
        actor: str,
        statement: int | None = None,
        on: date | None = None,
    ) -> ReviewTask:
        """Answer `ncp`'s open review task (on `statement`, else its earliest) with its comment."""
        from workflow import ncp_roles

        app = self._app
        return ncp_roles.record_review(
            uow=app.uow,
            clock=app.clock,
            reference=reference,
            ncp=ncp,
            comment=comment,
            actor=actor,
            statement=statement,
            on=on,
        )
