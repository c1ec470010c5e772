"""Fresh reads: `read(fresh=True)` is a new snapshot even inside another read, so a second look
(verify's look at checkpoints made since its snapshot) is not the stale outer one; and an export
does not leave its read open between the rows it hands out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from states.signatures import Signer
from tests.helpers import open_one
from workflow.audit import audit_entries, make_checkpoint, verify_all
from workflow.bootstrap import Services
from workflow.exports import export_rows


def _head_seq(services: Services, *, fresh: bool = False) -> int:
    with services.uow.read(fresh=fresh) as tx:
        head = tx.audit.head()
    return head.seq if head else 0


def test_a_fresh_read_inside_a_read_sees_what_was_committed_since(services: Services) -> None:
    """A nested read joins the outer snapshot; a fresh one sees the new commit, and reads
    nested in it join it; after it, the thread's read is the outer one again."""
    open_one(services, title="First", received=date(2025, 3, 3))
    with services.uow.read() as outer:
        assert outer.audit.head() is not None  # the snapshot starts here
        open_one(services, title="Second", received=date(2025, 3, 4))
        assert _head_seq(services) == 1
        with services.uow.read(fresh=True) as fresh:
            assert fresh is not outer
            assert _head_seq(services) == 2
        assert _head_seq(services) == 1
    assert _head_seq(services) == 2


def test_verify_inside_an_outer_read_judges_a_checkpoint_made_since_in_a_fresh_read(
    services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A checkpoint committed after the outer snapshot is found by verify's second read."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", Signer.generate().private_pem())
    open_one(services, title="First", received=date(2025, 3, 3))
    with services.uow.read() as outer:
        assert outer.audit.head() is not None
        open_one(services, title="Second", received=date(2025, 3, 4))
        made = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
        assert made.seq == 2
        report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok, report.findings
    assert report.checkpoints == 1 and report.unfinished == []


def test_a_read_between_export_rows_is_not_the_exports_snapshot(services: Services) -> None:
    """While an export is being handed out, the consumer's own reads see the present."""
    open_one(services, title="First", received=date(2025, 3, 3))
    open_one(services, title="Second", received=date(2025, 3, 4))
    rows = export_rows(uow=services.uow, clock=services.clock)
    assert next(rows)["seq"] == 1
    open_one(services, title="Third", received=date(2025, 3, 5))
    assert _head_seq(services) == 3
    assert [row["seq"] for row in rows] == [2]


def test_a_read_between_audit_entries_is_not_the_logs_snapshot(services: Services) -> None:
    """Going through the log leaves no read open that the caller's own reads would join."""
    open_one(services, title="First", received=date(2025, 3, 3))
    entries = iter(audit_entries(uow=services.uow))
    assert next(entries).seq == 1
    open_one(services, title="Second", received=date(2025, 3, 4))
    assert _head_seq(services) == 2


def test_an_export_goes_through_the_log_a_slice_at_a_time_up_to_the_head_it_began_at(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices of two entries: every entry once, in order, and none appended after the start."""
    monkeypatch.setattr("workflow.exports.EXPORT_SLICE", 2)
    for day in range(3, 8):
        open_one(services, title=f"Case {day}", received=date(2025, 3, day))
    everything = [entry.seq for entry in audit_entries(uow=services.uow)]
    assert len(everything) > 4  # several slices
    rows = export_rows(uow=services.uow, clock=services.clock)
    first = next(rows)["seq"]
    open_one(services, title="Later", received=date(2025, 3, 9))
    assert [first, *(row["seq"] for row in rows)] == everything


def test_a_case_export_in_slices_holds_only_that_cases_entries(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case filter across slices: the case's entries, every one, in order."""
    monkeypatch.setattr("workflow.exports.EXPORT_SLICE", 1)
    references = [open_one(services, title=f"Case {day}", received=date(2025, 3, day)) for day in (3, 4)]
    mine = [entry.seq for entry in audit_entries(uow=services.uow, case_ref=references[0])]
    rows = list(export_rows(uow=services.uow, clock=services.clock, case_ref=references[0]))
    assert [row["seq"] for row in rows] == mine and {row["case_ref"] for row in rows} == {references[0]}
