# ruff: noqa: F811 - fixtures from `undecided` are named again as test arguments
"""Editors decide what machines cannot: unknown and missed deliveries, on the
release page and the "Perlu keputusan" list, each decision with a reason."""

from __future__ import annotations

import html

import pytest
from undecided import clock, missed, row, run_due, unknown, worker  # noqa: F401
from webforms import login, logout

from publisher.models import AuditEvent, Delivery, Release

LABEL = "Situs web mitra"


@pytest.fixture
def extra_channels(webhook_channel):
    """A partner's webhook at the local receiver, with a short read timeout."""
    return {
        "situs_web": {**webhook_channel, "label": LABEL, "timeout": [2, 0.3]},
    }


def decisions(database, delivery_id: int) -> list[tuple[str, str, dict]]:
    """(who, action, detail) of the editors' events about a delivery."""
    with database.session() as session:
        return [
            (e.actor_label, e.action, e.detail)
            for e in session.query(AuditEvent)
            .filter_by(delivery_id=delivery_id)
            .order_by(AuditEvent.id)
            if e.actor_label != "dispatcher"
        ][1:]  # after "delivery.scheduled"


def text(response) -> str:
    return html.unescape(response.text)


def test_the_release_page_warns_before_resending_an_unknown_delivery(
    client, database, unknown, receiver, worker
):
    release_id, delivery_id = unknown
    login(client, "editor")
    page = text(client.get(f"/releases/{release_id}"))
    assert "Hasil belum pasti" in page
    assert "pengiriman ulang dapat membuatnya tayang dua kali" in page
    base = f"/releases/{release_id}/deliveries/{delivery_id}"

    # Without the confirmation nothing happens, and the page says why.
    refused = text(
        client.post(
            f"{base}/resend", data={"reason": "Sudah dicek"}, follow_redirects=True
        )
    )
    assert "Konfirmasi: Unggahan ini mungkin sudah tayang" in refused
    assert row(database, delivery_id).status == "unknown"

    done = text(
        client.post(
            f"{base}/resend",
            data={
                "reason": "Tidak ada di situs mitra",
                "confirm_duplicate": "yes",
            },
            follow_redirects=True,
        )
    )
    assert "Pengiriman akan dikirim ulang sekarang." in done
    assert "Keputusan editor: kirim ulang · editor: Tidak ada di situs mitra" in done
    assert row(database, delivery_id).status == "scheduled"
    assert decisions(database, delivery_id) == [
        (
            "editor",
            "delivery.resent",
            {
                "channel": "situs_web",
                "reason": "Tidak ada di situs mitra",
                "previous_status": "unknown",
            },
        )
    ]
    run_due(worker)  # a new attempt, with the same idempotency key
    assert row(database, delivery_id).status == "sent"
    first, second = receiver.received
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]


def test_marking_a_missed_delivery_sent_needs_an_http_address(
    client, database, missed, receiver
):
    release_id, delivery_id = missed
    login(client, "editor")
    base = f"/releases/{release_id}/deliveries/{delivery_id}"
    page = text(client.get(f"/releases/{release_id}"))
    assert "Terlewat" in page and "melebihi batas keterlambatan kanal ini" in page
    assert "(6 jam)" in page

    refused = text(
        client.post(
            f"{base}/mark-sent",
            data={"reason": "Diunggah manual", "remote_url": "javascript:alert(1)"},
            follow_redirects=True,
        )
    )
    assert (
        "Alamat unggahan: Masukkan alamat yang diawali http:// atau https://."
        in refused
    )
    assert row(database, delivery_id).status == "missed"

    url = "https://mitra.example/berita/123"
    done = client.post(
        f"{base}/mark-sent",
        data={"reason": "Diunggah manual oleh admin situs", "remote_url": url},
        follow_redirects=True,
    )
    assert "Pengiriman ditandai sebagai terkirim." in text(done)
    assert f'<a class="remote-link" href="{url}"' in done.text
    assert f"Lihat di {LABEL}" in text(done)
    stored = row(database, delivery_id)
    assert (stored.status, stored.remote_url, stored.error) == ("sent", url, None)
    assert decisions(database, delivery_id)[0] == (
        "editor",
        "delivery.marked_sent",
        {
            "channel": "situs_web",
            "reason": "Diunggah manual oleh admin situs",
            "previous_status": "missed",
            "remote_url": url,
        },
    )
    with database.session() as session:
        assert session.get(Release, release_id).status == "published"
    assert receiver.received == []  # nothing was sent by the decision


def test_cancelling_a_missed_delivery_needs_a_reason(client, database, missed):
    release_id, delivery_id = missed
    login(client, "editor")
    base = f"/releases/{release_id}/deliveries/{delivery_id}"
    refused = text(client.post(f"{base}/cancel", follow_redirects=True))
    assert "Alasan: Wajib diisi." in refused
    assert row(database, delivery_id).status == "missed"

    done = text(
        client.post(
            f"{base}/cancel",
            data={"reason": "Acara sudah lewat"},
            follow_redirects=True,
        )
    )
    assert "Pengiriman dibatalkan." in done
    assert "Dibatalkan oleh editor: Acara sudah lewat" in done
    assert row(database, delivery_id).status == "cancelled"
    assert decisions(database, delivery_id)[0][:2] == ("editor", "delivery.cancelled")
    assert decisions(database, delivery_id)[0][2]["reason"] == "Acara sudah lewat"


def test_a_drafter_cannot_decide(client, database, unknown):
    release_id, delivery_id = unknown
    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}").text
    assert "/resend" not in page and "/mark-sent" not in page
    base = f"/releases/{release_id}/deliveries/{delivery_id}"
    for action, data in (
        ("resend", {"reason": "coba", "confirm_duplicate": "yes"}),
        ("mark-sent", {"reason": "coba", "remote_url": "https://mitra.example/1"}),
        ("cancel", {"reason": "coba"}),
    ):
        response = client.post(f"{base}/{action}", data=data)
        assert response.status_code == 403, action
        assert "Hanya editor yang boleh memutuskan pengiriman" in text(response)
    assert row(database, delivery_id).status == "unknown"
    assert client.get("/decisions").status_code == 403


def test_the_needs_decision_page_lists_unknown_and_missed(
    client, unknown, missed, database
):
    login(client, "editor")
    page = text(client.get("/decisions"))
    assert '<span class="count" aria-label="2 menunggu">2</span>' in page
    assert "Rilis dengan hasil belum pasti" in page and "Rilis yang terlewat" in page
    assert page.count(f"#decide-{unknown[1]}") == 1
    assert page.count(f"#decide-{missed[1]}") == 1

    client.post(
        f"/releases/{missed[0]}/deliveries/{missed[1]}/cancel",
        data={"reason": "Tidak relevan lagi"},
    )
    page = text(client.get("/decisions"))
    assert "Rilis yang terlewat" not in page
    assert '<span class="count" aria-label="1 menunggu">1</span>' in page
    logout(client)


def test_only_http_remote_addresses_become_links(client, database, unknown):
    release_id, delivery_id = unknown
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        delivery.status, delivery.remote_id = "sent", "post-77"
        delivery.remote_url = "javascript:alert(document.cookie)"
    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}").text
    assert "javascript:" not in page
    assert "Lihat di" not in page
    assert "ID di kanal: post-77" in page
