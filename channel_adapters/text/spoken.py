"""Written forms into what an announcer says: numbers, money, dates, times, addresses.

Pure functions over plain text in Indonesian (`id`) or English (`en`). `normalize`
turns a sentence into its spoken form and leaves glossary abbreviations exactly as
written; `pronounce` then replaces them, or adds a bracketed guide for the announcer.
The conventions are listed in docs/channels/README.md (section `radio`); the words
used are in `spoken_lexicon.py`; sentences are split by `sentences.py`.

Over 400 lines on purpose: the normalizer is one ordered chain of patterns (a date
must be read before the number inside it, money before a plain number), and split
over several modules its order would no longer be visible in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Literal

from num2words import num2words

from .language import language_of
from .sentences import sentences  # noqa: F401  (the ear splits with it)
from .spoken_lexicon import DIGITS, MONTH_NUMBER, MONTHS, WORDS

Mode = Literal["guide", "replace"]
Match = re.Match[str]

NUM = r"[0-9]+(?:[.,][0-9]+)*"  # a written number; its separators are read in context
ZONE = r"WITA|WIB|WIT"
RANGE = r"\s?[–—]\s?|-"  # 10–15, 10 – 15, 10-15
MONTH = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
CURRENCY = r"Rp\.?|IDR|US\$|USD|\$"
TIME_SEP = r"–|—|-|s\.d\.?|s/d|sampai(?:\sdengan)?|hingga|to|until|till"
NO_DIGIT_AFTER = r"(?![\w.,]?[0-9])"
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d"
    "\U000e0020-\U000e007f]"
)
# Academic degrees after a name (", S.Sos., M.Si."): newsreaders leave them out.
# "I.B. Rai" (Ida Bagus) is a name, not a degree: a capital follows it.
DEGREES = re.compile(r"(?:,\s*(?:[A-Z][a-z]{0,3}\.){2,3})+(?=,|\s+[a-z]|\s*$)")
ABBREVIATION = re.compile(r"(?<!\w)[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?!\w)")
ROMAN = re.compile(r"[IVX]+")
WORD = re.compile(r"\S*[^\W_]\S*")  # a token with a letter or digit in it
BIGGEST = 10**15  # longer digit strings are codes, read digit by digit


# --- numbers --------------------------------------------------------------------------


def cardinal(value: int, language: str = "id") -> str:
    """`1250` → `seribu dua ratus lima puluh` / `one thousand two hundred and fifty`."""
    if value >= BIGGEST:
        return digits(str(value), language)
    return num2words(value, lang=language_of(language)).replace(",", "")


def ordinal(value: int, language: str = "id") -> str:
    """`3` → `ketiga` / `third`; `21` → `kedua puluh satu` / `twenty-first`."""
    if value >= BIGGEST:
        return digits(str(value), language)
    return num2words(value, lang=language_of(language), to="ordinal").replace(",", "")


def year(value: int, language: str = "id") -> str:
    """`2022` → `dua ribu dua puluh dua` / `twenty twenty-two`."""
    if language_of(language) == "en" and 1000 <= value < 10000:
        return num2words(value, lang="en", to="year").replace(",", "")
    return cardinal(value, language)


def digits(text: str, language: str = "id") -> str:
    """Each digit as a word: `0361` → `kosong tiga enam satu`; other characters go."""
    names = DIGITS[language_of(language)]
    return " ".join(names[int(ch)] for ch in text if "0" <= ch <= "9")


def decimal(whole: str, fraction: str, language: str = "id") -> str:
    """`2`, `5` → `dua koma lima`; the fraction digit by digit, zero as nol/zero."""
    lang = language_of(language)
    names = ["nol", *DIGITS["id"][1:]] if lang == "id" else DIGITS["en"]
    spoken = " ".join(names[int(ch)] for ch in fraction)
    return f"{_integer(whole, lang)} {WORDS[lang]['point']} {spoken}"


def number(text: str, language: str = "id", *, money: bool = False) -> str:
    """A written number read with the language's separators (id: `1.250,5`)."""
    lang = language_of(language)
    thousands, point = (".", ",") if lang == "id" else (",", ".")
    group, dot = re.escape(thousands), re.escape(point)
    grouped = re.fullmatch(rf"[0-9]{{1,3}}(?:{group}[0-9]{{3}})+(?:{dot}[0-9]+)?", text)
    if grouped:
        text = text.replace(thousands, "")
    whole, sep, fraction = text.partition(point)
    if not sep and re.fullmatch(rf"[0-9]+{group}[0-9]{{1,2}}", text):
        # 2.5 in Indonesian (or 2,5 in English): a decimal in the other convention.
        whole, sep, fraction = text.partition(thousands)
    if re.search(r"[.,]", whole + fraction):
        return _separated(text, lang)
    if money and set(fraction) <= {"0"}:
        fraction = ""  # Rp5.000.000,00
    if fraction:
        return decimal(whole, fraction, lang)
    plain = not (money or grouped or whole.startswith("0"))
    if lang == "en" and plain and 1100 <= int(whole) < 2100:
        return year(int(whole), lang)  # an unseparated 1100–2099 is a year in English
    return _integer(whole, lang)


def _integer(text: str, lang: str) -> str:
    """An integer; leading zeros (codes such as 007) are read digit by digit."""
    if len(text) > 1 and text.startswith("0"):
        return digits(text, lang)
    return cardinal(int(text), lang)


def _separated(text: str, lang: str) -> str:
    """Odd forms such as 1.2.3: each part a number, dots and commas said."""
    said = WORDS[lang]["separators"]
    parts = re.split(r"([.,])", text)
    return " ".join(said.get(p) or _integer(p, lang) for p in parts if p)


# --- times and dates ------------------------------------------------------------------


def clock(hour: int, minute: int, language: str = "id") -> str:
    """`10`, `30` → `sepuluh lewat tiga puluh menit` (24-hour, as written) / English."""
    if language_of(language) == "en":
        return " ".join(filter(None, _clock_en(hour, minute)))
    spoken = "nol nol" if hour == 0 else cardinal(hour, "id")
    return f"{spoken} lewat {cardinal(minute, 'id')} menit" if minute else spoken


def _clock_en(hour: int, minute: int, half: str = "") -> tuple[str, str]:
    """English 12-hour reading and its half of the day: (`seven thirty`, `p.m.`)."""
    if minute == 0 and not half and hour in (0, 12, 24):
        return ("twelve noon" if hour == 12 else "midnight"), ""
    half = half or ("a.m." if hour % 24 < 12 else "p.m.")
    twelve = cardinal(hour % 12 or 12, "en")
    if minute == 0:
        return twelve, half
    mins = f"oh {cardinal(minute, 'en')}" if minute < 10 else cardinal(minute, "en")
    return f"{twelve} {mins}", half


def spoken_date(day: int, month: int, year_: int | None, language: str = "id") -> str:
    """29 November 2022 → `dua puluh sembilan November dua ribu dua puluh dua`."""
    lang = language_of(language)
    name = MONTHS[lang][month - 1]
    said_year = f" {year(year_, lang)}" if year_ is not None else ""
    if lang == "en":
        return f"the {ordinal(day, 'en')} of {name}{said_year}"
    return f"{cardinal(day, 'id')} {name}{said_year}"


# --- addresses and phone numbers ------------------------------------------------------


def phone(text: str, language: str = "id") -> str:
    """`(0361) 229 360` → `kosong tiga enam satu, dua dua sembilan, tiga enam …`."""
    lang = language_of(language)
    spoken = []
    for group in re.split(r"[\s().-]+", text):
        if digits(group, lang):
            plus = f"{WORDS[lang]['plus']} " if group.startswith("+") else ""
            spoken.append(plus + digits(group, lang))
    return ", ".join(spoken)


def address(text: str, language: str = "id") -> str:
    """A web or e-mail address spelt out: `a@b.id` → `a et b titik id`."""
    words = WORDS[language_of(language)]
    text = re.sub(r"^[a-zA-Z][a-zA-Z+.-]*://", "", text).rstrip("/")
    said = {
        ".": words["dot"],
        "@": words["at"],
        "/": words["slash"],
        "-": words["dash"],
        "_": words["underscore"],
        "www": words["www"],
    }
    out = []
    for piece in re.findall(r"[0-9]+|[^\W_]+|\S", text):
        out.append(
            digits(piece, language) if piece.isdigit() else said.get(piece, piece)
        )
    return " ".join(out)


# --- the normalizer -------------------------------------------------------------------


def normalize(
    text: str, language: str = "id", glossary: Mapping[str, str] | None = None
) -> str:
    """`text` as an announcer reads it; glossary terms are left exactly as written."""
    return _normalize(text, language_of(language), _terms(glossary or {}))


# Radio, TV and e-mail attachments render the same sentences of a revision in turn.
@lru_cache(maxsize=4096)
def _normalize(text: str, lang: str, terms: tuple[str, ...]) -> str:
    """`normalize` for one language and set of protected glossary terms."""
    text = EMOJI.sub("", text)
    text = DEGREES.sub("", text)
    text = _parenthesised_abbreviation(terms).sub("", text)
    pattern, replacers = _normalizer(lang, terms)
    text = pattern.sub(lambda m: replacers[m.lastgroup or ""](m, lang), text)
    text = re.sub(r"\s+([,;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _terms(glossary: Mapping[str, str]) -> tuple[str, ...]:
    """Glossary terms, longest first so `SP4N-LAPOR!` wins over `LAPOR`."""
    return tuple(sorted(glossary, key=lambda t: (-len(t), t)))


@lru_cache(maxsize=32)
def _terms_pattern(terms: tuple[str, ...]) -> str:
    """Glossary terms as whole words, case as written; never matches when empty."""
    if not terms:
        return r"(?!x)x"
    first = "".join(sorted({re.escape(t[0]) for t in terms}))
    alternatives = "|".join(map(re.escape, terms))
    return rf"(?<!\w)(?=[{first}])(?:{alternatives})(?!\w)"


@lru_cache(maxsize=32)
def _parenthesised_abbreviation(terms: tuple[str, ...]) -> re.Pattern[str]:
    """` (KIM)` after its full name: written for the eye, dropped for the ear."""
    known = "".join(f"{re.escape(t)}|" for t in terms)
    return re.compile(rf"(?<=\w)\s\((?:{known}[A-Z][A-Z0-9&-]*[A-Z0-9]!?)\)")


Replacer = Callable[[Match, str], str]


@lru_cache(maxsize=32)
def _normalizer(
    lang: str, terms: tuple[str, ...]
) -> tuple[re.Pattern[str], dict[str, Replacer]]:
    """One regex over every written form: the leftmost wins, then the first listed."""
    words = WORDS[lang]
    # "Rp 3,5 Miliar" in a title: scale words in any case, but M and T only as such.
    scales = "|".join(
        f"(?i:{re.escape(s)})" if len(s) > 2 else re.escape(s)
        for s in sorted(words["scales"], key=len, reverse=True)
    )
    units = "|".join(sorted(map(re.escape, words["units"]), key=len, reverse=True))
    abbreviations = "|".join(words["abbreviations"])
    pc_words = (
        r"SMS|sms|[Tt]elepon|[Tt]elp\.?|[Hh]ubungi|WhatsApp|WA|[Hh]otline"
        r"|[Cc]all [Cc]enter|[Pp]hone|[Cc]all|[Tt]ext"
    )
    table: list[tuple[str, str, Replacer]] = [
        (
            "phonectx",
            rf"(?=[SsTtHhWwCcPp])(?P<pc_ctx>(?:{pc_words})\s+(?:(?:ke|di|to|on|at)\s+)?)"
            rf"(?P<pc_num>[0-9]{{3,}}(?:[ -][0-9]{{2,}})*){NO_DIGIT_AFTER}",
            lambda m, lang: m["pc_ctx"] + phone(m["pc_num"], lang),
        ),
        ("gloss", _terms_pattern(terms), lambda m, lang: m.group()),
        (
            "email",
            r"(?=[^\s@]*+@)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
            lambda m, lang: address(m.group(), lang),
        ),
        (
            "url",
            r"(?=https?://|[a-z0-9-]++\.[a-z0-9])"
            r"(?:https?://[^\s<>\"“”]+|(?:www\.)?[a-z0-9-]+"
            r"(?:\.[a-z0-9-]+)*\.[a-z]{2,10}(?![\w@-])(?:/[^\s<>\"“”]*)?)",
            _url,
        ),
        (
            "phone",
            r"(?<![\w+])(?:\+[0-9]{1,3}(?:[ -]?\(?[0-9]{2,5}\)?){2,5}|\+[0-9]{8,15}"
            r"|\(0[0-9]{1,3}\)\s?[0-9]{2,8}(?:[ -][0-9]{2,8}){0,3}"
            r"|0[0-9]{2,4}(?:[ -][0-9]{2,8}){1,3}|0[0-9]{8,12})" + NO_DIGIT_AFTER,
            lambda m, lang: phone(m.group(), lang),
        ),
        (
            "money",
            rf"(?=[RIU$])(?P<c_cur>{CURRENCY})\s?(?P<c_a>{NUM})"
            rf"(?:(?:{RANGE})(?:(?:{CURRENCY})\s?)?(?P<c_b>{NUM}))?"
            rf"(?:,-{{1,2}})?(?:\s?(?P<c_scale>{scales})(?!\w))?",
            _money,
        ),
        (
            "monthrange",
            rf"(?=[A-Z])(?P<mr_a>{MONTH})\s?[–—-]\s?(?P<mr_b>{MONTH})(?!\w)",
            lambda m, lang: (
                f"{_month(m['mr_a'], lang)} {WORDS[lang]['to']} "
                f"{_month(m['mr_b'], lang)}"
            ),
        ),
        (
            "isodate",
            r"(?<![\w.,/-])(?P<i_y>[0-9]{4})-(?P<i_m>[0-9]{2})-(?P<i_d>[0-9]{2})(?!\w)",
            lambda m, lang: _date(m["i_d"], m["i_m"], m["i_y"], m.group(), lang),
        ),
        (
            "numdate",
            r"(?<![\w.,/-])(?P<d_a>[0-9]{1,2})(?P<d_s>[/.-])(?P<d_b>[0-9]{1,2})"
            r"(?P=d_s)(?P<d_y>[0-9]{4})" + NO_DIGIT_AFTER,
            _numeric_date,
        ),
        (
            "daymonth",
            rf"(?<![\w.,])(?P<dm_a>[0-9]{{1,2}})(?:\s?[–—-]\s?(?P<dm_b>[0-9]{{1,2}}))?"
            rf"\s(?P<dm_m>{MONTH})(?!\w)(?:\.(?=\s[0-9]))?"
            rf"(?:\s(?P<dm_y>[0-9]{{4}}))?{NO_DIGIT_AFTER}",
            _day_month,
        ),
        (
            "monthday",
            rf"(?=[A-Z])(?P<md_m>{MONTH})(?!\w)\.?\s(?P<md_d>[0-9]{{1,2}})"
            rf"(?:st|nd|rd|th)?(?:,?\s(?P<md_y>[0-9]{{4}}))?{NO_DIGIT_AFTER}",
            _month_day,
        ),
        (
            "time",
            r"(?=[PpJj0-9])(?<![.,])(?P<t_pre>(?:[Pp]ukul|[Jj]am|[Pp]k\.?)\s?)?"
            r"(?P<t_h1>[01]?[0-9]|2[0-4])(?P<t_s1>[.:])(?P<t_m1>[0-5][0-9])"
            r"(?![.,]?[0-9]|\s?%)"
            rf"(?:\s?(?P<t_sep>{TIME_SEP})\s?(?:[Pp]ukul\s)?"
            r"(?P<t_h2>[01]?[0-9]|2[0-4])[.:](?P<t_m2>[0-5][0-9])(?![.,]?[0-9]|\s?%))?"
            r"(?:\s?(?P<t_ampm>[ap]\.m\.|[AaPp][Mm](?!\w)))?"
            rf"(?:\s?(?P<t_zone>{ZONE})(?!\w))?",
            _time,
        ),
        (
            "percent",
            rf"(?<![\w.,])(?P<p_a>{NUM})(?:(?:{RANGE})(?P<p_b>{NUM}))?\s?%",
            lambda m, lang: (
                f"{_range(m['p_a'], m['p_b'], lang)} {WORDS[lang]['percent']}"
            ),
        ),
        (
            "ordinal",
            r"(?=[Kk0-9])(?:(?P<o_ke>[Kk]e)-(?P<o_n>[0-9]+)|(?P<o_en>[0-9]+)"
            r"(?:st|nd|rd|th))(?!\w)",
            _ordinal,
        ),
        (
            "hday",
            r"(?<!\w)H(?P<h_sign>[-+])(?P<h_n>[0-9]+)(?!\w)",
            lambda m, lang: (
                f"H {WORDS[lang]['minus' if m['h_sign'] == '-' else 'plus']}"
                f" {cardinal(int(m['h_n']), lang)}"
            ),
        ),
        (
            "unit",
            rf"(?<![\w.,])(?P<u_n>{NUM})\s?(?P<u_u>{units})(?!\w)",
            _unit,
        ),
        (
            "hyphennum",
            r"(?P<hn_w>[A-Za-z]++)-(?P<hn_n>[0-9]+)(?!\w)",
            lambda m, lang: f"{m['hn_w']} {number(m['hn_n'], lang)}",
        ),
        (
            "number",
            rf"(?<!\w)(?P<n_a>{NUM})(?:(?:{RANGE})(?P<n_b>{NUM}))?(?!\w)",
            lambda m, lang: _range(m["n_a"], m["n_b"], lang),
        ),
        (
            "zone",
            rf"(?<!\w)(?:{ZONE})(?!\w)",
            lambda m, lang: WORDS[lang]["zones"][m.group()],
        ),
        ("abbr", rf"(?<![\w.])(?:{abbreviations})", _abbreviation),
        (
            "hashtag",
            r"(?<![\w&])#(?P<tag>[^\W\d_]\w*)",
            lambda m, lang: f"{WORDS[lang]['hashtag']} {m['tag']}",
        ),
        ("about", r"±\s?", lambda m, lang: f"{WORDS[lang]['about']} "),
    ]
    if lang == "en":
        table.insert(
            table.index(next(t for t in table if t[0] == "percent")),
            (
                "hourampm",
                r"(?<![\w.,])(?P<ha_h>1[0-2]|0?[1-9])\s?"
                r"(?P<ha_ampm>[ap]\.m\.|[AaPp][Mm](?!\w))"
                rf"(?:\s?(?P<ha_zone>{ZONE})(?!\w))?",
                _hour_ampm,
            ),
        )
    # Every form starts a word: one guard lets the engine skip mid-word positions.
    alternatives = "|".join(f"(?P<{name}>{rx})" for name, rx, _ in table)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})")
    return pattern, {name: replace for name, _, replace in table}


def _url(match: Match, lang: str) -> str:
    """A web address spelt out; trailing sentence punctuation stays punctuation."""
    url = match.group()
    body = url.rstrip(".,;:!?)]")
    return address(body, lang) + url[len(body) :] if body else url


def _money(match: Match, lang: str) -> str:
    """`Rp 1,2 miliar` → `satu koma dua miliar rupiah`; `US$5` → `lima dolar …`."""
    words = WORDS[lang]
    amount = number(match["c_a"], lang, money=True)
    if match["c_b"]:
        amount += f" {words['to']} {number(match['c_b'], lang, money=True)}"
    written = match["c_scale"] or ""
    scales = words["scales"]
    scale = f" {scales.get(written) or scales[written.lower()]}" if written else ""
    name = words["currencies"][match["c_cur"].rstrip(".")]
    if lang == "en" and amount == "one" and not scale:
        name = name.removesuffix("s")
    return f"{amount}{scale} {name}"


def _month(name: str, lang: str) -> str:
    """The full month name in the script's language."""
    return MONTHS[lang][MONTH_NUMBER[name] - 1]


def _date(day: str, month: str, year_: str | None, written: str, lang: str) -> str:
    """A date as said, or the written text read as numbers if it is no real date."""
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return _numbers_only(written, lang)
    return spoken_date(d, m, int(year_) if year_ else None, lang)


def _numeric_date(match: Match, lang: str) -> str:
    """29/11/2022, day first as in Indonesia; 11/29/2022 is understood too."""
    day, month = match["d_a"], match["d_b"]
    if int(day) <= 12 < int(month):
        day, month = month, day
    return _date(day, month, match["d_y"], match.group(), lang)


def _day_month(match: Match, lang: str) -> str:
    """`1–3 Desember 2022` → `satu sampai tiga Desember dua ribu dua puluh dua`."""
    first, last = int(match["dm_a"]), int(match["dm_b"] or 0)
    if not (1 <= first <= 31 and last <= 31):
        return _numbers_only(match.group(), lang)
    month = _month(match["dm_m"], lang)
    said_year = f" {year(int(match['dm_y']), lang)}" if match["dm_y"] else ""
    if lang == "en":
        days = f"the {ordinal(first, 'en')}"
        days += f" to the {ordinal(last, 'en')}" if last else ""
        return f"{days} of {month}{said_year}"
    days = cardinal(first, "id") + (f" sampai {cardinal(last, 'id')}" if last else "")
    return f"{days} {month}{said_year}"


def _month_day(match: Match, lang: str) -> str:
    """`November 29, 2022` → `November twenty-ninth twenty twenty-two`."""
    month = _month(match["md_m"], lang)
    day = int(match["md_d"])
    said_year = f" {year(int(match['md_y']), lang)}" if match["md_y"] else ""
    if lang == "id":
        return f"{cardinal(day, 'id')} {month}{said_year}"
    return f"{month} {ordinal(day, 'en')}{said_year}"


def _time(match: Match, lang: str) -> str:
    """`pukul 10.30 WIB` → `pukul sepuluh lewat tiga puluh menit Waktu Indonesia …`."""
    marked = match["t_pre"] or match["t_zone"] or match["t_ampm"] or match["t_h2"]
    bare_ok = len(match["t_h1"]) == 2 if lang == "id" else match["t_s1"] == ":"
    if not (marked or bare_ok):
        return _numbers_only(match.group(), lang)
    h1, m1 = int(match["t_h1"]), int(match["t_m1"])
    zone = f" {WORDS[lang]['zones'][match['t_zone']]}" if match["t_zone"] else ""
    sep = match["t_sep"]
    joiner = sep if sep in ("hingga", "until", "till") else WORDS[lang]["to"]
    h2 = int(match["t_h2"]) if match["t_h2"] else None
    m2 = int(match["t_m2"] or 0)
    if lang == "id":
        pre = match["t_pre"]
        capital = pre[:1].isupper() if pre else not match.start()
        said = f"{'P' if capital else 'p'}ukul {clock(h1, m1, 'id')}"
        if h2 is not None:
            said += f" {joiner} {clock(h2, m2, 'id')}"
        return said + zone
    ampm = (match["t_ampm"] or "").lower().replace(".", "")
    half = f"{ampm[0]}.m." if ampm and h1 <= 12 else ""
    first, first_half = _clock_en(h1, m1, half)
    if h2 is None:
        return " ".join(filter(None, (first, first_half))) + zone
    second, second_half = _clock_en(h2, m2, half if h2 <= 12 else "")
    if first_half == second_half:
        first_half = ""  # seven to nine a.m.
    said = (first, first_half, joiner, second, second_half)
    return " ".join(filter(None, said)) + zone


def _hour_ampm(match: Match, lang: str) -> str:
    """`10 a.m.` → `ten a.m.`."""
    ampm = match["ha_ampm"].lower().replace(".", "")
    zone = f" {WORDS[lang]['zones'][match['ha_zone']]}" if match["ha_zone"] else ""
    return f"{cardinal(int(match['ha_h']), lang)} {ampm[0]}.m.{zone}"


def _ordinal(match: Match, lang: str) -> str:
    """`ke-3` → `ketiga`; `3rd` → `third`."""
    if match["o_en"]:
        return ordinal(int(match["o_en"]), "en")
    said = ordinal(int(match["o_n"]), "id")
    return said[0].upper() + said[1:] if match["o_ke"] == "Ke" else said


def _unit(match: Match, lang: str) -> str:
    """`3 km` → `tiga kilometer` / `three kilometres`."""
    unit = WORDS[lang]["units"][match["u_u"]]
    if lang == "en" and match["u_n"] == "1":
        unit = re.sub(r"s\b", "", unit, count=1)  # one kilometre, one degree Celsius
    return f"{number(match['u_n'], lang)} {unit}"


def _range(first: str, second: str | None, lang: str) -> str:
    """`10–15` → `sepuluh sampai lima belas`."""
    said = number(first, lang)
    return f"{said} {WORDS[lang]['to']} {number(second, lang)}" if second else said


def _numbers_only(text: str, lang: str) -> str:
    """Every number in `text` as a plain number (for forms that looked like more)."""
    return re.sub(NUM, lambda m: number(m.group(), lang), text)


def _abbreviation(match: Match, lang: str) -> str:
    """`Jl.` → `Jalan`, `dll.` → `dan lain-lain`; a sentence-final dot is kept."""
    written = match.group()
    for pattern, said in WORDS[lang]["abbreviations"].items():
        if re.fullmatch(pattern.split("(?=")[0], written):
            rest = match.string[match.end() :].strip(" \"'”’)")
            return said + ("." if written.endswith(".") and not rest else "")
    return written


# --- glossary -------------------------------------------------------------------------


def pronounce(
    texts: Sequence[str], glossary: Mapping[str, str], mode: Mode = "guide"
) -> list[str]:
    """Glossary terms as said (`replace`), or with a guide at first sight (`guide`)."""
    if not glossary:
        return list(texts)
    pattern = _compiled(_terms_pattern(_terms(glossary)))
    seen: set[str] = set()

    def say(match: Match) -> str:
        term = match.group()
        if mode == "replace":
            return glossary[term]
        if term in seen:
            return term
        seen.add(term)
        return f"{term} [{glossary[term]}]"

    return [pattern.sub(say, text) for text in texts]


@lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A cached compiled regex."""
    return re.compile(pattern)


def unknown_abbreviations(
    texts: Sequence[str], glossary: Mapping[str, str]
) -> list[str]:
    """All-caps abbreviations not in the glossary, in order of first appearance."""
    known = _compiled(_terms_pattern(_terms(glossary)))
    found: dict[str, None] = {}
    for text in texts:
        text = known.sub(" ", text)
        words = re.findall(r"[^\W\d_]+", text)
        capitals = sum(w.isupper() for w in words)
        if len(words) >= 4 and capitals * 5 > len(words) * 3:
            continue  # a headline in capitals is not a string of abbreviations
        for token in ABBREVIATION.findall(text):
            if not ROMAN.fullmatch(token):
                found.setdefault(token, None)
    return list(found)


# --- sentences and words --------------------------------------------------------------


def word_count(text: str) -> int:
    """Words an announcer says: tokens with a letter or digit in them."""
    return len(WORD.findall(text))
