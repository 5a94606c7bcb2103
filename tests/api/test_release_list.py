"""Finding releases through the API: search, filters and keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from publisher.models import Delivery, DeliveryStatus, Release, User
from publisher.services import drafting
from tests.conftest import plan


def write(database, username: str, title: str, **content) -> int:
    """A draft by `username`; its id."""
    with database.session() as session:
        author = session.query(User).filter_by(username=username).one()
        release = drafting.create_release(
            session,
            author,
            drafting.ReleaseContent(
                title=title, lead="Ringkasan.", body="Isi rilis.", **content
            ),
        )
        return release.id


@pytest.fixture
def archive(database, approved_release, accounts_):
    """Four releases, each findable by one kind of words."""
    return {
        "title": approved_release("Penyaluran beasiswa Tabanan"),
        "body": approved_release(
            "Rapat koordinasi", body="Pembahasan irigasi subak di Jatiluwih."
        ),
        "tag": approved_release("Festival budaya", tags=["pariwisata", "ogohogoh"]),
        "draft": write(database, "editor", "Jadwal vaksinasi", category="Kesehatan"),
    }


def ids(response) -> list[int]:
    """The release ids of a list answer, in order."""
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["releases"]]


def get(client, account, **args):
    """GET the release list with query arguments."""
    return client.get("/api/v1/releases", headers=account.headers, query_string=args)


def number_of(database, release_id: int) -> str:
    """The official number given at approval."""
    with database.session() as session:
        return session.get(Release, release_id).number


def test_search_finds_by_title_body_tag_and_number(
    client, database, accounts_, archive
):
    editor = accounts_["editor"]
    assert ids(get(client, editor, q="beasiswa")) == [archive["title"]]
    assert ids(get(client, editor, q="Beasis")) == [archive["title"]]  # word start
    assert ids(get(client, editor, q="subak jatiluwih")) == [archive["body"]]
    assert ids(get(client, editor, q="ogohogoh")) == [archive["tag"]]
    number = number_of(database, archive["tag"])
    assert ids(get(client, editor, q=number)) == [archive["tag"]]
    assert ids(get(client, editor, q="beasiswa subak")) == []  # every word must match


def test_search_follows_edits(client, database, accounts_, archive):
    editor = accounts_["editor"]
    client.patch(
        f"/api/v1/releases/{archive['draft']}",
        headers=editor.headers,
        json={"title": "Jadwal imunisasi anak"},
    )
    assert ids(get(client, editor, q="imunisasi")) == [archive["draft"]]
    assert ids(get(client, editor, q="vaksinasi")) == []


def test_filters_by_status_channel_category_author_and_date(
    client, database, config, accounts_, archive
):
    editor = accounts_["editor"]
    plan(
        database,
        config,
        archive["body"],
        datetime.now(UTC) + timedelta(days=1),
        "koran",
    )
    assert ids(get(client, editor, status="draft")) == [archive["draft"]]
    assert ids(get(client, editor, channel="koran")) == [archive["body"]]
    assert ids(get(client, editor, category="kesehatan")) == [archive["draft"]]
    assert ids(get(client, editor, author="editor")) == [archive["draft"]]
    assert len(ids(get(client, editor, author="penyusun"))) == 3
    today = datetime.now(UTC).date()
    assert len(ids(get(client, editor, **{"from": today.isoformat()}))) == 4
    later = (today + timedelta(days=2)).isoformat()
    assert ids(get(client, editor, **{"from": later})) == []
    assert ids(get(client, editor, to=(today - timedelta(days=2)).isoformat())) == []


def test_bad_arguments_are_named(client, accounts_):
    response = get(
        client,
        accounts_["editor"],
        status="terbang",
        limit="0",
        sort="judul",
        cursor="bukan-kursor",
        **{"from": "kemarin"},
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"status", "limit", "sort", "from", "cursor"}
    response = get(client, accounts_["editor"], cursor="bukan-kursor")
    assert response.json["fields"]["cursor"]["code"] == "field.invalid"
    response = get(client, accounts_["editor"], **{"from": "kemarin"})
    assert response.json["fields"]["from"]["message"] == (
        "Masukkan tanggal seperti 2026-12-01."
    )


@pytest.mark.parametrize("name", ["q", "channel", "category", "author"])
def test_control_characters_in_a_filter_are_named(client, accounts_, name):
    response = get(client, accounts_["editor"], **{name: "koran\x00\x0b"})
    assert response.status_code == 422
    assert response.json["fields"][name]["code"] == "field.invalid"


@pytest.mark.parametrize("sort", ["-updated", "updated", "-created", "created"])
def test_pages_return_every_release_once_while_new_ones_arrive(
    client, database, accounts_, sort
):
    editor = accounts_["editor"]
    made = {write(database, "penyusun", f"Rilis {n}") for n in range(7)}
    seen: list[int] = []
    response = get(client, editor, limit=3, sort=sort)
    pages = 0
    while True:
        seen += ids(response)
        pages += 1
        write(database, "penyusun", f"Datang di tengah {pages}")  # arrives meanwhile
        next_url = response.json["next"]
        if not next_url:
            break
        assert response.json["links"]["next"] == next_url
        assert parse_qs(urlsplit(next_url).query)["sort"] == [sort]
        response = client.get(next_url, headers=editor.headers)
    assert len(seen) == len(set(seen))  # nobody twice
    assert made <= set(seen)  # nobody missed
    assert pages >= 3


def test_a_page_keeps_the_query_in_its_next_link(client, database, accounts_):
    for n in range(3):
        write(database, "penyusun", f"Banjir rob {n}")
    write(database, "penyusun", "Lain hal")
    editor = accounts_["editor"]
    first = get(client, editor, q="banjir", limit=2)
    second = client.get(first.json["next"], headers=editor.headers)
    assert len(ids(first)) == 2 and len(ids(second)) == 1
    assert second.json["next"] is None


def test_summary_says_when_a_delivery_failed(
    client, database, config, accounts_, approved_release
):
    release_id = approved_release("Rilis yang gagal terkirim")
    soon = datetime.now(UTC) + timedelta(hours=3)
    failed, waiting = plan(database, config, release_id, soon, "koran", "radio")
    with database.session() as session:
        session.get(Delivery, failed).status = DeliveryStatus.FAILED
    (item,) = get(client, accounts_["editor"], q="gagal").json["releases"]
    summary = item["deliveries_summary"]
    assert summary["failed"] == 1 and summary["has_problem"] is True
    assert summary["counts"] == {"failed": 1, "scheduled": 1}
    planned = datetime.fromisoformat(summary["next_planned_at"])
    assert abs(planned - soon) < timedelta(seconds=1)
