"""The spoken-form normalizer: what an announcer reads for what a drafter wrote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channel_adapters.text.spoken import (
    address,
    cardinal,
    normalize,
    number,
    ordinal,
    phone,
    pronounce,
    sentences,
    unknown_abbreviations,
    word_count,
    year,
)

GLOSSARY = {
    "SP4N-LAPOR!": "es-pe-empat-en lapor",
    "KIM": "ka-i-em",
    "PPID": "pe-pe-i-de",
    "Diskominfos": "dis-kominfos",
    "LAPOR": "lapor",
}

INDONESIAN = [
    # numbers: idiomatic se- forms, "." thousands, "," decimals
    ("Sebanyak 1 orang", "Sebanyak satu orang"),
    ("diikuti 11 desa", "diikuti sebelas desa"),
    ("ada 100 peserta", "ada seratus peserta"),
    ("ada 111 peserta", "ada seratus sebelas peserta"),
    ("ada 1.000 peserta", "ada seribu peserta"),
    ("ada 1.250 peserta", "ada seribu dua ratus lima puluh peserta"),
    ("ada 11.000 peserta", "ada sebelas ribu peserta"),
    ("ada 1.100 peserta", "ada seribu seratus peserta"),
    ("ada 150 peserta", "ada seratus lima puluh peserta"),
    ("sasaran 15.000 pengunjung", "sasaran lima belas ribu pengunjung"),
    ("sebanyak 1.000.000 bibit", "sebanyak satu juta bibit"),
    ("naik 2,5 kali", "naik dua koma lima kali"),
    ("indeks 4,3 dari skala 5", "indeks empat koma tiga dari skala lima"),
    ("nilai 0,05", "nilai nol koma nol lima"),
    ("nilai 1.250,75", "nilai seribu dua ratus lima puluh koma tujuh lima"),
    ("tumbuh 1.5 kali", "tumbuh satu koma lima kali"),
    ("pasal 1.2.3", "pasal satu titik dua titik tiga"),
    ("sebanyak 10-15 orang", "sebanyak sepuluh sampai lima belas orang"),
    ("sebanyak 10–15 orang", "sebanyak sepuluh sampai lima belas orang"),
    ("kode 007", "kode kosong kosong tujuh"),
    ("1 dari 4 peserta", "satu dari empat peserta"),
    # money
    ("hadiah Rp 5.000.000", "hadiah lima juta rupiah"),
    ("hadiah Rp5.000.000,00", "hadiah lima juta rupiah"),
    ("hadiah Rp 5.000.000,-", "hadiah lima juta rupiah"),
    ("hadiah Rp. 750.000", "hadiah tujuh ratus lima puluh ribu rupiah"),
    ("hadiah Rp5 juta", "hadiah lima juta rupiah"),
    ("anggaran Rp 1,2 miliar", "anggaran satu koma dua miliar rupiah"),
    ("anggaran Rp1,2 miliar", "anggaran satu koma dua miliar rupiah"),
    ("anggaran Rp 3,5 Miliar", "anggaran tiga koma lima miliar rupiah"),
    ("anggaran Rp 2 M", "anggaran dua miliar rupiah"),
    ("anggaran Rp 1,5 T", "anggaran satu koma lima triliun rupiah"),
    ("tiket Rp 250 ribu", "tiket dua ratus lima puluh ribu rupiah"),
    ("tiket Rp 25 rb", "tiket dua puluh lima ribu rupiah"),
    (
        "tercatat Rp2.750.000.000",
        "tercatat dua miliar tujuh ratus lima puluh juta rupiah",
    ),
    ("harga Rp 5.000–Rp 10.000", "harga lima ribu sampai sepuluh ribu rupiah"),
    ("investasi US$ 2,5 juta", "investasi dua koma lima juta dolar Amerika Serikat"),
    ("investasi USD 100", "investasi seratus dolar Amerika Serikat"),
    ("kurs IDR 15.000", "kurs lima belas ribu rupiah"),
    # percentages
    ("naik 35%", "naik tiga puluh lima persen"),
    ("tumbuh 12,5%", "tumbuh dua belas koma lima persen"),
    ("tumbuh 37,2 %", "tumbuh tiga puluh tujuh koma dua persen"),
    ("target 10–15%", "target sepuluh sampai lima belas persen"),
    ("sebanyak 100% warga", "sebanyak seratus persen warga"),
    # dates and years
    ("pada 29/11/2022", "pada dua puluh sembilan November dua ribu dua puluh dua"),
    ("pada 29-11-2022", "pada dua puluh sembilan November dua ribu dua puluh dua"),
    ("pada 29.11.2022", "pada dua puluh sembilan November dua ribu dua puluh dua"),
    ("pada 2022-11-29", "pada dua puluh sembilan November dua ribu dua puluh dua"),
    (
        "pada 29 November 2022",
        "pada dua puluh sembilan November dua ribu dua puluh dua",
    ),
    ("pada 1 Desember 2022", "pada satu Desember dua ribu dua puluh dua"),
    ("pada 29 Nov 2022", "pada dua puluh sembilan November dua ribu dua puluh dua"),
    ("pada 1–3 Desember 2022", "pada satu sampai tiga Desember dua ribu dua puluh dua"),
    (
        "Selasa (29/11/2022)",
        "Selasa (dua puluh sembilan November dua ribu dua puluh dua)",
    ),
    (
        "sepanjang Januari–Oktober 2022",
        "sepanjang Januari sampai Oktober dua ribu dua puluh dua",
    ),
    ("tahun 2022", "tahun dua ribu dua puluh dua"),
    ("sejak 1945", "sejak seribu sembilan ratus empat puluh lima"),
    ("tahun 2000", "tahun dua ribu"),
    (
        "periode 2021-2026",
        "periode dua ribu dua puluh satu sampai dua ribu dua puluh enam",
    ),
    # times and zones
    ("pukul 10.00 WITA", "pukul sepuluh Waktu Indonesia Tengah"),
    ("pukul 10.30 WIB", "pukul sepuluh lewat tiga puluh menit Waktu Indonesia Barat"),
    ("pukul 08.05 WIT", "pukul delapan lewat lima menit Waktu Indonesia Timur"),
    (
        "pukul 19.30 WITA",
        "pukul sembilan belas lewat tiga puluh menit Waktu Indonesia Tengah",
    ),
    ("Pukul 07.00 WITA", "Pukul tujuh Waktu Indonesia Tengah"),
    ("jam 10.00", "pukul sepuluh"),
    ("pukul 8.30", "pukul delapan lewat tiga puluh menit"),
    ("mulai 08.00 WITA", "mulai pukul delapan Waktu Indonesia Tengah"),
    ("dibuka 09.00", "dibuka pukul sembilan"),
    ("pukul 00.00", "pukul nol nol"),
    (
        "pukul 08.00–15.00 WITA",
        "pukul delapan sampai lima belas Waktu Indonesia Tengah",
    ),
    (
        "pukul 08.30 hingga 21.30 WITA",
        "pukul delapan lewat tiga puluh menit hingga dua puluh satu lewat tiga puluh "
        "menit Waktu Indonesia Tengah",
    ),
    (
        "pukul 12.00 dan 18.00 WITA",
        "pukul dua belas dan pukul delapan belas Waktu Indonesia Tengah",
    ),
    ("Zona WITA", "Zona Waktu Indonesia Tengah"),
    # ordinals
    ("penyelenggaraan ke-3", "penyelenggaraan ketiga"),
    ("penyelenggaraan ke-21", "penyelenggaraan kedua puluh satu"),
    ("HUT ke-77", "HUT ketujuh puluh tujuh"),
    ("yang ke-1", "yang pertama"),
    ("Ke-3 kalinya", "Ketiga kalinya"),
    ("H-7 Lebaran", "H min tujuh Lebaran"),
    ("H+3 Lebaran", "H plus tiga Lebaran"),
    # phone numbers, digit by digit
    (
        "hubungi 0361 123456",
        "hubungi kosong tiga enam satu, satu dua tiga empat lima enam",
    ),
    (
        "hubungi +62 812-3456-7890",
        "hubungi plus enam dua, delapan satu dua, tiga empat lima enam, tujuh delapan "
        "sembilan kosong",
    ),
    (
        "telepon (0361) 000000",
        "telepon kosong tiga enam satu, kosong kosong kosong kosong kosong kosong",
    ),
    (
        "WhatsApp 0811-3860-2022",
        "WhatsApp kosong delapan satu satu, tiga delapan enam kosong, dua kosong "
        "dua dua",
    ),
    (
        "nomor 081234567890",
        "nomor kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan "
        "kosong",
    ),
    ("SMS ke 1708", "SMS ke satu tujuh kosong delapan"),
    ("hubungi 112", "hubungi satu satu dua"),
    # web and e-mail addresses
    (
        "di diskominfos.baliprov.go.id",
        "di diskominfos titik baliprov titik go titik id",
    ),
    ("di lapor.go.id.", "di lapor titik go titik id."),
    (
        "di https://www.lapor.go.id/",
        "di we we we titik lapor titik go titik id",
    ),
    (
        "di https://baliprov.example/bersih-pantai,",
        "di baliprov titik example garis miring bersih strip pantai,",
    ),
    ("ke a@b.id", "ke a et b titik id"),
    (
        "ke ppid_bali@baliprov.go.id",
        "ke ppid garis bawah bali et baliprov titik go titik id",
    ),
    # units and symbols
    ("sepanjang 3 km", "sepanjang tiga kilometer"),
    ("seluas 5 ha", "seluas lima hektare"),
    ("berat 1,2 kg", "berat satu koma dua kilogram"),
    ("luas 250 m²", "luas dua ratus lima puluh meter persegi"),
    ("suhu 30°C", "suhu tiga puluh derajat Celsius"),
    ("±200 orang", "sekitar dua ratus orang"),
    ("ikuti #BaliEraBaru", "ikuti tagar BaliEraBaru"),
    # written abbreviations and names
    ("di Jl. Majapahit No. 1", "di Jalan Majapahit nomor satu"),
    ("kertas, pena, dll.", "kertas, pena, dan lain-lain."),
    ("Prof. Dr. I Made Putra", "Profesor Doktor I Made Putra"),
    ("Kab. Badung", "Kabupaten Badung"),
    ("Senin s.d. Jumat", "Senin sampai dengan Jumat"),
    (
        "Kabid, I Gusti Ayu Putri, S.Sos., M.Si., menambahkan",
        "Kabid, I Gusti Ayu Putri, menambahkan",
    ),
    ("kata I.B. Rai", "kata I.B. Rai"),
    ("pasien COVID-19", "pasien COVID sembilan belas"),
    ("jaringan 5G dan G20", "jaringan 5G dan G20"),
    ("Bali & Nusa", "Bali & Nusa"),
    # an abbreviation in brackets after its full name is written for the eye
    (
        "Kelompok Informasi Masyarakat (KIM) se-Bali",
        "Kelompok Informasi Masyarakat se-Bali",
    ),
    ("Nomor Induk Berusaha (NIB) gratis", "Nomor Induk Berusaha gratis"),
    # glossary terms are kept as written, untouched by the number rules
    ("melalui SP4N-LAPOR! dan KIM", "melalui SP4N-LAPOR! dan KIM"),
    ("layanan PPID Diskominfos", "layanan PPID Diskominfos"),
    # emoji are not read
    ("Festival 🪁🎉 meriah", "Festival meriah"),
]

ENGLISH = [
    ("around 40 volunteers", "around forty volunteers"),
    ("1,250 people", "one thousand two hundred and fifty people"),
    ("1.2 tonnes", "one point two tonnes"),
    ("2,000 people", "two thousand people"),
    ("in 2022", "in twenty twenty-two"),
    ("since 2005", "since two thousand and five"),
    ("about 70%", "about seventy percent"),
    ("12.5% more", "twelve point five percent more"),
    ("US$1.5 million", "one point five million US dollars"),
    ("Rp 5 million", "five million rupiah"),
    ("Rp 5,000,000", "five million rupiah"),
    ("US$1", "one US dollar"),
    ("on 29 November 2022", "on the twenty-ninth of November twenty twenty-two"),
    ("on November 29, 2022", "on November twenty-ninth twenty twenty-two"),
    ("on 29/11/2022", "on the twenty-ninth of November twenty twenty-two"),
    ("from 1–3 December", "from the first to the third of December"),
    ("at 10:30", "at ten thirty a.m."),
    ("at 10:00 a.m.", "at ten a.m."),
    ("at 7 pm", "at seven p.m."),
    ("at 19.30 WITA", "at seven thirty p.m. Central Indonesia Time"),
    ("from 07.00 to 09.00 WITA", "from seven to nine a.m. Central Indonesia Time"),
    ("from 11:00 to 13:00", "from eleven a.m. to one p.m."),
    ("at 12:00", "at twelve noon"),
    ("at 00:00", "at midnight"),
    ("at 08:05", "at eight oh five a.m."),
    ("the 3rd time", "the third time"),
    ("her 21st birthday", "her twenty-first birthday"),
    ("along 3 km", "along three kilometres"),
    ("just 1 km", "just one kilometre"),
    (
        "call +62 812 3900 1122",
        "call plus six two, eight one two, three nine zero zero, one one two two",
    ),
    (
        "visit baliprov.example/bersih-pantai",
        "visit baliprov dot example slash bersih dash pantai",
    ),
    ("write to media@baliprov.example", "write to media at baliprov dot example"),
    ("version 1.2.3", "version one point two point three"),
    ("e.g. plastic", "for example plastic"),
]


@pytest.mark.parametrize(("written", "said"), INDONESIAN)
def test_indonesian_written_forms_are_said_as_a_newsreader_says_them(written, said):
    assert normalize(written, "id", GLOSSARY) == said


@pytest.mark.parametrize(("written", "said"), ENGLISH)
def test_english_written_forms_are_said_as_a_newsreader_says_them(written, said):
    assert normalize(written, "en", GLOSSARY) == said


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (0, "nol"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (19, "sembilan belas"),
        (100, "seratus"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (1_000_000_000, "satu miliar"),
        (2_000_000_000_000, "dua triliun"),
        (
            10**16,
            "satu kosong kosong kosong kosong kosong kosong kosong kosong kosong "
            "kosong kosong kosong kosong kosong kosong kosong",
        ),
    ],
)
def test_indonesian_cardinals_use_the_se_forms(value, said):
    assert cardinal(value, "id") == said


def test_ordinals_and_years_in_both_languages():
    assert [ordinal(n, "id") for n in (1, 3, 10, 21)] == [
        "pertama",
        "ketiga",
        "kesepuluh",
        "kedua puluh satu",
    ]
    assert ordinal(3, "en") == "third"
    assert year(2022, "id") == "dua ribu dua puluh dua"
    assert year(2022, "en") == "twenty twenty-two"


@pytest.mark.parametrize(
    ("written", "language", "said"),
    [
        ("1.250", "id", "seribu dua ratus lima puluh"),
        ("1,250", "en", "one thousand two hundred and fifty"),
        ("2,5", "id", "dua koma lima"),
        ("2.5", "en", "two point five"),
        ("5.000.000,00", "id", "lima juta koma nol nol"),
    ],
)
def test_separators_follow_the_language(written, language, said):
    assert number(written, language) == said


def test_phone_and_address_helpers():
    assert (
        phone("(0361) 229 360")
        == "kosong tiga enam satu, dua dua sembilan, tiga enam kosong"
    )
    assert address("a@b.id") == "a et b titik id"
    assert address("a@b.id", "en") == "a at b dot id"


def test_glossary_terms_get_a_guide_at_first_sight_only():
    texts = ["Layanan KIM dan PPID.", "KIM lagi, lalu SP4N-LAPOR!."]

    assert pronounce(texts, GLOSSARY, "guide") == [
        "Layanan KIM [ka-i-em] dan PPID [pe-pe-i-de].",
        "KIM lagi, lalu SP4N-LAPOR! [es-pe-empat-en lapor].",
    ]


def test_glossary_terms_can_be_replaced_longest_first_whole_words_exact_case():
    texts = ["SP4N-LAPOR! bukan LAPOR, KIMIA bukan KIM, kim bukan KIM."]

    assert pronounce(texts, GLOSSARY, "replace") == [
        "es-pe-empat-en lapor bukan lapor, KIMIA bukan ka-i-em, kim bukan ka-i-em."
    ]


def test_unknown_abbreviations_are_listed_once_in_order():
    texts = [
        "Warga DPRD dan KIM hadir bersama TNI.",
        "Lalu DPRD, PPID, Bab III dan BPBD.",
        "PEMPROV BALI BUKA PENDAFTARAN BEASISWA",  # a headline in capitals
    ]

    assert unknown_abbreviations(texts, GLOSSARY) == ["DPRD", "TNI", "BPBD"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ia tinggal di Jl. D.I. Panjaitan No. 7. Dr. Putu hadir.",
            ["Ia tinggal di Jl. D.I. Panjaitan No. 7.", "Dr. Putu hadir."],
        ),
        (
            '"Bagus sekali." Lalu ia pergi! Benarkah? Ya.',
            ['"Bagus sekali."', "Lalu ia pergi!", "Benarkah?", "Ya."],
        ),
        ("Kata I Gusti A. Putri hari ini.", ["Kata I Gusti A. Putri hari ini."]),
        ("Buka lapor.go.id. Lalu kirim.", ["Buka lapor.go.id.", "Lalu kirim."]),
        ("nilainya 2.5 dan 10.000. Selesai", ["nilainya 2.5 dan 10.000.", "Selesai"]),
        ("", []),
    ],
)
def test_sentences_split_at_real_ends_only(text, expected):
    assert sentences(text) == expected


def test_words_are_counted_as_said():
    assert word_count("dua puluh sembilan – November, “kata” 2022 !") == 6


ODD = st.lists(
    st.sampled_from(
        list("0123456789.,:;-–—/%+()$@#&*!? \n\"'“”")
        + ["Rp", "US$", "WITA", "WIB", "ke-", "H-", "pukul ", "km", "m²", "°C"]
        + ["🎉", "🪁", "ᬩᬮᬶ", "ꦗꦮ", "<script>", "</b>", "KIM", "SP4N-LAPOR!"]
        + ["Januari", "Nov", "a.m.", "www.", ".id", "https://", "1.2.3", "00:00"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.text(max_size=80), ODD), language=st.sampled_from(["id", "en"])
)
def test_the_normalizer_never_raises(text, language):
    said = normalize(text, language, GLOSSARY)

    assert isinstance(said, str)
    assert pronounce([said], GLOSSARY, "guide")
    assert isinstance(unknown_abbreviations([said], GLOSSARY), list)
    assert isinstance(sentences(text), list)
