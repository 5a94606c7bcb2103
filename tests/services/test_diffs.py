"""Changes between revisions: word by word, in the text and in each channel's text."""

from __future__ import annotations

import pytest

from publisher.models import Release, User
from publisher.services import diffs, drafting, workflow
from publisher.services.diffs import DELETE, EQUAL, INSERT, Segment, word_diff
from publisher.services.errors import InvalidInput

LEAD = "Diskominfos Bali mengajak 120 badan publik memperkuat layanan informasi."
BODY = "Forum digelar di Denpasar.\n\nSebanyak **120 peserta** hadir."


@pytest.fixture
def extra_channels():
    """An X account besides the base print, radio and RSS channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def _user(session, username: str) -> User:
    return session.query(User).filter_by(username=username).one()


def _changes(segments) -> tuple[list[str], list[str]]:
    """(removed runs, added runs)."""
    return (
        [s.text for s in segments if s.op == DELETE],
        [s.text for s in segments if s.op == INSERT],
    )


def _rebuilt(segments, side: str) -> str:
    skip = INSERT if side == "old" else DELETE
    return "".join(s.text for s in segments if s.op != skip)


@pytest.fixture
def resubmitted(database, accounts_) -> int:
    """Written, rejected for one wrong number, fixed and submitted again."""
    with database.session() as session:
        drafter = _user(session, "penyusun")
        release = drafting.create_release(
            session,
            drafter,
            drafting.ReleaseContent(
                title="Forum Keterbukaan Informasi", lead=LEAD, body=BODY, tags=["KIP"]
            ),
        )
        workflow.submit(session, drafter, release.id)
        workflow.reject(session, _user(session, "editor"), release.id, "Cek angka.")
        drafting.update_release(
            session,
            drafter,
            release.id,
            drafting.ReleaseContent(
                title="Forum Keterbukaan Informasi",
                lead=LEAD.replace("120", "150"),
                body=BODY,
                tags=["KIP"],
            ),
        )
        workflow.submit(session, drafter, release.id)
        return release.id


def test_a_resubmitted_release_shows_exactly_the_changed_word(
    database, config, resubmitted
):
    with database.session() as session:
        release = session.get(Release, resubmitted)
        assert [r.number for r in release.revisions] == [1, 2]
        compared = diffs.compare(config, release)
    assert (compared.old, compared.new) == (1, 2)
    lead = next(d for d in compared.fields if d.name == "lead")
    assert _changes(lead.segments) == (["120"], ["150"])
    assert [d.name for d in compared.changed if d in compared.fields] == ["lead"]

    x = next(d for d in compared.channels if d.name == "x_bali")
    assert x.changed and x.adapter == "x" and x.label == "X Diskominfos"
    assert _changes(x.segments) == (["120"], ["150"])
    assert "150 badan publik" in x.new and "120 badan publik" in x.old
    assert _rebuilt(x.segments, "old") == x.old
    assert _rebuilt(x.segments, "new") == x.new
    for channel in compared.channels:  # every channel carries the lead
        assert channel.error is None and channel.changed, channel.name
        if channel.name != "radio":
            assert _changes(channel.segments) == (["120"], ["150"]), channel.name
    radio = next(d for d in compared.channels if d.name == "radio")
    assert set(_changes(radio.segments)[0]) == {"dua"}  # read aloud: seratus dua
    assert set(_changes(radio.segments)[1]) == {"lima"}  # puluh → seratus lima puluh


def test_comparing_a_revision_with_itself_changes_nothing(
    database, config, resubmitted
):
    with database.session() as session:
        compared = diffs.compare(config, session.get(Release, resubmitted), 2, 2)
    assert compared.changed == ()
    assert all(len(d.segments) <= 1 for d in (*compared.fields, *compared.channels))


def test_an_unknown_revision_names_the_side(database, config, resubmitted):
    with database.session() as session:
        release = session.get(Release, resubmitted)
        with pytest.raises(InvalidInput) as refused:
            diffs.compare(config, release, 1, 7)
    assert refused.value.fields["to"].code == "diff.revision_unknown"
    assert refused.value.fields["to"].params == {"number": 7}


def test_defaults_since_the_last_approval_else_the_previous_revision(
    database, config, approved_release
):
    release_id = approved_release(lead=LEAD)
    with database.session() as session:
        release = session.get(Release, release_id)
        assert diffs.default_range(release) == (1, 1)  # one revision only
        drafter = _user(session, "penyusun")
        for word in ("130", "140"):  # revision 2 (back in review), then 3
            drafting.update_release(
                session,
                drafter,
                release_id,
                drafting.ReleasePatch(lead=LEAD.replace("120", word)),
            )
        assert [r.number for r in release.revisions] == [1, 2, 3]
        assert release.approved_revision == 1
        assert diffs.default_range(release) == (1, 3)
        compared = diffs.compare(config, release, channels=False)
        lead = next(d for d in compared.fields if d.name == "lead")
        assert _changes(lead.segments) == (["120"], ["140"])
        assert compared.channels == ()

        workflow.approve(session, config, _user(session, "editor2"), release_id)
        assert release.approved_revision == 3
        assert diffs.default_range(release) == (2, 3)


def test_word_diff_marks_words_not_characters_and_keeps_paragraphs():
    assert word_diff("Rapat di Denpasar.", "Rapat besar di Gianyar.") == (
        Segment(EQUAL, "Rapat"),
        Segment(INSERT, " besar"),
        Segment(EQUAL, " di "),
        Segment(DELETE, "Denpasar"),
        Segment(INSERT, "Gianyar"),
        Segment(EQUAL, "."),
    )
    # Neighbouring changed words become one removal and one addition.
    assert _changes(word_diff("satu dua tiga empat", "satu lima enam empat")) == (
        ["dua tiga"],
        ["lima enam"],
    )
    added = word_diff("Paragraf satu.", "Paragraf satu.\n\nParagraf dua.")
    assert added == (
        Segment(EQUAL, "Paragraf satu."),
        Segment(INSERT, "\n\nParagraf dua."),
    )
    assert word_diff("", "") == ()
    assert word_diff("sama", "sama") == (Segment(EQUAL, "sama"),)


def test_a_long_body_with_one_changed_word_is_compared_paragraph_first():
    paragraphs = [f"Paragraf {n} berisi kalimat panjang." for n in range(3000)]
    old = "\n\n".join(paragraphs)
    new = old.replace("Paragraf 1500 berisi", "Paragraf 1500 memuat")
    assert _changes(word_diff(old, new)) == (["berisi"], ["memuat"])


def test_folding_keeps_three_lines_around_a_change_and_counts_the_rest():
    old = "\n".join(f"baris {n}" for n in range(20))
    shown = diffs.folded(word_diff(old, old.replace("baris 10", "BARIS 10")))
    assert shown[0] == Segment(diffs.SKIP, "7")
    assert shown[1] == Segment(EQUAL, "baris 7\nbaris 8\nbaris 9\n")
    assert _changes(shown) == (["baris"], ["BARIS"])
    assert shown[-2] == Segment(EQUAL, " 10\nbaris 11\nbaris 12\n")
    assert shown[-1] == Segment(diffs.SKIP, "7")
    short = word_diff("satu\ndua\ntiga", "satu\nDUA\ntiga")
    assert diffs.folded(short) == short  # nothing worth folding
