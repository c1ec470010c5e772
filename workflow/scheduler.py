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
from types import FrameType
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from states.rotation import RotationMode
from workflow.application import Application
from workflow.audit import load_key
from workflow.logging import get_logger

if TYPE_CHECKING:
    from workflow.bootstrap import Network

log = get_logger("ncpflow.scheduler")

SWEEP_JOB = "ncpflow-alerts-sweep"
DISPATCH_JOB = "ncpflow-outbox-dispatch"
DUTY_JOB = "ncpflow-rotation-advance"
LEADS_JOB = "ncpflow-rotation-check"
CHECKPOINT_JOB = "ncpflow-audit-checkpoint"


def run_sweep(app: Application) -> None:
    """Job: one alert sweep; a failure is logged and retried at the next interval."""
    try:
        queued = app.alerts.sweep()
        log.info("job_ran", job=SWEEP_JOB, queued=len(queued))
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=SWEEP_JOB, error=str(exc))


def run_dispatch(app: Application, stop: threading.Event | None = None) -> None:
    """Job: send what the outbox holds; once `stop` is set, no message after the one in hand."""
    try:
        result = app.outbox.dispatch(stop=stop)
        log.info("job_ran", job=DISPATCH_JOB, **result.as_dict())
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=DISPATCH_JOB, error=str(exc))


def run_duty(app: Application) -> None:
    """Job (periodic duty only): `rotation advance`, which hands duty on when a period is over."""
    try:
        result = app.rotation.advance_duty()
        log.info("job_ran", job=DUTY_JOB, rotated=result.rotated, duty=result.duty)
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=DUTY_JOB, error=str(exc))


def run_leads_check(app: Application) -> None:
    """Job: tell the chair, once, about open cases whose lead is now conflicted or away."""
    try:
        alerted = app.rotation.alert()
        log.info("job_ran", job=LEADS_JOB, alerted=len(alerted))
    except Exception as exc:  # the next run retries; the scheduler must keep beating
        log.error("job_failed", job=LEADS_JOB, error=str(exc))


def run_checkpoint(app: Application) -> None:
    """Job (nightly, when an audit signing key is configured): sign the audit chain head
    (the key was read once, onto the application)."""
    try:
        checkpoint = app.audit.checkpoint()
        log.info("job_ran", job=CHECKPOINT_JOB, seq=checkpoint.seq)
    except Exception as exc:  # the next night retries; the scheduler must keep beating
        log.error("job_failed", job=CHECKPOINT_JOB, error=str(exc))


def jobs(app: Application) -> list[str]:
    """The job ids this configuration runs: duty rotation only in periodic mode, the nightly
    audit checkpoint only when an audit signing key is configured."""
    periodic = app.policy.rotation.mode is RotationMode.PERIODIC
    keyed = app.audit.signer() is not None
    return [
        SWEEP_JOB,
        DISPATCH_JOB,
        *([DUTY_JOB] if periodic else []),
        LEADS_JOB,
        *([CHECKPOINT_JOB] if keyed else []),
    ]


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


def build(app: Application) -> Heartbeat:
    heartbeat = Heartbeat(BlockingScheduler(timezone=app.settings.ncp.timezone))
    add_jobs(heartbeat, app)
    return heartbeat


def background(app: Application) -> Heartbeat:
    """The same jobs in a background thread, for `ncpflow serve`; the caller starts and stops it."""
    heartbeat = Heartbeat(BackgroundScheduler(timezone=app.settings.ncp.timezone))
    add_jobs(heartbeat, app)
    return heartbeat


def add_jobs(heartbeat: Heartbeat, app: Application, *, ncp: str | None = None) -> None:
    """The jobs `jobs()` names, on their intervals; shared by `scheduler` and `serve`.

    `ncp`: one NCP of a network (`--network`): its jobs' ids start with `<NCP>:`, and each
    run first takes the NCP's turn at the job (`in_turn`), so that the network's schedulers
    split the work."""
    scheduler = heartbeat.scheduler
    settings = app.settings.scheduler
    common: dict[str, Any] = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": settings.misfire_grace,
        "kwargs": {"app": app},
    }
    if ncp is not None:
        scheduler = _InTurn(scheduler, ncp)
    scheduler.add_job(
        run_sweep,
        "interval",
        id=SWEEP_JOB,
        seconds=settings.sweep_interval,
        next_run_time=_now(app),
        **common,
    )
    scheduler.add_job(
        run_dispatch,
        "interval",
        id=DISPATCH_JOB,
        seconds=settings.dispatch_interval,
        next_run_time=_now(app),
        **{**common, "kwargs": {"app": app, "stop": heartbeat.stopping}},
    )
    if DUTY_JOB in jobs(app):
        scheduler.add_job(
            run_duty,
            "interval",
            id=DUTY_JOB,
            seconds=settings.rotation_interval,
            next_run_time=_now(app),
            **common,
        )
    scheduler.add_job(
        run_leads_check,
        "interval",
        id=LEADS_JOB,
        seconds=settings.rotation_interval,
        next_run_time=_now(app),
        **common,
    )
    if CHECKPOINT_JOB in jobs(app):
        # Nightly at 02:30 in the NCP's zone; without a key the job list says it is off.
        scheduler.add_job(
            run_checkpoint,
            "cron",
            id=CHECKPOINT_JOB,
            hour=2,
            minute=30,
            timezone=app.settings.ncp.timezone,
            **common,
        )
    elif load_key(app.settings) is not None:
        log.warning(
            "audit_checkpoints_off",
            reason="only an HMAC key is configured; new "
            "checkpoints are signed with Ed25519: `ncpflow audit keygen --output FILE`, "
            "then [audit] signing_key_file",
        )


def in_turn(job: Any, job_id: str, ncp: str, **kwargs: Any) -> None:
    """Run `job` for one NCP of a network if this process gets the NCP's turn at it, else
    leave it to the scheduler that has the turn (it is doing it now)."""
    from structlog.contextvars import bound_contextvars

    app: Application = kwargs["app"]
    try:
        with bound_contextvars(ncp=ncp), app.turn(job_id) as mine:
            if mine:
                job(**kwargs)
            else:
                log.info("job_skipped", job=job_id, ncp=ncp, reason="another scheduler has this NCP's turn")
    except Exception as exc:  # the lock's connection failed: the next run retries
        log.error("job_failed", job=job_id, ncp=ncp, error=str(exc))


class _InTurn:
    """`add_job` for one NCP of a network: ids `<NCP>:<job>`, each run through `in_turn`."""

    def __init__(self, scheduler: BaseScheduler, ncp: str) -> None:
        self._scheduler, self._ncp = scheduler, ncp

    def add_job(self, func: Any, trigger: str, *, id: str, kwargs: dict[str, Any], **options: Any) -> Any:
        return self._scheduler.add_job(
            in_turn,
            trigger,
            id=f"{self._ncp}:{id}",
            kwargs={"job": func, "job_id": id, "ncp": self._ncp, **kwargs},
            **options,
        )


def network_jobs(heartbeat: Heartbeat, network: Network) -> Heartbeat:
    """Every NCP's jobs on one scheduler, each NCP on its own application and settings."""
    for ncp, app in network.applications():
        add_jobs(heartbeat, app, ncp=ncp.code)
    return heartbeat


def background_network(network: Network) -> Heartbeat:
    """A network's jobs in a background thread, for `ncpflow serve --network`."""
    return network_jobs(Heartbeat(BackgroundScheduler(timezone="UTC", executors=_pool(network))), network)


def run_network(network: Network) -> None:
    """`ncpflow scheduler --network`: every NCP's jobs until SIGTERM or SIGINT."""
    heartbeat = network_jobs(Heartbeat(BlockingScheduler(timezone="UTC", executors=_pool(network))), network)
    log.info("scheduler_started", ncps=[ncp.code for ncp in network.ncps])
    _run_until_stopped(heartbeat)
    log.info("scheduler_stopped")


def _pool(network: Network) -> dict[str, Any]:
    # A few NCPs' jobs at once: each holds a connection for its turn and one for its work,
    # out of the NCP's own small pool.
    return {"default": ThreadPoolExecutor(max_workers=min(10, 2 * len(network.ncps)))}


def _now(app: Application) -> Any:
    return app.clock.now()


def run(app: Application) -> None:
    """Run until SIGTERM or SIGINT, then finish the message in hand and stop."""
    heartbeat = build(app)
    log.info(
        "scheduler_started",
        jobs=jobs(app),
        sweep_interval=app.settings.scheduler.sweep_interval,
        dispatch_interval=app.settings.scheduler.dispatch_interval,
    )
    _run_until_stopped(heartbeat)
    log.info("scheduler_stopped")


def _run_until_stopped(heartbeat: Heartbeat) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("scheduler_stopping", signal=signal.Signals(signum).name)
        # Shut down from the main loop's own thread: it waits for the job in hand, whose
        # dispatch takes no message after the current one now that `stopping` is set.
        heartbeat.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    heartbeat.start()
