"""One sentence splitter for every adapter (text/sentences.py)."""

from __future__ import annotations

from channel_adapters.text.sentences import sentences


def test_sentences_do_not_end_at_abbreviations_titles_or_times():
    paragraph = (
        "Acara dibuka oleh Dr. Made Arya, S.Sos., M.Si. di Jl. Majapahit No. 1 "
        "Denpasar. Peserta datang pukul 10.00 WITA dengan biaya Rp 5.000. Apa "
        "kabar? Baik! I Gusti A. Putri hadir."
    )

    assert sentences(paragraph) == [
        "Acara dibuka oleh Dr. Made Arya, S.Sos., M.Si. di Jl. Majapahit No. 1 "
        "Denpasar.",
        "Peserta datang pukul 10.00 WITA dengan biaya Rp 5.000.",
        "Apa kabar?",
        "Baik!",
        "I Gusti A. Putri hadir.",
    ]


def test_cjk_sentences_end_at_their_own_full_stop():
    assert sentences("今日は晴れ。明日は雨。") == [
        "今日は晴れ。",
        "明日は雨。",
    ]


def test_a_number_before_a_full_stop_ends_the_sentence():
    assert sentences("Ia tinggal di Jl. D.I. Panjaitan No. 7. Dr. Putu hadir.") == [
        "Ia tinggal di Jl. D.I. Panjaitan No. 7.",
        "Dr. Putu hadir.",
    ]
