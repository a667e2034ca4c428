"""The publicity period (公示期) in working days.

A period of N working days that starts at some moment counts the start day when it is a
working day (Monday to Friday, not a configured holiday, in Beijing time) and ends at 24:00
Beijing time of its N-th working day: approval may follow from then on. Holidays are what the
service is told (``MATCHER_HOLIDAYS``); make-up working weekends (调休) are not modelled, so a
period is never shorter than the rule, at worst a day longer.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def publicity_end(start: datetime, days: int, holidays: Collection[date] = ()) -> datetime:
    """When a publicity of ``days`` working days started at ``start`` is over (UTC)."""
    if days < 1:
        raise ValueError(f"a publicity period lasts at least 1 working day, not {days}")
    day = start.astimezone(BEIJING).date()
    counted = 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == days:
                break
        day += timedelta(days=1)
    end = datetime.combine(day + timedelta(days=1), time(0), BEIJING)
    return end.astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The date in Beijing of a moment (what a document prints)."""
    return moment.astimezone(BEIJING).date()
