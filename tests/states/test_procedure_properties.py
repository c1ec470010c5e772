"""Generated procedure definitions, driven by random trigger sequences through the pure core.

Hypothesis writes valid definitions (states, triggers, outcomes, transitions, guards, deadlines
as TOML text), reads each through `parse_procedure`, opens a case and fires random triggers at
it, sealing each step's audit record into a hash chain as the workflow does. After every step:
a terminal case stays terminal, the chain has one entry per step taken plus the opening and
verifies, and the open deadlines are exactly those the definition keeps open in the state.

Generated transitions only lead to later states (the definitions are acyclic): a deadline runs
once per case, so a case that came back to a state would not open it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from states import records
from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, open_case
from states.chain import AuditEntry, seal, verify
from states.errors import NcpflowError, OutcomeError, TransitionNotAllowedError
from states.procedure import Procedure, parse_procedure

OPENED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PARTIES = (Party(PartyRole.SUBMITTER, "Submitter"), Party(PartyRole.ENTERPRISE, "Enterprise AS"))
DURATIONS = ("7d", "14d", "2w", "1mo", "3mo", "1y")


def _labels(name: str) -> str:
    return f'{{ en = "{name} (en)", nb = "{name} (nb)" }}'


def _names(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


@dataclass(frozen=True)
class Generated:
    text: str
    terminal: frozenset[str]


@st.composite
def definitions(draw: st.DrawFn) -> Generated:
    """A valid definition: states s0..sN, the last `k` terminal, every state reached from s0 by a
    transition from an earlier non-terminal state, every non-terminal state with a way out."""
    n = draw(st.integers(2, 7), label="states")
    k = draw(st.integers(1, max(1, n - 1)), label="terminal states")
    states = [f"s{i}" for i in range(n)]
    open_states = states[: n - k]
    terminal = states[n - k :]
    edges: set[tuple[str, str]] = set()
    for i in range(1, n):  # reachable: one transition into each state from an earlier open one
        parent = draw(st.integers(0, min(i, n - k) - 1), label=f"parent of s{i}")
        edges.add((states[parent], states[i]))
    for source in open_states:  # more transitions, always to a later state
        later = states[states.index(source) + 1 :]
        edges.update((source, dest) for dest in draw(st.lists(st.sampled_from(later), max_size=3)))
        if not any(s == source for s, _ in edges):
            edges.add((source, draw(st.sampled_from(terminal))))
    outcomes = [f"o{i}" for i in range(draw(st.integers(1, 4), label="outcomes"))]
    most = max(sum(1 for s, _ in edges if s == source) for source in open_states)
    triggers = [f"t{i}" for i in range(most + draw(st.integers(0, 2), label="spare triggers"))]
    lines = [
        'id = "generated"',
        'version = "1"',
        f"title = {_labels('generated')}",
        'initial = "s0"',
        "",
    ]
    for state in states:
        lines += [f"[states.{state}]", f"label = {_labels(state)}"]
        if state in terminal:
            lines += ["terminal = true", f"concluded = {'true' if draw(st.booleans()) else 'false'}"]
        lines.append("")
    for trigger in triggers:
        lines += [
            f"[triggers.{trigger}]",
            f"label = {_labels(trigger)}",
            f"past = {_labels(trigger + 'ed')}",
            "",
        ]
    for outcome in outcomes:
        lines += [f"[outcomes.{outcome}]", f"label = {_labels(outcome)}", ""]
    for source in open_states:
        targets = sorted(dest for s, dest in edges if s == source)
        names = draw(st.permutations(triggers), label=f"triggers from {source}")[: len(targets)]
        for trigger, dest in zip(names, targets, strict=True):
            allowed = draw(st.lists(st.sampled_from(outcomes), unique=True, max_size=3))
            lines += ["[[transitions]]", f'trigger = "{trigger}"', f'from = ["{source}"]', f'to = "{dest}"']
            if allowed:
                field = draw(st.sampled_from(["outcome", "mediation_result", "determination"]))
                lines += [f"outcomes = {_names(allowed)}", f'sets = "{field}"']
            if draw(st.booleans()):
                lines.append('guards = ["is_examination_enabled"]')
            lines += [f"meaning = {_labels(f'{trigger} from {source}')}", ""]
    for index in range(draw(st.integers(0, 4), label="deadlines")):
        open_in = draw(
            st.lists(st.sampled_from(open_states), min_size=1, unique=True), label=f"d{index} open in"
        )
        lines += [
            f"[deadlines.d{index}]",
            f"label = {_labels(f'd{index}')}",
            f'basis = "{draw(st.sampled_from(["received", "entered"]))}"',
            f'duration = "{draw(st.sampled_from(DURATIONS))}"',
            f"open_in = {_names(open_in)}",
            "",
        ]
    return Generated("\n".join(lines), frozenset(terminal))


def _policy(procedure: Procedure, examination: bool) -> Policy:
    return Policy(
        timelines={}, calendar=CalendarRule("Europe/Oslo"), procedure=procedure, examination=examination
    )


def _sealed(
    prev: AuditEntry | None,
    case: Case,
    record: records.Opened | records.Transitioned,
    *,
    actor: str,
    at: datetime,
    from_state: str | None,
    to_state: str,
    reason: str | None,
) -> AuditEntry:
    """The record sealed onto the chain as the workflow appends it."""
    return seal(
        prev=prev,
        case_ref=case.reference,
        kind=record.KIND,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=record.to_data(),
    )


@settings(max_examples=150, deadline=None)
@given(
    generated=definitions(),
    examination=st.booleans(),
    steps=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 4)), max_size=12),
)
def test_generated_procedures_keep_terminal_cases_terminal_a_whole_chain_and_their_deadlines(
    generated: Generated, examination: bool, steps: list[tuple[int, int]]
) -> None:
    """Every valid definition, any trigger sequence: the invariants hold after every step."""
    procedure = parse_procedure(generated.text, source="generated.toml")
    assert procedure.terminal == generated.terminal
    policy = _policy(procedure, examination)
    case, opened = open_case(
        reference="GEN-2025-001",
        title="Generated",
        parties=PARTIES,
        received_at=OPENED,
        opened_at=OPENED,
        actor="secretariat",
        policy=policy,
    )
    record = records.Opened.of(
        opened, title=case.title, parties=case.parties, details=case.details, recorded_at=OPENED
    )
    chain = [
        _sealed(
            None,
            case,
            record,
            actor="secretariat",
            at=OPENED,
            from_state=None,
            to_state=case.state,
            reason=None,
        )
    ]
    assert {d.name for d in case.open_deadlines} == procedure.open_deadlines(case.state)
    # A deadline runs once (docs/procedure-schema.md): one that closed stays met if the case returns.
    ran: set[str] = set()
    taken = 0
    triggers, outcomes = list(procedure.triggers), [None, *procedure.outcomes]
    for trigger_index, outcome_index in steps:
        trigger = triggers[trigger_index % len(triggers)]
        outcome = outcomes[outcome_index % len(outcomes)]
        row = procedure.find(case.state, trigger)
        at = case.last_event_at + timedelta(days=3)
        was_terminal = case.is_terminal
        try:
            new, event = advance(
                case, trigger=trigger, actor="member", reason="next", at=at, policy=policy, outcome=outcome
            )
        except (TransitionNotAllowedError, OutcomeError):
            assert row is None or not examination or outcome is not None or len(row.outcomes) > 1
            continue
        except NcpflowError as error:  # nothing else may refuse a step here
            raise AssertionError(error) from None
        assert not was_terminal, "a terminal case moved"
        assert row is not None and new.state == row.dest
        taken += 1
        step = records.Transitioned.of(event, version=case.version + 1, recorded_at=at)
        chain.append(
            _sealed(
                chain[-1],
                case,
                step,
                actor="member",
                at=at,
                from_state=event.from_state,
                to_state=event.to_state,
                reason="next",
            )
        )
        assert step.sets == (row.sets if event.outcome is not None else None)
        ran |= {d.name for d in case.open_deadlines} - procedure.open_deadlines(new.state)
        case = new
        assert {d.name for d in case.open_deadlines} == procedure.open_deadlines(case.state) - ran
        assert all(case.deadline(name) is not None and not case.deadline(name).is_open for name in ran)
        if case.is_terminal:
            assert case.open_deadlines == ()
    assert len(chain) == taken + 1
    verdict = verify(chain)
    assert verdict.ok and verdict.entries == taken + 1, verdict
    if case.is_terminal:
        for trigger in triggers:
            try:
                advance(case, trigger=trigger, actor="m", reason="r", at=case.last_event_at, policy=policy)
            except TransitionNotAllowedError:
                continue
            raise AssertionError(f"'{trigger}' moved a case out of terminal state '{case.state}'")
