"""Mailing notifications: one message per notification, or one digest a day.

Runs in the dispatcher process as one periodic APScheduler job (`schedule`), never
in a web request: a slow or broken mail server delays only this job. Each row is
won with a conditional UPDATE of its attempt counter (so two dispatchers never
mail it twice), sent, then marked `emailed_at`; a failure is logged and stored on
the row (`email_error`) and tried again on the next run, up to
`notifications.max_attempts`, after which the row keeps its error for the record.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from ..config import Config
from ..db import Database
from ..models import Notification, NotificationPreference, User
from ..notices import render_for
from . import notifications

log = logging.getLogger(__name__)
JOB = "notification-mail"
SUBJECT_LENGTH = 150


class MailFailed(Exception):
    """The mail server could not be reached or refused the message."""


def schedule(scheduler, config: Config, db: Database, clock: Callable[[], datetime]):
    """Add the mail job to the dispatcher's scheduler (nothing when mail is off)."""
    settings = config.notifications
    if not settings.enabled:
        return
    scheduler.add_job(
        lambda: run(config, db, clock()),
        "interval",
        seconds=settings.interval_seconds,
        id=JOB,
        next_run_time=datetime.now(UTC),
    )


def run(config: Config, db: Database, now: datetime) -> tuple[int, int]:
    """One round: due single messages, then digests; (messages, digests) sent."""
    return send_due(config, db, now), send_digests(config, db, now)


# --- one message per notification -----------------------------------------------


def send_due(config: Config, db: Database, now: datetime) -> int:
    """Mail every notification waiting for its own message; how many went."""
    limit = config.notifications.max_attempts
    with db.session() as session:
        due = session.execute(
            select(Notification.id, Notification.email_attempts)
            .join(
                NotificationPreference,
                NotificationPreference.user_id == Notification.user_id,
                isouter=True,
            )
            .join(User, User.id == Notification.user_id)
            .where(
                User.active.is_(True),
                Notification.email_wanted.is_(True),
                Notification.emailed_at.is_(None),
                Notification.email_attempts < limit,
                NotificationPreference.daily_digest.isnot(True),
            )
            .order_by(Notification.id)
        ).all()
    sent = 0
    for notification_id, attempts in due:
        with db.session() as session:
            if not _win(session, notification_id, attempts):
                continue
        with db.session() as session:
            row = session.get(Notification, notification_id)
            assert row is not None
            prefs = notifications.preferences(session, row.user)
            language = prefs.language or config.organization.language
            message = single_message(config, row, prefs.email, language)
            try:
                deliver(config, message)
            except MailFailed as exc:
                _failed(row, exc, attempts + 1, limit)
                continue
            row.emailed_at, row.email_error = now, None
            sent += 1
    return sent


def _win(session: Session, notification_id: int, attempts: int) -> bool:
    """Take this attempt of a row; False if another process took it first."""
    return (
        session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.email_attempts == attempts,
                Notification.emailed_at.is_(None),
            )
            .values(email_attempts=attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _failed(row: Notification, exc: MailFailed, attempt: int, limit: int) -> None:
    """Store and log why this row's mail did not go; loud once it gives up."""
    row.email_error = str(exc)
    if attempt >= limit:
        log.error(
            "notification %s to user %s not mailed after %s attempts: %s",
            row.id,
            row.user_id,
            attempt,
            exc,
        )
    else:
        log.warning("notification %s not mailed (attempt %s): %s", row.id, attempt, exc)


def single_message(
    config: Config, row: Notification, address: str, language: str
) -> EmailMessage:
    """The message for one notification, in the recipient's language."""
    tz = config.organization.timezone
    sentence = render_for(row.notice, language, tz)
    lines = [sentence, ""]
    if row.release_id:
        lines.append(render_for(_open(config, row.release_id), language, tz))
    lines += ["", "-- ", render_for(_footer(config), language, tz)]
    return _message(config, address, sentence, "\n".join(lines), language)


# --- the daily digest -----------------------------------------------------------


def send_digests(config: Config, db: Database, now: datetime) -> int:
    """After the digest hour, one message per digest reader with the unread
    notifications of the last day; how many went."""
    local = now.astimezone(ZoneInfo(config.organization.timezone))
    if local.hour < config.notifications.digest_hour:
        return 0
    today = local.date().isoformat()
    with db.session() as session:
        readers = session.execute(
            select(
                NotificationPreference.user_id, NotificationPreference.digest_sent_on
            )
            .join(User, User.id == NotificationPreference.user_id)
            .where(
                NotificationPreference.daily_digest.is_(True),
                NotificationPreference.email != "",
                User.active.is_(True),
            )
        ).all()
    sent = 0
    for user_id, last in readers:
        if last == today:
            continue
        with db.session() as session:
            won = session.execute(
                update(NotificationPreference)
                .where(
                    NotificationPreference.user_id == user_id,
                    _same(NotificationPreference.digest_sent_on, last),
                )
                .values(digest_sent_on=today)
                .execution_options(synchronize_session=False)
            ).rowcount
        if won == 1 and _send_digest(config, db, user_id, last, now):
            sent += 1
    return sent


def _same(column, value):
    return column.is_(None) if value is None else column == value


def _send_digest(
    config: Config, db: Database, user_id: int, last: str | None, now: datetime
) -> bool:
    """Mail one user's digest; on failure give the day back for the next run."""
    limit = config.notifications.max_attempts
    with db.session() as session:
        rows = digest_rows(session, user_id, now, limit)
        if not rows:
            return False
        user = session.get(User, user_id)
        assert user is not None
        prefs = notifications.preferences(session, user)
        language = prefs.language or config.organization.language
        message = digest_message(config, rows, prefs.email, language)
        try:
            deliver(config, message)
        except MailFailed as exc:
            for row in rows:
                row.email_attempts += 1
                row.email_error = str(exc)
            pref = session.get(NotificationPreference, user_id)
            assert pref is not None
            pref.digest_sent_on = last  # try again on the next run
            log.error("digest for user %s not mailed: %s", user_id, exc)
            return False
        for row in rows:
            row.emailed_at, row.email_error = now, None
    return True


def digest_rows(
    session: Session, user_id: int, now: datetime, limit: int
) -> list[Notification]:
    """A user's unread, not yet mailed notifications of the last day, oldest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.email_wanted.is_(True),
                Notification.emailed_at.is_(None),
                Notification.read_at.is_(None),
                Notification.email_attempts < limit,
                Notification.created_at >= now - timedelta(days=1),
            )
            .order_by(Notification.id)
        )
    )


def digest_message(
    config: Config, rows: list[Notification], address: str, language: str
) -> EmailMessage:
    """One message listing `rows`, each with its link, in the reader's language."""
    tz = config.organization.timezone
    where = (language, tz)
    count = len(rows)
    subject = render_for(Notice("notify.digest_subject", {"count": count}), *where)
    lines = [render_for(Notice("notify.digest_intro", {"count": count}), *where)]
    for row in rows:
        lines += ["", "• " + render_for(row.notice, language, tz)]
        if row.release_id:
            lines.append("  " + render_for(_open(config, row.release_id), language, tz))
    lines += ["", "-- ", render_for(_footer(config), language, tz)]
    return _message(config, address, subject, "\n".join(lines), language)


# --- the envelope and the wire --------------------------------------------------


def _open(config: Config, release_id: int) -> Notice:
    url = f"{config.organization.public_url}/releases/{release_id}"
    return Notice("notify.mail_open", {"url": url})


def _footer(config: Config) -> Notice:
    url = f"{config.organization.public_url}/notifications/preferences"
    return Notice("notify.mail_footer", {"url": url})


def _message(
    config: Config, address: str, subject: str, body: str, language: str
) -> EmailMessage:
    settings = config.notifications
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    message = EmailMessage()
    sender = settings.from_name or config.organization.short_name
    message["From"] = formataddr((sender, settings.from_address))
    message["To"] = address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.from_address.rsplit("@", 1)[1])
    message["Content-Language"] = language
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    message.set_content(body)
    return message


def deliver(config: Config, message: EmailMessage) -> None:
    """Send `message` through the configured server; MailFailed says why not."""
    smtp_settings = config.notifications.smtp
    host, port = smtp_settings.host, smtp_settings.effective_port
    try:
        if smtp_settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host,
                port,
                timeout=smtp_settings.timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=smtp_settings.timeout)
        try:
            if smtp_settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if smtp_settings.username and smtp_settings.password:
                smtp.login(
                    smtp_settings.username, smtp_settings.password.get_secret_value()
                )
            smtp.send_message(message)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    except (smtplib.SMTPException, OSError) as exc:
        reason = str(exc)
        if smtp_settings.password:
            reason = reason.replace(smtp_settings.password.get_secret_value(), "***")
        raise MailFailed(f"{host}:{port}: {type(exc).__name__}: {reason}") from exc
