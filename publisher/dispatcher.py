"""The dispatcher: APScheduler is the clock, the deliveries table is the truth.

Nothing is pickled into a job store. A short periodic sweep reads the deliveries that
come due soon and gives each a one-off job at its exact time; a job claims its row with
a conditional UPDATE that only one process can win, delivers the frozen rendition, and
records the outcome. Leases held by a process that died are recovered by the sweep.
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
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from channel_adapters.base import (
    DeliveryResult,
    PermanentError,
    RetryableError,
    UnknownOutcomeError,
)

from . import audit
from .config import Config
from .db import Database, deliveries_changed
from .models import (
    PENDING_DELIVERY,
    Delivery,
    DeliveryStatus,
    DispatcherHeartbeat,
    FrozenRendition,
    ReleaseStatus,
    utcnow,
)
from .rendering import thaw

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
        self._planned: dict[int, datetime] = {}
        self._lock = threading.Lock()
        self._last_beat: datetime | None = None
        self._started_at: datetime | None = None

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> None:
        """Start the clock: sweep now and then every `poll_seconds`."""
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=4)},
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
        if self.wake_on_commit:
            deliveries_changed.connect(self._on_changed)
        self.scheduler.start()
        log.info("dispatcher %s started", self.name)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking new work; with `wait`, let running deliveries finish."""
        deliveries_changed.disconnect(self._on_changed)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
            with self.db.session() as session:
                session.execute(
                    delete(DispatcherHeartbeat).where(
                        DispatcherHeartbeat.name == self.name
                    )
                )
        log.info("dispatcher %s stopped", self.name)

    # --- planning -----------------------------------------------------------------

    def sweep(self) -> None:
        """Recover dead leases, plan jobs for deliveries due soon, beat the heart."""
        now = self.clock()
        with self.db.session() as session:
            self._reap(session, now)
        with self.db.session() as session:
            horizon = now + timedelta(seconds=self.settings.lookahead_seconds)
            due_at = func.coalesce(Delivery.next_attempt_at, Delivery.planned_at)
            rows = session.execute(
                select(Delivery.id, due_at)
                .where(Delivery.status.in_(PENDING_DELIVERY), due_at <= horizon)
                .order_by(due_at)
            ).all()
        for delivery_id, when in rows:
            self._plan(delivery_id, _aware(when))
        self._heartbeat(now)

    def _on_changed(self, _sender: Any, delivery_ids: frozenset[int]) -> None:
        with self.db.session() as session:
            rows = session.execute(
                select(
                    Delivery.id, Delivery.planned_at, Delivery.next_attempt_at
                ).where(
                    Delivery.id.in_(delivery_ids), Delivery.status.in_(PENDING_DELIVERY)
                )
            ).all()
        for delivery_id, planned_at, next_attempt_at in rows:
            self._plan(delivery_id, next_attempt_at or planned_at)

    def _plan(self, delivery_id: int, when: datetime) -> None:
        """Make sure a one-off job runs `delivery_id` at `when`."""
        if self.scheduler is None:
            return
        with self._lock:
            if self._planned.get(delivery_id) == when:
                return
            self._planned[delivery_id] = when
        self.scheduler.add_job(
            self.run_delivery,
            "date",
            run_date=when,
            args=[delivery_id],
            id=f"delivery-{delivery_id}",
            replace_existing=True,
        )

    # --- sending ------------------------------------------------------------------

    def run_delivery(self, delivery_id: int) -> str | None:
        """Claim, deliver and record one delivery; its new status, if claimed."""
        try:
            claimed = self._claim(delivery_id)
        finally:
            # Forgotten only now: a sweep while the claim was under way must not
            # plan a second job for the same row.
            with self._lock:
                self._planned.pop(delivery_id, None)
        if claimed is None:
            self._replan_if_pending(delivery_id)
            return None
        adapter_name, rendition, key, channel = claimed
        try:
            adapter = self.config.adapter(channel)
            result: DeliveryResult | Exception = adapter.deliver(rendition, key)
        except (RetryableError, PermanentError, UnknownOutcomeError) as exc:
            result = exc
        except Exception as exc:  # noqa: BLE001 - an adapter bug must not kill the job
            log.exception("adapter %s crashed delivering %s", adapter_name, delivery_id)
            result = PermanentError(
                f"internal error in the {adapter_name} adapter: "
                f"{type(exc).__name__}: {exc}"
            )
        return self._record(delivery_id, result)

    def _claim(self, delivery_id: int) -> tuple[str, Any, str, str] | None:
        """Win the row (or learn another process did) and load what to send."""
        now = self.clock()
        lease_until = now + timedelta(seconds=self.settings.lease_seconds)
        with self.db.session() as session:
            won = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status.in_(PENDING_DELIVERY),
                    func.coalesce(Delivery.next_attempt_at, Delivery.planned_at) <= now,
                )
                .values(
                    status=DeliveryStatus.SENDING,
                    lease_owner=self.name,
                    lease_expires_at=lease_until,
                    attempts=Delivery.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                return None
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            if self._refused(session, delivery, now):
                return None
            row = session.scalar(
                select(FrozenRendition).where(
                    FrozenRendition.revision_id == delivery.revision_id,
                    FrozenRendition.channel == delivery.channel,
                )
            )
            if row is None:
                self._finish(
                    session,
                    delivery,
                    DeliveryStatus.FAILED,
                    now,
                    error="no approved rendition for this channel; the "
                    "channel was enabled after approval",
                )
                return None
            audit.record(
                session,
                None,
                "delivery.sending",
                delivery=delivery,
                channel=delivery.channel,
                attempt=delivery.attempts,
                process=self.name,
            )
            return (
                delivery.adapter,
                thaw(row),
                delivery.idempotency_key,
                delivery.channel,
            )

    def _refused(self, session: Session, delivery: Delivery, now: datetime) -> bool:
        """Last guard before sending: still approved, same revision, no embargo."""
        release, revision = delivery.release, delivery.revision
        if (
            release.status not in (ReleaseStatus.APPROVED, ReleaseStatus.PUBLISHED)
            or release.approved_revision != revision.number
        ):
            self._finish(
                session,
                delivery,
                DeliveryStatus.CANCELLED,
                now,
                error="the release is no longer approved in this revision",
            )
        elif revision.embargo_at and revision.embargo_at > now:
            delivery.status = DeliveryStatus.SCHEDULED
            delivery.next_attempt_at = revision.embargo_at
            delivery.attempts -= 1
            delivery.lease_owner = delivery.lease_expires_at = None
            audit.record(
                session,
                None,
                "delivery.held_for_embargo",
                delivery=delivery,
                until=revision.embargo_at.isoformat(),
            )
        elif delivery.channel not in self.config.enabled_channels:
            self._finish(
                session,
                delivery,
                DeliveryStatus.FAILED,
                now,
                error=f"channel {delivery.channel} is not enabled in config.yaml",
            )
        else:
            return False
        return True

    def _replan_if_pending(self, delivery_id: int) -> None:
        """A row still waiting (moved, held for embargo, clock skew) gets a new job."""
        with self.db.session() as session:
            row = session.execute(
                select(Delivery.planned_at, Delivery.next_attempt_at).where(
                    Delivery.id == delivery_id, Delivery.status.in_(PENDING_DELIVERY)
                )
            ).first()
        if row is not None:
            self._plan(delivery_id, row.next_attempt_at or row.planned_at)

    def _record(
        self, delivery_id: int, result: DeliveryResult | Exception
    ) -> str | None:
        """Store the outcome, if this process still holds the lease."""
        now = self.clock()
        with self.db.session() as session:
            delivery = session.scalar(
                select(Delivery).where(
                    Delivery.id == delivery_id,
                    Delivery.status == DeliveryStatus.SENDING,
                    Delivery.lease_owner == self.name,
                )
            )
            if delivery is None:
                log.error(
                    "delivery %s lost its lease before its outcome was stored",
                    delivery_id,
                )
                return None
            if isinstance(result, DeliveryResult):
                delivery.remote_id = result.remote_id or None
                delivery.remote_url = result.remote_url or None
                delivery.sent_at = now
                self._finish(
                    session,
                    delivery,
                    DeliveryStatus.SENT,
                    now,
                    detail=result.detail or None,
                )
                if delivery.release.status == ReleaseStatus.APPROVED:
                    delivery.release.status = ReleaseStatus.PUBLISHED
                    delivery.release.updated_at = now
                    audit.record(
                        session,
                        None,
                        "release.published",
                        delivery.release,
                        first_channel=delivery.channel,
                    )
            elif isinstance(result, RetryableError):
                if delivery.attempts >= self.settings.max_attempts:
                    self._finish(
                        session,
                        delivery,
                        DeliveryStatus.FAILED,
                        now,
                        error=f"gave up after {delivery.attempts} attempts: "
                        f"{result.detail}",
                    )
                else:
                    backoff = self.settings.retry_base_seconds * 2 ** (
                        delivery.attempts - 1
                    )
                    if result.retry_after is not None:
                        backoff = result.retry_after  # the partner said when
                    delay = min(self.settings.retry_max_seconds, max(0.0, backoff))
                    delivery.next_attempt_at = now + timedelta(seconds=delay)
                    self._finish(
                        session,
                        delivery,
                        DeliveryStatus.RETRYING,
                        now,
                        error=result.detail,
                        next_attempt_at=delivery.next_attempt_at.isoformat(),
                    )
            elif isinstance(result, UnknownOutcomeError):
                self._finish(
                    session, delivery, DeliveryStatus.UNKNOWN, now, error=result.detail
                )
            else:
                detail = getattr(result, "detail", str(result))
                self._finish(
                    session, delivery, DeliveryStatus.FAILED, now, error=detail
                )
            status = delivery.status
            wake_at = (
                delivery.next_attempt_at if status == DeliveryStatus.RETRYING else None
            )
        if wake_at is not None:
            self._plan(delivery_id, wake_at)
        return status

    def _finish(
        self,
        session: Session,
        delivery: Delivery,
        status: DeliveryStatus,
        now: datetime,
        *,
        error: str | None = None,
        **detail: Any,
    ) -> None:
        delivery.status = status
        delivery.last_error = error
        delivery.lease_owner = None
        delivery.lease_expires_at = None
        delivery.updated_at = now
        audit.record(
            session,
            None,
            f"delivery.{status}",
            delivery=delivery,
            channel=delivery.channel,
            attempt=delivery.attempts,
            error=error,
            **detail,
        )

    # --- housekeeping -------------------------------------------------------------

    def _reap(self, session: Session, now: datetime) -> None:
        """Deliveries whose sender died mid-send: retry if harmless, else a human."""
        stale = session.scalars(
            select(Delivery).where(
                Delivery.status == DeliveryStatus.SENDING,
                Delivery.lease_expires_at < now,
            )
        ).all()
        for delivery in stale:
            owner = delivery.lease_owner
            if (
                self.config.channels.get(delivery.channel)
                and self.config.channels[delivery.channel].adapter_class.idempotent
            ):
                delivery.next_attempt_at = now
                self._finish(
                    session,
                    delivery,
                    DeliveryStatus.RETRYING,
                    now,
                    error=f"{owner} stopped while sending; sending again",
                )
            else:
                self._finish(
                    session,
                    delivery,
                    DeliveryStatus.UNKNOWN,
                    now,
                    error=f"{owner} stopped while sending; check the channel "
                    "before sending again",
                )

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
