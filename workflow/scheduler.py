"""The heartbeat: APScheduler 3 runs the sweep, the dispatch and the rotation as interval jobs.

All truth lives in our tables (alert claims, outbox leases), so the scheduler keeps only an
in-memory job store: a restart loses nothing, and several schedulers on one PostgreSQL
database send each alert once. Runs that start late (a busy or suspended machine) still run:
misfire grace is generous and missed runs coalesce into one.

A stop (SIGTERM or SIGINT to `scheduler`, the end of `serve`) sets the heartbeat's stop event:
the dispatch finishes only the message in hand and leaves the rest pending, with no lease;
the scheduler then waits for the job in hand and returns. Nothing is sent twice or lost.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from types import FrameType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from states.rotation import RotationMode
from workflow.alerts import sweep
from workflow.audit import load_key, load_signer, make_checkpoint
from workflow.bootstrap import Services
from workflow.logging import get_logger
from workflow.outbox import dispatch
from workflow.rotation import Notices, advance_duty, alert_unavailable_leads

log = get_logger("ncpflow.scheduler")

SWEEP_JOB = "ncpflow-alerts-sweep"
DISPATCH_JOB = "ncpflow-outbox-dispatch"
DUTY_JOB = "ncpflow-rotation-advance"
LEADS_JOB = "ncpflow-rotation-check"
CHECKPOINT_JOB = "ncpflow-audit-checkpoint"


def run_sweep(services: Services) -> None:
    """Job: one alert sweep; a failure is logged and retried at the next interval."""
    try:
        queued = sweep(uow=services.uow, clock=services.clock, settings=services.settings,
                       render=services.render)
        log.info("job_ran", job=SWEEP_JOB, queued=len(queued))
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=SWEEP_JOB, error=str(exc))


def run_dispatch(services: Services, stop: threading.Event | None = None) -> None:
    """Job: send what the outbox holds; once `stop` is set, no message after the one in hand."""
    try:
        result = dispatch(uow=services.uow, clock=services.clock, channel=services.channel,
                          lease=timedelta(seconds=services.settings.smtp.lease_seconds),
                          stop=stop)
        log.info("job_ran", job=DISPATCH_JOB, **result.as_dict())
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=DISPATCH_JOB, error=str(exc))


def run_duty(services: Services) -> None:
    """Job (periodic duty only): `rotation advance`, which hands duty on when a period is over."""
    try:
        result = advance_duty(uow=services.uow, clock=services.clock, policy=services.policy)
        log.info("job_ran", job=DUTY_JOB, rotated=result.rotated, duty=result.duty)
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=DUTY_JOB, error=str(exc))


def run_leads_check(services: Services) -> None:
    """Job: tell the chair, once, about open cases whose lead is now conflicted or away."""
    try:
        alerted = alert_unavailable_leads(uow=services.uow, clock=services.clock,
                                          notices=Notices(services.settings, services.render))
        log.info("job_ran", job=LEADS_JOB, alerted=len(alerted))
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=LEADS_JOB, error=str(exc))


def run_checkpoint(services: Services) -> None:
    """Job (nightly, when an audit signing key is configured): sign the audit chain head."""
    try:
        checkpoint = make_checkpoint(uow=services.uow, clock=services.clock,
                                     settings=services.settings)
        log.info("job_ran", job=CHECKPOINT_JOB, seq=checkpoint.seq)
    except Exception as exc:  # the next night retries; the scheduler must keep beating
        log.error("job_failed", job=CHECKPOINT_JOB, error=str(exc))


def jobs(services: Services) -> list[str]:
    """The job ids this configuration runs: duty rotation only in periodic mode, the nightly
    audit checkpoint only when an audit signing key is configured."""
    periodic = services.policy.rotation.mode is RotationMode.PERIODIC
    keyed = load_signer(services.settings) is not None
    return [SWEEP_JOB, DISPATCH_JOB, *([DUTY_JOB] if periodic else []), LEADS_JOB,
            *([CHECKPOINT_JOB] if keyed else [])]


@dataclass
class Heartbeat:
    """A scheduler with its jobs and the stop event its dispatch job watches."""

    scheduler: BaseScheduler
    stopping: threading.Event = field(default_factory=threading.Event)

    def get_job(self, job_id: str) -> Any:
        return self.scheduler.get_job(job_id)

    def get_jobs(self) -> list[Any]:
        return list(self.scheduler.get_jobs())

    def start(self) -> None:
        if not self.stopping.is_set():  # a stop that came before the start is kept
            self.scheduler.start()

    def stop_soon(self) -> None:
        """From a signal handler: no message is taken after the one in hand. Never waits."""
        self.stopping.set()

    def stop(self) -> None:
        """Stop taking messages, then wait for the job in hand (at most one message)."""
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)


def build(services: Services) -> Heartbeat:
    heartbeat = Heartbeat(BlockingScheduler(timezone=services.settings.ncp.timezone))
    add_jobs(heartbeat, services)
    return heartbeat


def background(services: Services) -> Heartbeat:
    """The same jobs in a background thread, for `ncpflow serve`; the caller starts and stops it."""
    heartbeat = Heartbeat(BackgroundScheduler(timezone=services.settings.ncp.timezone))
    add_jobs(heartbeat, services)
    return heartbeat


def add_jobs(heartbeat: Heartbeat, services: Services) -> None:
    """The jobs `jobs()` names, on their intervals; shared by `scheduler` and `serve`."""
    scheduler = heartbeat.scheduler
    settings = services.settings.scheduler
    common: dict[str, Any] = {"replace_existing": True, "coalesce": True, "max_instances": 1,
                              "misfire_grace_time": settings.misfire_grace,
                              "kwargs": {"services": services}}
    scheduler.add_job(run_sweep, "interval", id=SWEEP_JOB, seconds=settings.sweep_interval,
                      next_run_time=_now(services), **common)
    scheduler.add_job(run_dispatch, "interval", id=DISPATCH_JOB,
                      seconds=settings.dispatch_interval, next_run_time=_now(services),
                      **{**common, "kwargs": {"services": services,
                                              "stop": heartbeat.stopping}})
    if DUTY_JOB in jobs(services):
        scheduler.add_job(run_duty, "interval", id=DUTY_JOB, seconds=settings.rotation_interval,
                          next_run_time=_now(services), **common)
    scheduler.add_job(run_leads_check, "interval", id=LEADS_JOB,
                      seconds=settings.rotation_interval, next_run_time=_now(services), **common)
    if CHECKPOINT_JOB in jobs(services):
        # Nightly at 02:30 in the NCP's zone; without a key the job list says it is off.
        scheduler.add_job(run_checkpoint, "cron", id=CHECKPOINT_JOB, hour=2, minute=30, **common)
    elif load_key(services.settings) is not None:
        log.warning("audit_checkpoints_off", reason="only an HMAC key is configured; new "
                    "checkpoints are signed with Ed25519: `ncpflow audit keygen --output FILE`, "
                    "then [audit] signing_key_file")


def _now(services: Services) -> Any:
    return services.clock.now()


def run(services: Services) -> None:
    """Run until SIGTERM or SIGINT, then finish the message in hand and stop."""
    heartbeat = build(services)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("scheduler_stopping", signal=signal.Signals(signum).name)
        # Shut down from the main loop's own thread: it waits for the job in hand, whose
        # dispatch takes no message after the current one now that `stopping` is set.
        heartbeat.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler_started", jobs=jobs(services),
             sweep_interval=services.settings.scheduler.sweep_interval,
             dispatch_interval=services.settings.scheduler.dispatch_interval)
    heartbeat.start()
    log.info("scheduler_stopped")
