"""The application object: use cases bound once, lead notices always wired, one today(), one
`--now`, and the audit signing key read once."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy

from states.signatures import Signer
from tests.conftest import make_settings
from workflow import audit
from workflow.application import Application
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.clock import FixedClock

MEMBERS: list[dict[str, Any]] = [
    {"id": "anna", "name": "Anna", "email": "anna@ncp.test", "role": "chair"},
    {"id": "bjorn", "name": "Bjørn", "email": "bjorn@ncp.test"},
]


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Application]:
    built = bootstrap(
        make_settings(sqlite_url, members=MEMBERS, ncp={"timezone": "Europe/Oslo"}),
        clock=FixedClock(datetime(2025, 6, 2, 23, 30, tzinfo=UTC)),
    )
    built.members.sync()
    yield built
    built.close()


def _outbox(app: Application) -> list[tuple[Any, ...]]:
    engine = app.uow.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(sqlalchemy.text("SELECT case_ref, kind, recipient FROM outbox ORDER BY id"))
        ]


def _open(app: Application) -> str:
    return app.cases.open(
        title="Complaint",
        submitters=[PartyInput("NGO", "ngo")],
        enterprises=[PartyInput("Havbruk Seafood ASA")],
        actor="sek",
        received=date(2025, 6, 2),
    ).reference


def test_a_bound_open_always_tells_the_new_lead(app: Application) -> None:
    """`app.cases.open` takes no notices: the ones bootstrap built queue the lead's e-mail."""
    reference = _open(app)
    lead = app.cases.get(reference=reference).lead_member
    assert lead is not None
    assert (reference, "case_assigned", f"{lead}@ncp.test") in _outbox(app)


def test_no_bound_method_takes_wiring_and_every_one_is_keyword_only(app: Application) -> None:
    """Groups bind the unit of work, clock and notices: callers pass only what they decide."""
    groups = [
        app.cases,
        app.members,
        app.rotation,
        app.alerts,
        app.outbox,
        app.audit,
        app.reports,
        app.users,
        app.calendar,
    ]
    for group in groups:
        for name, method in inspect.getmembers(group, inspect.ismethod):
            if name.startswith("_"):
                continue
            parameters = inspect.signature(method).parameters.values()
            assert not {p.name for p in parameters} & {"uow", "clock", "notices", "policy"}, name
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), name


def test_today_is_the_ncp_local_date_of_the_clock(app: Application) -> None:
    """23:30 UTC on 2 June is already 3 June in Oslo."""
    assert app.today() == date(2025, 6, 3)


def test_as_of_gives_an_application_on_a_fixed_clock_and_leaves_the_first_alone(app: Application) -> None:
    """`--now 2025-07-01` is that date's local midnight; an instant is taken as given."""
    later = app.as_of("2025-07-01")
    assert later.today() == date(2025, 7, 1)
    assert later.clock.now() == datetime(2025, 6, 30, 22, 0, tzinfo=UTC)
    assert later.uow is app.uow and app.today() == date(2025, 6, 3)
    assert app.as_of("2025-07-01T12:00:00+00:00").clock.now() == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert app.as_of(None) is app


def test_the_signing_key_is_read_once_per_application(
    app: Application, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Checkpoints and exports reuse the key the application read first."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(audit.SIGNING_KEY_ENV, Signer.generate().private_pem())
    reads: list[object] = []
    load = audit.load_signer
    monkeypatch.setattr(audit, "load_signer", lambda settings: reads.append(1) or load(settings))
    _open(app)
    app.audit.checkpoint()
    "".join(app.audit.export())
    _open(app)
    app.audit.checkpoint()
    assert len(reads) == 1
