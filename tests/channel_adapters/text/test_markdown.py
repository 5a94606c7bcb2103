"""Markdown to plain text and HTML, one parser for every adapter (text/markdown.py)."""

from __future__ import annotations

from channel_adapters.text.markdown import body_blocks, to_html, to_paragraphs


def test_body_blocks_drop_headings_keep_lists_and_show_link_addresses():
    markdown = (
        "# Jadwal\n\nWarga dapat:\n\n- mendaftar di [laman PPID](https://ppid.example/a),\n"
        "- datang langsung.\n\nLihat <https://ppid.example/b>.\n\n"
        "<script>alert(1)</script> **tebal** & _miring_"
    )

    assert body_blocks(markdown) == (
        "Warga dapat:\n• mendaftar di laman PPID (https://ppid.example/a),\n"
        "• datang langsung.",
        "Lihat https://ppid.example/b.",
        "<script>alert(1)</script> tebal & miring",
    )


def test_paragraphs_keep_link_words_and_list_items_but_no_markup():
    markdown = "# Judul\n\nLihat [laman PPID](https://ppid.example/a).\n\n- satu\n- dua"

    assert to_paragraphs(markdown) == ["Judul", "Lihat laman PPID.", "satu", "dua"]


def test_html_is_sanitized_and_headings_sit_below_the_title():
    html = to_html("# Judul\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")

    assert "<h2>Judul</h2>" in html
    assert "<script" not in html and 'href="javascript' not in html
