"""The words of deadline explanations and transition meanings in English and Norwegian bokmål:
plain data, no Babel.

Each phrase is a `str.format` template; the values put into it (reasons, names) are never
themselves read as templates. An unknown language falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass

from states.guards import EXAMINATION_OFF
from states.lifecycle import PAST_TENSE, Trigger

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Phrases:
    months: tuple[str, ...]  # January first
    date: str  # {day} {month} {year}
    month_one: str  # {n}, and so on for the counted phrases
    month_many: str
    day_one: str
    day_many: str
    start: str  # {basis} {on} {duration} {due}
    pause: str  # {days} {reason} {start} {end} {due}
    extension: str  # {amount} {reason} {by} {due}
    rolled: str  # {due}
    met: str  # {on} {verdict}
    in_time: str
    late_one: str  # {n}
    late_many: str  # {n}
    paused_since: str  # {on}
    basis_labels: dict[str, str]  # the stored (English) basis label -> this language's words
    reasons: dict[str, str]  # a guard's (English) reason why a trigger may not fire -> these words
    transitions: dict[str, str]  # a lifecycle row's (English) `meaning` -> these words


ENGLISH = Phrases(
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    date="{day} {month} {year}",
    month_one="{n} month",
    month_many="{n} months",
    day_one="{n} day",
    day_many="{n} days",
    start="{basis} {on} + {duration} = {due}",
    pause=", + {days} paused ({reason}, {start}–{end}) = {due}",
    extension=", + {amount} extended ({reason}; approved by {by}) = {due}",
    rolled=", rolled to the next working day = {due}",
    met="; met {on} ({verdict})",
    in_time="in time",
    late_one="{n} day late",
    late_many="{n} days late",
    paused_since=("; paused since {on}: the due date moves on by the paused days when the case "
                  "resumes"),
    basis_labels={},
    reasons={},
    transitions={},
)

# The basis of a deadline counted from a transition, in the past tense (lifecycle.PAST_TENSE).
NORWEGIAN_PAST_TENSE: dict[Trigger, str] = {
    Trigger.BEGIN_ASSESSMENT: "vurdering startet",
    Trigger.ACCEPT: "tatt opp til behandling",
    Trigger.REJECT: "ikke tatt opp til behandling",
    Trigger.EXAMINE: "undersøkelse startet",
    Trigger.CONCLUDE: "avsluttet",
    Trigger.WITHDRAW: "trukket tilbake",
    Trigger.TRANSFER: "overført",
    Trigger.PUBLISH: "publisert",
    Trigger.CLOSE: "saken avsluttet",
}

# What each row of the lifecycle table means (lifecycle.TRANSITIONS, `meaning`), in the words of
# Kontaktpunktet for ansvarlig næringsliv: innledende vurdering, dialog og mekling (as the pages name
# the good-offices stage), sluttuttalelse, oppfølging, melder. Keyed by the English text, which
# several rows share (withdraw and transfer from more than one stage).
NORWEGIAN_TRANSITIONS: dict[str, str] = {
    "receipt acknowledged; initial assessment begins":
        "mottak bekreftet; innledende vurdering begynner",
    "issues merit further examination (wholly or in part); good offices offered":
        "saken tas opp til videre behandling (helt eller delvis); partene tilbys dialog og mekling",
    "not accepted; a statement explains why":
        "ikke tatt opp til behandling; en uttalelse begrunner hvorfor",
    "mediation refused or failed; the NCP examines the case":
        "dialog og mekling avslått eller uten enighet; Kontaktpunktet undersøker saken",
    "good offices ended with an outcome":
        "dialog og mekling avsluttet med et utfall",
    "examination ended with a determination":
        "undersøkelsen avsluttet med Kontaktpunktets konklusjon",
    "the submitter withdrew":
        "melderen trakk saken tilbake",
    "transferred to another NCP that leads":
        "overført til et annet kontaktpunkt, som leder behandlingen",
    "final statement published; follow-up planned":
        "sluttuttalelse publisert; oppfølging planlagt",
    "final statement published without follow-up":
        "sluttuttalelse publisert uten oppfølging",
    "follow-up complete":
        "oppfølging fullført",
}

NORWEGIAN = Phrases(
    months=("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.",
            "nov.", "des."),
    date="{day}. {month} {year}",
    month_one="{n} måned",
    month_many="{n} måneder",
    day_one="{n} dag",
    day_many="{n} dager",
    start="{basis} {on} + {duration} = {due}",
    pause=", + {days} på vent ({reason}, {start}–{end}) = {due}",
    extension=", + {amount} forlenget ({reason}; godkjent av {by}) = {due}",
    rolled=", flyttet til neste virkedag = {due}",
    met="; overholdt {on} ({verdict})",
    in_time="i tide",
    late_one="{n} dag for sent",
    late_many="{n} dager for sent",
    paused_since=("; på vent siden {on}: fristen flyttes med antallet dager på vent når saken "
                  "gjenopptas"),
    basis_labels={"received": "mottatt",
                  **{PAST_TENSE[t]: words for t, words in NORWEGIAN_PAST_TENSE.items()}},
    reasons={EXAMINATION_OFF: "undersøkelse er slått av i konfigurasjonen "
                              "([procedure] examination = false)"},
    transitions=NORWEGIAN_TRANSITIONS,
)

PHRASES: dict[str, Phrases] = {"en": ENGLISH, "nb": NORWEGIAN}


def phrases(language: str) -> Phrases:
    return PHRASES.get(language, ENGLISH)


def basis_label(label: str, language: str) -> str:
    """A stored basis label in `language`; one the table does not know stays as stored."""
    return phrases(language).basis_labels.get(label, label)


def reason(text: str, language: str) -> str:
    """A guard's reason in `language`; one the table does not know stays in English."""
    return phrases(language).reasons.get(text, text)


def meaning(text: str, language: str) -> str:
    """What a lifecycle row means, in `language`; one the table does not know stays in English."""
    return phrases(language).transitions.get(text, text)


def count(n: int, one: str, many: str) -> str:
    return (one if n == 1 else many).format(n=n)
