"""Every frozen file downloads from the release page and the API, with its SHA-256."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest

from tests.conftest import plan
from tests.webforms import login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def extra_channels():
    """Desks by e-mail with the print and radio files attached (never sent here)."""
    return {
        "meja_redaksi": {
            "adapter": "email",
            "label": "Meja redaksi",
            "host": "127.0.0.1",
            "port": 2525,
            "security": "none",
            "from_address": "humas@baliprov.example",
            "to": ["redaksi@koran.example"],
            "attach": ["print", "radio"],
        }
    }


@pytest.fixture
def scheduled(database, config, approved_release):
    """A release with print, radio and e-mail deliveries planned for tomorrow."""
    release_id = approved_release()
    when = datetime.now(UTC) + timedelta(days=1)
    ids = plan(database, config, release_id, when, "koran", "radio", "meja_redaksi")
    return release_id, dict(zip(("koran", "radio", "meja_redaksi"), ids, strict=True))


def test_the_release_page_lists_each_file_with_its_sha256(client, scheduled):
    release_id, ids = scheduled
    login(client, "penyusun")  # a drafter may download what was approved
    page = client.get(f"/releases/{release_id}").text
    links = re.findall(
        rf'href="(/releases/{release_id}/deliveries/\d+/files/[^"]+)" download', page
    )
    names = {link.rsplit("/", 1)[1] for link in links}
    assert any(n.endswith(".pdf") for n in names)
    assert any(n.endswith(".docx") for n in names)
    assert any(n.endswith(".txt") for n in names)  # the radio script
    assert any(n.endswith(".eml") for n in names)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        digest = hashlib.sha256(response.data).hexdigest()
        # Shown on the page, sent as the ETag and as Repr-Digest (RFC 9530).
        assert f"<code>{digest}</code>" in page
        assert response.headers["ETag"] == f'"{digest}"'
        encoded = base64.b64encode(hashlib.sha256(response.data).digest()).decode()
        assert response.headers["Repr-Digest"] == f"sha-256=:{encoded}:"
        assert "attachment" in response.headers["Content-Disposition"]


def test_the_email_downloads_as_an_eml_with_its_attachments(
    client, accounts_, scheduled
):
    release_id, ids = scheduled
    headers = accounts_["penyusun"].headers
    delivery = client.get(
        f"/api/v1/deliveries?release_id={release_id}", headers=headers
    ).json["deliveries"]
    mail = next(d for d in delivery if d["channel"] == "meja_redaksi")
    [eml] = [f for f in mail["files"] if f["name"].endswith(".eml")]
    assert eml["media_type"] == "message/rfc822"
    response = client.get(eml["url"], headers=headers)
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == eml["sha256"]
    assert response.headers["ETag"] == f'"{eml["sha256"]}"'

    message = message_from_bytes(response.data, policy=default)
    assert "humas@baliprov.example" in message["From"]
    assert message["Subject"].endswith("Sosialisasi KIM di Denpasar")
    attached = {
        p.get_filename(): p.get_content_type() for p in message.iter_attachments()
    }
    assert any(n.endswith(".pdf") for n in attached)
    assert DOCX in attached.values()
    assert "text/plain" in attached.values()  # the radio script
    # The attached PDF is byte for byte the print channel's frozen PDF.
    koran = next(d for d in delivery if d["channel"] == "koran")
    [pdf] = [f for f in koran["files"] if f["name"].endswith(".pdf")]
    [attached_pdf] = [
        p for p in message.iter_attachments() if p.get_filename() == pdf["name"]
    ]
    assert hashlib.sha256(attached_pdf.get_content()).hexdigest() == pdf["sha256"]


def test_unknown_files_and_foreign_deliveries_are_404(
    client, accounts_, scheduled, approved_release
):
    release_id, ids = scheduled
    headers = accounts_["editor"].headers
    base = f"/api/v1/releases/{release_id}/deliveries/{ids['koran']}/files"
    assert client.get(f"{base}/tidak-ada.pdf", headers=headers).status_code == 404
    other = approved_release("Rilis lain")
    wrong = f"/api/v1/releases/{other}/deliveries/{ids['koran']}/files/x.pdf"
    assert client.get(wrong, headers=headers).status_code == 404
    assert client.get(f"{base}/x.pdf").status_code == 401
