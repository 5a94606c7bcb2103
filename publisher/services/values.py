"""Values as they enter the system: text that cannot break a document or a
database (`channel_adapters.text.clean`, applied wherever a person or a client gives
text: forms, the API, uploads' captions), and moments that are real, aware and
within range.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from channel_adapters.text.clean import clean, clean_line

__all__ = ["CleanStr", "Moment", "clean", "clean_line"]


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean(v) if isinstance(v, str) else v for v in value]
    return value


# A str field that arrives cleaned: `title: CleanStr = Field(...)`.
CleanStr = Annotated[str, BeforeValidator(_clean_value)]


# A moment is written as ISO 8601 with its offset ("2026-12-01T10:00+08:00");
# pydantic would also take a bare number as seconds since 1970, which nobody means.
_ISO_MOMENT = re.compile(r"\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _iso_only(value: Any) -> Any:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return value
    raise PydanticCustomError("field.not_datetime", "not an ISO 8601 date and time")


def _aware_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise PydanticCustomError("field.needs_offset", "no UTC offset")
    try:
        moment = value.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00-14:00 is past the year 9999
        raise PydanticCustomError("field.datetime_range", "out of range") from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise PydanticCustomError("field.datetime_range", "out of range")
    return moment


# An aware moment, converted to UTC: `embargo_at: Moment | None = None`.
Moment = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_aware_utc)]
