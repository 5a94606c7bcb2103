"""Scheduling presets from config.yaml: which channels, at what local time.

A preset fills the schedule form (or an API request); the editor still confirms.
`at` says when, in the office's zone:
    now               every listed channel now
    next_hour         the next full hour
    "06:00"           the next 06:00 (today if still ahead, else tomorrow)
    "tomorrow 06:00"  06:00 tomorrow
    ["06:00", "12:00", "18:00"]   the next of these times (e.g. radio news hours)
`stagger` puts each further channel that much later than the one before it.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_NAME = r"^[a-z0-9][a-z0-9_-]{0,62}$"


def _clock(text: str) -> time:
    """`06:00` or `06.00` as a time; ValueError saying what is expected."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time of day; write e.g. 06:00")
    return time(int(match.group(1)), int(match.group(2)))


class SchedulePreset(BaseModel):
    """One preset: a button on the schedule form and `preset` in the API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_NAME)
    label: str = Field(min_length=1, max_length=80)
    # Channel names; empty: every channel that can send.
    channels: list[str] = []
    at: str | list[str] = "now"
    stagger: float = 0.0  # seconds, from a duration such as "15m"

    @field_validator("at")
    @classmethod
    def _when(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list):
            if not value:
                raise ValueError("list at least one time of day, e.g. [06:00, 12:00]")
            for item in value:
                _clock(item)
            return value
        text = value.strip().lower()
        if text in ("now", "next_hour"):
            return text
        _clock(text.removeprefix("tomorrow").strip())
        return text

    @field_validator("stagger", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        from .config import parse_duration

        if value in (0, "0", None):
            return 0.0
        return parse_duration(value)

    def first_time(self, now: datetime, tz: ZoneInfo) -> datetime | None:
        """When the first channel goes: None means now."""
        local_now = now.astimezone(tz)
        if self.at == "now":
            return None
        if self.at == "next_hour":
            return local_now.replace(minute=0, second=0, microsecond=0) + timedelta(
                hours=1
            )
        if isinstance(self.at, list):
            return min(_next_at(local_now, _clock(t), tz) for t in self.at)
        if self.at.startswith("tomorrow"):
            day = local_now.date() + timedelta(days=1)
            return datetime.combine(
                day, _clock(self.at.removeprefix("tomorrow").strip()), tz
            )
        return _next_at(local_now, _clock(self.at), tz)

    def plan(
        self, sendable: list[str], now: datetime, tz: ZoneInfo
    ) -> list[tuple[str, datetime | None]]:
        """(channel, local time or None for now) for each listed channel that can
        send, in the order of `sendable` (config order)."""
        chosen = [c for c in sendable if not self.channels or c in self.channels]
        first = self.first_time(now, tz)
        if first is None and not self.stagger:
            return [(channel, None) for channel in chosen]
        if first is None:  # staggered from now: the first at the next full minute
            first = now.astimezone(tz).replace(second=0, microsecond=0)
            first += timedelta(minutes=1)
        step = timedelta(seconds=self.stagger)
        result: list[tuple[str, datetime | None]] = [
            (channel, first + step * i) for i, channel in enumerate(chosen)
        ]
        return result


def _next_at(local_now: datetime, clock: time, tz: ZoneInfo) -> datetime:
    """The next moment the wall clock in `tz` shows `clock`, after `local_now`."""
    today = datetime.combine(local_now.date(), clock, tz)
    return today if today > local_now else today + timedelta(days=1)
