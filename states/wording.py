"""The words of deadline explanations, of the lifecycle's states, triggers, outcomes and deadlines:
English msgids marked for the one catalogue (`translations/`), worded through the `Translator` the
caller passes in (`states.messages`); the core itself never reads a catalogue.

Each phrase is a `str.format` template; the values put into it (reasons, names) are never
themselves read as templates. A message the catalogue does not know stays in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from states.messages import ENGLISH, N_, Translator

if TYPE_CHECKING:
    from states.procedure import Procedure

# The lifecycle's words, one entry per concept, the same on pages, in e-mails and in reports:
# the words of oecd-2023's names (its definition labels them the same, which a test checks),
# for a value worded without its procedure at hand (`term` with a plain translator).
STATE_NAMES: dict[str, str] = {
    "received": N_("received"),
    "initial_assessment": N_("initial assessment"),
    "good_offices": N_("good offices"),
    "examination": N_("examination"),
    "final_statement": N_("final statement"),
    "follow_up": N_("follow-up"),
    "closed": N_("closed"),
}
# A deadline's short name (pages): a stage's deadline is named as its stage.
DEADLINE_NAMES: dict[str, str] = {
    **STATE_NAMES,
    "acknowledgement": N_("acknowledgement"),
    "procedure": N_("whole procedure"),
    "coordination": N_("coordination"),
}
# A deadline's full name in running text (the e-mails).
DEADLINE_TITLES: dict[str, str] = {
    **DEADLINE_NAMES,
    "acknowledgement": N_("acknowledgement of receipt"),
    "good_offices": N_("good offices (dialogue and mediation)"),
    "procedure": N_("whole procedure (final statement published)"),
    "follow_up": N_("follow-up statement"),
    "coordination": N_("coordination between NCPs (lead agreed)"),
}
TRIGGER_NAMES: dict[str, str] = {
    "begin_assessment": N_("Begin assessment"),
    "accept": N_("Accept"),
    "reject": N_("Reject"),
    "examine": N_("Examine"),
    "conclude": N_("Conclude"),
    "withdraw": N_("Withdraw"),
    "transfer": N_("Transfer"),
    "publish": N_("Publish"),
    "close": N_("Close"),
}
OUTCOME_NAMES: dict[str, str] = {
    "not_accepted": N_("not accepted"),
    "agreement": N_("agreement"),
    "partial_agreement": N_("partial agreement"),
    "no_agreement": N_("no agreement"),
    "enterprise_declined": N_("enterprise declined"),
    "submitter_declined": N_("submitter declined"),
    "parties_declined": N_("both parties declined"),
    "determination": N_("determination"),
    "withdrawn": N_("withdrawn"),
    "transferred": N_("transferred"),
}
# A party's type (states.case's PartyType), by its stored value.
PARTY_TYPES: dict[str, str] = {
    "individual": N_("individual"),
    "ngo": N_("NGO"),
    "trade_union": N_("trade union"),
    "community": N_("community"),
    "academic": N_("academic"),
    "other": N_("other"),
}
DEADLINE_STATUSES: dict[str, str] = {
    "open": N_("open"),
    "met": N_("met"),
    "overdue": N_("overdue"),
    "cancelled": N_("cancelled"),
}


# The months in a date ("2 Jan 2025"), January first.
_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
MONTHS = _MONTHS  # for a date worded as a message parameter (states.deadlines.dated)


# A month known without its day ("Feb 2007": an imported case received "2007-02"), January first.
_MONTHS_OF_YEAR = (
    N_("Jan {year}"),
    N_("Feb {year}"),
    N_("Mar {year}"),
    N_("Apr {year}"),
    N_("May {year}"),
    N_("Jun {year}"),
    N_("Jul {year}"),
    N_("Aug {year}"),
    N_("Sep {year}"),
    N_("Oct {year}"),
    N_("Nov {year}"),
    N_("Dec {year}"),
)


@dataclass(frozen=True)
class Phrases:
    months: tuple[str, ...]  # January first
    months_of_year: tuple[str, ...]  # {year}, January first
    date: str  # {day} {month} {year}
    start: str  # {basis} {on} {duration} {due}
    pause: str  # {days} {reason} {start} {end} {due}
    extension: str  # {amount} {reason} {by} {due}
    rolled: str  # {due}
    met: str  # {on} {verdict}
    in_time: str
    paused_since: str  # {on}
    paused_since_working: str  # {on}, for a deadline counted in working days


@lru_cache(maxsize=8)
def phrases(tr: Translator = ENGLISH) -> Phrases:
    """The explanation's phrases as `tr` words them."""
    return Phrases(
        months=tuple(tr.gettext(month) for month in _MONTHS),
        months_of_year=tuple(tr.gettext(month) for month in _MONTHS_OF_YEAR),
        date=tr.gettext("{day} {month} {year}"),
        start=tr.gettext("{basis} {on} + {duration} = {due}"),
        pause=tr.gettext(", + {days} paused ({reason}, {start}–{end}) = {due}"),
        extension=tr.gettext(", + {amount} extended ({reason}; approved by {by}) = {due}"),
        rolled=tr.gettext(", rolled to the next working day = {due}"),
        met=tr.gettext("; met {on} ({verdict})"),
        in_time=tr.gettext("in time"),
        paused_since=tr.gettext(
            "; paused since {on}: the due date moves on by the paused days when the case resumes"
        ),
        paused_since_working=tr.gettext(
            "; paused since {on}: the due date moves on by the working days paused when the case resumes"
        ),
    )


def months(n: int, tr: Translator = ENGLISH) -> str:
    return tr.ngettext("{n} month", "{n} months", n).format(n=n)


def days(n: int, tr: Translator = ENGLISH) -> str:
    return tr.ngettext("{n} day", "{n} days", n).format(n=n)


def working_days(n: int, tr: Translator = ENGLISH) -> str:
    return tr.ngettext("{n} working day", "{n} working days", n).format(n=n)


def days_late(n: int, tr: Translator = ENGLISH) -> str:
    return tr.ngettext("{n} day late", "{n} days late", n).format(n=n)


def translate(message: str, tr: Translator = ENGLISH) -> str:
    """A marked message (a basis label, a guard's reason, a lifecycle row's meaning, a rule) in
    `tr`'s words; one the catalogue does not know stays as it is."""
    return tr.gettext(message) if message else message


# The reasons ncpflow itself writes when a case is opened or imported. Stored in English, as every
# stored text is; states/audit_wording.py words them (and every other reason ncpflow writes) at
# display, and leaves a person's own reason as they wrote it.
OPENED = N_("submission registered")
OPENED_BY_IMPORT = N_("submission registered (imported)")
IMPORTED = N_("imported")
SYSTEM_REASONS = frozenset({OPENED, OPENED_BY_IMPORT, IMPORTED})


def party_type(value: str, tr: Translator = ENGLISH) -> str:
    """A party's type in `tr`'s words; one no table knows with spaces for its underscores."""
    msgid = PARTY_TYPES.get(value)
    return tr.gettext(msgid) if msgid else value.replace("_", " ")


def term(value: str, tr: Translator = ENGLISH) -> str:
    """A lifecycle value (a state, deadline, trigger, outcome or status) in `tr`'s words: with
    `ProcedureWords`, the procedure's label; one no table knows is its identifier with spaces."""
    if isinstance(tr, ProcedureWords):
        label = tr.term(value)
        if label is not None:
            return label
    msgid = next((table[value] for table in _TABLES if value in table), None)
    return tr.gettext(msgid) if msgid else value.replace("_", " ")


def deadline_title(name: str, tr: Translator = ENGLISH) -> str:
    """A deadline's full name in running text ("acknowledgement of receipt")."""
    if isinstance(tr, ProcedureWords) and name in tr.procedure.deadlines:
        return tr.procedure.label("deadline_title", name, tr.language)
    msgid = DEADLINE_TITLES.get(name)
    return tr.gettext(msgid) if msgid else name.replace("_", " ")


class ProcedureWords:
    """A `Translator` that words a procedure's own names and phrases (its states, triggers and
    their past tense, outcomes, deadlines, the meanings of its transitions) from the labels in its
    definition, in `language`, and everything else as `base` does."""

    def __init__(self, procedure: Procedure, language: str, base: Translator) -> None:
        self.procedure, self.language, self.base = procedure, language, base
        names: dict[str, str] = {}
        phrases: dict[str, str] = {}
        labelled = [
            *((s.name, s.label) for s in procedure.states.values()),
            *((d.name, d.label) for d in procedure.deadlines.values()),
            *((t.name, t.label) for t in procedure.triggers.values()),
            *((o.name, o.label) for o in procedure.outcomes.values()),
            *((f.name, f.label) for f in procedure.facts.values()),
            *((i.id, i.label) for s in procedure.states.values() for i in s.checklist),
        ]
        for name, labels in labelled:
            names.setdefault(name, labels.get(language))
        # English text the core stored or passes on (a basis "accepted", a meaning) -> its words.
        for labels in (
            *(t.past for t in procedure.triggers.values()),
            *(t.meaning for t in procedure.transitions),
            *(f.label for f in procedure.facts.values()),  # the basis of a deadline counted from one
        ):
            phrases.setdefault(labels.en, labels.get(language))
        self._names, self._phrases = names, phrases

    def term(self, value: str) -> str | None:
        """The procedure's label for the name `value`, or None when it has none."""
        return self._names.get(value)

    def gettext(self, message: str, /) -> str:
        found = self._phrases.get(message)
        return found if found is not None else self.base.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self.base.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str, /) -> str:
        return self.base.pgettext(context, message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcedureWords) and (other.procedure, other.language, other.base) == (
            self.procedure,
            self.language,
            self.base,
        )

    def __hash__(self) -> int:
        return hash((self.procedure, self.language, self.base))


@lru_cache(maxsize=32)
def procedure_words(procedure: Procedure, language: str, base: Translator) -> ProcedureWords:
    """`ProcedureWords`, made once per procedure version, language and catalogue."""
    return ProcedureWords(procedure, language, base)


_TABLES = (DEADLINE_NAMES, TRIGGER_NAMES, OUTCOME_NAMES, DEADLINE_STATUSES)
