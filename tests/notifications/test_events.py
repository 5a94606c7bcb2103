"""Each event notifies the right people, never the one who acted, as they chose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import plan
from notify_helpers import choose, kinds, received, user
from support import Reply

from publisher.dispatcher import Dispatcher
from publisher.models import DeliveryStatus, utcnow
from publisher.services import drafting, notifications, workflow
from publisher.signals import comment_added


@pytest.fixture(autouse=True)
def _people(accounts_):
    """A drafter, two editors and an admin."""
    return accounts_


@pytest.fixture
def extra_channels(webhook_channel):
    """A webhook to the test's receiver, to make a delivery fail."""
    return {"situs_web": webhook_channel}


def submitted(database, author: str = "penyusun", title: str = "Rapat KIM") -> int:
    """A release written and submitted by `author`."""
    with database.session() as session:
        writer = user(session, author)
        release = drafting.create_release(
            session,
            writer,
            drafting.ReleaseContent(title=title, lead="Ringkasan.", body="Isi."),
        )
        workflow.submit(session, writer, release.id)
        return release.id


def test_a_submitted_release_waits_for_every_editor_but_not_its_drafter(database):
    release_id = submitted(database)
    for editor in ("editor", "editor2", "admin"):
        [(kind, notice)] = received(database, editor)
        assert kind == "review_waiting"
        assert notice["code"] == "notify.review_waiting"
        assert notice["params"]["title"] == "Rapat KIM"
    assert kinds(database, "penyusun") == []
    assert release_id


def test_an_editor_who_submits_is_not_told_about_their_own_release(database):
    submitted(database, author="editor")
    assert kinds(database, "editor") == []
    assert kinds(database, "editor2") == ["review_waiting"]


def test_approval_and_rejection_reach_the_writers_not_the_editor(database, config):
    first = submitted(database)
    second = submitted(database, title="Lomba Video")
    with database.session() as session:
        editor = user(session, "editor")
        workflow.approve(session, config, editor, first)
        workflow.reject(session, editor, second, "Judul kurang jelas.")
    told = received(database, "penyusun")
    assert [k for k, _ in told] == ["approved", "rejected"]
    assert told[0][1]["params"]["number"]  # the official number, given at approval
    assert told[1][1]["params"]["reason"] == "Judul kurang jelas."
    assert kinds(database, "editor") == ["review_waiting", "review_waiting"]


def test_a_failed_delivery_tells_every_editor(
    database, config, approved_release, receiver
):
    receiver.default = Reply(status=422, body={"message": "judul terlalu panjang"})
    release_id = approved_release()
    now = utcnow() + timedelta(minutes=1)
    plan(database, config, release_id, now, "situs_web")
    worker = Dispatcher(config, database, name="uji", clock=lambda: now)
    assert [worker.run_delivery(i) for i in worker.sweep()] == [DeliveryStatus.FAILED]
    for editor in ("editor", "editor2", "admin"):
        failed = [n for k, n in received(database, editor) if k == "delivery_failed"]
        assert len(failed) == 1
        assert failed[0]["params"]["channel"] == "situs_web"
        assert "judul terlalu panjang" in failed[0]["params"]["reason"]
    assert "delivery_failed" not in kinds(database, "penyusun")


def test_a_missed_and_an_unknown_delivery_tell_every_editor(
    database, config, approved_release, receiver
):
    receiver.default = Reply(hang_up=True)  # the request went; no answer came
    start = utcnow() + timedelta(minutes=1)
    clock = {"now": start}
    worker = Dispatcher(config, database, name="uji", clock=lambda: clock["now"])
    [late] = plan(database, config, approved_release("Pameran"), start, "situs_web")
    clock["now"] = start + timedelta(hours=7)  # the dispatcher was down all this while
    worker.run_delivery(late)  # refused at the claim: too late to go
    [unsure] = plan(
        database, config, approved_release("Lomba"), clock["now"], "situs_web"
    )
    assert worker.run_delivery(unsure) == DeliveryStatus.UNKNOWN
    for editor in ("editor", "editor2", "admin"):
        told = [(k, n["params"]["title"]) for k, n in received(database, editor)]
        assert ("delivery_missed", "Pameran") in told
        assert ("delivery_unknown", "Lomba") in told
    assert not {"delivery_missed", "delivery_unknown"} & set(
        kinds(database, "penyusun")
    )


def test_a_comment_tells_the_writers_and_the_mentioned_not_the_commenter(database):
    release_id = submitted(database)
    with database.session() as session:
        mentioned = user(session, "editor2")
        comment_added.send(
            session,
            release_id=release_id,
            comment_id=1,
            actor_id=user(session, "editor").id,
            text="Mohon cek angka peserta, @editor2.",
            mentioned_ids=[mentioned.id],
        )
    assert kinds(database, "penyusun") == ["commented"]
    assert kinds(database, "editor2") == ["review_waiting", "mentioned"]
    assert kinds(database, "editor") == ["review_waiting"]
    [(_, notice)] = received(database, "penyusun")[-1:]
    assert notice["params"]["excerpt"] == "Mohon cek angka peserta, @editor2."


def test_a_comment_rolled_back_leaves_no_notification(database):
    release_id = submitted(database)
    with pytest.raises(RuntimeError), database.session() as session:
        notifications.notify_comment(
            session, release_id, user(session, "editor").id, "Catatan."
        )
        raise RuntimeError("the comment could not be stored")
    assert kinds(database, "penyusun") == []


def test_preferences_decide_where_a_notification_goes(database):
    choose(database, "editor", app_kinds=[], email_kinds=[])
    choose(database, "editor2", app_kinds=["approved"], email="e2@example.go.id")
    choose(
        database,
        "admin",
        app_kinds=[],
        email_kinds=["review_waiting"],
        email="admin@example.go.id",
    )
    submitted(database)
    assert kinds(database, "editor") == []  # wants it nowhere
    with database.session() as session:
        editor2, admin = user(session, "editor2"), user(session, "admin")
        # editor2 wants it by e-mail only; admin likewise: no bell for either.
        assert notifications.unread_count(session, editor2) == 0
        assert notifications.unread_count(session, admin) == 0
        assert [r.email_wanted for r in notifications.listing(session, admin)] == []
    assert kinds(database, "admin") == ["review_waiting"]


def test_no_address_means_no_email_even_when_chosen(database):
    choose(database, "editor", email="")
    submitted(database)
    with database.session() as session:
        [row] = notifications.listing(session, user(session, "editor"))
        assert row.in_app and not row.email_wanted


def test_bad_preferences_name_the_field(database):
    from publisher.services.errors import InvalidInput

    with database.session() as session, pytest.raises(InvalidInput) as caught:
        notifications.save_preferences(
            session,
            user(session, "editor"),
            {"email": "bukan alamat", "app_kinds": ["semua"], "daily_digest": "ya"},
        )
    assert set(caught.value.fields) == {"email", "app_kinds", "daily_digest"}
    assert caught.value.fields["email"].code == "field.not_email"


def test_a_comment_signal_missing_its_release_is_logged_not_fatal(database, caplog):
    release_id = submitted(database)
    with database.session() as session:
        comment_added.send(session, comment_id=7)
    assert "comment_added without release_id" in caplog.text
    assert kinds(database, "penyusun") == []
    assert release_id
