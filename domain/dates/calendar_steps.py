"""Steps on the calendar: the same day months later, a month's last day, a weekday of some
week, a day of some month. The one home of month arithmetic in the project."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the last day of a shorter month (Jan 31 + 1
    is Feb 28); from a month's first day, the first day of the month `months` on."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift(today: date, n: int, unit: str) -> date:
    """`n` days, weeks, months or years from `today` (`unit` in the singular)."""
    if unit == "month":
        return add_months(today, n)
    if unit == "year":
        return add_months(today, 12 * n)
    return today + timedelta(days=n * (7 if unit == "week" else 1))


def weekday_of(today: date, weekday: int, weeks_ahead: int | None) -> date:
    """`weekday` of the week `weeks_ahead` from this one; None: the next one after today."""
    if weeks_ahead is None:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7 * weeks_ahead + weekday)


def day_of_month(today: date, months_ahead: int | None, day: int) -> date:
    """Day `day` of the month `months_ahead` from this one; None: the next time it comes."""
    if months_ahead is not None:
        first = add_months(today.replace(day=1), months_ahead)
        return first.replace(day=day)
    for ahead in range(0, 13):
        first = add_months(today.replace(day=1), ahead)
        try:
            candidate = first.replace(day=day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError(day)
