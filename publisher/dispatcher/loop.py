"""The clock: one APScheduler per sending process, planning jobs from the table.

Nothing is pickled into a job store. A short periodic sweep reaps dead leases, reads
the deliveries that come due soon and gives each a one-off job at its exact time; a
commit in this process wakes the dispatcher at once. When a job fires, the delivery
joins its channel's lane (`lanes`), which starts it in the shared pool as soon as the
channel's concurrency, rate and any pause allow. Sending claims the row
(`claims.claim`), hands the frozen rendition to the adapter and records the outcome
(`claims.record`), whose next state `decision.decide` chooses.

With `dispatcher.per_channel: false` the job sends itself in one pool of
`max_workers` threads shared by every channel (the behaviour before lanes, kept so
benchmarks can compare).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from channel_adapters.base import DeliveryError, RetryableError

from ..config import Config
from ..db import Database, deliveries_changed
from ..models import (
    PENDING_DELIVERY,
    Delivery,
    DeliveryStatus,
    DispatcherHeartbeat,
    utcnow,
)
from ..services import notification_mail
from ..services.recipients import DeliveryLedger
from .claims import Claim, claim, reap, record
from .decision import Crash, Outcome, backoff
from .lanes import Lanes

log = logging.getLogger(__name__)
SWEEP_JOB = "sweep"


class Dispatcher:
    """One per process that sends; never inside web workers."""

    def __init__(
        self,
        config: Config,
        database: Database,
        *,
        name: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        wake_on_commit: bool = True,
    ) -> None:
        self.config = config
        self.settings = config.dispatcher
        self.db = database
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.clock = clock
        self.wake_on_commit = wake_on_commit
        self.scheduler: BackgroundScheduler | None = None
        self.lanes: Lanes | None = None
        self._planned: dict[int, datetime] = {}
        self._lock = threading.Lock()
        self._last_beat: datetime | None = None
        self._started_at: datetime | None = None

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> None:
        """Start the clock: sweep now and then every `poll_seconds`."""
        if self.settings.per_channel:
            self.lanes = Lanes(
                self.run_delivery,
                max_workers=self.settings.max_workers,
                limits={
                    name: (channel.concurrency, channel.rate)
                    for name, channel in self.config.channels.items()
                },
            )
        # With lanes, a job only queues its delivery: two threads keep up with it.
        job_threads = 2 if self.lanes else self.settings.max_workers
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=job_threads)},
            # APScheduler 3 drops a one-off job that is more than 1 s late by
            # default; a delivery must go out however late the process woke up.
            job_defaults={
                "misfire_grace_time": None,
                "coalesce": True,
                "max_instances": 1,
            },
        )
        self._started_at = self.clock()
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.settings.poll_seconds,
            id=SWEEP_JOB,
            next_run_time=datetime.now(UTC),
        )
        # Notification e-mail goes out from here, never from a web request.
        notification_mail.schedule(self.scheduler, self.config, self.db, self.clock)
        if self.wake_on_commit:
            deliveries_changed.connect(self._on_changed)
        self.scheduler.start()
        log.info("dispatcher %s started", self.name)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking new work; with `wait`, let running deliveries finish."""
        deliveries_changed.disconnect(self._on_changed)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
            if self.lanes is not None:
                self.lanes.shutdown(wait=wait)
            with self.db.session() as session:
                session.execute(
                    delete(DispatcherHeartbeat).where(
                        DispatcherHeartbeat.name == self.name
                    )
                )
        log.info("dispatcher %s stopped", self.name)

    # --- planning -----------------------------------------------------------------

    def sweep(self) -> list[int]:
        """Recover dead leases, plan jobs for deliveries due soon, beat the heart;
        the ids of the deliveries due within the lookahead, soonest first."""
        now = self.clock()
        with self.db.session() as session:
            reap(session, self.config, now)
        with self.db.session() as session:
            horizon = now + timedelta(seconds=self.settings.lookahead_seconds)
            due_at = func.coalesce(Delivery.next_attempt_at, Delivery.planned_at)
            rows = session.execute(
                select(Delivery.id, Delivery.channel, due_at)
                .where(Delivery.status.in_(PENDING_DELIVERY), due_at <= horizon)
                .order_by(due_at)
            ).all()
        for delivery_id, channel, when in rows:
            self._plan(delivery_id, channel, _aware(when))
        self._heartbeat(now)
        return [delivery_id for delivery_id, _, _ in rows]

    def _on_changed(self, _sender: Any, delivery_ids: frozenset[int]) -> None:
        with self.db.session() as session:
            rows = session.execute(
                select(
                    Delivery.id,
                    Delivery.channel,
                    Delivery.planned_at,
                    Delivery.next_attempt_at,
                ).where(
                    Delivery.id.in_(delivery_ids), Delivery.status.in_(PENDING_DELIVERY)
                )
            ).all()
        for delivery_id, channel, planned_at, next_attempt_at in rows:
            self._plan(delivery_id, channel, next_attempt_at or planned_at)

    def _plan(self, delivery_id: int, channel: str, when: datetime) -> None:
        """Make sure a one-off job starts `delivery_id` (of `channel`) at `when`."""
        if self.scheduler is None:
            return
        with self._lock:
            if self._planned.get(delivery_id) == when:
                return
            self._planned[delivery_id] = when
        if self.lanes is not None:
            job, args = self.lanes.submit, [channel, delivery_id]
        else:
            job, args = self.run_delivery, [delivery_id]
        self.scheduler.add_job(
            job,
            "date",
            run_date=when,
            args=args,
            id=f"delivery-{delivery_id}",
            replace_existing=True,
        )

    # --- sending ------------------------------------------------------------------

    def run_delivery(self, delivery_id: int) -> str | None:
        """Claim, deliver and record one delivery; its new status, if claimed."""
        try:
            with self.db.session() as session:
                claimed = claim(
                    session, self.config, delivery_id, owner=self.name, now=self.clock()
                )
        finally:
            # Forgotten only now: a sweep while the claim was under way must not
            # plan a second job for the same row.
            with self._lock:
                self._planned.pop(delivery_id, None)
        if claimed is None:
            self._replan_if_pending(delivery_id)
            return None
        outcome = self._attempt(claimed)
        self._pause_if_asked(claimed, outcome)
        with self.db.session() as session:
            transition = record(
                session,
                self.config,
                delivery_id,
                outcome,
                owner=self.name,
                now=self.clock(),
            )
        if transition is None:
            return None
        if transition.status == DeliveryStatus.RETRYING:
            assert transition.next_attempt_at is not None
            self._plan(delivery_id, claimed.channel, transition.next_attempt_at)
        return transition.status

    def _pause_if_asked(self, claimed: Claim, outcome: Outcome) -> None:
        """A 429, or any Retry-After, pauses the channel (only it) for that long."""
        if self.lanes is None or not isinstance(outcome, RetryableError):
            return
        if outcome.retry_after is None and outcome.status != 429:
            return
        seconds = backoff(claimed.attempt, self.settings, outcome.retry_after)
        self.lanes.pause(claimed.channel, seconds)

    def _attempt(self, claimed: Claim) -> Outcome:
        """Hand the frozen rendition to the adapter; what came back, as an outcome."""
        try:
            adapter = self.config.adapter(claimed.channel)
            if adapter.addressed:
                # Recipients resolved now; each one's outcome stored as it comes.
                ledger = DeliveryLedger(
                    self.db,
                    self.config,
                    claimed.delivery_id,
                    claimed.channel,
                    owner=self.name,
                    clock=self.clock,
                )
                return adapter.deliver_to(
                    claimed.rendition, claimed.idempotency_key, ledger
                )
            return adapter.deliver(claimed.rendition, claimed.idempotency_key)
        except DeliveryError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - an adapter bug must not kill the job
            # Our bug, not the remote's refusal: the traceback goes to the log, the
            # delivery records only which adapter failed and how.
            log.exception(
                "adapter %s crashed delivering %s", claimed.adapter, claimed.delivery_id
            )
            return Crash(claimed.adapter, type(exc).__name__)

    def _replan_if_pending(self, delivery_id: int) -> None:
        """A row still waiting (moved, held for embargo, clock skew) gets a new job."""
        with self.db.session() as session:
            row = session.execute(
                select(
                    Delivery.channel, Delivery.planned_at, Delivery.next_attempt_at
                ).where(
                    Delivery.id == delivery_id, Delivery.status.in_(PENDING_DELIVERY)
                )
            ).first()
        if row is not None:
            self._plan(delivery_id, row.channel, row.next_attempt_at or row.planned_at)

    # --- housekeeping -------------------------------------------------------------

    def _heartbeat(self, now: datetime) -> None:
        if (
            self._last_beat
            and (now - self._last_beat).total_seconds()
            < self.settings.heartbeat_seconds
        ):
            return
        with self.db.session() as session:
            beat = session.get(DispatcherHeartbeat, self.name)
            if beat is None:
                session.add(
                    DispatcherHeartbeat(
                        name=self.name, beat_at=now, started_at=self._started_at or now
                    )
                )
            else:
                beat.beat_at = now
            # Rows of processes gone for a day are history, not dispatchers.
            session.execute(
                delete(DispatcherHeartbeat).where(
                    DispatcherHeartbeat.beat_at < now - timedelta(days=1)
                )
            )
        self._last_beat = now


def _aware(moment: datetime) -> datetime:
    """SQL `coalesce` loses the column type on SQLite; bring UTC back."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def heartbeats(session: Session) -> list[DispatcherHeartbeat]:
    """Every dispatcher's last sign of life, newest first."""
    return list(
        session.scalars(
            select(DispatcherHeartbeat).order_by(DispatcherHeartbeat.beat_at.desc())
        )
    )
