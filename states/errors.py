"""Errors the core raises, each with a code and the parameters of its message.

A message is an English template (marked for the catalogue with `N_`) over its parameters; an
`Input` among them names what the user gave, and each entry point spells that input its own way
(`words(naming=...)`): the command line as its option (`--reason`), the API as its field
(`reason`). A `Term` (a state, trigger, outcome or role) is shown as it is by the command line and
the API and worded by the pages (`words(terms=...)`); a `Phrase` (a duration) in the reader's words.
`str(error)` is the English with plain field names. Each error carries the case reference and
state where it has them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from states.messages import ENGLISH, N_, Translator

Naming = Callable[[str], str]  # an input's field name as one entry point spells it
Wording = Callable[[str], str]  # a name (state, trigger, outcome, role) as one entry point words it


def plain(field: str) -> str:
    """The field's own name (the API's spelling, and the default)."""
    return field


def as_is(name: str) -> str:
    """A name as it is (the command line's and the API's wording, and the default)."""
    return name


class Term(str):
    """A name of the procedure or of the permission table in a message (`initial_assessment`,
    `handler`): kept as it is by default, worded by an entry point that says how (`terms`)."""

    __slots__ = ()


@dataclass(frozen=True)
class Terms:
    """Several names, joined by ", " (what is allowed now)."""

    values: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(self.values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


@dataclass(frozen=True)
class Phrase:
    """A value worded in the reader's language (a duration: "3 months", "3 måneder")."""

    words: Callable[[Translator], str]

    def worded(self, tr: Translator = ENGLISH) -> str:
        return self.words(tr)

    def __str__(self) -> str:
        return self.worded()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


@dataclass(frozen=True)
class Input:
    """What an error is about: the words for it ("a reason", marked for the catalogue; a template
    over `params` where it has them) and the field that carries it ("reason"), which each entry
    point spells its own way."""

    words: str
    field: str | None = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def named(self, tr: Translator = ENGLISH, naming: Naming = plain, terms: Wording = as_is) -> str:
        words = tr.gettext(self.words) if self.words else ""
        if self.params:
            words = words.format(**_worded(self.params, tr, naming, terms))
        if self.field is None:
            return words
        name = naming(self.field)
        return f"{words} ({name})" if words else name


REASON = Input(N_("a reason"), "reason")
ACTOR = Input(N_("an actor"), "actor")


def _worded(
    params: Mapping[str, object], tr: Translator, naming: Naming, terms: Wording = as_is
) -> dict[str, object]:
    """The parameters to put into a message: each `Input`, `Term` and `Phrase` worded, the rest as
    given."""
    return {name: _word(value, tr, naming, terms) for name, value in params.items()}


def _word(value: object, tr: Translator, naming: Naming, terms: Wording) -> object:
    if isinstance(value, Input):
        return value.named(tr, naming, terms)
    if isinstance(value, Term):
        return terms(value)
    if isinstance(value, Terms):
        return ", ".join(terms(v) for v in value.values)
    if isinstance(value, Phrase):
        return value.worded(tr)
    return value


class NcpflowError(Exception):
    """Base of every error ncpflow reports to a user: a `code`, an English message template and
    its `params` (the message alone when it has none)."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str = "", /, **params: object) -> None:
        self.message, self.params = message, params
        super().__init__(message)

    def words(self, tr: Translator = ENGLISH, naming: Naming = plain, terms: Wording = as_is) -> str:
        """The message in `tr`'s words, each input spelled by `naming`, each name worded by
        `terms`."""
        text = tr.gettext(self.message) if self.message else self.message
        if not self.params:
            return text
        return text.format(**_worded(self.params, tr, naming, terms))

    def __str__(self) -> str:
        return self.words()


class InvalidInputError(NcpflowError, ValueError):
    """A value given by a user or a file is malformed or out of range."""

    code = "invalid_input"


class TooLargeError(InvalidInputError):
    """An upload (a bundle file) larger than the configured limit: refused as soon as it passes
    the limit, the rest not read (the API and the pages answer 413, the command line exits 2)."""

    code = "too_large"


class TransitionNotAllowedError(NcpflowError):
    code = "transition_not_allowed"

    def __init__(
        self, *, reference: str, state: str, trigger: str, allowed: Sequence[str], why: str | Input = ""
    ) -> None:
        self.reference, self.state, self.trigger = reference, state, trigger
        self.allowed = tuple(allowed)
        allowed_text = Terms(self.allowed) if self.allowed else Input(N_("none (the case is closed)"))
        values = {
            "reference": reference,
            "state": Term(state),
            "trigger": Term(trigger),
            "allowed": allowed_text,
        }
        if why:
            super().__init__(
                N_(
                    "case {reference} is in state '{state}': trigger '{trigger}' is "
                    "not allowed ({why}); allowed now: {allowed}"
                ),
                why=why if isinstance(why, Input) else Input(why),
                **values,
            )
        else:
            super().__init__(
                N_(
                    "case {reference} is in state '{state}': trigger '{trigger}' is "
                    "not allowed; allowed now: {allowed}"
                ),
                **values,
            )


class OutcomeError(NcpflowError):
    code = "outcome"

    def __init__(
        self, *, reference: str, state: str, trigger: str, outcome: str | None, allowed: Sequence[str]
    ) -> None:
        self.reference, self.state, self.trigger, self.outcome = reference, state, trigger, outcome
        self.allowed = tuple(allowed)
        values = {
            "reference": reference,
            "state": Term(state),
            "trigger": Term(trigger),
            "choices": Terms(self.allowed) if self.allowed else Input(N_("none")),
        }
        if outcome is None:
            super().__init__(
                N_(
                    "case {reference} in state '{state}': trigger '{trigger}' needs {what}, one of: {choices}"
                ),
                what=Input("", "outcome"),
                **values,
            )
        elif not self.allowed:
            super().__init__(
                N_(
                    "case {reference} in state '{state}': trigger '{trigger}' takes "
                    "no outcome, but '{outcome}' was given"
                ),
                outcome=Term(outcome),
                **values,
            )
        else:
            super().__init__(
                N_(
                    "case {reference} in state '{state}': outcome '{outcome}' does "
                    "not fit trigger '{trigger}'; one of: {choices}"
                ),
                outcome=Term(outcome),
                **values,
            )


class CaseNotFoundError(NcpflowError, LookupError):
    code = "case_not_found"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(N_("no case with reference '{reference}'"), reference=reference)


class ConflictError(NcpflowError):
    """Someone else changed the case between our read and our write; nothing was written."""

    code = "conflict"

    def __init__(
        self, *, reference: str, expected_version: int, actual_version: int | None, state: str | None = None
    ) -> None:
        self.reference, self.state = reference, state
        self.expected_version, self.actual_version = expected_version, actual_version
        found = (
            Input(N_("version {version}"), params={"version": actual_version})
            if actual_version is not None
            else Input(N_("a newer version"))
        )
        values = {"reference": reference, "expected": expected_version, "found": found}
        if state:
            super().__init__(
                N_(
                    "conflict: case {reference} was changed by someone else "
                    "(expected version {expected}, found {found}, now in state "
                    "'{state}'); nothing was written, look again and retry"
                ),
                state=Term(state),
                **values,
            )
        else:
            super().__init__(
                N_(
                    "conflict: case {reference} was changed by someone else "
                    "(expected version {expected}, found {found}); nothing was "
                    "written, look again and retry"
                ),
                **values,
            )


class StorageError(NcpflowError):
    """The database refused an operation; the transaction was rolled back."""

    code = "storage"


class StorageUnavailableError(StorageError):
    """The database cannot be reached, opened or is not initialised."""


class ChannelUnreachableError(NcpflowError):
    """The mail server could not be reached at all: this message and every other must wait."""


class StepRefusedError(NcpflowError):
    """A clock step (pause, resume, extend) does not fit the case as it stands."""

    code = "step_refused"

    def __init__(self, *, reference: str, state: str, problem: str | Input) -> None:
        self.reference, self.state = reference, state
        self.problem = problem if isinstance(problem, Input) else Input(problem)
        super().__init__(
            N_("case {reference} in state '{state}': {problem}"),
            reference=reference,
            state=Term(state),
            problem=self.problem,
        )


class ProcedureInvalidError(InvalidInputError):
    """A procedure definition (docs/procedure-schema.md) cannot be used: the message names the
    file it came from and the key that is wrong."""

    code = "procedure_invalid"

    def __init__(self, *, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(N_("{source}: {key}: {problem}"), source=source, key=key, problem=Input(problem))


class ProcedureChangedError(InvalidInputError):
    """A procedure definition has the id and version of a stored one, but other content: a
    changed definition needs a new version number (cases keep the version they follow)."""

    code = "procedure_changed"

    def __init__(self, *, source: str, ident: str, version: str, stored: str, given: str) -> None:
        self.source, self.ident, self.version = source, ident, version
        super().__init__(
            N_(
                "{source}: procedure {ident} version {version} is stored with other content "
                "(sha256 {stored}, this file {given}); give the changed definition a new version"
            ),
            source=source,
            ident=ident,
            version=version,
            stored=stored[:12],
            given=given[:12],
        )


class ImportRefusedError(InvalidInputError):
    """`case import`: lines of the file do not fit; nothing was written (exit 2, 422).

    `problems` holds each (line number, what is wrong), in line order."""

    code = "invalid_input"
    SHOWN = 20  # problems listed in the message at most

    def __init__(self, *, source: str, problems: Sequence[tuple[int, Input]]) -> None:
        self.source, self.problems = source, tuple(problems)
        shown = self.problems[: self.SHOWN]
        listed = "; ".join(f"{{p{n}}}" for n in range(len(shown)))
        parts = {
            f"p{n}": Input(N_("line {line}: {problem}"), params={"line": line, "problem": problem})
            for n, (line, problem) in enumerate(shown)
        }
        more = len(self.problems) - len(shown)
        super().__init__(
            N_("{source}: nothing imported; {count} problem(s): {listed}{more}"),
            source=source,
            count=len(self.problems),
            listed=Input(listed, params=parts),
            more=Input(N_(" (and {n} more)"), params={"n": more}) if more else "",
        )


class ImportConflictError(ConflictError):
    """`case import`: an external id (or a kept reference) is already in the database with
    other content; nothing was written (exit 3, 409)."""

    def __init__(self, *, source: str, problems: Sequence[tuple[int, Input]]) -> None:
        self.reference, self.state = "", None
        self.expected_version, self.actual_version = 0, None
        self.source, self.problems = source, tuple(problems)
        listed = "; ".join(f"{{p{n}}}" for n in range(len(self.problems)))
        parts = {
            f"p{n}": Input(N_("line {line}: {problem}"), params={"line": line, "problem": problem})
            for n, (line, problem) in enumerate(self.problems)
        }
        NcpflowError.__init__(
            self,
            N_("{source}: nothing imported; {count} conflict(s) with what is already imported: {listed}"),
            source=source,
            count=len(self.problems),
            listed=Input(listed, params=parts),
        )


class Refusal(StrEnum):
    """Why a bundle is refused: the name the command line, the log and the tests use."""

    NOT_A_BUNDLE = "not_a_bundle"
    TAMPERED = "tampered"
    UNKNOWN_KEY = "unknown_key"
    WRONG_RECIPIENT = "wrong_recipient"
    BEYOND_RIGHTS = "beyond_rights"
    REPLAYED = "replayed"
    OUT_OF_ORDER = "out_of_order"


class BundleRefusedError(NcpflowError):
    """A case bundle not written or not received (states/bundles.py): `reason` names why;
    nothing was changed."""

    code = "bundle_refused"

    def __init__(self, reason: Refusal, message: str, /, **params: object) -> None:
        super().__init__(message, **params)
        self.reason = reason

    def words(self, tr: Translator = ENGLISH, naming: Naming = plain, terms: Wording = as_is) -> str:
        """The reason's name (as it is, in every language: scripts read it), then the message."""
        return f"{self.reason}: {super().words(tr, naming, terms)}"

    def said(self, tr: Translator = ENGLISH, naming: Naming = plain, terms: Wording = as_is) -> str:
        """The message alone, for a reader rather than a script: a page in Norwegian shows no
        English reason name."""
        return super().words(tr, naming, terms)
