"""The preview page lets a drafter write a channel's text by hand."""

from __future__ import annotations

import pytest
from webforms import create_release, login


@pytest.fixture
def extra_channels():
    """An X account beside the base channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def test_drafter_edits_a_social_text_on_the_preview_page(client, accounts_):
    login(client, "penyusun")
    release_id = create_release(client)
    page = client.get(f"/releases/{release_id}/preview").text
    assert "Sunting teks kanal ini" in page
    assert f"/releases/{release_id}/overrides/koran" not in page  # the PDF is not text

    too_long = "kata " * 80
    refused = client.post(
        f"/releases/{release_id}/overrides/x_bali",
        data={"text": too_long, "action": "save"},
    )
    assert refused.status_code == 422
    assert (
        "Unggahan terlalu panjang untuk X: 399 karakter berbobot, melebihi batas 280."
        in refused.text
    )
    assert too_long.strip() in refused.text  # the typed text is kept

    saved = client.post(
        f"/releases/{release_id}/overrides/x_bali",
        data={"text": "Teks khusus untuk X.", "action": "save"},
        follow_redirects=True,
    )
    assert "Teks untuk x_bali disimpan." in saved.text
    assert "disunting manual" in saved.text
    # The warning is stored as a code and rendered in the reader's language.
    assert "Teks yang disunting tidak memuat tautan ke halaman publik" in saved.text
    reset = client.post(
        f"/releases/{release_id}/overrides/x_bali",
        data={"action": "reset"},
        follow_redirects=True,
    )
    assert "disunting manual" not in reset.text
