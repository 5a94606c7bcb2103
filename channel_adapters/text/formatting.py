"""Dates and times as Indonesian (and English) outlets write them, via Babel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

# Indonesia's three zones have official short labels; other zones fall back to UTC±H.
ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_label(tz: str, moment: datetime | None = None) -> str:
    """Short label of a zone: WIB/WITA/WIT for Indonesia, else an UTC offset."""
    if tz in ZONE_LABELS:
        return ZONE_LABELS[tz]
    offset = (moment or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(tz))
    hours = offset.utcoffset().total_seconds() / 3600 if offset.utcoffset() else 0
    return "UTC" if hours == 0 else f"UTC{hours:+g}"


def local(moment: datetime, tz: str) -> datetime:
    """`moment` (aware) in zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def dateline_date(moment: datetime, tz: str, language: str = "id") -> str:
    """The date as a dateline writes it: `Selasa (29/11/2022)`."""
    when = local(moment, tz)
    weekday = format_date(when, "EEEE", locale=language)
    return f"{weekday} ({when:%d/%m/%Y})"


def long_datetime(moment: datetime, tz: str, language: str = "id") -> str:
    """Date and time in words: `Selasa, 29 November 2022 pukul 10.00 WITA`."""
    when = local(moment, tz)
    date = format_date(when, "EEEE, d MMMM y", locale=language)
    if language == "id":
        return f"{date} pukul {when:%H.%M} {zone_label(tz, moment)}"
    time = format_time(when, "h:mm a", locale=language)
    return f"{date}, {time} {zone_label(tz, moment)}"


def short_datetime(moment: datetime, tz: str, language: str = "id") -> str:
    """Compact local time for lists: `29/11/2022 10.00 WITA`."""
    when = local(moment, tz)
    sep = "." if language == "id" else ":"
    return f"{when:%d/%m/%Y %H}{sep}{when:%M} {zone_label(tz, moment)}"
