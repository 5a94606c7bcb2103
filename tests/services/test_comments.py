"""The review conversation: who may comment, what counts as a mention, what the
notifications hear, and what the thread shows."""

from __future__ import annotations

import pytest

from publisher import audit
from publisher.models import Comment, User
from publisher.services import accounts, comments, drafting, workflow
from publisher.services.errors import InvalidInput, NotFound, PermissionDenied


def _user(session, username: str) -> User:
    return session.query(User).filter_by(username=username).one()


@pytest.fixture
def release_id(database, accounts_) -> int:
    """A draft by the drafter, submitted once."""
    with database.session() as session:
        drafter = _user(session, "penyusun")
        release = drafting.create_release(
            session,
            drafter,
            drafting.ReleaseContent(title="Rapat KIM", lead="Ringkas.", body="Isi."),
        )
        workflow.submit(session, drafter, release.id)
        return release.id


@pytest.fixture
def heard():
    """What `comment_added` announced, in order."""
    announced: list[dict] = []

    def listener(sender, **details):
        announced.append(details)

    comments.comment_added.connect(listener)
    yield announced
    comments.comment_added.disconnect(listener)


def test_a_mention_of_an_existing_user_is_recorded_and_announced(
    database, release_id, heard
):
    with database.session() as session:
        editor = _user(session, "editor")
        comment = comments.add_comment(
            session,
            editor,
            release_id,
            "Mohon @penyusun cek angka peserta, cc @editor2.",
            revision=1,
        )
        assert [u.username for u in comment.mentioned_users] == [
            "editor2",
            "penyusun",
        ]
        assert heard == []  # nothing is announced before the commit
        comment_id = comment.id
    assert len(heard) == 1
    with database.session() as session:
        ids = {_user(session, n).id for n in ("penyusun", "editor2")}
        stored = session.get(Comment, comment_id)
        assert stored.revision == 1
        assert stored.author.username == "editor"
        assert {u.username for u in stored.mentioned_users} == {"penyusun", "editor2"}
        assert heard[0] == {
            "comment_id": comment_id,
            "release_id": release_id,
            "author_id": _user(session, "editor").id,
            "mentioned_user_ids": frozenset(ids),
        }
        trail = [e for e in audit.events_for(session, release_id)]
        assert trail[-1].action == "release.commented"
        assert trail[-1].detail == {
            "revision": 1,
            "comment_id": comment_id,
            "mentions": ["editor2", "penyusun"],
        }


def test_unknown_inactive_and_look_alike_names_are_not_mentions(database, release_id):
    with database.session() as session:
        accounts.create_user(session, "pensiun", "editor", "kata-sandi-uji-123")
        _user(session, "pensiun").active = False
        comment = comments.add_comment(
            session,
            _user(session, "editor"),
            release_id,
            "@siapa dan @pensiun tidak ada; surel humas@editor bukan sebutan; "
            "@PENYUSUN beda huruf; tetapi @editor2. ya.",
        )
        assert [u.username for u in comment.mentioned_users] == ["editor2"]


def test_a_rolled_back_comment_is_never_announced(database, release_id, heard):
    with pytest.raises(RuntimeError), database.session() as session:
        comments.add_comment(session, _user(session, "editor"), release_id, "@penyusun")
        raise RuntimeError("the request failed after the comment")
    with database.session() as session:
        assert comments.list_comments(session, release_id) == []
    assert heard == []


def test_every_writing_role_may_comment_an_inactive_account_may_not(
    database, release_id
):
    with database.session() as session:
        for name in ("penyusun", "editor", "admin"):
            comments.add_comment(session, _user(session, name), release_id, "Siap.")
        gone = _user(session, "editor2")
        gone.active = False
        with pytest.raises(PermissionDenied) as refused:
            comments.add_comment(session, gone, release_id, "Boleh?")
        assert refused.value.notice.code == "comment.role_cannot_comment"


def test_text_is_cleaned_required_and_bounded_and_revision_must_exist(
    database, release_id
):
    with database.session() as session:
        editor = _user(session, "editor")
        kept = comments.add_comment(
            session, editor, release_id, "  Baris satu\x0bbaris\x00 dua  "
        )
        assert "\x0b" not in kept.text and "\x00" not in kept.text
        assert kept.text.startswith("Baris satu") and kept.text.endswith("dua")
        for text, code in (
            ("   ", "field.required"),
            ("x" * 4001, "field.too_long"),
        ):
            with pytest.raises(InvalidInput) as refused:
                comments.add_comment(session, editor, release_id, text)
            assert refused.value.fields["text"].code == code
        with pytest.raises(InvalidInput) as refused:
            comments.add_comment(session, editor, release_id, "Revisi 9?", revision=9)
        assert refused.value.fields["revision"].code == "comment.revision_unknown"
        with pytest.raises(NotFound):
            comments.add_comment(session, editor, 99_999, "Ada?")


def test_the_thread_shows_the_rejection_reason_among_the_comments(
    database, config, release_id
):
    with database.session() as session:
        editor = _user(session, "editor")
        comments.add_comment(session, editor, release_id, "Saya baca dulu.")
    with database.session() as session:
        workflow.reject(
            session, _user(session, "editor"), release_id, "Angka peserta keliru."
        )
    with database.session() as session:
        comments.add_comment(
            session, _user(session, "penyusun"), release_id, "Sudah saya perbaiki."
        )
    with database.session() as session:
        entries = comments.thread(session, release_id)
        assert [(e.kind, e.text) for e in entries] == [
            ("release.submitted", ""),
            ("comment", "Saya baca dulu."),
            ("release.rejected", "Angka peserta keliru."),
            ("comment", "Sudah saya perbaiki."),
        ]
        assert entries[2].author == _user(session, "editor").display_name
        assert entries[2].revision == 1
