"""The heartbeat: APScheduler 3 runs the sweep and the dispatch as interval jobs.

All truth lives in our tables (alert claims, outbox leases), so the scheduler keeps only an
in-memory job store: a restart loses nothing, and several schedulers on one PostgreSQL
database send each alert once. Runs that start late (a busy or suspended machine) still run:
misfire grace is generous and missed runs coalesce into one.
"""

from __future__ import annotations

import signal
from datetime import timedelta
from types import FrameType
from typing import Any

import structlog
from apscheduler.schedulers.blocking import BlockingScheduler

from workflow.alerts import sweep
from workflow.bootstrap import Services
from workflow.outbox import dispatch

log = structlog.get_logger("ncpflow.scheduler")

SWEEP_JOB = "ncpflow-alerts-sweep"
DISPATCH_JOB = "ncpflow-outbox-dispatch"


def run_sweep(services: Services) -> None:
    """Job: one alert sweep; a failure is logged and retried at the next interval."""
    try:
        queued = sweep(uow=services.uow, clock=services.clock, settings=services.settings,
                       render=services.render)
        log.info("job_ran", job=SWEEP_JOB, queued=len(queued))
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=SWEEP_JOB, error=str(exc))


def run_dispatch(services: Services) -> None:
    """Job: send what the outbox holds."""
    try:
        result = dispatch(uow=services.uow, clock=services.clock, channel=services.channel,
                          lease=timedelta(seconds=services.settings.smtp.lease_seconds))
        log.info("job_ran", job=DISPATCH_JOB, **result.as_dict())
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=DISPATCH_JOB, error=str(exc))


def build(services: Services) -> BlockingScheduler:
    settings = services.settings.scheduler
    scheduler = BlockingScheduler(timezone=services.settings.ncp.timezone)
    common: dict[str, Any] = {"replace_existing": True, "coalesce": True, "max_instances": 1,
                              "misfire_grace_time": settings.misfire_grace,
                              "kwargs": {"services": services}}
    scheduler.add_job(run_sweep, "interval", id=SWEEP_JOB, seconds=settings.sweep_interval,
                      next_run_time=_now(services), **common)
    scheduler.add_job(run_dispatch, "interval", id=DISPATCH_JOB,
                      seconds=settings.dispatch_interval, next_run_time=_now(services), **common)
    return scheduler


def _now(services: Services) -> Any:
    return services.clock.now()


def run(services: Services) -> None:
    """Run until SIGTERM or SIGINT, then finish the job in hand and stop."""
    scheduler = build(services)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("scheduler_stopping", signal=signal.Signals(signum).name)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler_started", jobs=[SWEEP_JOB, DISPATCH_JOB],
             sweep_interval=services.settings.scheduler.sweep_interval,
             dispatch_interval=services.settings.scheduler.dispatch_interval)
    scheduler.start()
    log.info("scheduler_stopped")
