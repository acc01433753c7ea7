"""Dates, times of day and intervals as people write them, in English and Chinese.

The one grammar of "when" in the project: chat options and reminders (`明天下午3点`,
`fri 15:00`, `下下周一`, `月底`, `in 3 days`), quiet hours (`22:00-07:30`, `晚上10点-早上7点`),
the settings file (`dunning_at = "09:00"`, `reminders_every = "1m"`), the scheduler and the
month arithmetic of periods and reports all read their text, or step the calendar, here.
Nothing here knows time zones: callers pass the reader's `today`, and turn a date and a time
of day into an instant in the reader's own zone.

One package with one import path (`from domain.dates import parse_when`), in files by part
of the grammar: `text` (cleaning, Chinese numbers), `calendar_steps` (months later, month
ends), `days`, `times` (and daily windows), `when` (a day with a time, dateparser's fallback)
and `intervals`.
"""

from __future__ import annotations

from domain.dates.calendar_steps import add_months
from domain.dates.intervals import interval_text, parse_interval
from domain.dates.times import parse_time, parse_time_range
from domain.dates.when import When, looks_like_when, parse_date, parse_when, split_when

__all__ = [
    "When",
    "add_months",
    "interval_text",
    "looks_like_when",
    "parse_date",
    "parse_interval",
    "parse_time",
    "parse_time_range",
    "parse_when",
    "split_when",
]
