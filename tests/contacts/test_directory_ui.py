"""The contact directory in the web UI: list, filter, add, edit, deactivate, CSV
import (all or nothing, problems by line and field) and export, vCard."""

from __future__ import annotations

import io

from sqlalchemy import select
from webforms import login

from publisher.models import AuditEvent, MediaContact

CONTACT = {
    "name": "Ni Luh Putu Ayu",
    "outlet": "Bali Post",
    "kind": "print",
    "email": "ayu@balipost.example",
    "phone": "+62 361 225764",
    "region": "Denpasar",
    "language": "id",
    "groups": "harian; denpasar",
    "active": "1",
}

GOOD_CSV = (
    "name,outlet,kind,email,phone,region,language,groups,active\r\n"
    "Made Arsana,Radio Dewata,radio,arsana@dewata.example,,Badung,id,"
    "radio;badung,ya\r\n"
    "Kadek Sari,Bali TV,tv,sari@balitv.example,+62 361 1,Denpasar,id,tv,1\r\n"
    '"Komang, Jr.",Antara,agency,komang@antara.example,,Denpasar,en,kantor berita,1\r\n'
)


def contacts_in(app) -> dict[str, MediaContact]:
    with app.extensions["publisher"].db.session() as session:
        found = session.scalars(select(MediaContact)).all()
        for contact in found:
            _ = contact.groups  # loaded before the session closes
        return {c.email: c for c in found}


def test_editor_adds_a_contact_and_finds_it_by_filter(client, app, accounts_):
    login(client, "editor")
    answer = client.post("/contacts/new", data=CONTACT)
    assert answer.status_code == 303

    listed = client.get("/contacts?kind=print&group=harian&region=denpasar&active=1")
    page = listed.get_data(as_text=True)
    assert "Ni Luh Putu Ayu" in page and "Kontak media" in page
    assert "Tidak ada kontak" not in page
    none = client.get("/contacts?kind=radio").get_data(as_text=True)
    assert "Ni Luh Putu Ayu" not in none and "Tidak ada kontak yang cocok." in none
    assert "Ni Luh" in client.get("/contacts?q=balipost").get_data(as_text=True)

    stored = contacts_in(app)["ayu@balipost.example"]
    assert [g.name for g in stored.groups] == ["denpasar", "harian"]
    with app.extensions["publisher"].db.session() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "contact.created" in actions


def test_a_bad_form_names_each_field_in_indonesian(client, app, accounts_):
    login(client, "editor")
    answer = client.post(
        "/contacts/new", data={**CONTACT, "email": "bukan-surel", "kind": "koran"}
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="e-email"' in page and 'id="e-kind"' in page
    assert "Perbaiki" in page or "Mohon" in page
    assert "bukan-surel" in page  # the input is kept
    assert contacts_in(app) == {}


def test_the_same_address_twice_is_refused_on_the_email_field(client, accounts_):
    login(client, "editor")
    client.post("/contacts/new", data=CONTACT)
    again = client.post("/contacts/new", data={**CONTACT, "name": "Orang lain"})
    assert again.status_code == 422
    assert "Alamat surel ini sudah dipakai kontak lain." in again.get_data(as_text=True)


def test_edit_and_deactivate(client, app, accounts_):
    login(client, "editor")
    client.post("/contacts/new", data=CONTACT)
    contact_id = contacts_in(app)["ayu@balipost.example"].id

    form = client.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    assert 'value="harian; denpasar"' in form or 'value="denpasar; harian"' in form
    changed = client.post(
        f"/contacts/{contact_id}/edit", data={**CONTACT, "outlet": "Bali Post Digital"}
    )
    assert changed.status_code == 303
    assert contacts_in(app)["ayu@balipost.example"].outlet == "Bali Post Digital"

    client.post(f"/contacts/{contact_id}/active", data={"active": "0"})
    assert not contacts_in(app)["ayu@balipost.example"].active
    inactive = client.get("/contacts?active=0").get_data(as_text=True)
    assert "Ni Luh Putu Ayu" in inactive and "Nonaktif" in inactive


def test_drafter_may_look_but_not_change(client, app, accounts_):
    login(client, "editor")
    client.post("/contacts/new", data=CONTACT)
    client.post("/logout")
    login(client, "penyusun")
    page = client.get("/contacts").get_data(as_text=True)
    assert "Ni Luh Putu Ayu" in page and "Kontak baru" not in page
    assert client.get("/contacts/new").status_code == 403
    assert client.post("/contacts/new", data=CONTACT).status_code == 403
    assert client.post("/contacts/import").status_code == 403


def upload(client, text: str, **extra: str):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "kontak.csv"), **extra}
    return client.post(
        "/contacts/import", data=data, content_type="multipart/form-data"
    )


def test_csv_import_previews_then_imports_everything(client, app, accounts_):
    login(client, "editor")
    preview = upload(client, GOOD_CSV)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Berkas sudah benar: 3 kontak baru, 0 diperbarui." in page
    assert contacts_in(app) == {}  # a preview changes nothing

    done = upload(client, GOOD_CSV, confirm="1")
    assert done.status_code == 303
    stored = contacts_in(app)
    assert sorted(stored) == [
        "arsana@dewata.example",
        "komang@antara.example",
        "sari@balitv.example",
    ]
    assert stored["komang@antara.example"].name == "Komang, Jr."
    assert stored["komang@antara.example"].language == "en"
    assert [g.name for g in stored["arsana@dewata.example"].groups] == [
        "badung",
        "radio",
    ]


def test_a_bad_row_is_named_by_line_and_field_and_nothing_is_imported(
    client, app, accounts_
):
    login(client, "editor")
    bad = GOOD_CSV + "Wayan,Koran X,koran,wayan@koran.example,,,id,,1\r\n"
    bad += "Nyoman,Koran Y,print,bukan-surel,,,id,,1\r\n"
    answer = upload(client, bad, confirm="1")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Tidak ada yang diimpor." in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert '<td class="num">5</td><td>Jenis media</td>' in rows
    assert '<td class="num">6</td><td>Surel</td>' in rows
    assert "Alamat surel tidak sah." in rows or "surel" in rows.lower()
    assert contacts_in(app) == {}


def test_csv_export_reads_back_unchanged_and_vcard_has_every_card(
    client, app, accounts_
):
    login(client, "editor")
    upload(client, GOOD_CSV, confirm="1")
    exported = client.get("/contacts/export.csv")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = exported.get_data()
    assert body.startswith("\ufeff".encode())

    # Round trip: the export imported again changes nothing and adds no one.
    again = upload(client, body.decode("utf-8-sig"))
    assert "0 kontak baru, 3 diperbarui" in again.get_data(as_text=True)
    before = {e: (c.name, c.kind, c.region) for e, c in contacts_in(app).items()}
    upload(client, body.decode("utf-8-sig"), confirm="1")
    after = {e: (c.name, c.kind, c.region) for e, c in contacts_in(app).items()}
    assert before == after

    only_tv = client.get("/contacts/export.csv?kind=tv").get_data(as_text=True)
    assert "sari@balitv.example" in only_tv and "arsana" not in only_tv

    cards = client.get("/contacts/export.vcf")
    text = cards.get_data(as_text=True)
    assert cards.headers["Content-Type"].startswith("text/vcard")
    assert text.count("BEGIN:VCARD\r\nVERSION:4.0\r\n") == 3
    assert "FN:Komang\\, Jr.\r\n" in text
    assert "EMAIL;TYPE=work:sari@balitv.example\r\n" in text


def test_a_formula_in_a_cell_is_defused_on_export(client, accounts_):
    login(client, "editor")
    client.post("/contacts/new", data={**CONTACT, "outlet": "=HYPERLINK(1)"})
    exported = client.get("/contacts/export.csv").get_data(as_text=True)
    assert ",'=HYPERLINK(1)," in exported
