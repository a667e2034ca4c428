"""The publicity period in working days: on many generated starts and lengths, the period
holds exactly N working days (Mon–Fri, configured holidays skipped), counts the start day when
it is a working day, and ends at 24:00 Beijing time; 0 or fewer days are refused."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from matcher_service.publicity_period import BEIJING, is_working_day, publicity_end


def _working_days(first: date, last: date, holidays: set[date]) -> int:
    n, day = 0, first
    while day <= last:
        n += is_working_day(day, holidays)
        day += timedelta(days=1)
    return n


@pytest.mark.parametrize("seed", range(40))
def test_the_period_holds_exactly_n_working_days(seed: int) -> None:
    """Start day through the last day hold N working days; the last day is one; the end is
    the next midnight in Beijing."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
    days = rng.randint(1, 15)
    first = start.astimezone(BEIJING).date()
    holidays = {first + timedelta(days=rng.randint(0, 20)) for _ in range(rng.randint(0, 4))}
    end = publicity_end(start, days, holidays)
    local = end.astimezone(BEIJING)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    last = local.date() - timedelta(days=1)
    assert is_working_day(last, holidays)
    assert _working_days(first, last, holidays) == days


def test_five_days_from_a_monday_morning_end_on_saturday_midnight() -> None:
    """Mon 2 March 2026 09:00 Beijing + 5 working days: over at Sat 7 March 00:00 Beijing; a
    Saturday start counts from Monday; the National Day holiday is skipped when configured."""
    monday = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert publicity_end(monday, 5) == datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)
    assert publicity_end(saturday, 5) == datetime(2026, 3, 13, 16, 0, tzinfo=UTC)
    national = {date(2026, 10, d) for d in range(1, 8)}
    sept_30 = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)  # a Wednesday
    assert publicity_end(sept_30, 2, national) == datetime(2026, 10, 8, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("days", [0, -1, -5])
def test_no_period_of_zero_or_fewer_days(days: int) -> None:
    """0 or negative working days: ValueError (the API answers 422 before this)."""
    with pytest.raises(ValueError, match="at least 1 working day"):
        publicity_end(datetime(2026, 3, 2, tzinfo=UTC), days)


def test_the_service_minimum_is_never_zero() -> None:
    """MATCHER_PUBLICITY_MIN_DAYS=0 refuses to start the service."""
    from matcher_service.settings import ServiceSettings

    with pytest.raises(ValueError, match="at least 1 working day"):
        ServiceSettings.from_env({"MATCHER_PUBLICITY_MIN_DAYS": "0"})
    assert ServiceSettings.from_env({"MATCHER_HOLIDAYS": "2026-10-01, 2026-10-02"}).holidays == {
        date(2026, 10, 1),
        date(2026, 10, 2),
    }
