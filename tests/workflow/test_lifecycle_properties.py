"""Random trigger sequences through workflow.cases.advance on a real SQLite database.

A hypothesis state machine fires triggers (mostly ones the hand-written lifecycle table allows,
sometimes anything at all) with right or wrong outcomes, one day apart, and checks after every
step that the stored case, its deadlines and the audit log stay consistent.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from states.case import Case
from states.chain import AuditEntry
from states.errors import InvalidInputError, NcpflowError, OutcomeError, TransitionNotAllowedError
from states.lifecycle import Outcome, State, Trigger
from tests.conftest import make_settings
from tests.helpers import OECD
from tests.states.test_lifecycle import EXPECTED
from workflow import cases, queries
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock

START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

# From the hand-written table: where (state, trigger) leads, and the outcomes it accepts
# (None when no outcome or an implied one; an implied outcome may also be stated).
DEST: dict[tuple[State, Trigger], State] = {(r.source, r.trigger): r.dest for r in EXPECTED}
ACCEPTS: dict[tuple[State, Trigger], set[Outcome | None]] = {}
for _row in EXPECTED:
    ACCEPTS.setdefault((_row.source, _row.trigger), set()).add(_row.given)
    if _row.given is None and _row.recorded is not None:
        ACCEPTS[(_row.source, _row.trigger)].add(_row.recorded)

SHORT_CUTS = frozenset({Trigger.WITHDRAW, Trigger.TRANSFER, Trigger.CLOSE})
outcomes = st.one_of(st.none(), st.sampled_from(list(Outcome)))


class LifecycleMachine(RuleBasedStateMachine):
    template: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ncpflow-prop-"))
        self.services: Services | None = None
        self.reference = ""
        self.transitions = 0
        self.was_closed = False
        self.examination = True

    # -- set-up ---------------------------------------------------------------------------

    @initialize(examination=st.booleans())
    def open_a_case(self, examination: bool) -> None:
        path = self.folder / "ncpflow.db"
        shutil.copy(self.template, path)
        self.examination = examination
        self.services = bootstrap(
            make_settings(f"sqlite:///{path}", procedure={"examination": examination}),
            clock=FixedClock(START),
        )
        case = cases.open_case(
            uow=self.services.uow,
            clock=self.services.clock,
            policy=self.services.policy,
            reference_prefix="NCP",
            title="Gruvedrift i Finnmark",
            submitters=[cases.PartyInput("Norsk Folkehjelp", "ngo")],
            enterprises=[cases.PartyInput("Nordic Mining ASA")],
            actor="secretariat",
        )
        self.reference = case.reference

    def teardown(self) -> None:
        if self.services is not None:
            self.services.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------

    @property
    def svc(self) -> Services:
        assert self.services is not None
        return self.services

    def case(self) -> Case:
        return queries.get_case(uow=self.svc.uow, reference=self.reference)

    def entries(self) -> list[AuditEntry]:
        return list(audit_entries(uow=self.svc.uow, case_ref=self.reference))

    def expect_success(self, state: State, trigger: Trigger, outcome: Outcome | None) -> bool:
        if (state, trigger) not in DEST or outcome not in ACCEPTS[(state, trigger)]:
            return False
        return not (trigger is Trigger.EXAMINE and not self.examination)

    def fire(
        self, trigger: Trigger, outcome: Outcome | None, *, actor: str = "member-b", reason: str = "next step"
    ) -> None:
        clock = self.svc.clock
        assert isinstance(clock, FixedClock)
        clock.advance(days=1)
        before = self.case()
        entries_before = len(self.entries())
        should_succeed = (
            self.expect_success(before.state, trigger, outcome)
            and actor.strip() != ""
            and reason.strip() != ""
        )
        refused: NcpflowError | None = None
        try:
            after = cases.advance(
                uow=self.svc.uow,
                clock=clock,
                policy=self.svc.policy,
                reference=self.reference,
                trigger=trigger.value,
                actor=actor,
                reason=reason,
                outcome=outcome.value if outcome else None,
            )
        except (TransitionNotAllowedError, OutcomeError, InvalidInputError) as error:
            refused = error
        if refused is not None:
            assert not should_succeed, f"{trigger}/{outcome} refused in {before.state}: {refused}"
            now = self.case()
            assert (now.version, now.state, now.outcome, now.deadlines) == (
                before.version,
                before.state,
                before.outcome,
                before.deadlines,
            )
            assert len(self.entries()) == entries_before
            return
        assert should_succeed, f"{trigger}/{outcome} was allowed in {before.state}"
        self.transitions += 1
        assert after.state == DEST[(before.state, trigger)]
        assert after.version == before.version + 1
        stored = self.case()
        assert (stored.state, stored.version, stored.last_event_at) == (
            after.state,
            after.version,
            clock.now(),
        )
        last = self.entries()[-1]
        assert (last.from_state, last.to_state, last.actor, last.reason) == (
            before.state,
            after.state,
            actor,
            reason,
        )

    # -- rules ----------------------------------------------------------------------------

    @precondition(lambda self: self.services is not None)
    @rule(data=st.data())
    def take_a_step(self, data: st.DataObject) -> None:
        # Mostly a step the table offers (so runs reach the late stages), sometimes any trigger
        # with any outcome, sometimes a step without an actor or a reason.
        state = self.case().state
        kind = data.draw(st.sampled_from(["offered"] * 4 + ["any", "blank"]), label="kind")
        if kind == "offered" and state != State.CLOSED:
            self.fire_an_offered_trigger(state, data)
        elif kind == "blank":
            trigger = data.draw(st.sampled_from(list(Trigger)), label="trigger")
            field = data.draw(st.sampled_from(["actor", "reason"]), label="blank field")
            texts = {
                "actor": "member-b",
                "reason": "next step",
                field: data.draw(st.sampled_from(["", "  "]), label="blank"),
            }
            self.fire(trigger, None, actor=texts["actor"], reason=texts["reason"])
        else:
            self.fire(
                data.draw(st.sampled_from(list(Trigger)), label="trigger"),
                data.draw(outcomes, label="outcome"),
            )

    def fire_an_offered_trigger(self, state: State, data: st.DataObject) -> None:
        offered = sorted({t for (s, t) in DEST if s == state}, key=list(Trigger).index)
        # Steps that lead on through the stages are drawn three times as often as the ones
        # that cut a case short (withdraw, transfer, close).
        weighted = [t for t in offered for _ in range(1 if t in SHORT_CUTS else 3)]
        trigger = data.draw(st.sampled_from(weighted), label="trigger")
        accepted = sorted(ACCEPTS[(state, trigger)], key=str)
        outcome = data.draw(st.one_of(st.sampled_from(accepted), outcomes), label="outcome")
        self.fire(trigger, outcome)

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def a_closed_case_stays_closed(self) -> None:
        if self.services is None:
            return
        closed = self.case().state == State.CLOSED
        assert closed or not self.was_closed
        self.was_closed = closed

    @invariant()
    def the_audit_log_has_one_entry_per_transition_plus_the_opening(self) -> None:
        if self.services is None:
            return
        entries = self.entries()
        assert len(entries) == self.transitions + 1
        assert (entries[0].kind, entries[0].from_state) == ("opened", None)
        for previous, entry in itertools.pairwise(entries):
            assert entry.from_state == previous.to_state
        assert entries[-1].to_state == self.case().state

    @invariant()
    def the_chain_verifies(self) -> None:
        if self.services is None:
            return
        verdict = verify_chain(uow=self.svc.uow)
        assert verdict.ok, verdict.problem
        assert verdict.entries == self.transitions + 1

    @invariant()
    def each_stage_has_exactly_its_own_deadlines_open(self) -> None:
        if self.services is None:
            return
        case = self.case()
        # The machine records no facts, so a deadline counted from one (coordination) never starts.
        expected = {n for n in OECD.open_deadlines(case.state) if OECD.deadlines[n].fact is None}
        assert {d.name for d in case.open_deadlines} == expected
        assert len({d.name for d in case.deadlines}) == len(case.deadlines)


def test_random_trigger_sequences_keep_case_deadlines_and_audit_log_consistent(sqlite_template: Path) -> None:
    """Any sequence of allowed and refused triggers leaves a consistent case and audit chain."""
    LifecycleMachine.template = sqlite_template
    run_state_machine_as_test(
        LifecycleMachine,
        settings=settings(max_examples=30, stateful_step_count=15, deadline=None),
    )
