"""The procedure handbook (`ncpflow handbook`, the page /handbook): the procedure definition in
force, or an older version of it, worded for new staff (states/handbook.py), with the durations
config.toml's [timelines] sets, and its history: every version known here (shipped, configured,
stored) and what changed from one to the next, worded from `procedure diff` (workflow/versions.py).
"""

from __future__ import annotations

from typing import Any

from states import handbook as book
from states import letters as letter_kinds
from states import statements as statement_kinds
from states.case import Policy, duration_of
from states.errors import InvalidInputError
from states.messages import N_, Translator
from states.procedure import LabelKind, Procedure
from workflow import procedures, read_models, versions
from workflow.config import Settings
from workflow.ports import UnitOfWork

LANGUAGES = ("en", "nb")
FORMATS = ("html", "pdf")

_PARTS = {
    "procedure": N_("procedure"),
    "state": N_("stage"),
    "checklist": N_("checklist item"),
    "handbook": N_("handbook text of the stage"),
    "transition": N_("step"),
    "trigger": N_("step name"),
    "outcome": N_("outcome"),
    "deadline": N_("deadline"),
    "fact": N_("dated fact"),
    "statement": N_("statement"),
}
_FIELDS = {
    "title": N_("title"),
    "initial": N_("first stage"),
    "reports": N_("reports"),
    "letters": N_("letters"),
    "coordination": N_("coordination between NCPs"),
    "label": N_("name"),
    "label_nb": N_("Norwegian name"),
    "terminal": N_("terminal"),
    "concluded": N_("concluded"),
    "to": N_("leads to"),
    "outcomes": N_("outcomes"),
    "sets": N_("result field"),
    "guards": N_("guards"),
    "meaning": N_("meaning"),
    "basis": N_("counted from"),
    "duration": N_("duration"),
    "open_in": N_("open in"),
    "max_extension": N_("longest extension"),
    "met_by": N_("met by"),
    "checklist": N_("order of the checklist"),
    "stage": N_("stage"),
    "help": N_("help text"),
    "description": N_("what happens"),
    "rests_on": N_("rests on"),
    "told": N_("what the parties are told"),
    "past": N_("past tense"),
    "recorded_in": N_("recorded in"),
    "repeat": N_("may repeat"),
    "by": N_("by whom"),
    "ends": N_("ends"),
    "drafted_in": N_("drafted in"),
    "published_in": N_("published in"),
    "fact": N_("fact"),
    "triggers": N_("steps"),
    "text": N_("text"),
}
_LABELLED: dict[str, LabelKind] = {
    "deadline": "deadline",
    "trigger": "trigger",
    "outcome": "outcome",
    "fact": "fact",
}
_IN_NORWEGIAN = N_("{field} (Norwegian)")
# Texts too long to quote in a sentence: the history says they were reworded.
_LONG = frozenset({"meaning", "help", "description", "rests_on", "told", "text"})
_ADDED = N_("{part} “{name}” added.")
_REMOVED = N_("{part} “{name}” removed.")
_CHANGED = N_("{part} “{name}”: {field} changed from {before} to {after}.")
_LIST_ADDED = N_("{part} “{name}”: {field}, added: {items}.")
_LIST_REMOVED = N_("{part} “{name}”: {field}, removed: {items}.")
_REWORDED = N_("{part} “{name}”: {field} reworded.")
_ITEM_ADDED = N_("Checklist item “{name}” added to the stage “{stage}”.")
_ITEM_REMOVED = N_("Checklist item “{name}” removed from the stage “{stage}”.")
_STEP_NAME = N_("{trigger} from {state}")


class UnknownVersionError(InvalidInputError):
    """The procedure has no such version here (shipped, configured or stored)."""

    code = "handbook_version_unknown"


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInputError(
            N_("'{language}' is not a language of the handbook; one of: {languages}"),
            language=language,
            languages=", ".join(LANGUAGES),
        )
    return language


def check_format(format: str) -> str:
    if format not in FORMATS:
        raise InvalidInputError(
            N_("'{format}' is not a format of the handbook; one of: {formats}"),
            format=format,
            formats=", ".join(FORMATS),
        )
    return format


def _value(value: Any, tr: Translator) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr.gettext(N_("yes")) if value else tr.gettext(N_("no"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v, tr)}" for k, v in value.items())
    return str(value)


_LETTER_FIELDS = frozenset({"letters", "open"})  # lists of letter kinds
_STATE_FIELDS = frozenset({"open_in", "recorded_in", "drafted_in", "published_in", "stage", "to"})


def _worded_value(field: str, value: Any, procedure: Procedure, language: str, tr: Translator) -> str:
    """A field's value for the history: letter kinds and states by their names in `language`."""
    if field in _LETTER_FIELDS and isinstance(value, list):
        value = [letter_kinds.label(kind, tr) if kind in letter_kinds.KINDS else kind for kind in value]
    elif field in _STATE_FIELDS and isinstance(value, list):
        value = [procedure.label("state", name, language) for name in value]
    elif field in _STATE_FIELDS and isinstance(value, str):
        value = procedure.label("state", value, language)
    return _value(value, tr)


def _list_change(
    field: read_models.FieldChange, procedure: Procedure, language: str, tr: Translator
) -> list[tuple[str, str]]:
    """A list that gained or lost elements (not merely reordered, and not the name fields) as
    what was added and what was removed, each worded: [(sentence, items)]; [] otherwise."""
    before, after = field.before, field.after
    if field.field.endswith("_nb") or not isinstance(after, list) or not isinstance(before, list | None):
        return []
    old = before or []
    added = [v for v in after if v not in old]
    removed = [v for v in old if v not in after]
    found = []
    if added:
        found.append((_LIST_ADDED, _worded_value(field.field, added, procedure, language, tr)))
    if removed:
        found.append((_LIST_REMOVED, _worded_value(field.field, removed, procedure, language, tr)))
    return found


def _text_of(change: read_models.ProcedureChange, field: str) -> str:
    """A field's value in the version that has the part (the later one, unless it was removed)."""
    for each in change.fields:
        if each.field == field:
            return str(each.after if each.after is not None else each.before)
    return change.name


def _name(change: read_models.ProcedureChange, procedure: Procedure, language: str, tr: Translator) -> str:
    if change.part == "transition":
        source, _, rest = change.name.partition(" --")
        trigger = rest.removesuffix("-->")
        return tr.gettext(_STEP_NAME).format(
            trigger=procedure.label("trigger", trigger, language),
            state=procedure.label("state", source, language),
        )
    if change.part in ("state", "handbook"):
        return procedure.label("state", change.name, language)
    if change.part in _LABELLED:
        return procedure.label(_LABELLED[change.part], change.name, language)
    if change.part == "checklist":
        item = next((i for s in procedure.states.values() for i in s.checklist if i.id == change.name), None)
        return (
            item.label.get(language)
            if item is not None
            else _text_of(change, "label_nb" if language == "nb" else "label")
        )
    if change.part == "statement":
        return statement_kinds.label(change.name, tr)
    return tr.gettext(_FIELDS.get(change.name, change.name))


def _field(name: str, tr: Translator) -> str:
    if name.endswith("_nb") and name != "label_nb":
        return tr.gettext(_IN_NORWEGIAN).format(field=tr.gettext(_FIELDS.get(name[:-3], name[:-3])))
    return tr.gettext(_FIELDS.get(name, name))


def worded(diff: read_models.ProcedureDiff, procedure: Procedure, language: str, tr: Translator) -> list[str]:
    """Each change of a `procedure diff` as a sentence in `tr`'s words (names as `procedure`,
    the later version, labels them; a removed checklist item by its own label). Long texts
    (handbook texts, help, meanings) are said to be reworded, not quoted."""
    lines = []
    for change in diff.changes:
        part = tr.gettext(_PARTS.get(change.part, change.part))
        part = part[:1].upper() + part[1:]
        name = _name(change, procedure, language, tr)
        if change.part == "checklist" and change.change in ("added", "removed"):
            stage = procedure.label("state", _text_of(change, "stage"), language)
            template = _ITEM_ADDED if change.change == "added" else _ITEM_REMOVED
            lines.append(tr.gettext(template).format(name=name, stage=stage))
        elif change.change == "added":
            lines.append(tr.gettext(_ADDED).format(part=part, name=name))
        elif change.change == "removed":
            lines.append(tr.gettext(_REMOVED).format(part=part, name=name))
        else:
            for field in change.fields:
                if field.field.removesuffix("_nb") in _LONG:
                    lines.append(
                        tr.gettext(_REWORDED).format(part=part, name=name, field=_field(field.field, tr))
                    )
                    continue
                listed = _list_change(field, procedure, language, tr)
                if listed:
                    lines.extend(
                        tr.gettext(template).format(
                            part=part, name=name, field=_field(field.field, tr), items=items
                        )
                        for template, items in listed
                    )
                    continue
                lines.append(
                    tr.gettext(_CHANGED).format(
                        part=part,
                        name=name,
                        field=_field(field.field, tr),
                        before=_worded_value(field.field, field.before, procedure, language, tr),
                        after=_worded_value(field.field, field.after, procedure, language, tr),
                    )
                )
    return lines


def _history(uow: UnitOfWork, settings: Settings, ident: str, language: str) -> list[book.VersionText]:
    """Every version of procedure `ident` known here, oldest first (stored ones by when they were
    stored, then the shipped and configured ones), each with what changed from the one before."""
    rows = [row for row in versions.list_versions(uow, settings) if row.id == ident]
    rows.sort(key=lambda r: (r.stored_at is None, r.stored_at or "", _natural(r.version)))
    with uow.read() as tx:
        found = [versions.find(tx, settings, ident, row.version) for row in rows]
    history = []
    for n, (row, procedure) in enumerate(zip(rows, found, strict=True)):
        tr = procedures.words(procedure, language)
        if n == 0:
            changes = [tr.gettext(book.HEADINGS["first_version"])]
        else:
            changes = worded(versions.diff(found[n - 1], procedure), procedure, language, tr)
            changes = changes or [tr.gettext(book.HEADINGS["no_changes"])]
        history.append(
            book.VersionText(
                version=row.version,
                title=procedure.title.get(language),
                note=tr.gettext(book.HEADINGS["in_force"]) if row.configured else "",
                changes=tuple(changes),
            )
        )
    return history


def _natural(version: str) -> tuple[tuple[tuple[int, str], str], ...]:
    """A version's parts in order ("6", "7-test", "2023.1"): a run of ASCII digits by its value,
    compared by length and then as text (so no run is too long, and no other digit unreadable,
    as `int` would find them); any other part as text."""
    return tuple(_part(p) for p in version.replace("-", ".").split("."))


def _part(part: str) -> tuple[tuple[int, str], str]:
    if part.isascii() and part.isdigit():
        digits = part.lstrip("0")
        return (len(digits), digits), ""
    return (0, ""), part


def handbook(
    *, uow: UnitOfWork, settings: Settings, policy: Policy, language: str, version: str | None = None
) -> book.Handbook:
    """The handbook of the configured procedure (or its `version`) in `language`;
    UnknownVersionError listing the versions known when there is no such version."""
    check_language(language)
    procedure = policy.procedure
    if version is not None and version != procedure.version:
        known = [r.version for r in versions.list_versions(uow, settings) if r.id == procedure.id]
        if version not in known:
            raise UnknownVersionError(
                N_("the procedure {procedure} has no version '{version}'; its versions: {known}"),
                procedure=procedure.id,
                version=version if len(version) <= 40 else f"{version[:40]}…",  # never echoed in full
                known=", ".join(known),
            )
        with uow.read() as tx:
            procedure = versions.find(tx, settings, procedure.id, version)
    tr = procedures.words(procedure, language)
    return book.build(
        procedure,
        durations={name: duration_of(procedure, name, policy) for name in procedure.deadlines},
        calendar=policy.calendar,
        tr=tr,
        language=language,
        history=_history(uow, settings, procedure.id, language),
    )
