"""A procedure as data: its states, triggers, outcomes, transitions, deadlines and what its reports
count, read from a TOML text (docs/procedure-schema.md) and checked as a whole when it is read.

Pure: `parse_procedure` takes the text and the name of where it came from (for messages); the
workflow layer reads the files (workflow/procedures.py). A `Procedure` is frozen; every decision on
a case asks the case's own procedure (states/case.py), and states/machine.py builds the
`transitions` machine from it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from states.durations import Duration
from states.errors import InvalidInputError, ProcedureInvalidError
from states.guards import CHECKLIST_GUARD, GUARD_FACTS, GUARDS
from states.letters import KINDS as LETTER_KINDS
from states.statements import KINDS as STATEMENT_KINDS

LANGUAGES = ("en", "nb")
BASES = ("received", "entered")
FACT_BASIS = "fact:"  # a deadline counted from the date of a recorded fact: "fact:mediation_agreed"
LabelKind = Literal["state", "trigger", "outcome", "deadline", "deadline_title", "past", "fact"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Labels:
    """The same words in each language the procedure is written in."""

    en: str
    nb: str

    def get(self, language: str) -> str:
        """The words in `language` ("nb" for Norwegian bokmål); English otherwise."""
        return self.nb if language == "nb" else self.en


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a state's checklist (`[[states.NAME.checklist]]`): what the handler checks or
    does in the stage, ticked on the case (states/checklists.py). `id` is unique in the whole
    definition, so an item names its stage."""

    id: str
    label: Labels
    help: Labels | None = None


@dataclass(frozen=True)
class StateDef:
    name: str
    label: Labels
    terminal: bool = False
    concluded: bool = False  # reaching it counts the case as concluded in reports
    letters: tuple[str, ...] = ()  # the letters a case in this state offers (states.letters)
    checklist: tuple[ChecklistItem, ...] = ()  # what the handler ticks in this state
    handbook: StateHandbook | None = None  # `[states.NAME.handbook]` (version 6 of oecd-2023)


@dataclass(frozen=True)
class StateHandbook:
    """What the procedure handbook says of a stage (`[states.NAME.handbook]`, optional): what
    happens in it, the Guidelines texts it rests on, and what the parties are told."""

    description: Labels
    rests_on: tuple[Labels, ...] = ()
    told: Labels | None = None


@dataclass(frozen=True)
class TriggerDef:
    name: str
    label: Labels
    past: Labels  # how a deadline counted from this trigger names its basis ("accepted")


@dataclass(frozen=True)
class OutcomeDef:
    name: str
    label: Labels


@dataclass(frozen=True)
class FactDef:
    """A dated fact recorded beside the steps (it does not move the case): where it may be
    recorded, whether more than one may be, who it may be "by", and the fact it ends."""

    name: str
    label: Labels
    recorded_in: frozenset[str]
    repeat: bool = False
    by: Mapping[str, Labels] = field(default_factory=dict)  # who may be named; empty: no one
    ends: str | None = None  # a fact this one closes ("review_concluded" ends "review_requested")


@dataclass(frozen=True)
class Transition:
    """`trigger` moves a case from `source` to `dest`; one per source state of a [[transitions]] table.

    `outcomes` lists the outcomes the trigger may record (with exactly one, it is implied);
    `sets` names the result field the outcome is recorded in ("outcome", "mediation_result",
    "determination"); each of `guards` names a predicate in `states.guards` that must hold.
    """

    trigger: str
    source: str
    dest: str
    outcomes: tuple[str, ...] = ()
    sets: str | None = None
    guards: tuple[str, ...] = ()
    meaning: Labels = Labels("", "")
    letters: tuple[str, ...] = ()  # the letters a case that took this step offers in its new state

    @property
    def implied_outcome(self) -> str | None:
        return self.outcomes[0] if len(self.outcomes) == 1 else None


@dataclass(frozen=True)
class DeadlineRule:
    """When a deadline starts, what it is counted from, how long it runs, where it stays open."""

    name: str
    label: Labels  # short name (pages)
    title: Labels  # full name in running text (e-mails)
    basis: str  # "received": from receipt; "entered": from the step that opens it; "fact:NAME"
    duration: Duration
    duration_text: str
    open_in: frozenset[str]
    max_extension: Duration | None = None  # all its extensions together move it no further
    met_by: str | None = None  # a fact whose recording meets it (coordination: lead_agreed)

    @property
    def fact(self) -> str | None:
        """The fact whose date the deadline is counted from, if its basis names one."""
        return self.basis.removeprefix(FACT_BASIS) if self.basis.startswith(FACT_BASIS) else None


@dataclass(frozen=True)
class StatementRule:
    """A statement kind a procedure offers (`[statements.KIND]`): the states a case may draft and
    circulate it in, the states it may be published in, and what publishing it fires: a fact
    recorded on the day, or one of `triggers` (the first unless the handler chooses another)."""

    kind: str
    drafted_in: frozenset[str]
    published_in: frozenset[str]
    fact: str | None = None
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reports:
    """What the reports count: the timed stages (each measured while its deadline is open), the
    outcomes counted (in column order), the outcomes that mean "not accepted", the triggers that
    mean "accepted"."""

    stages: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    not_accepted: tuple[str, ...] = ()
    accepted_by: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Procedure:
    """One version of a procedure. Equal (and hashed) by id, version and the text's sha256."""

    id: str
    version: str
    title: Labels
    initial: str
    states: Mapping[str, StateDef]
    triggers: Mapping[str, TriggerDef]
    outcomes: Mapping[str, OutcomeDef]
    transitions: tuple[Transition, ...]
    deadlines: Mapping[str, DeadlineRule]
    reports: Reports
    sha256: str
    text: str
    source: str = ""
    facts: Mapping[str, FactDef] = field(default_factory=dict)
    open_letters: tuple[str, ...] = ()  # `[letters] open`: offered in every state not terminal
    statements: Mapping[str, StatementRule] = field(default_factory=dict)  # `[statements.KIND]`
    coordination: Labels | None = None  # `[handbook] coordination`: the rules between NCPs, in words
    _from: Mapping[str, tuple[Transition, ...]] = field(init=False, repr=False)
    _find: Mapping[tuple[str, str], Transition] = field(init=False, repr=False)
    _open: Mapping[str, frozenset[str]] = field(init=False, repr=False)
    _terminal: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Lookups by state and trigger are on every step's path: worked out once here.
        by_state: dict[str, list[Transition]] = {name: [] for name in self.states}
        for row in self.transitions:
            by_state.setdefault(row.source, []).append(row)
        object.__setattr__(self, "_from", {s: tuple(rows) for s, rows in by_state.items()})
        object.__setattr__(self, "_find", {(t.source, t.trigger): t for t in self.transitions})
        object.__setattr__(
            self,
            "_open",
            {
                state: frozenset(d.name for d in self.deadlines.values() if state in d.open_in)
                for state in self.states
            },
        )
        object.__setattr__(self, "_terminal", frozenset(s.name for s in self.states.values() if s.terminal))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.version, self.sha256)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Procedure) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def terminal(self) -> frozenset[str]:
        """The states nothing leaves."""
        return self._terminal

    @property
    def concluded(self) -> frozenset[str]:
        """The states whose reaching counts a case as concluded."""
        return frozenset(s.name for s in self.states.values() if s.concluded)

    def transitions_from(self, state: str) -> tuple[Transition, ...]:
        return self._from.get(state, ())

    def find(self, state: str, trigger: str) -> Transition | None:
        """The transition `trigger` fires from `state`, or None."""
        return self._find.get((state, trigger))

    def open_deadlines(self, state: str) -> frozenset[str]:
        """The deadlines that run while a case is in `state`."""
        return self._open.get(state, frozenset())

    def is_terminal(self, state: str) -> bool:
        return state in self._terminal

    def label(self, kind: LabelKind, name: str, language: str = "en") -> str:
        """The words for a state, trigger, outcome or deadline (short name, or its `deadline_title`),
        or a trigger's `past` tense, in `language`; a name the procedure does not know is itself
        with spaces."""
        labels = self._labels(kind, name)
        return labels.get(language) if labels is not None else name.replace("_", " ")

    def _labels(self, kind: LabelKind, name: str) -> Labels | None:
        if kind == "state":
            state = self.states.get(name)
            return state.label if state else None
        if kind == "trigger":
            trigger = self.triggers.get(name)
            return trigger.label if trigger else None
        if kind == "past":
            trigger = self.triggers.get(name)
            return trigger.past if trigger else None
        if kind == "outcome":
            outcome = self.outcomes.get(name)
            return outcome.label if outcome else None
        if kind == "fact":
            fact = self.facts.get(name)
            return fact.label if fact else None
        deadline = self.deadlines.get(name)
        if deadline is None:
            return None
        return deadline.title if kind == "deadline_title" else deadline.label

    def stage_deadline(self, state: str) -> str | None:
        """The deadline a case in `state` works to: the one named as the state, else the first
        open only in it (oecd-2023: `received` works to `acknowledgement`)."""
        if state in self.deadlines:
            return state
        return next((d.name for d in self.deadlines.values() if d.open_in == {state}), None)

    def by_label(self, fact: str, by: str, language: str = "en") -> str:
        """Who a fact was by (`review_requested` by the `enterprise`), in `language`."""
        found = self.facts.get(fact)
        labels = found.by.get(by) if found else None
        return labels.get(language) if labels is not None else by.replace("_", " ")

    def opened_by(self, fact: str) -> str | None:
        """The fact `fact` closes (its `ends`), or None."""
        found = self.facts.get(fact)
        return found.ends if found else None

    def letters_offered(self, state: str, *, entered_by: tuple[str, str] | None = None) -> tuple[str, ...]:
        """The letter kinds a case in `state` offers, most fitting first: those of the step that
        brought it there (`entered_by`: that step's source state and trigger), then the state's
        own, then `[letters] open` unless the state is terminal; each once."""
        found: list[str] = []
        step = self.find(*entered_by) if entered_by is not None else None
        if step is not None and step.dest == state:
            found.extend(step.letters)
        definition = self.states.get(state)
        if definition is not None:
            found.extend(definition.letters)
            if not definition.terminal:
                found.extend(self.open_letters)
        return tuple(dict.fromkeys(found))

    def checklist(self, state: str) -> tuple[ChecklistItem, ...]:
        """The checklist of `state` (empty when it has none)."""
        definition = self.states.get(state)
        return definition.checklist if definition is not None else ()

    def checklist_stage(self, item: str) -> str | None:
        """The state whose checklist holds the item `item`, or None."""
        return next((s.name for s in self.states.values() if any(i.id == item for i in s.checklist)), None)

    def statements_drafted(self, state: str) -> tuple[str, ...]:
        """The statement kinds a case in `state` may draft and circulate."""
        return tuple(kind for kind, rule in self.statements.items() if state in rule.drafted_in)

    def statements_published(self, state: str) -> tuple[str, ...]:
        """The statement kinds a case in `state` may publish."""
        return tuple(kind for kind, rule in self.statements.items() if state in rule.published_in)

    @property
    def letter_kinds(self) -> tuple[str, ...]:
        """Every letter kind the definition offers anywhere, in the order first named."""
        found = [*self.open_letters]
        for state in self.states.values():
            found.extend(state.letters)
        for row in self.transitions:
            found.extend(row.letters)
        return tuple(dict.fromkeys(found))

    def field_of(self, outcome: str) -> str | None:
        """The result field a transition records `outcome` in (the first that allows it)."""
        return next((t.sets for t in self.transitions if outcome in t.outcomes), None)


# -------------------------------------------------------------------------- reading and checking


class _Problem(Exception):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key, self.problem = key, problem


def parse_procedure(text: str, *, source: str) -> Procedure:
    """The procedure `text` defines, checked as a whole; ProcedureInvalidError naming `source`
    (the file) and the key otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProcedureInvalidError(source=source, key="(file)", problem=f"not valid TOML: {exc}") from None
    except RecursionError:
        raise ProcedureInvalidError(source=source, key="(file)", problem="nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts (4300)
        raise ProcedureInvalidError(
            source=source, key="(file)", problem="not valid TOML: a number with too many digits"
        ) from None
    try:
        return _build(data, text=text, source=source)
    except _Problem as problem:
        raise ProcedureInvalidError(source=source, key=problem.key, problem=problem.problem) from None


def _table(
    value: Any, key: str, *, required: Iterable[str] = (), optional: Iterable[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(key, "must be a table")
    required, allowed = tuple(required), {*required, *optional}
    for name in value:
        if name not in allowed:
            raise _Problem(
                _join(key, name), f"unknown key (a typo?); known here: {', '.join(sorted(allowed))}"
            )
    for name in required:
        if name not in value:
            raise _Problem(_join(key, name), "missing")
    return value


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Problem(key, "must be a non-empty string")
    return value


def _name(value: Any, key: str) -> str:
    text = _text(value, key)
    if not _NAME.fullmatch(text):
        raise _Problem(
            key, f"'{text}' is not a name: lower-case letters, digits and _, starting with a letter"
        )
    return text


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise _Problem(key, "must be true or false")
    return value


def _names(
    value: Any, key: str, *, known: Mapping[str, object], what: str, empty: bool = True
) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Problem(key, f"must be a list of {what} names")
    if not value and not empty:
        raise _Problem(key, f"must name at least one {what}")
    names: list[str] = []
    for i, item in enumerate(value):
        names.append(_known(item, f"{key}[{i + 1}]", known=known, what=what))
    if len(set(names)) != len(names):
        raise _Problem(key, f"names a {what} twice")
    return tuple(names)


def _known(value: Any, key: str, *, known: Mapping[str, object], what: str) -> str:
    name = _text(value, key)
    if name not in known:
        raise _Problem(key, f"unknown {what} '{name}'; known: {', '.join(known) or 'none'}")
    return name


def _labels(value: Any, key: str) -> Labels:
    table = _table(value, key, required=LANGUAGES)
    return Labels(**{language: _text(table[language], _join(key, language)) for language in LANGUAGES})


def _definitions(
    data: dict[str, Any], key: str, build: Callable[[str, str, dict[str, Any]], Any]
) -> dict[str, Any]:
    section = data.get(key, {})
    if not isinstance(section, dict):
        raise _Problem(key, "must be a table")
    return {
        name: build(_name(name, _join(key, name)), _join(key, name), body) for name, body in section.items()
    }


def _state(name: str, key: str, body: Any) -> StateDef:
    table = _table(
        body, key, required=("label",), optional=("terminal", "concluded", "letters", "checklist", "handbook")
    )
    return StateDef(
        name=name,
        label=_labels(table["label"], _join(key, "label")),
        terminal=_bool(table.get("terminal", False), _join(key, "terminal")),
        concluded=_bool(table.get("concluded", False), _join(key, "concluded")),
        letters=_letters(table.get("letters", []), _join(key, "letters")),
        checklist=_checklist(table.get("checklist", []), _join(key, "checklist")),
        handbook=_state_handbook(table["handbook"], _join(key, "handbook")) if "handbook" in table else None,
    )


def _state_handbook(value: Any, key: str) -> StateHandbook:
    """`[states.NAME.handbook]`: `description` (labels), `rests_on` (a list of labels), `told`."""
    table = _table(value, key, required=("description",), optional=("rests_on", "told"))
    rests_on = table.get("rests_on", [])
    if not isinstance(rests_on, list):
        raise _Problem(_join(key, "rests_on"), "must be a list of tables with en and nb")
    return StateHandbook(
        description=_labels(table["description"], _join(key, "description")),
        rests_on=tuple(
            _labels(item, f"{_join(key, 'rests_on')}[{i + 1}]") for i, item in enumerate(rests_on)
        ),
        told=_labels(table["told"], _join(key, "told")) if "told" in table else None,
    )


def _checklist(value: Any, key: str) -> tuple[ChecklistItem, ...]:
    """`[[states.NAME.checklist]]`: items with an `id` (a name) and a `label`, optionally `help`."""
    if not isinstance(value, list):
        raise _Problem(key, "must be an array of tables ([[states.NAME.checklist]])")
    items: list[ChecklistItem] = []
    for i, body in enumerate(value):
        where = f"{key}[{i + 1}]"
        table = _table(body, where, required=("id", "label"), optional=("help",))
        items.append(
            ChecklistItem(
                id=_name(table["id"], _join(where, "id")),
                label=_labels(table["label"], _join(where, "label")),
                help=_labels(table["help"], _join(where, "help")) if "help" in table else None,
            )
        )
    return tuple(items)


def _check_checklists(states: Mapping[str, StateDef], names: Iterable[str]) -> None:
    """Checklist item ids are unique in the definition and differ from its other names (an item
    names its stage, and is worded as a term)."""
    taken = set(names)
    seen: set[str] = set()
    for state in states.values():
        for i, item in enumerate(state.checklist):
            key = f"states.{state.name}.checklist[{i + 1}].id"
            if item.id in seen:
                raise _Problem(key, f"'{item.id}' is the id of another checklist item")
            if item.id in taken:
                raise _Problem(
                    key, f"'{item.id}' is already the name of a state, trigger, outcome, deadline or fact"
                )
            seen.add(item.id)


_LETTERS = dict.fromkeys(LETTER_KINDS)


def _letters(value: Any, key: str) -> tuple[str, ...]:
    """Letter kinds (states.letters.KINDS) named at `key`."""
    return _names(value, key, known=_LETTERS, what="letter kind")


def _trigger(name: str, key: str, body: Any) -> TriggerDef:
    table = _table(body, key, required=("label", "past"))
    return TriggerDef(
        name, _labels(table["label"], _join(key, "label")), _labels(table["past"], _join(key, "past"))
    )


def _outcome(name: str, key: str, body: Any) -> OutcomeDef:
    table = _table(body, key, required=("label",))
    return OutcomeDef(name, _labels(table["label"], _join(key, "label")))


def _build(data: dict[str, Any], *, text: str, source: str) -> Procedure:
    top = _table(
        data,
        "",
        required=("id", "version", "title", "initial", "states", "triggers", "transitions"),
        optional=("outcomes", "facts", "deadlines", "reports", "letters", "statements", "handbook"),
    )
    ident = _text(top["id"], "id")
    if not _ID.fullmatch(ident):
        raise _Problem("id", f"'{ident}' is not an id: lower-case letters, digits, '.', '-' and '_'")
    if not isinstance(top["version"], str):
        raise _Problem("version", 'must be a string, e.g. "1" or "2023.1"')
    version = _text(top["version"], "version")
    title = _labels(top["title"], "title")
    states: dict[str, StateDef] = _definitions(top, "states", _state)
    if not states:
        raise _Problem("states", "must define at least one state")
    triggers: dict[str, TriggerDef] = _definitions(top, "triggers", _trigger)
    outcomes: dict[str, OutcomeDef] = _definitions(top, "outcomes", _outcome)
    initial = _known(top["initial"], "initial", known=states, what="state")
    facts = _facts(top.get("facts", {}), states)
    transitions = _transitions(top["transitions"], states, triggers, outcomes, facts)
    deadlines = _deadlines(top.get("deadlines", {}), states, facts)
    _check_graph(initial, states, transitions, deadlines)
    _check_checklists(states, [*states, *triggers, *outcomes, *deadlines, *facts])
    reports = _reports(top.get("reports", {}), triggers, outcomes, deadlines)
    letters = _table(top.get("letters", {}), "letters", optional=("open",))
    statements = _statements(top.get("statements", {}), states, transitions, facts)
    book = _table(top.get("handbook", {}), "handbook", optional=("coordination",))
    return Procedure(
        id=ident,
        version=version,
        title=title,
        initial=initial,
        states=MappingProxyType(states),
        triggers=MappingProxyType(triggers),
        outcomes=MappingProxyType(outcomes),
        transitions=transitions,
        deadlines=MappingProxyType(deadlines),
        reports=reports,
        facts=MappingProxyType(facts),
        open_letters=_letters(letters.get("open", []), "letters.open"),
        statements=MappingProxyType(statements),
        coordination=_labels(book["coordination"], "handbook.coordination")
        if "coordination" in book
        else None,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        source=source,
    )


def _statements(
    value: Any,
    states: Mapping[str, StateDef],
    transitions: tuple[Transition, ...],
    facts: Mapping[str, FactDef],
) -> dict[str, StatementRule]:
    """`[statements.KIND]`: each kind (states.statements.KINDS) with the states it is drafted and
    published in and what publishing fires: a `fact` recordable in every state it is published
    in, or `triggers` each leading out of every such state (not both)."""
    section = _table(value, "statements", optional=STATEMENT_KINDS)
    leaving = {(t.source, t.trigger) for t in transitions}
    rules: dict[str, StatementRule] = {}
    for kind, body in section.items():
        key = _join("statements", kind)
        table = _table(body, key, required=("drafted_in", "published_in"), optional=("fact", "triggers"))
        drafted = frozenset(
            _names(table["drafted_in"], _join(key, "drafted_in"), known=states, what="state", empty=False)
        )
        published = frozenset(
            _names(table["published_in"], _join(key, "published_in"), known=states, what="state", empty=False)
        )
        if "fact" in table and "triggers" in table:
            raise _Problem(_join(key, "fact"), "give a fact or triggers, not both")
        fact = None
        if "fact" in table:
            fact = _known(table["fact"], _join(key, "fact"), known=facts, what="fact")
        if fact is not None and not published <= facts[fact].recorded_in:
            missing = ", ".join(sorted(published - facts[fact].recorded_in))
            raise _Problem(_join(key, "fact"), f"'{fact}' cannot be recorded in {missing}")
        triggers: tuple[str, ...] = ()
        if "triggers" in table:
            raw = table["triggers"]
            if not isinstance(raw, list) or not raw:
                raise _Problem(_join(key, "triggers"), "must be a list of trigger names")
            found = [_name(name, f"{_join(key, 'triggers')}[{i + 1}]") for i, name in enumerate(raw)]
            for i, trigger in enumerate(found):
                stuck = sorted(state for state in published if (state, trigger) not in leaving)
                if stuck:
                    raise _Problem(
                        f"{_join(key, 'triggers')}[{i + 1}]",
                        f"no transition '{trigger}' leaves {', '.join(stuck)}",
                    )
            if len(set(found)) != len(found):
                raise _Problem(_join(key, "triggers"), "names a trigger twice")
            triggers = tuple(found)
        rules[kind] = StatementRule(kind, drafted, published, fact, triggers)
    return rules


def _facts(value: Any, states: Mapping[str, StateDef]) -> dict[str, FactDef]:
    def build(name: str, key: str, body: Any) -> FactDef:
        table = _table(body, key, required=("label", "recorded_in"), optional=("repeat", "by", "ends"))
        by = table.get("by", {})
        if not isinstance(by, dict):
            raise _Problem(_join(key, "by"), "must be a table of names, each with labels")
        return FactDef(
            name=name,
            label=_labels(table["label"], _join(key, "label")),
            recorded_in=frozenset(
                _names(
                    table["recorded_in"], _join(key, "recorded_in"), known=states, what="state", empty=False
                )
            ),
            repeat=_bool(table.get("repeat", False), _join(key, "repeat")),
            by=MappingProxyType(
                {
                    _name(who, _join(_join(key, "by"), who)): _labels(words, _join(_join(key, "by"), who))
                    for who, words in by.items()
                }
            ),
            ends=_name(table["ends"], _join(key, "ends")) if "ends" in table else None,
        )

    facts: dict[str, FactDef] = _definitions({"facts": value}, "facts", build)
    for name, fact in facts.items():
        if fact.ends is None:
            continue
        key = f"facts.{name}.ends"
        _known(fact.ends, key, known=facts, what="fact")
        if fact.ends == name or facts[fact.ends].ends is not None:
            raise _Problem(key, f"'{fact.ends}' cannot be ended: it ends a fact itself, or is this one")
    return facts


def _transitions(
    value: Any,
    states: Mapping[str, StateDef],
    triggers: Mapping[str, object],
    outcomes: Mapping[str, object],
    facts: Mapping[str, FactDef],
) -> tuple[Transition, ...]:
    if not isinstance(value, list):
        raise _Problem("transitions", "must be an array of tables ([[transitions]])")
    rows: list[Transition] = []
    seen: dict[tuple[str, str], str] = {}
    for i, body in enumerate(value):
        key = f"transitions[{i + 1}]"
        table = _table(
            body,
            key,
            required=("trigger", "from", "to", "meaning"),
            optional=("outcomes", "sets", "guards", "letters"),
        )
        trigger = _known(table["trigger"], _join(key, "trigger"), known=triggers, what="trigger")
        sources = _names(table["from"], _join(key, "from"), known=states, what="state", empty=False)
        dest = _known(table["to"], _join(key, "to"), known=states, what="state")
        allowed = _names(table.get("outcomes", []), _join(key, "outcomes"), known=outcomes, what="outcome")
        sets = table.get("sets")
        if sets is not None:
            sets = _name(sets, _join(key, "sets"))
            if not allowed:
                raise _Problem(
                    _join(key, "sets"), "names a result field, but the transition allows no outcomes"
                )
        elif allowed:
            raise _Problem(_join(key, "sets"), 'missing: the result field its outcome sets, e.g. "outcome"')
        guards = _names(table.get("guards", []), _join(key, "guards"), known=GUARDS, what="guard")
        for n, guard in enumerate(guards):
            _check_guard_facts(guard, f"{_join(key, 'guards')}[{n + 1}]", facts)
        meaning = _labels(table["meaning"], _join(key, "meaning"))
        letters = _letters(table.get("letters", []), _join(key, "letters"))
        for source in sources:
            if states[source].terminal:
                raise _Problem(_join(key, "from"), f"'{source}' is terminal: nothing leaves it")
            if CHECKLIST_GUARD in guards and not states[source].checklist:
                raise _Problem(
                    _join(key, "guards"), f"guard '{CHECKLIST_GUARD}' needs a checklist on '{source}'"
                )
            if (source, trigger) in seen:
                raise _Problem(
                    _join(key, "from"),
                    f"'{trigger}' from '{source}' is already defined by {seen[(source, trigger)]}; "
                    "a trigger leads to one place from each state",
                )
            seen[(source, trigger)] = key
            rows.append(Transition(trigger, source, dest, allowed, sets, guards, meaning, letters))
    return tuple(rows)


def _check_guard_facts(guard: str, key: str, facts: Mapping[str, FactDef]) -> None:
    """A guard that reads facts (no_open_review) needs the procedure to define them: the fact,
    and another that ends it."""
    for needed in GUARD_FACTS.get(guard, ()):
        if needed not in facts:
            raise _Problem(
                key, f"guard '{guard}' needs the fact '{needed}'; known facts: {', '.join(facts) or 'none'}"
            )
        if not any(f.ends == needed for f in facts.values()):
            raise _Problem(key, f"guard '{guard}' needs a fact that ends '{needed}' (ends = \"{needed}\")")


def _deadlines(
    value: Any, states: Mapping[str, StateDef], facts: Mapping[str, FactDef]
) -> dict[str, DeadlineRule]:
    def build(name: str, key: str, body: Any) -> DeadlineRule:
        table = _table(
            body,
            key,
            required=("label", "basis", "duration", "open_in"),
            optional=("title", "max_extension", "met_by"),
        )
        label = _labels(table["label"], _join(key, "label"))
        basis = _text(table["basis"], _join(key, "basis"))
        if basis.startswith(FACT_BASIS):
            _known(basis.removeprefix(FACT_BASIS), _join(key, "basis"), known=facts, what="fact")
        elif basis not in BASES:
            raise _Problem(
                _join(key, "basis"),
                f"'{basis}' is not a basis; one of: {', '.join(BASES)}, or {FACT_BASIS}NAME of a fact",
            )
        duration, text = _duration(table["duration"], _join(key, "duration"))
        cap = table.get("max_extension")
        met_by = table.get("met_by")
        if met_by is not None:
            _known(met_by, _join(key, "met_by"), known=facts, what="fact")
        open_in = _names(table["open_in"], _join(key, "open_in"), known=states, what="state", empty=False)
        return DeadlineRule(
            name=name,
            label=label,
            title=_labels(table["title"], _join(key, "title")) if "title" in table else label,
            basis=basis,
            duration=duration,
            duration_text=text,
            open_in=frozenset(open_in),
            max_extension=None if cap is None else _duration(cap, _join(key, "max_extension"))[0],
            met_by=met_by,
        )

    return _definitions({"deadlines": value}, "deadlines", build)


def _duration(value: Any, key: str) -> tuple[Duration, str]:
    """A positive duration ("14d", "3mo", "10wd") and its text."""
    text = _text(value, key)
    try:
        duration = Duration.parse(text)
    except InvalidInputError as exc:
        raise _Problem(key, str(exc)) from None
    if not duration.is_positive:
        raise _Problem(key, f"'{text}' is no time at all")
    return duration, text


def _check_graph(
    initial: str,
    states: Mapping[str, StateDef],
    transitions: tuple[Transition, ...],
    deadlines: Mapping[str, DeadlineRule],
) -> None:
    edges: dict[str, set[str]] = {name: set() for name in states}
    for row in transitions:
        edges[row.source].add(row.dest)
    if states[initial].terminal:
        raise _Problem("initial", f"'{initial}' is terminal: a case could never move")
    reached = _reach({initial}, edges)
    for name, state in states.items():
        if name not in reached:
            raise _Problem(
                f"states.{name}", f"unreachable: no path of transitions leads to it from '{initial}'"
            )
        if not state.terminal and not edges[name]:
            raise _Problem(
                f"states.{name}", "not terminal, yet no transition leaves it (add one, or terminal = true)"
            )
    for name, rule in deadlines.items():
        key = f"deadlines.{name}.open_in"
        for where in sorted(rule.open_in):
            if states[where].terminal:
                raise _Problem(key, f"never closes: it stays open in the terminal state '{where}'")
            if not _leaves(where, edges, rule.open_in):
                raise _Problem(key, f"never closes: no path from '{where}' leaves the states it is open in")


def _reach(start: set[str], edges: Mapping[str, set[str]], within: frozenset[str] | None = None) -> set[str]:
    """The states reachable from `start`, moving only through `within` when it is given."""
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                if within is None or nxt in within:
                    todo.append(nxt)
    return seen


def _leaves(state: str, edges: Mapping[str, set[str]], within: frozenset[str]) -> bool:
    return bool(_reach({state}, edges, within=within) - within)


def _reports(
    value: Any,
    triggers: Mapping[str, object],
    outcomes: Mapping[str, object],
    deadlines: Mapping[str, object],
) -> Reports:
    table = _table(value, "reports", optional=("stages", "outcomes", "not_accepted", "accepted_by"))
    return Reports(
        stages=_names(table.get("stages", []), "reports.stages", known=deadlines, what="deadline"),
        outcomes=_names(table.get("outcomes", []), "reports.outcomes", known=outcomes, what="outcome"),
        not_accepted=_names(
            table.get("not_accepted", []), "reports.not_accepted", known=outcomes, what="outcome"
        ),
        accepted_by=_names(
            table.get("accepted_by", []), "reports.accepted_by", known=triggers, what="trigger"
        ),
    )
