"""Logging: standard-library records (APScheduler's) come out as structlog renders ours."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from workflow.logging import configure


def test_apscheduler_lines_are_json_in_the_json_log(capsys: pytest.CaptureFixture[str]) -> None:
    """With JSON logging every stderr line parses as JSON, APScheduler's included."""
    configure(level="info", json=True)
    structlog.get_logger("ncpflow.scheduler").info("scheduler_started", jobs=2)
    scheduler = logging.getLogger("apscheduler.scheduler")
    scheduler.warning(
        "Execution of job %r skipped: maximum number of running instances reached (%d)",
        "ncpflow-outbox-dispatch",
        1,
    )
    try:
        raise RuntimeError("the job broke")
    except RuntimeError:
        logging.getLogger("apscheduler.executors.default").exception("Job raised an exception")
    scheduler.info("Running job (chatty, below the library's warning threshold)")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]
    assert [e["event"] for e in events] == [
        "scheduler_started",
        "Execution of job 'ncpflow-outbox-dispatch' skipped: maximum number of running instances reached (1)",
        "Job raised an exception",
    ]
    assert [e["level"] for e in events] == ["info", "warning", "error"]
    assert events[1]["logger"] == "apscheduler.scheduler" and "timestamp" in events[1]
    assert "RuntimeError: the job broke" in events[2]["exception"]


def test_configuring_again_replaces_the_handler(capsys: pytest.CaptureFixture[str]) -> None:
    """configure() twice: one line per record, in the latest format."""
    configure(level="warning", json=False)
    configure(level="warning", json=True)
    logging.getLogger("apscheduler.scheduler").warning("once")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert [json.loads(line)["event"] for line in lines] == ["once"]
