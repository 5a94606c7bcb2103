"""CSV and vCard files of the directory, read and written without the web."""

from __future__ import annotations

from publisher.models import ContactGroup, ContactKind, MediaContact
from publisher.services import contact_files


def test_a_spreadsheets_semicolons_and_bom_are_read(database):
    raw = "\ufeffname;kind;email\r\nMade;radio;made@dewata.example\r\n".encode()
    with database.session() as session:
        plan = contact_files.read_csv(session, raw)
    assert plan.ok and [c.email for c in plan.new] == ["made@dewata.example"]


def test_a_file_that_is_not_utf8_or_lacks_columns_is_refused_whole(database):
    with database.session() as session:
        latin = contact_files.read_csv(
            session, "name,kind,email\r\nBodó,tv,a@b.c\r\n".encode("latin-1")
        )
        columns = contact_files.read_csv(session, b"name,email\r\nA,a@b.example\r\n")
        extra = contact_files.read_csv(session, b"name,kind,email,fax\r\n")
    assert [p.notice.code for p in latin.problems] == ["contacts.csv_not_utf8"]
    assert columns.problems[0].notice.code == "contacts.csv_columns"
    assert columns.problems[0].notice.params == {"columns": "kind"}
    assert extra.problems[0].notice.params == {"columns": "fax"}


def test_the_same_address_twice_names_the_first_line(database):
    raw = b"name,kind,email\r\nA,tv,a@b.example\r\nB,tv,A@B.example\r\n"
    with database.session() as session:
        plan = contact_files.read_csv(session, raw)
    (problem,) = plan.problems
    assert (problem.line, problem.field) == (3, "email")
    assert problem.notice.params == {"line": 2}


def test_vcard_lines_fold_at_75_octets_without_splitting_a_character():
    contact = MediaContact(
        id=3,
        name="Ni Luh Putu Ayu Sri Wahyuni Kusumadewi Pradnyaswari Ścibór-Rylska",
        outlet="Koran; Harian, Bali",
        kind=ContactKind.PRINT,
        email="ayu@balipost.example",
        phone="+62 361 225764",
        region="Denpasar",
        language="id",
    )
    contact.groups = [ContactGroup(name="harian")]
    card = contact_files.export_vcard([contact])
    lines = card.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = card.replace("\r\n ", "")
    assert (
        "FN:Ni Luh Putu Ayu Sri Wahyuni Kusumadewi Pradnyaswari Ścibór-Rylska\r\n"
        in unfolded
    )
    assert "ORG:Koran\\; Harian\\, Bali\r\n" in unfolded
    assert "TEL;VALUE=uri;TYPE=work:tel:+62361225764\r\n" in unfolded
    assert "CATEGORIES:print,harian\r\n" in unfolded
    assert card.endswith("END:VCARD\r\n")
