"""What differs between two versions of a procedure (`procedure diff`, the handbook's history).

Pure. A definition is read as comparable parts, each named by (part, name) with its fields:
the procedure's own (title, first stage, reports, letters open in every stage, the coordination
text), each stage, each checklist item (by its id, with its stage), each stage's handbook text,
each step, each trigger's and outcome's names, each deadline, each dated fact and each statement
kind. `diff` lists the parts added, removed, and changed field by field. A stage's `checklist`
field (its items' order) is named only when the order of the items it keeps changed: an item
added or removed is its own change. Triggers and outcomes are compared only when both versions
have them (a new or dropped one shows in the steps that name it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from states.procedure import Labels, Procedure

# The order parts are listed in.
PARTS = (
    "procedure",
    "state",
    "checklist",
    "handbook",
    "transition",
    "trigger",
    "outcome",
    "deadline",
    "fact",
    "statement",
)
_NAMES_ONLY = frozenset({"trigger", "outcome"})  # compared only when both versions have one


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any  # None when absent from the first version
    after: Any  # None when absent from the second


@dataclass(frozen=True)
class Change:
    part: str  # one of PARTS
    name: str  # which one (a step: "SOURCE --TRIGGER-->"; a checklist item: its id)
    change: str  # added, removed or changed
    fields: tuple[FieldChange, ...]  # what differs (a change), or what it is (added, removed)


def _texts(field: str, labels: Labels | None) -> dict[str, str | None]:
    """A text in both languages as two fields: `field` (en) and `field_nb`."""
    return {field: labels.en if labels else None, f"{field}_nb": labels.nb if labels else None}


def parts(procedure: Procedure) -> dict[tuple[str, str], dict[str, Any]]:
    """Each comparable part of a definition, by (part, name), as its fields."""
    found: dict[tuple[str, str], dict[str, Any]] = {
        ("procedure", "title"): {"en": procedure.title.en, "nb": procedure.title.nb},
        ("procedure", "initial"): {"state": procedure.initial},
        ("procedure", "reports"): {
            "stages": list(procedure.reports.stages),
            "outcomes": list(procedure.reports.outcomes),
            "not_accepted": list(procedure.reports.not_accepted),
            "accepted_by": list(procedure.reports.accepted_by),
        },
    }
    if procedure.open_letters:
        found["procedure", "letters"] = {"open": list(procedure.open_letters)}
    if procedure.coordination is not None:
        found["procedure", "coordination"] = _texts("text", procedure.coordination)
    for state in procedure.states.values():
        found["state", state.name] = {
            "label": state.label.en,
            "label_nb": state.label.nb,
            "terminal": state.terminal,
            "concluded": state.concluded,
        }
        if state.letters:
            found["state", state.name]["letters"] = list(state.letters)
        if state.checklist:
            found["state", state.name]["checklist"] = [item.id for item in state.checklist]
        for item in state.checklist:
            found["checklist", item.id] = {
                "stage": state.name,
                **_texts("label", item.label),
                **_texts("help", item.help),
            }
        if state.handbook is not None:
            book = state.handbook
            found["handbook", state.name] = {
                **_texts("description", book.description),
                "rests_on": [text.en for text in book.rests_on],
                "rests_on_nb": [text.nb for text in book.rests_on],
                **_texts("told", book.told),
            }
    for row in procedure.transitions:
        found["transition", f"{row.source} --{row.trigger}-->"] = {
            "to": row.dest,
            "outcomes": list(row.outcomes),
            "sets": row.sets,
            "guards": list(row.guards),
            "letters": list(row.letters),
            **_texts("meaning", row.meaning),
        }
    for trigger in procedure.triggers.values():
        found["trigger", trigger.name] = {**_texts("label", trigger.label), **_texts("past", trigger.past)}
    for outcome in procedure.outcomes.values():
        found["outcome", outcome.name] = _texts("label", outcome.label)
    for rule in procedure.deadlines.values():
        found["deadline", rule.name] = {
            "basis": rule.basis,
            "duration": rule.duration_text,
            "open_in": sorted(rule.open_in),
            "label": rule.label.en,
            "label_nb": rule.label.nb,
            "max_extension": str(rule.max_extension) if rule.max_extension is not None else None,
            "met_by": rule.met_by,
        }
    for fact in procedure.facts.values():
        found["fact", fact.name] = {
            **_texts("label", fact.label),
            "recorded_in": sorted(fact.recorded_in),
            "repeat": fact.repeat,
            "by": sorted(fact.by),
            "ends": fact.ends,
        }
    for kind, statement in procedure.statements.items():
        found["statement", kind] = {
            "drafted_in": sorted(statement.drafted_in),
            "published_in": sorted(statement.published_in),
            "fact": statement.fact,
            "triggers": list(statement.triggers),
        }
    return found


def _order_changed(before: list[str] | None, after: list[str] | None) -> bool:
    """Whether a stage's checklist changed beyond items added or removed: the items both keep
    are in another order."""
    old, new = before or [], after or []
    return [i for i in old if i in new] != [i for i in new if i in old]


def diff(a: Procedure, b: Procedure) -> tuple[Change, ...]:
    """What differs from `a` to `b`: parts added, removed, and changed field by field; in the
    order of PARTS, then of the definitions."""
    before, after = parts(a), parts(b)
    order = {key: n for n, key in enumerate([*before, *(k for k in after if k not in before)])}
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (PARTS.index(k[0]), order[k])):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None or new is None:
            if key[0] in _NAMES_ONLY:
                continue
            kept = new if old is None else old
            assert kept is not None
            fields = tuple(
                FieldChange(
                    field=name, before=None if old is None else value, after=None if new is None else value
                )
                for name, value in kept.items()
                if value not in (None, [])
            )
            changes.append(Change(key[0], key[1], "added" if old is None else "removed", fields))
            continue
        names = [*old, *(name for name in new if name not in old)]
        changed = tuple(
            FieldChange(field=name, before=old.get(name), after=new.get(name))
            for name in names
            if old.get(name) != new.get(name)
            and (name != "checklist" or _order_changed(old.get(name), new.get(name)))
        )
        if changed:
            changes.append(Change(key[0], key[1], "changed", changed))
    return tuple(changes)
