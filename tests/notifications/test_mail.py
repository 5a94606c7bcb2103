"""Notification e-mail at a real SMTP server, in each reader's language; the digest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from notify_helpers import FROM, choose, mail_config, user
from support import wait_until

from publisher.dispatcher import Dispatcher
from publisher.models import Notification, utcnow
from publisher.services import drafting, notification_mail, workflow
from tests.mail_desk import start_desk


@pytest.fixture
def config(tmp_path, database_url, desk_controller, extra_channels):
    """Notification mail switched on, to the test's desk."""
    return mail_config(tmp_path, database_url, desk_controller.port, extra_channels)


@pytest.fixture
def desk_controller():
    """The desk's server and its controller (to stop it mid-test)."""
    server, controller = start_desk()
    controller.desk = server
    controller.stopped = False
    yield controller
    if not controller.stopped:
        controller.stop()


@pytest.fixture(autouse=True)
def _people(accounts_):
    return accounts_


def submit(database, title: str = "Rapat KIM") -> int:
    """The drafter writes and submits a release."""
    with database.session() as session:
        drafter = user(session, "penyusun")
        release = drafting.create_release(
            session,
            drafter,
            drafting.ReleaseContent(title=title, lead="Ringkasan.", body="Isi."),
        )
        workflow.submit(session, drafter, release.id)
        return release.id


def mailed(database) -> list[Notification]:
    """Every notification that was e-mailed."""
    with database.session() as session:
        return (
            session.query(Notification)
            .filter(Notification.emailed_at.isnot(None))
            .order_by(Notification.id)
            .all()
        )


def only_mail_for(database, **addresses: tuple[str, str]) -> None:
    """Give the named users an address and language; nobody else gets mail."""
    for name in ("penyusun", "editor", "editor2", "admin"):
        email, language = addresses.get(name, ("", ""))
        choose(database, name, email=email, language=language)


def test_each_reader_gets_one_message_in_their_own_language(
    database, config, desk_controller
):
    desk = desk_controller.desk
    only_mail_for(
        database,
        editor=("editor@example.go.id", "id"),
        editor2=("editor2@example.go.id", "en"),
    )
    release_id = submit(database)
    now = utcnow()
    assert notification_mail.run(config, database, now) == (2, 0)
    by_address = {a.rcpt_tos[0]: a.message for a in desk.arrived}
    assert set(by_address) == {"editor@example.go.id", "editor2@example.go.id"}
    indonesian, english = (
        by_address["editor@example.go.id"],
        by_address["editor2@example.go.id"],
    )
    assert "mengajukan “Rapat KIM” untuk ditinjau" in indonesian["Subject"]
    assert "submitted “Rapat KIM” for review" in english["Subject"]
    assert indonesian["From"].addresses[0].addr_spec == FROM
    body = indonesian.get_content()
    assert f"Buka: http://127.0.0.1:5000/releases/{release_id}" in body
    assert "pengaturan notifikasi Anda" in body
    assert "Open: http://127.0.0.1:5000/releases/" in english.get_content()
    assert len(mailed(database)) == 2
    # Mailed once: the next round finds nothing to send.
    assert notification_mail.run(config, database, now) == (0, 0)
    assert len(desk.arrived) == 2


def test_a_mail_server_that_is_down_is_retried_then_given_up_loudly(
    database, config, desk_controller, caplog
):
    only_mail_for(database, editor=("editor@example.go.id", "id"))
    submit(database)
    desk_controller.stop()
    desk_controller.stopped = True
    caplog.set_level(logging.WARNING, "publisher.services.notification_mail")
    for _ in range(config.notifications.max_attempts + 2):
        assert notification_mail.send_due(config, database, utcnow()) == 0
    with database.session() as session:
        [row] = session.query(Notification).filter_by(email_wanted=True).all()
        assert row.emailed_at is None
        assert row.email_attempts == config.notifications.max_attempts
        assert "127.0.0.1" in row.email_error
    assert any(
        r.levelno == logging.ERROR and "not mailed after 5 attempts" in r.message
        for r in caplog.records
    )


def test_the_digest_collects_a_days_notifications_into_one_message(
    database, config, desk_controller
):
    desk = desk_controller.desk
    only_mail_for(database, editor=("editor@example.go.id", "id"))
    choose(
        database,
        "editor",
        email="editor@example.go.id",
        language="id",
        daily_digest=True,
    )
    for title in ("Rapat KIM", "Lomba Video", "Pameran UMKM"):
        submit(database, title)
    # 06:30 WITA: before the digest hour (07:00), and no single messages either.
    early = datetime(2026, 12, 4, 6, 30, tzinfo=UTC) - timedelta(hours=8)
    with database.session() as session:
        session.query(Notification).update({"created_at": early - timedelta(hours=2)})
    assert notification_mail.run(config, database, early) == (0, 0)
    assert desk.arrived == []
    at_seven = early + timedelta(minutes=31)
    assert notification_mail.run(config, database, at_seven) == (0, 1)
    [digest] = desk.arrived
    message = digest.message
    assert message["Subject"] == "3 notifikasi dalam sehari terakhir"
    body = message.get_content()
    for title in ("Rapat KIM", "Lomba Video", "Pameran UMKM"):
        assert f"mengajukan “{title}” untuk ditinjau" in body
    # One a day: later the same day nothing more goes, the next day only new ones.
    assert notification_mail.run(config, database, at_seven + timedelta(hours=5)) == (
        0,
        0,
    )
    assert notification_mail.run(config, database, at_seven + timedelta(days=1)) == (
        0,
        0,
    )
    assert len(desk.arrived) == 1


def test_the_digest_leaves_out_what_was_read(database, config, desk_controller):
    desk = desk_controller.desk
    choose(database, "editor", email="editor@example.go.id", daily_digest=True)
    submit(database, "Rapat KIM")
    submit(database, "Lomba Video")
    noon = datetime(2026, 12, 4, 4, 0, tzinfo=UTC)  # 12:00 WITA
    with database.session() as session:
        rows = (
            session.query(Notification)
            .filter_by(user_id=user(session, "editor").id)
            .order_by(Notification.id)
            .all()
        )
        for row in rows:
            row.created_at = noon - timedelta(hours=3)
        rows[0].read_at = noon - timedelta(hours=1)
    assert notification_mail.send_digests(config, database, noon) == 1
    body = desk.arrived[0].message.get_content()
    assert "Lomba Video" in body and "Rapat KIM" not in body


def test_the_dispatcher_sends_notification_mail_by_itself(
    database, config, desk_controller
):
    desk = desk_controller.desk
    only_mail_for(database, admin=("admin@example.go.id", "en"))
    config = mail_config(
        config.path.parent,
        config.database_url,
        desk_controller.port,
        interval_seconds=0.2,
    )
    worker = Dispatcher(config, database, name="uji")
    worker.start()
    try:
        submit(database, "Rapat KIM")
        assert wait_until(lambda: desk.arrived, timeout=10)
    finally:
        worker.shutdown()
    assert desk.arrived[0].rcpt_tos == ["admin@example.go.id"]
