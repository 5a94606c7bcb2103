"""Words the spoken-form normalizer uses, per language: months, units, currencies.

Data only; `spoken.py` holds the rules. Add a unit, currency or written abbreviation
here and every script for the ear (radio, TV) says it.
"""

from __future__ import annotations

MONTHS = {
    "id": (
        "Januari Februari Maret April Mei Juni Juli Agustus September Oktober "
        "November Desember"
    ).split(),
    "en": (
        "January February March April May June July August September October "
        "November December"
    ).split(),
}
# Month names and short forms of both languages, as drafters write them.
MONTH_NUMBER = {
    **{name: i for names in MONTHS.values() for i, name in enumerate(names, 1)},
    **{
        short: i
        for i, shorts in enumerate(
            (
                "Jan",
                "Feb Peb",
                "Mar",
                "Apr",
                "",
                "Jun",
                "Jul",
                "Agu Agt Ags Agst Aug",
                "Sep Sept",
                "Okt Oct",
                "Nov Nop",
                "Des Dec",
            ),
            1,
        )
        for short in shorts.split()
    },
}

WORDS = {
    "id": {
        "point": "koma",
        "separators": {".": "titik", ",": "koma"},  # 1.2.3: a form no number takes
        "dot": "titik",
        "at": "et",  # "@" as Indonesian announcers say it
        "slash": "garis miring",
        "dash": "strip",
        "underscore": "garis bawah",
        "plus": "plus",
        "minus": "min",
        "percent": "persen",
        "to": "sampai",
        "www": "we we we",
        "hashtag": "tagar",
        "about": "sekitar",
        "zones": {
            "WIB": "Waktu Indonesia Barat",
            "WITA": "Waktu Indonesia Tengah",
            "WIT": "Waktu Indonesia Timur",
        },
        "scales": {
            "ribu": "ribu",
            "rb": "ribu",
            "juta": "juta",
            "jt": "juta",
            "miliar": "miliar",
            "milyar": "miliar",
            "M": "miliar",
            "triliun": "triliun",
            "T": "triliun",
        },
        "currencies": {
            "Rp": "rupiah",
            "IDR": "rupiah",
            "US$": "dolar Amerika Serikat",
            "USD": "dolar Amerika Serikat",
            "$": "dolar",
        },
        "units": {
            "km²": "kilometer persegi",
            "km2": "kilometer persegi",
            "m²": "meter persegi",
            "m2": "meter persegi",
            "km": "kilometer",
            "kg": "kilogram",
            "ha": "hektare",
            "cm": "sentimeter",
            "mm": "milimeter",
            "m": "meter",
            "°C": "derajat Celsius",
        },
        "abbreviations": {
            r"Jl\.": "Jalan",
            r"Jln\.": "Jalan",
            r"Gg\.": "Gang",
            r"No\.(?=\s?[0-9])": "nomor",
            r"Kab\.": "Kabupaten",
            r"Kec\.": "Kecamatan",
            r"Kel\.": "Kelurahan",
            r"Prov\.": "Provinsi",
            r"Prof\.": "Profesor",
            r"Dr\.": "Doktor",
            r"dr\.": "dokter",
            r"Ir\.": "Insinyur",
            r"Hj\.": "Hajah",
            r"Bpk\.": "Bapak",
            r"Sdr\.": "Saudara",
            r"Yth\.": "Yang terhormat",
            r"yth\.": "yang terhormat",
            r"dll\.": "dan lain-lain",
            r"dsb\.": "dan sebagainya",
            r"dst\.": "dan seterusnya",
            r"tsb\.": "tersebut",
            r"s\.d\.?": "sampai dengan",
            r"s/d": "sampai dengan",
            r"a\.n\.": "atas nama",
        },
    },
    "en": {
        "point": "point",
        "separators": {".": "point", ",": "comma"},
        "dot": "dot",
        "at": "at",
        "slash": "slash",
        "dash": "dash",
        "underscore": "underscore",
        "plus": "plus",
        "minus": "minus",
        "percent": "percent",
        "to": "to",
        "www": "double-u double-u double-u",
        "hashtag": "hashtag",
        "about": "about",
        "zones": {
            "WIB": "Western Indonesia Time",
            "WITA": "Central Indonesia Time",
            "WIT": "Eastern Indonesia Time",
        },
        "scales": {
            "thousand": "thousand",
            "k": "thousand",
            "million": "million",
            "m": "million",
            "mn": "million",
            "billion": "billion",
            "bn": "billion",
            "trillion": "trillion",
            "tn": "trillion",
        },
        "currencies": {
            "Rp": "rupiah",
            "IDR": "rupiah",
            "US$": "US dollars",
            "USD": "US dollars",
            "$": "dollars",
        },
        "units": {
            "km²": "square kilometres",
            "km2": "square kilometres",
            "m²": "square metres",
            "m2": "square metres",
            "km": "kilometres",
            "kg": "kilograms",
            "ha": "hectares",
            "cm": "centimetres",
            "mm": "millimetres",
            "m": "metres",
            "°C": "degrees Celsius",
        },
        "abbreviations": {
            r"Jl\.": "Jalan",
            r"No\.(?=\s?[0-9])": "number",
            r"Prof\.": "Professor",
            r"Dr\.": "Doctor",
            r"Mr\.": "Mister",
            r"Mrs\.": "Missus",
            r"e\.g\.": "for example",
            r"i\.e\.": "that is",
            r"etc\.": "et cetera",
            r"approx\.": "approximately",
            r"vs\.": "versus",
        },
    },
}
# Digit by digit (phones, codes) Indonesians say "kosong" for 0.
DIGITS = {
    "id": "kosong satu dua tiga empat lima enam tujuh delapan sembilan".split(),
    "en": "zero one two three four five six seven eight nine".split(),
}
