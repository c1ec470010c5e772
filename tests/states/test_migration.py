"""The migration decision (states/migration.py), pure: the state carries over by name or by the
mapping, a state the target lacks is refused, a paused case is refused, `--map` pairs parse."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, open_case
from states.errors import InvalidInputError, StepRefusedError
from states.migration import migrate, parse_mapping
from states.pauses import Pause
from states.procedure import parse_procedure
from tests.helpers import OECD

CALENDAR = CalendarRule(timezone="Europe/Oslo")
POLICY = Policy(timelines={}, calendar=CALENDAR, procedure=OECD)
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
# Version 2-test: `received` renamed `registered`.
V2 = parse_procedure(
    OECD.text.replace(f'version = "{OECD.version}"', 'version = "2-test"')
    .replace("[states.received]", "[states.registered]")
    .replace("[states.received.handbook]", "[states.registered.handbook]")
    .replace('initial = "received"', 'initial = "registered"')
    .replace('"received"', '"registered"')
    .replace('basis = "registered"', 'basis = "received"'),
    source="v2.toml",
)


def _case() -> Case:
    case, _ = open_case(
        reference="NCP-2025-001",
        title="Dam",
        parties=(Party(PartyRole.SUBMITTER, "NGO"), Party(PartyRole.ENTERPRISE, "ASA")),
        received_at=T0,
        opened_at=T0,
        actor="sek",
        policy=POLICY,
    )
    return case


def test_a_state_the_target_lacks_is_refused_unless_mapped() -> None:
    """`received` is not a state of v2: refused naming it; with received=registered the case is
    in `registered` under v2, its deadlines kept open (v2 keeps them open there)."""
    case = _case()
    at = T0 + timedelta(days=1)
    with pytest.raises(StepRefusedError, match="has no state 'received'; give --map received=STATE"):
        migrate(case, target=V2, mapping={}, actor="chair", reason="v2", at=at, policy=POLICY)
    moved, event = migrate(
        case,
        target=V2,
        mapping={"received": "registered"},
        actor="chair",
        reason="v2",
        at=at,
        policy=POLICY,
    )
    assert (moved.state, moved.procedure, moved.last_event_at) == ("registered", V2, at)
    assert (event.from_state, event.to_state, event.met, event.started) == ("received", "registered", (), ())
    assert [d.name for d in moved.open_deadlines] == [d.name for d in case.open_deadlines]


def test_a_paused_case_and_a_mapping_naming_no_state_are_refused() -> None:
    """Paused: resume first. A mapping whose old or new state neither version has: bad input."""
    case = _case()
    paused = replace(case, pauses=(Pause(started_at=T0, reason="Parallel proceedings", actor="sek"),))
    with pytest.raises(StepRefusedError, match="resume it before migrating"):
        migrate(
            paused, target=V2, mapping={"received": "registered"}, actor="c", reason="r", at=T0, policy=POLICY
        )
    with pytest.raises(
        InvalidInputError, match=f"'recieved' is not a state of oecd-2023 version {OECD.version}"
    ):
        migrate(
            case, target=V2, mapping={"recieved": "registered"}, actor="c", reason="r", at=T0, policy=POLICY
        )
    with pytest.raises(InvalidInputError, match="'registred' is not a state of oecd-2023 version 2-test"):
        migrate(
            case, target=V2, mapping={"received": "registred"}, actor="c", reason="r", at=T0, policy=POLICY
        )


def test_map_pairs_parse_and_malformed_ones_are_named() -> None:
    """OLD=NEW pairs become a mapping; a pair without '=' or mapped twice is refused naming it."""
    assert parse_mapping(["good_offices=mediation", " a = b "]) == {"good_offices": "mediation", "a": "b"}
    with pytest.raises(InvalidInputError, match="'good_offices' is not OLD=NEW"):
        parse_mapping(["good_offices"])
    with pytest.raises(InvalidInputError, match=r"'a' is mapped twice \(b, c\)"):
        parse_mapping(["a=b", "a=c"])
