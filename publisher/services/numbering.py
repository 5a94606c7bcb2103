"""Release numbers (nomor siaran pers): sequential per year, never reused."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..config import ROMAN_MONTHS, Config
from ..models import NumberCounter


def next_number(session: Session, config: Config, moment: datetime) -> str:
    """Take the next number of `moment`'s year (in the office's zone) and format it."""
    local = moment.astimezone(ZoneInfo(config.organization.timezone))
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    # Two first approvals of a year may race to create the counter; both survive.
    session.execute(
        dialect.insert(NumberCounter)
        .values(year=local.year, last=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    counter = session.scalars(
        select(NumberCounter).where(NumberCounter.year == local.year).with_for_update()
    ).one()
    counter.last += 1
    session.flush()
    return config.numbering.pattern.format(
        seq=counter.last,
        org_code=config.organization_snapshot().code,
        month=local.month,
        month_roman=ROMAN_MONTHS[local.month - 1],
        year=local.year,
    )
