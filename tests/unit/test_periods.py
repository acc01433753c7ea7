"""The period grammar of the reports: calendar units, units around today, Chinese words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.digests import month_windows
from domain.errors import InvalidInput
from domain.reports import Window
from handlers.periods import Period, parse_period

TODAY = date(2026, 11, 23)  # a Monday


def months_of(period: Period) -> list[Window]:
    """The month buckets the reports use for a period (one builder for all of them)."""
    return month_windows(period.start, period.end, "UTC")


def _days(text: str, today: date = TODAY) -> tuple[str, str, str]:
    found = parse_period(text, today)
    return found.key, found.start.isoformat(), found.last_day.isoformat()


@pytest.mark.parametrize("text, expected", [
    ("2026", ("2026", "2026-01-01", "2026-12-31")),
    ("2026年", ("2026", "2026-01-01", "2026-12-31")),
    ("2026-H2", ("2026-H2", "2026-07-01", "2026-12-31")),
    ("2026-Q4", ("2026-Q4", "2026-10-01", "2026-12-31")),
    ("2026q1", ("2026-Q1", "2026-01-01", "2026-03-31")),
    ("Q2", ("2026-Q2", "2026-04-01", "2026-06-30")),
    ("2025年第四季度", ("2025-Q4", "2025-10-01", "2025-12-31")),
    ("2026年Q3", ("2026-Q3", "2026-07-01", "2026-09-30")),
    ("2026-11", ("2026-11", "2026-11-01", "2026-11-30")),
    ("2024-2", ("2024-02", "2024-02-01", "2024-02-29")),
    ("2026年12月", ("2026-12", "2026-12-01", "2026-12-31")),
    ("3月", ("2026-03", "2026-03-01", "2026-03-31")),
    ("2026-W48", ("2026-W48", "2026-11-23", "2026-11-29")),
    ("2026-11-05", ("2026-11-05", "2026-11-05", "2026-11-05")),
    ("2026-10-01..2026-12-31", ("2026-10-01..2026-12-31", "2026-10-01", "2026-12-31")),
])
def test_calendar_periods_cover_their_whole_days(text: str,
                                                 expected: tuple[str, str, str]) -> None:
    assert _days(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("today", ("2026-11-23", "2026-11-23", "2026-11-23")),
    ("yesterday", ("2026-11-22", "2026-11-22", "2026-11-22")),
    ("this-week", ("2026-W48", "2026-11-23", "2026-11-29")),
    ("last-week", ("2026-W47", "2026-11-16", "2026-11-22")),
    ("this-month", ("2026-11", "2026-11-01", "2026-11-30")),
    ("this month", ("2026-11", "2026-11-01", "2026-11-30")),
    ("THIS_MONTH", ("2026-11", "2026-11-01", "2026-11-30")),
    ("lastmonth", ("2026-10", "2026-10-01", "2026-10-31")),
    ("this-quarter", ("2026-Q4", "2026-10-01", "2026-12-31")),
    ("last-quarter", ("2026-Q3", "2026-07-01", "2026-09-30")),
    ("this-year", ("2026", "2026-01-01", "2026-12-31")),
    ("last-year", ("2025", "2025-01-01", "2025-12-31")),
    ("ytd", ("ytd", "2026-01-01", "2026-11-23")),
    ("qtd", ("qtd", "2026-10-01", "2026-11-23")),
    ("mtd", ("mtd", "2026-11-01", "2026-11-23")),
    ("last-30d", ("last-30d", "2026-10-25", "2026-11-23")),
    ("last-7days", ("last-7d", "2026-11-17", "2026-11-23")),
    ("past-2w", ("last-2w", "2026-11-10", "2026-11-23")),
    ("last-6m", ("last-6m", "2026-05-24", "2026-11-23")),
    ("last-1y", ("last-1y", "2025-11-24", "2026-11-23")),
])
def test_periods_around_today(text: str, expected: tuple[str, str, str]) -> None:
    assert _days(text) == expected


@pytest.mark.parametrize("text, english", [
    ("今天", "today"), ("昨天", "yesterday"), ("本周", "this-week"), ("上周", "last-week"),
    ("本月", "this-month"), ("上个月", "last-month"), ("本季度", "this-quarter"),
    ("上季度", "last-quarter"), ("今年", "this-year"), ("去年", "last-year"),
    ("年初至今", "ytd"), ("近30天", "last-30d"), ("最近2周", "last-2w"),
    ("过去3个月", "last-3m"), ("近1年", "last-1y"),
])
def test_chinese_words_mean_what_their_english_ones_do(text: str, english: str) -> None:
    assert parse_period(text, TODAY) == parse_period(english, TODAY)


def test_first_quarter_looks_back_to_the_last_quarter_of_the_year_before() -> None:
    assert _days("last-quarter", date(2026, 2, 10)) == ("2025-Q4", "2025-10-01", "2025-12-31")
    assert _days("last-month", date(2026, 1, 31)) == ("2025-12", "2025-12-01", "2025-12-31")
    assert _days("last-week", date(2026, 1, 2)) == ("2025-W52", "2025-12-22", "2025-12-28")


def test_months_back_from_a_day_a_shorter_month_lacks_start_on_the_next_first() -> None:
    # 2026-05-31 back one month from its end (June 1st) is May 1st; from Mar 31, Feb lacks 31.
    assert _days("last-1m", date(2026, 3, 30)) == ("last-1m", "2026-03-01", "2026-03-30")
    assert _days("last-1m", date(2026, 5, 30)) == ("last-1m", "2026-05-01", "2026-05-30")


@pytest.mark.parametrize("text", [
    "", "soon", "2026-13", "2026-Q5", "2026-W54", "2025-W53", "last-0d",
    "2026-12-31..2026-01-01", "1969", "2026-02-30", "this-decade",
])
def test_what_is_not_a_period_is_refused_with_examples(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(text, TODAY)
    assert refused.value.key == "period.bad"
    assert refused.value.params["value"] == text
    assert "2026-Q4" in refused.value.params["examples"]


def test_a_period_becomes_instants_at_midnight_in_the_readers_zone() -> None:
    window = parse_period("2026-11", TODAY).window("Asia/Shanghai")
    assert window.since == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert window.until == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert window.days == 30 and window.key == "2026-11"


def test_a_period_across_a_dst_change_keeps_local_midnights() -> None:
    window = parse_period("2026-03", TODAY).window("Europe/Berlin")
    assert window.since == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # CET, UTC+1
    assert window.until == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST, UTC+2


def test_the_months_of_a_period_are_whole_calendar_months() -> None:
    assert [m.key for m in months_of(parse_period("2026-Q4", TODAY))] == [
        "2026-10", "2026-11", "2026-12"]
    assert [m.key for m in months_of(parse_period("last-30d", TODAY))] == ["2026-10", "2026-11"]
