"""Billing periods: calendar months, quarters and years, written "2024-05", "2024-Q2" and "2024"."""

from __future__ import annotations

import datetime as dt
import re

from guanjia.property.models import Cycle

MONTHS_PER_CYCLE = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.YEARLY: 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), Cycle.MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$"), Cycle.QUARTERLY),
    (re.compile(r"^(\d{4})$"), Cycle.YEARLY),
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after the month of `day`."""
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from the month of `start` to the month of `end`, inclusive."""
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def period_for(cycle: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar period of `cycle` that holds `day` (quarters start in January, April, …)."""
    length = MONTHS_PER_CYCLE[Cycle(cycle)]
    first = dt.date(day.year, (day.month - 1) // length * length + 1, 1)
    return first, month_end(add_months(first, length - 1))


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """ "2024-05" → May 2024; "2024-Q2" → April–June; "2024" → the year. ValueError otherwise."""
    text = text.strip().upper()
    for pattern, cycle in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if cycle == Cycle.MONTHLY:
            month = int(match.group(2))
        elif cycle == Cycle.QUARTERLY:
            month = (int(match.group(2)) - 1) * 3 + 1
        else:
            month = 1
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            break
        return period_for(cycle, dt.date(year, month, 1))
    raise ValueError(f"not a period: {text!r}")


def period_label(start: dt.date, end: dt.date) -> str:
    months = len(months_between(start, end))
    if months == 1:
        return f"{start:%Y-%m}"
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if months == 12 and start.month == 1:
        return f"{start.year}"
    return f"{start:%Y-%m}~{end:%Y-%m}"


def recent_periods(cycle: str, today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The period holding `today` and the `count - 1` before it, newest first."""
    length = MONTHS_PER_CYCLE[Cycle(cycle)]
    start, _ = period_for(cycle, today)
    return [period_for(cycle, add_months(start, -i * length)) for i in range(count)]
