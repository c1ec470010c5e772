"""The per-request stamp check (`SqlUnitOfWork.user_stamp`): current, and bounded in what it keeps."""

from __future__ import annotations

import threading

from workflow import users
from workflow.bootstrap import Services


def test_a_stamp_read_sees_a_change_committed_by_another_connection(services: Services) -> None:
    """Disabling a user shows at the very next stamp read: None for a disabled user."""
    made = users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", member_id=None, actor="admin"
    )
    assert services.uow.user_stamp("hanna") == made.user.stamp
    users.set_disabled(uow=services.uow, clock=services.clock, name="hanna", disabled=True, actor="admin")
    assert services.uow.user_stamp("hanna") is None
    assert services.uow.user_stamp("nobody") is None


def test_threads_that_come_and_go_do_not_leave_connections_behind(services: Services) -> None:
    """A server's worker threads end and new ones start: the kept connections stay few."""
    users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", member_id=None, actor="admin"
    )
    for _ in range(40):
        worker = threading.Thread(target=services.uow.user_stamp, args=("hanna",))
        worker.start()
        worker.join()
    kept = getattr(services.uow.source, "_idle", [])  # type: ignore[attr-defined]
    assert len(kept) <= 5
