"""Moving a case to another version of its procedure (`case migrate`): the decision, pure.

A case follows the procedure version it was opened under until it is migrated. Migrating:
- the case's state carries over by name, or as the mapping says (`--map OLD=NEW`); a state the
  target lacks with no mapping refuses the migration (StepRefusedError: exit 1, HTTP 409);
- deadlines: the case keeps every deadline it has, with its basis, duration, extensions and
  pauses; an open one the target does not keep open in the new state (or does not know) is met
  at the migration; one the target opens in the new state and the case never had starts then,
  counted as the target defines it (basis "received": from receipt; "entered": from the
  migration);
- results, parties, lead and details are kept; the version goes up by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from states.case import Case, Policy, entering, out_of_order, require_actor, require_text
from states.deadlines import dated
from states.errors import REASON, Input, InvalidInputError, StepRefusedError
from states.events import DeadlineMet, DeadlineStarted
from states.messages import N_
from states.procedure import Procedure

BASIS_LABEL = N_("migrated")


@dataclass(frozen=True)
class CaseMigrated:
    reference: str
    actor: str
    reason: str
    at: datetime
    source: Procedure
    target: Procedure
    from_state: str
    to_state: str
    mapping: Mapping[str, str]  # the --map pairs given, old state -> new state
    met: tuple[DeadlineMet, ...]
    started: tuple[DeadlineStarted, ...]


def _named(procedure: Procedure) -> str:
    return f"{procedure.id} version {procedure.version}"


def check_mapping(source: Procedure, target: Procedure, mapping: Mapping[str, str]) -> None:
    """InvalidInputError naming the pair when a mapping names a state neither version has."""
    for old, new in mapping.items():
        if old not in source.states:
            raise InvalidInputError(
                f"--map {old}={new}: '{old}' is not a state of {_named(source)}; "
                f"its states: {', '.join(source.states)}"
            )
        if new not in target.states:
            raise InvalidInputError(
                f"--map {old}={new}: '{new}' is not a state of {_named(target)}; "
                f"its states: {', '.join(target.states)}"
            )


def migrate(
    case: Case,
    *,
    target: Procedure,
    mapping: Mapping[str, str],
    actor: str,
    reason: str,
    at: datetime,
    policy: Policy,
) -> tuple[Case, CaseMigrated]:
    """`case` following `target` from `at`: the new case and the event, or a named error."""
    require_actor(actor)
    require_text(reason, REASON)
    source = case.procedure
    if (source.id, source.version) == (target.id, target.version):
        raise InvalidInputError(f"case {case.reference} already follows {_named(target)}")
    check_mapping(source, target, mapping)
    pause = case.open_pause
    if pause is not None:
        raise StepRefusedError(
            reference=case.reference,
            state=case.state,
            problem=Input(
                N_("the case is paused since {since} ({reason}); resume it before migrating"),
                params={"since": dated(case.calendar.local_date(pause.started_at)), "reason": pause.reason},
            ),
        )
    dest = mapping.get(case.state, case.state)
    if dest not in target.states:
        raise StepRefusedError(
            reference=case.reference,
            state=case.state,
            problem=f"{_named(target)} has no state '{case.state}'; give --map {case.state}=STATE "
            f"with one of its states: {', '.join(target.states)}",
        )
    if at < case.last_event_at:
        raise out_of_order(case, at)
    deadlines, met, started = entering(case, target, dest, at=at, label=BASIS_LABEL, policy=policy)
    migrated = replace(
        case,
        state=dest,
        procedure=target,
        deadlines=deadlines,
        last_event_at=at,
    )
    event = CaseMigrated(
        reference=case.reference,
        actor=actor,
        reason=reason,
        at=at,
        source=source,
        target=target,
        from_state=case.state,
        to_state=dest,
        mapping=dict(mapping),
        met=met,
        started=started,
    )
    return migrated, event


def parse_mapping(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`OLD=NEW` pairs as a mapping; InvalidInputError naming a pair that is not one."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        old, new = old.strip(), new.strip()
        if not sep or not old or not new:
            raise InvalidInputError(N_("{what}: '{pair}' is not OLD=NEW"), what=Input("", "map"), pair=pair)
        if old in mapping and mapping[old] != new:
            raise InvalidInputError(
                N_("{what}: '{old}' is mapped twice ({first}, {second})"),
                what=Input("", "map"),
                old=old,
                first=mapping[old],
                second=new,
            )
        mapping[old] = new
    return mapping
