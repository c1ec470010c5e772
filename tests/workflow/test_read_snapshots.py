"""Every read sees one snapshot: concurrent writers never show a reader a case half old, half new.

Writer threads extend the acknowledgement deadline of a few cases by one day at a time, so that
a case's version, its number of extensions and its due date move in step: any read that mixes
two versions (the case row from one, the deadline's extensions from another) breaks the
arithmetic. Readers go through the read paths the command line, the API and the pages use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest

from states.case import Case
from states.lifecycle import DeadlineName
from states.users import Role, User
from tests.helpers import open_one
from workflow import queries, views
from workflow.bootstrap import Services
from workflow.pausing import extend_deadline
from workflow.read_models import json_of

pytestmark = pytest.mark.slow

CASES = 3
READS = 600
WRITES = 30  # reads go on until the writers have committed at least this many steps
TODAY = date(2025, 6, 2)
HANDLER = User(name="reader", role=Role.HANDLER)


def _open(services: Services, n: int) -> Case:
    reference = open_one(
        services,
        f"Enterprise {n} AS",
        title=f"Case {n}",
        submitter=f"Submitter {n}",
        received=date(2025, 5, 20 + n),
    )
    return queries.get_case(uow=services.uow, reference=reference)


def _consistency(case: Case, first: dict[str, tuple[int, date]]) -> str | None:
    """None when version, extensions and due date tell the same story; else what is mixed."""
    version0, due0 = first[case.reference]
    deadline = case.deadline(DeadlineName.ACKNOWLEDGEMENT)
    assert deadline is not None
    steps = case.version - version0
    if steps == len(deadline.extensions) == (deadline.due - due0).days:
        return None
    return (
        f"{case.reference}: version {case.version} (+{steps}), "
        f"{len(deadline.extensions)} extensions, due {deadline.due} (+"
        f"{(deadline.due - due0).days} days)"
    )


def _view_consistency(view: dict[str, object], first: dict[str, tuple[int, date]]) -> str | None:
    version0, due0 = first[str(view["reference"])]
    deadlines = view["deadlines"]
    assert isinstance(deadlines, list) and isinstance(view["version"], int)
    ack = next(d for d in deadlines if d["name"] == "acknowledgement")
    steps = view["version"] - version0
    moved = (date.fromisoformat(ack["due"]) - due0).days
    if steps == len(ack["extensions"]) == moved:
        return None
    return (
        f"{view['reference']}: version {view['version']} (+{steps}), "
        f"{len(ack['extensions'])} extensions, due moved {moved} days"
    )


def test_readers_never_see_a_case_mixed_from_two_versions_while_others_write(services: Services) -> None:
    """>= 500 reads during concurrent extensions: version, extensions and due date always agree."""
    opened = [_open(services, n) for n in range(CASES)]
    first: dict[str, tuple[int, date]] = {}
    for case in opened:
        deadline = case.deadline(DeadlineName.ACKNOWLEDGEMENT)
        assert deadline is not None
        first[case.reference] = (case.version, deadline.due)
    refs = list(first)
    stop = threading.Event()
    errors: list[BaseException] = []
    mixed: list[str] = []
    reads = [0]
    writes = [0]
    lock = threading.Lock()

    def writer(ref: str) -> None:
        try:
            while not stop.is_set():
                extend_deadline(
                    uow=services.uow,
                    clock=services.clock,
                    reference=ref,
                    deadline="acknowledgement",
                    actor="chair",
                    reason="more time",
                    days=1,
                )
                with lock:
                    writes[0] += 1
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)

    def shown(view: dict[str, object]) -> list[str | None]:
        return [_view_consistency(view, first)]

    paths: list[Callable[[int], list[str | None]]] = [
        lambda i: [_consistency(queries.get_case(uow=services.uow, reference=refs[i % CASES]), first)],
        lambda i: [_consistency(c, first) for c in queries.list_cases(uow=services.uow)],
        lambda i: [
            _view_consistency(json_of(v), first)
            for v in views.case_page(uow=services.uow, today=TODAY, viewer=HANDLER).items
        ],
        lambda i: shown(json_of(services.cases.show(reference=refs[i % CASES], viewer=HANDLER)[1])),
    ]

    def reader(offset: int) -> None:
        try:
            i = offset
            while not stop.is_set():
                found = [m for m in paths[i % len(paths)](i) if m is not None]
                i += 1
                with lock:
                    mixed.extend(found)
                    reads[0] += 1
                    if reads[0] >= READS and writes[0] >= WRITES:
                        stop.set()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=writer, args=(ref,)) for ref in refs] + [
        threading.Thread(target=reader, args=(n,)) for n in range(3)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(timeout=50)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert reads[0] >= READS, f"only {reads[0]} reads in {time.monotonic() - started:.0f} s"
    after = [queries.get_case(uow=services.uow, reference=ref) for ref in refs]
    assert sum(c.version - first[c.reference][0] for c in after) >= WRITES
    assert mixed == [], f"{len(mixed)} mixed reads of {reads[0]}, e.g. {mixed[:3]}"


def test_a_read_inside_another_read_sees_the_outer_snapshot(services: Services) -> None:
    """A view made of several reads sees one snapshot: a step committed meanwhile stays unseen."""
    ref = _open(services, 1).reference
    with services.uow.read():
        before = queries.get_case(uow=services.uow, reference=ref)
        extend_deadline(
            uow=services.uow,
            clock=services.clock,
            reference=ref,
            deadline="acknowledgement",
            actor="chair",
            reason="more time",
            days=1,
        )
        again = queries.get_case(uow=services.uow, reference=ref)
        shown = services.cases.show(reference=ref, viewer=HANDLER)[1]
    assert again == before
    assert shown.version == before.version
    assert queries.get_case(uow=services.uow, reference=ref).version == before.version + 1
